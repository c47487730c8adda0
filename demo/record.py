"""The demo's emulation registrations: at the start of the campaign's year each proposing unit
registers its people and collectives to the movement, with their commitments, through the same
service as the registration page (so each is audited). One person, `UNREGISTERED`, is left out:
proposing them for a title that requires registration (Grassroots Emulation Fighter, the
collectives' titles) is refused, and says how to register.

(The ratings and initiatives eligibility reads are seeded with the eligibility demo, not here.)
"""

from nominations import registration
from nominations.models import EmulationRegistration

UNREGISTERED = "namtv"

# (registering unit, its proposer, people, collectives, commitments)
REGISTRATIONS = [
    (
        "phong-tong-hop",
        "proposer",
        ["lannt", "quanlm", "hapt", "thanghd", "maivt"],
        [],
        "Hoàn thành xuất sắc nhiệm vụ năm {year}; phấn đấu đạt danh hiệu Lao động tiên tiến, "
        "Chiến sĩ thi đua cơ sở; có ít nhất một sáng kiến được công nhận.",
    ),
    (
        "vu-hanh-chinh",
        "proposer2",
        ["longdv", "hongbt", "huydq", "huongntt"],
        [],
        "Hoàn thành tốt nhiệm vụ năm {year}; phấn đấu đạt danh hiệu Lao động tiên tiến, "
        "Chiến sĩ thi đua cơ sở.",
    ),
    (
        "vu-hanh-chinh",
        "proposer2",
        [],
        ["phong-van-thu-luu-tru", "phong-quan-tri"],
        "Tập thể hoàn thành xuất sắc nhiệm vụ năm {year}; 100% công chức hoàn thành tốt nhiệm "
        "vụ; phấn đấu đạt danh hiệu Tập thể lao động xuất sắc.",
    ),
]


def seed_record(*, people: dict, units: dict, campaign, count) -> None:
    """Register the demo's people and collectives for the campaign's year (those not yet
    registered: running the seed again changes nothing). `count(what, outcome)` tallies."""
    year = campaign.year
    taken_people = set(
        EmulationRegistration.objects.filter(year=year, person__isnull=False).values_list(
            "person__username", flat=True
        )
    )
    taken_units = set(
        EmulationRegistration.objects.filter(year=year, unit__isnull=False).values_list(
            "unit__code", flat=True
        )
    )
    for unit_code, proposer, usernames, codes, commitments in REGISTRATIONS:
        new_people = [people[u] for u in usernames if u not in taken_people]
        new_units = [units[c] for c in codes if c not in taken_units]
        for _ in range(len(usernames) + len(codes) - len(new_people) - len(new_units)):
            count("registrations", "unchanged")
        if not new_people and not new_units:
            continue
        made = registration.register(
            actor=people[proposer],
            unit=units[unit_code],
            year=year,
            people=new_people,
            collectives=new_units,
            commitments=commitments.format(year=year),
        )
        for _ in made:
            count("registrations", "created")
