"""The reference data every section uses, built once per run: an agency with departments and
units, the people of each role, an award type with the full route and an open campaign; and
drafts made in bulk, ready to be walked."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEvent
from audit.services import bulk_append, label
from nominations.models import AwardType, Campaign, Nomination, Profile, RoleAssignment, Unit
from nominations.roles import Role
from nominations.stages import STAGE_ORDER

User = get_user_model()


@dataclass
class BenchUnit:
    unit_id: int
    path: str
    proposer_id: int
    head_id: int
    nominee_id: int


@dataclass
class World:
    agency_id: int
    units: list[BenchUnit]
    party_id: int
    leader_id: int
    secretary_id: int
    award_type_id: int
    campaign_id: int
    department_ids: list[int] = field(default_factory=list)
    nominees_made: int = 0

    def unit(self, i: int) -> BenchUnit:
        return self.units[i % len(self.units)]


def fresh_nominees(world: World, units: list[BenchUnit]) -> list[tuple[int, str]]:
    """A nominee of its own, working in the given unit, for each nomination about to be made —
    one achievement, one award: nobody is proposed twice for the award in the campaign, and the
    database refuses it (`nominations.one_award`). Made in bulk (set-up, not measured); each
    as (id, label)."""
    start = world.nominees_made
    world.nominees_made += len(units)
    users = User.objects.bulk_create(
        [
            User(username=f"nominee-{n}", first_name=f"Staff{n}", last_name="Nguyễn")
            for n in range(start, start + len(units))
        ],
        batch_size=5000,
    )
    Profile.objects.bulk_create(
        [
            Profile(user_id=user.pk, unit_id=unit.unit_id, position="Chuyên viên")
            for user, unit in zip(users, units, strict=True)
        ],
        batch_size=5000,
    )
    return [(user.pk, label(user)) for user in users]


def _person(username: str, unit: Unit, *roles, scope: Unit | None = None) -> int:
    user = User.objects.create(
        username=username, first_name=username.split("-")[0].title(), last_name="Nguyễn"
    )
    Profile.objects.create(user=user, unit=unit, position="Chuyên viên")
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, unit=scope or unit)
    return user.pk


@transaction.atomic
def build(*, departments: int, units_per_department: int) -> World:
    agency = Unit.objects.create(code="agency", name_vi="Bộ", kind=Unit.Kind.AGENCY)
    bench_units, department_ids = [], []
    for d in range(departments):
        dept = Unit.objects.create(
            code=f"dept-{d}", name_vi=f"Cục {d}", kind=Unit.Kind.DEPARTMENT, parent=agency
        )
        department_ids.append(dept.pk)
        for u in range(units_per_department):
            unit = Unit.objects.create(code=f"unit-{d}-{u}", name_vi=f"Phòng {d}.{u}", parent=dept)
            bench_units.append(
                BenchUnit(
                    unit_id=unit.pk,
                    path=unit.path,
                    proposer_id=_person(f"proposer-{d}-{u}", unit, Role.UNIT_PROPOSER),
                    head_id=_person(f"head-{d}-{u}", unit, Role.UNIT_HEAD),
                    nominee_id=_person(f"staff-{d}-{u}", unit),
                )
            )
    award = AwardType.objects.create(code="full", name_vi="Chiến sĩ thi đua", name_en="Full")
    for position, stage in enumerate(STAGE_ORDER, start=1):
        award.route.create(position=position, stage=stage)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        code="bench",
        name_vi="Phong trào",
        agency=agency,
        year=today.year,
        submissions_open=today - datetime.timedelta(days=30),
        submissions_close=today + datetime.timedelta(days=30),
    )
    return World(
        agency_id=agency.pk,
        units=bench_units,
        party_id=_person("party", agency, Role.PARTY_COMMITTEE_REVIEWER),
        leader_id=_person("leader", agency, Role.LEADERSHIP_REVIEWER),
        secretary_id=_person("secretary", agency, Role.COUNCIL_SECRETARY),
        award_type_id=award.pk,
        campaign_id=campaign.pk,
        department_ids=department_ids,
    )


def laurel_drafts(
    world: World, count: int, *, unit: int | None = None, units: list[BenchUnit] | None = None
) -> list[int]:
    """`count` drafts spread over the units (or all in `unit`, or the i-th in `units[i]`), each
    with its creation event, as `nominations.services.create_draft` leaves them (made in bulk:
    set-up, not measured)."""
    award = AwardType.objects.get(pk=world.award_type_id)
    if units is None:
        units = [world.unit(i if unit is None else unit) for i in range(count)]
    users = User.objects.in_bulk({u.proposer_id for u in units})
    nominees = fresh_nominees(world, units)
    labels = dict(nominees)
    drafts = []
    for u, (nominee_id, _label) in zip(units, nominees, strict=True):
        drafts.append(
            Nomination(
                campaign_id=world.campaign_id,
                award_type_id=world.award_type_id,
                proposing_unit_id=u.unit_id,
                nominee_person_id=nominee_id,
                created_by_id=u.proposer_id,
                achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            )
        )
    with transaction.atomic():
        drafts = Nomination.objects.bulk_create(drafts, batch_size=2000)
        now = timezone.now()
        bulk_append(  # the chain's bulk loader: numbered, linked and hashed after the head
            [
                AuditEvent(
                    occurred_at=now,
                    action=Event.NOMINATION_CREATED,
                    actor_id=n.created_by_id,
                    actor_label=label(users[n.created_by_id]),
                    role=Role.UNIT_PROPOSER,
                    subject_type="nomination",
                    subject_id=str(n.pk),
                    nomination_id=n.pk,
                    unit_path=units[i].path,
                    campaign_id=n.campaign_id,
                    award_type_id=n.award_type_id,
                    to_state="draft",
                    data={
                        "dossier": {
                            "award_type": award.code,
                            "nominee": labels[n.nominee_person_id],
                            "achievements": n.achievements,
                            "contributions": "",
                            "initiatives": "",
                        }
                    },
                )
                for i, n in enumerate(drafts)
            ],
            batch=2000,
        )
    return [n.pk for n in drafts]


def baseline_drafts(world: World, count: int) -> list[int]:
    from bench.baseline.models import Nomination as BaselineNomination

    drafts = [
        BaselineNomination(
            unit_id=world.unit(i).unit_id,
            nominee_id=world.unit(i).nominee_id,
            created_by_id=world.unit(i).proposer_id,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        )
        for i in range(count)
    ]
    with transaction.atomic():
        return [n.pk for n in BaselineNomination.objects.bulk_create(drafts, batch_size=2000)]
