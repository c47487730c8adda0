"""Separation of duties and delegation, enforced by the services (not only hidden in pages)."""

import datetime

import pytest
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEvent
from nominations import policy
from nominations import services as dossier
from nominations.exceptions import NotAllowed
from nominations.models import Delegation, RoleAssignment, StageDecision
from nominations.roles import Role
from tests.factories import AwardTypeFactory, person
from workflows import services
from workflows.selectors import inbox_for

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def draft_for(world, *, award_type=None, proposer=None, **nominee):
    nominee = nominee or {"nominee_person": world.staff}
    return dossier.create_draft(
        actor=proposer or world.proposer,
        campaign=world.campaign,
        award_type=award_type or world.full,
        proposing_unit=world.unit,
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
        **nominee,
    )


def refusal(call) -> str:
    with pytest.raises(NotAllowed) as refused:
        call()
    return str(refused.value)


def test_nobody_reviews_a_nomination_they_proposed(world):
    RoleAssignment.objects.create(user=world.proposer, role=Role.UNIT_HEAD, unit=world.unit)
    n = services.submit(draft_for(world), actor=world.proposer)
    reason = refusal(lambda: services.approve(n, actor=world.proposer))
    assert "You proposed this nomination." in reason
    assert not StageDecision.objects.filter(nomination=n, outcome="approved").exists()


def test_nobody_reviews_a_nomination_that_names_them(world):
    n = services.submit(draft_for(world, nominee_person=world.unit_head), actor=world.proposer)
    assert "You are the nominee." in refusal(lambda: services.approve(n, actor=world.unit_head))


def test_nobody_reviews_a_collective_nomination_of_their_own_unit(world, walk):
    n = draft_for(world, award_type=world.collective, nominee_unit=world.unit)
    n = walk(n, "submit")
    assert "Your unit is the nominee." in refusal(
        lambda: services.approve(n, actor=world.unit_head)
    )


def test_where_the_award_type_says_so_nobody_reviews_their_own_units_nomination(world, walk):
    strict = AwardTypeFactory(code="strict", reviewers_from_other_units_only=True)
    insider = person(world.unit, Role.PARTY_COMMITTEE_REVIEWER, scope=world.agency)
    n = walk(draft_for(world, award_type=strict), "submit", "approve")
    reason = refusal(lambda: services.approve(n, actor=insider))
    assert "reviewed only by people outside the proposing unit" in reason
    # Someone from another unit may.
    assert services.approve(n, actor=world.party_reviewer).status == "leadership_review"


def test_the_same_person_may_not_act_at_two_stages_of_one_nomination(world, walk):
    both = person(world.unit, Role.UNIT_HEAD, username="both")
    RoleAssignment.objects.create(user=both, role=Role.PARTY_COMMITTEE_REVIEWER, unit=world.agency)
    n = services.approve(walk(draft_for(world), "submit"), actor=both)
    reason = refusal(lambda: services.approve(n, actor=both))
    assert "already acted on this nomination at another stage" in reason
    assert n.pk not in {t.nomination_id for t in inbox_for(both)}
    # After a return the same person may act again at the stage where they acted before.
    n = walk(n, "return_for_revision", "resubmit")
    assert services.approve(n, actor=both).status == "party_committee_review"


# --- delegation ----------------------------------------------------------------------------


@pytest.fixture
def acting(world):
    return person(world.agency, username="acting")


def delegate(world, acting, *, starts=TODAY, ends=TODAY + 5 * DAY, principal=None):
    return dossier.grant_delegation(
        principal=principal or world.leader,
        delegate=acting,
        role=Role.LEADERSHIP_REVIEWER,
        unit=world.agency,
        starts_on=starts,
        ends_on=ends,
        reason="Nghỉ phép",
    )


def test_a_delegate_acts_on_behalf_of_the_principal_and_both_names_are_recorded(
    world, walk, acting
):
    delegation = delegate(world, acting)
    n = walk(draft_for(world), "submit", "approve", "approve")
    assert n.pk in {t.nomination_id for t in inbox_for(acting)}

    n = services.approve(n, actor=acting, reasons="Đồng ý")

    decision = StageDecision.objects.filter(nomination=n).last()
    assert (decision.actor, decision.on_behalf_of) == (acting, world.leader)
    assert decision.role == Role.LEADERSHIP_REVIEWER
    event = AuditEvent.objects.filter(nomination_id=n.pk, action=Event.APPROVED).last()
    assert (event.actor, event.on_behalf_of) == (acting, world.leader)
    assert event.data["delegation"] == delegation.pk


def test_granting_and_revoking_a_delegation_are_audited(world, acting):
    delegation = delegate(world, acting)
    dossier.revoke_delegation(delegation, actor=world.leader)
    actions = list(
        AuditEvent.objects.filter(subject_type="delegation", subject_id=str(delegation.pk))
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [
        (Event.DELEGATION_GRANTED, world.leader.pk),
        (Event.DELEGATION_REVOKED, world.leader.pk),
    ]


@pytest.mark.parametrize(
    ("starts", "ends", "revoked"),
    [
        (TODAY - 10 * DAY, TODAY - DAY, False),  # expired: ends by itself
        (TODAY + DAY, TODAY + 5 * DAY, False),  # not started yet
        (TODAY, TODAY + 5 * DAY, True),  # revoked
    ],
    ids=["expired", "not-yet-started", "revoked"],
)
def test_a_delegation_outside_its_period_or_revoked_gives_no_authority(
    world, walk, acting, starts, ends, revoked
):
    delegation = Delegation.objects.create(
        principal=world.leader,
        delegate=acting,
        role=Role.LEADERSHIP_REVIEWER,
        unit=world.agency,
        starts_on=starts,
        ends_on=ends,
    )
    if revoked:
        dossier.revoke_delegation(delegation, actor=world.leader)
    n = walk(draft_for(world), "submit", "approve", "approve")
    assert "needs the role" in refusal(lambda: services.approve(n, actor=acting))
    assert n.pk not in {t.nomination_id for t in inbox_for(acting)}


def test_delegations_do_not_chain(world, acting):
    delegate(world, acting)
    third = person(world.agency, username="third")
    reason = refusal(
        lambda: dossier.grant_delegation(
            principal=acting,
            delegate=third,
            role=Role.LEADERSHIP_REVIEWER,
            unit=world.agency,
            starts_on=TODAY,
            ends_on=TODAY + DAY,
        )
    )
    assert "delegations do not chain" in reason


def test_a_role_that_is_not_held_cannot_be_delegated(world, acting):
    reason = refusal(
        lambda: dossier.grant_delegation(
            principal=world.proposer,
            delegate=acting,
            role=Role.LEADERSHIP_REVIEWER,
            unit=world.agency,
            starts_on=TODAY,
            ends_on=TODAY + DAY,
        )
    )
    assert "delegations do not chain" in reason


def test_delegation_is_no_way_around_the_delegates_own_conflicts(world, walk):
    acting = person(world.unit, username="colleague")
    delegate(world, acting)
    n = draft_for(world, nominee_person=acting)
    n = walk(n, "submit", "approve", "approve")
    assert "You are the nominee." in refusal(lambda: services.approve(n, actor=acting))


def test_delegation_is_no_way_around_the_principals_conflicts(world, walk, acting):
    # The leader also sits on the party committee and gave the committee's opinion: neither the
    # leader nor someone acting for the leader may then decide at the leadership stage.
    RoleAssignment.objects.create(
        user=world.leader, role=Role.PARTY_COMMITTEE_REVIEWER, unit=world.agency
    )
    n = walk(draft_for(world), "submit", "approve")
    n = services.approve(n, actor=world.leader)
    delegate(world, acting)
    reason = refusal(lambda: services.approve(n, actor=acting))
    assert "On behalf of" in reason and "another stage" in reason


def test_only_the_principal_or_an_administrator_revokes(world, acting):
    delegation = delegate(world, acting)
    assert "Only the principal" in refusal(
        lambda: dossier.revoke_delegation(delegation, actor=acting)
    )
    dossier.revoke_delegation(delegation, actor=world.admin)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    fresh = type(acting).objects.get(pk=acting.pk)  # roles are read once per request/user
    assert not policy.holds(fresh, Role.LEADERSHIP_REVIEWER, world.unit)
