"""Quotas: the limit in exact arithmetic, what counts against it, the unit head's confirmation
refused past it (for each base, at and either side of the limit), the campaign's own quota over
the every-campaign one, a quota of a unit above, and the admin's errors."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nominations import quotas
from nominations import services as dossier
from nominations.exceptions import TransitionRefused
from nominations.models import Nomination, Profile, Quota, QuotaBase
from nominations.roles import Role
from nominations.stages import Status
from tests.factories import CampaignFactory, UnitFactory, person
from workflows import services

# --- the limit -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "base", "max_count", "limit"),
    [
        ("15", 7, None, 1),  # 1.05
        ("15", 6, None, 0),  # 0.9: rounded down, never up
        ("15", 20, None, 3),  # exactly 3
        ("15", 14, None, 2),  # 2.1
        ("12.5", 8, None, 1),  # exactly 1
        ("33.33", 3, None, 0),  # 0.9999: no float rounding up to 1
        ("33.34", 3, None, 1),  # 1.0002
        ("100", 5, None, 5),
        ("0", 50, None, 0),
        ("15", 0, None, 0),
        ("50", 10, 3, 3),  # the cap is lower
        ("50", 4, 3, 2),  # the share is lower
    ],
)
def test_the_limit_is_the_share_of_the_base_rounded_down_exactly(share, base, max_count, limit):
    quota = Quota(base=QuotaBase.STAFF, share_percent=Decimal(share), max_count=max_count)
    assert quotas.limit_of(quota, base) == limit


@pytest.mark.parametrize("max_count", [0, 1, 4])
def test_a_fixed_quota_is_its_number(max_count):
    assert quotas.limit_of(Quota(base=QuotaBase.FIXED, max_count=max_count), None) == max_count


# --- what counts ---------------------------------------------------------------------------


def _nominate(world, *, award_type=None, unit=None, proposer=None, nominee=None):
    return dossier.create_draft(
        actor=proposer or world.proposer,
        campaign=world.campaign,
        award_type=award_type or world.full,
        proposing_unit=unit or world.unit,
        nominee_person=nominee or person(unit or world.unit),
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )


def _standing(world, quota) -> quotas.Standing:
    (found,) = [s for s in quotas.standings(world.campaign) if s.quota.pk == quota.pk]
    return found


def _fixed(world, count, **fields) -> Quota:
    return Quota.objects.create(
        award_type=world.full,
        unit=world.unit,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=count,
        **fields,
    )


def test_counted_are_the_confirmed_nominations_still_claiming_the_award(world, walk):
    quota = _fixed(world, 10)
    walk(_nominate(world), "submit")  # waits for the unit head: not counted
    _nominate(world)  # a draft: not counted
    walk(_nominate(world), "submit", "approve")  # confirmed
    walk(_nominate(world), "submit", "approve", "return_for_revision")  # confirmed, returned
    walk(_nominate(world), "submit", "approve", "reject")  # rejected: no longer claims
    walk(_nominate(world), "submit", "approve", "withdraw")  # withdrawn
    walk(_nominate(world, award_type=world.short), "submit", "approve")  # another award
    standing = _standing(world, quota)
    assert (standing.counted, standing.limit, standing.awarded) == (2, 10, 0)
    assert not standing.over and standing.left == 8


def test_a_quota_counts_its_whole_subtree_and_no_other_unit(world, walk):
    quota = Quota.objects.create(
        award_type=world.full,
        unit=world.department,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=5,
    )
    walk(_nominate(world), "submit", "approve")  # unit-a lies in the department
    other_head = person(world.other_unit, Role.UNIT_HEAD)
    n = _nominate(world, unit=world.other_unit, proposer=world.other_proposer)
    services.submit(n, actor=world.other_proposer)
    services.approve(Nomination.objects.get(pk=n.pk), actor=other_head)  # another department
    assert _standing(world, quota).counted == 1


def test_the_campaigns_own_quota_replaces_the_one_for_every_campaign(world):
    Quota.objects.create(award_type=world.full, unit=world.unit, base=QuotaBase.FIXED, max_count=9)
    own = _fixed(world, 2)
    (standing,) = quotas.standings(world.campaign)
    assert standing.quota == own and standing.limit == 2
    (elsewhere,) = quotas.standings(CampaignFactory(agency=world.agency))
    assert elsewhere.quota.campaign_id is None and elsewhere.limit == 9


def test_the_base_of_staff_is_the_people_of_the_subtree(world):
    quota = Quota.objects.create(
        award_type=world.full,
        unit=world.department,
        campaign=world.campaign,
        base=QuotaBase.STAFF,
        share_percent=Decimal("50"),
    )
    # unit-a's proposer, head and staff, and one of a unit below it; not another department's.
    below = UnitFactory(code="team-a", parent=world.unit)
    person(below)
    person(world.other_unit)
    standing = _standing(world, quota)
    assert standing.base == 4
    assert standing.limit == 2


# --- the unit head's confirmation, for each base, at and either side of the limit ----------


def _quota_of_size(world, base: str, size: int) -> Quota:
    """A quota over world.full at world.unit whose base has `size` members (15%: 6 → 0,
    7 → 1, 14 → 2), its nominations made first so the staff counted is final."""
    if base == QuotaBase.FIXED:
        return _fixed(world, {6: 0, 7: 1, 14: 2}[size], instrument="Quy chế", article="Điều 5")
    if base == QuotaBase.STAFF:
        present = Profile.objects.filter(unit__path__startswith=world.unit.path).count()
        for _ in range(size - present):
            person(world.unit)
    else:  # title holders: nominations for the short title that still claim it
        for _ in range(size):
            _nominate(world, award_type=world.short)
    return Quota.objects.create(
        award_type=world.full,
        unit=world.unit,
        campaign=world.campaign,
        base=base,
        base_title=world.short if base == QuotaBase.TITLE_HOLDERS else None,
        share_percent=Decimal("15"),
        instrument="Nghị định 152/2025/NĐ-CP",
        article="Điều 9",
    )


@pytest.mark.parametrize("base", [QuotaBase.STAFF, QuotaBase.TITLE_HOLDERS, QuotaBase.FIXED])
@pytest.mark.parametrize(("size", "limit"), [(6, 0), (7, 1), (14, 2)])
def test_the_unit_head_confirms_up_to_the_limit_and_no_further(world, walk, base, size, limit):
    waiting = [walk(_nominate(world), "submit") for _ in range(limit + 1)]
    quota = _quota_of_size(world, base, size)
    assert _standing(world, quota).limit == limit

    for n in waiting[:limit]:  # below the limit, and reaching it
        assert services.approve(n, actor=world.unit_head).status == Status.PARTY_COMMITTEE_REVIEW
    extra = waiting[limit]
    with pytest.raises(TransitionRefused) as refused:  # one past it
        services.approve(extra, actor=world.unit_head)

    message = str(refused.value)
    assert str(world.full) in message and str(world.unit) in message
    assert f"{limit} of at most {limit}" in message
    assert quota.instrument in message
    assert Nomination.objects.get(pk=extra.pk).status == Status.UNIT_REVIEW
    assert _standing(world, quota).counted == limit


def test_a_quota_of_a_unit_above_binds_too(world, walk):
    Quota.objects.create(
        award_type=world.full,
        unit=world.agency,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=1,
        instrument="Quy chế",
    )
    walk(_nominate(world), "submit", "approve")
    with pytest.raises(TransitionRefused) as refused:
        walk(_nominate(world), "submit", "approve")
    assert str(world.agency) in str(refused.value)


def test_only_the_unit_heads_confirmation_is_checked(world, walk):
    """Later stages pass a quota that is over (it was lowered after the confirmations), and a
    nomination returned after its confirmation is not counted twice when confirmed again."""
    n = walk(_nominate(world), "submit", "approve")
    quota = _fixed(world, 0)
    assert walk(n, "approve").status == Status.LEADERSHIP_REVIEW
    Quota.objects.filter(pk=quota.pk).update(max_count=2)
    m = walk(_nominate(world), "submit", "approve", "return_for_revision", "resubmit")
    assert _standing(world, quota).counted == 2  # n, and m (returned after its confirmation)
    assert walk(m, "approve").status == Status.PARTY_COMMITTEE_REVIEW  # 1 other + m = 2
    with pytest.raises(TransitionRefused):
        walk(_nominate(world), "submit", "approve")


# --- the admin -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"base": QuotaBase.FIXED}, "A fixed quota needs its number."),
        ({"base": QuotaBase.STAFF}, "A quota over a base needs its share."),
        (
            {"base": QuotaBase.TITLE_HOLDERS, "share_percent": Decimal("15")},
            "Say which title's nominees the share is taken of.",
        ),
    ],
)
def test_the_admin_says_what_a_quota_lacks(client, world, fields, error):
    client.force_login(world.admin)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    data = {
        "award_type": world.full.pk,
        "unit": world.unit.pk,
        "campaign": world.campaign.pk,
        "instrument": "",
        "article": "",
        **{k: (v.value if hasattr(v, "value") else v) for k, v in fields.items()},
    }
    response = client.post(reverse("admin:nominations_quota_add"), data)
    assert response.status_code == 200
    assert error.replace("'", "&#x27;") in response.content.decode()
    assert not Quota.objects.exists()


def test_two_quotas_for_every_campaign_are_refused(world):
    Quota.objects.create(award_type=world.full, unit=world.unit, base=QuotaBase.FIXED, max_count=1)
    twin = Quota(award_type=world.full, unit=world.unit, base=QuotaBase.FIXED, max_count=2)
    with pytest.raises(ValidationError, match="already has a quota"):
        twin.full_clean()
