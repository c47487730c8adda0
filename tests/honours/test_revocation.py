"""Revoking a conferred award through its own route: proposed by someone entitled, concluded by
the council (its vote counts recorded by the secretary), decided by a numbered correcting
decision, then what was recovered recorded — each step audited, all or nothing."""

import datetime

import pytest
from django.utils import timezone

from approvals import revocations
from approvals.models import DecisionEntry, SignedDecision
from approvals.services import QuorumNotMet
from audit.events import Event
from audit.models import AuditEvent
from audit.selectors import timeline
from nominations import services as dossier
from nominations.exceptions import (
    ConflictingAction,
    InvalidInput,
    NotAllowed,
    TransitionRefused,
)
from nominations.models import ConferredAward, Revocation, RevocationGround, RoleAssignment
from nominations.roles import Role
from tests.factories import person

from .conftest import ACHIEVEMENTS

GROUNDS = "Kê khai sáng kiến không đúng sự thật (kết luận thanh tra số 12/KL-TTr)."


@pytest.fixture
def conferred(awarded):
    """A nomination whose award a signed decision conferred, and that decision."""
    decision = awarded()
    return decision.entries.get().nomination, decision


def _propose(world, nomination, actor=None, **kwargs):
    return revocations.propose_revocation(
        nomination,
        actor=actor or world.unit_head,
        ground=kwargs.pop("ground", RevocationGround.FALSE_DOSSIER),
        grounds=kwargs.pop("grounds", GROUNDS),
        documents=kwargs.pop("documents", "Kết luận thanh tra số 12/KL-TTr ngày 02/11/2026"),
        **kwargs,
    )


def _conclude(world, revocation, votes_for=7, **counts):
    return revocations.record_council_conclusion(
        revocation,
        actor=world.secretary,
        met_on=timezone.localdate(),
        members=counts.pop("members", 9),
        present=counts.pop("present", 8),
        votes_for=votes_for,
        votes_against=counts.pop("votes_against", 1),
        votes_abstain=counts.pop("votes_abstain", 0),
    )


def _revoked(world, nomination):
    revocation = _conclude(world, _propose(world, nomination))
    decision = revocations.sign_revocation(revocation, actor=world.signer)
    return Revocation.objects.get(pk=revocation.pk), decision


def _actions(nomination) -> list[str]:
    return list(timeline(nomination.pk).values_list("action", flat=True))


def test_the_whole_route_from_proposal_to_recovery(world, conferred):
    nomination, conferring = conferred

    revocation = _propose(world, nomination)
    assert revocation.status == Revocation.Status.PROPOSED
    assert revocation.proposed_role == Role.UNIT_HEAD
    assert revocation.award == nomination.conferred_award

    revocation = _conclude(world, revocation, votes_for=5)  # 5 of 8 present ≥ 50%
    assert revocation.status == Revocation.Status.SUPPORTED
    assert ConferredAward.objects.get(nomination=nomination).revoked_at is None

    correction = revocations.sign_revocation(revocation, actor=world.signer)
    assert correction.corrects == conferring
    assert correction.number == conferring.number + 1
    assert GROUNDS in correction.reasons
    assert DecisionEntry.objects.get(decision=correction).effect == DecisionEntry.Effect.REVOKE
    award = ConferredAward.objects.get(nomination=nomination)
    assert award.revoked_at is not None
    assert award.revoked_by_number == correction.reference
    revocation.refresh_from_db()
    assert revocation.status == Revocation.Status.REVOKED
    assert revocation.decision_number == correction.reference

    today = timezone.localdate()
    revocation = revocations.record_recovery(
        revocation,
        actor=world.secretary,
        certificate_returned=True,
        certificate_returned_on=today,
        amount_to_recover=2_980_000,
        amount_recovered=1_000_000,
        recovered_on=today,
    )
    revocation.refresh_from_db()
    assert revocation.certificate_returned and revocation.certificate_returned_on == today
    assert (revocation.amount_to_recover, revocation.amount_recovered) == (2_980_000, 1_000_000)
    assert revocation.outstanding == 1_980_000

    assert _actions(nomination)[-4:] == [
        Event.REVOCATION_PROPOSED,
        Event.REVOCATION_CONCLUDED,
        Event.AWARD_REVOKED,
        Event.RECOVERY_RECORDED,
    ]
    # The correcting decision's own signature is the decision's event, beside the award's.
    signed = AuditEvent.objects.filter(action=Event.DECISION_SIGNED, subject_id=correction.pk)
    assert signed.get().data["corrects"] == conferring.reference


def test_each_step_is_an_audit_event_on_the_nominations_timeline(world, conferred):
    nomination, _decision = conferred
    revocation, correction = _revoked(world, nomination)
    today = timezone.localdate()
    revocations.record_recovery(
        revocation,
        actor=world.secretary,
        certificate_returned=True,
        certificate_returned_on=today,
        amount_to_recover=500_000,
    )

    on_timeline = _actions(nomination)
    for event in (
        Event.REVOCATION_PROPOSED,
        Event.REVOCATION_CONCLUDED,
        Event.AWARD_REVOKED,
        Event.RECOVERY_RECORDED,
    ):
        assert on_timeline.count(event) == 1, event
    assert (
        on_timeline.index(Event.REVOCATION_PROPOSED)
        < on_timeline.index(Event.REVOCATION_CONCLUDED)
        < on_timeline.index(Event.AWARD_REVOKED)
        < on_timeline.index(Event.RECOVERY_RECORDED)
    )

    proposed = AuditEvent.objects.get(action=Event.REVOCATION_PROPOSED)
    assert proposed.actor_id == world.unit_head.pk and proposed.role == Role.UNIT_HEAD
    assert proposed.comment == GROUNDS
    assert proposed.data["ground"] == RevocationGround.FALSE_DOSSIER
    concluded = AuditEvent.objects.get(action=Event.REVOCATION_CONCLUDED)
    assert concluded.actor_id == world.secretary.pk
    assert (concluded.data["for"], concluded.data["present"], concluded.data["passed"]) == (
        7,
        8,
        True,
    )
    assert concluded.data["needed"] == 4
    revoked = AuditEvent.objects.get(action=Event.AWARD_REVOKED)
    assert revoked.actor_id == world.signer.pk and revoked.data["decision"] == correction.reference
    recovered = AuditEvent.objects.get(action=Event.RECOVERY_RECORDED)
    assert recovered.data["changes"] == {
        "certificate_returned": [False, True],
        "certificate_returned_on": [None, today.isoformat()],
        "amount_to_recover": [0, 500_000],
    }


def test_the_council_secretary_and_an_inspector_may_propose_too(world, awarded):
    decision = awarded(count=2)
    first, second = [e.nomination for e in decision.entries.order_by("id")]
    assert _propose(world, first, actor=world.secretary).proposed_role == Role.COUNCIL_SECRETARY
    assert _propose(world, second, actor=world.inspector).proposed_role == Role.INSPECTOR


@pytest.mark.parametrize("who", ["proposer", "staff", "member", "signer", "other_proposer"])
def test_only_those_entitled_propose(world, conferred, who):
    nomination, _decision = conferred
    with pytest.raises(NotAllowed):
        _propose(world, nomination, actor=getattr(world, who))
    assert not Revocation.objects.exists()
    assert not AuditEvent.objects.filter(action=Event.REVOCATION_PROPOSED).exists()


def test_the_head_of_another_unit_may_not_propose(world, conferred):
    nomination, _decision = conferred
    other_head = person(world.other_unit, Role.UNIT_HEAD)
    with pytest.raises(NotAllowed):
        _propose(world, nomination, actor=other_head)


def test_the_holder_of_the_award_does_not_propose_its_revocation(world, awarded):
    nomination = awarded().entries.get().nomination
    holder = nomination.nominee_person
    RoleAssignment.objects.create(user=holder, role=Role.UNIT_HEAD, unit=world.unit)
    with pytest.raises(NotAllowed):
        _propose(world, nomination, actor=holder)


def test_an_award_not_conferred_cannot_be_proposed_for_revocation(world, walk):
    approved = walk(
        dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=world.short,
            proposing_unit=world.unit,
            nominee_person=person(world.unit),
            achievements=ACHIEVEMENTS,
        ),
        "submit",
        "approve",
        "approve",
    )
    with pytest.raises(TransitionRefused, match="nothing to revoke"):
        _propose(world, approved)
    assert not Revocation.objects.exists()


def test_an_award_already_revoked_cannot_be_proposed_again(world, conferred):
    nomination, _decision = conferred
    _revoked(world, nomination)
    with pytest.raises(TransitionRefused, match="already been revoked"):
        _propose(world, nomination, actor=world.secretary)
    assert Revocation.objects.count() == 1


def test_one_open_proposal_per_award(world, conferred):
    nomination, _decision = conferred
    first = _propose(world, nomination)
    with pytest.raises(ConflictingAction):
        _propose(world, nomination, actor=world.inspector)
    _conclude(world, first)  # supported: still open until the decision
    with pytest.raises(ConflictingAction):
        _propose(world, nomination, actor=world.inspector)
    assert Revocation.objects.count() == 1


def test_a_proposal_the_council_does_not_support_closes_and_the_award_stays(world, conferred):
    nomination, _decision = conferred
    revocation = _conclude(world, _propose(world, nomination), votes_for=3, votes_against=5)
    assert revocation.status == Revocation.Status.NOT_SUPPORTED
    with pytest.raises(TransitionRefused, match="supports"):
        revocations.sign_revocation(revocation, actor=world.signer)
    assert ConferredAward.objects.get(nomination=nomination).revoked_at is None
    # Concluded, it no longer blocks a new proposal on new grounds.
    again = _propose(world, nomination, actor=world.inspector, ground=RevocationGround.DISCIPLINE)
    assert again.status == Revocation.Status.PROPOSED


def test_the_council_needs_a_quorum_and_its_threshold_is_exact(world, conferred):
    nomination, _decision = conferred
    revocation = _propose(world, nomination)
    with pytest.raises(QuorumNotMet):
        _conclude(world, revocation, members=9, present=5, votes_for=5, votes_against=0)
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.PROPOSED
    # 6 present, 50% of them: 3 pass.
    assert (
        _conclude(world, revocation, present=6, votes_for=3, votes_against=3).status
        == Revocation.Status.SUPPORTED
    )


@pytest.mark.parametrize(
    "counts",
    [
        {"present": 10},  # more present than members
        {"votes_for": 6, "votes_against": 3},  # more votes than present
        {"members": 0, "present": 0, "votes_for": 0, "votes_against": 0},
        {"members": 40_000, "present": 30_000},  # beyond any council (and the column)
    ],
)
def test_impossible_counts_are_refused(world, conferred, counts):
    nomination, _decision = conferred
    revocation = _propose(world, nomination)
    with pytest.raises(InvalidInput):
        _conclude(world, revocation, **counts)


def test_only_the_council_secretary_records_the_council_and_only_once(world, conferred):
    nomination, _decision = conferred
    revocation = _propose(world, nomination)
    with pytest.raises(NotAllowed):
        revocations.record_council_conclusion(
            revocation,
            actor=world.member,
            met_on=timezone.localdate(),
            members=9,
            present=8,
            votes_for=8,
            votes_against=0,
            votes_abstain=0,
        )
    _conclude(world, revocation)
    with pytest.raises(TransitionRefused, match="already recorded"):
        _conclude(world, revocation)


def test_only_the_head_of_agency_signs_the_revoking_decision(world, conferred):
    nomination, _decision = conferred
    revocation = _conclude(world, _propose(world, nomination))
    with pytest.raises(NotAllowed):
        revocations.sign_revocation(revocation, actor=world.secretary)
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.SUPPORTED
    assert ConferredAward.objects.get(nomination=nomination).revoked_at is None


def test_a_failure_while_deciding_leaves_no_decision_and_the_award_in_force(
    world, conferred, monkeypatch
):
    nomination, _decision = conferred
    revocation = _conclude(world, _propose(world, nomination))
    decisions = SignedDecision.objects.count()
    events = AuditEvent.objects.count()

    def _fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Revocation, "save", _fail)
    with pytest.raises(RuntimeError):
        revocations.sign_revocation(revocation, actor=world.signer)

    assert SignedDecision.objects.count() == decisions
    assert AuditEvent.objects.count() == events
    assert ConferredAward.objects.get(nomination=nomination).revoked_at is None
    monkeypatch.undo()
    assert Revocation.objects.get(pk=revocation.pk).status == Revocation.Status.SUPPORTED


def test_a_failing_audit_write_leaves_no_proposal(world, conferred, monkeypatch):
    nomination, _decision = conferred

    def _fail(*args, **kwargs):
        raise RuntimeError("chain unavailable")

    monkeypatch.setattr(revocations.audit, "append", _fail)
    with pytest.raises(RuntimeError):
        _propose(world, nomination)
    assert not Revocation.objects.exists()


def test_recovery_is_recorded_after_the_decision_by_the_secretary_and_edited(world, conferred):
    nomination, _decision = conferred
    revocation = _propose(world, nomination)
    with pytest.raises(TransitionRefused, match="once a decision"):
        revocations.record_recovery(revocation, actor=world.secretary, certificate_returned=False)
    revocations.sign_revocation(_conclude(world, revocation), actor=world.signer)
    with pytest.raises(NotAllowed):
        revocations.record_recovery(
            revocation, actor=world.unit_head, certificate_returned=False, amount_to_recover=1
        )
    today = timezone.localdate()
    revocations.record_recovery(
        revocation, actor=world.secretary, certificate_returned=False, amount_to_recover=3_000_000
    )
    revocations.record_recovery(
        revocation,
        actor=world.secretary,
        certificate_returned=False,
        amount_to_recover=3_000_000,
        amount_recovered=3_000_000,
        recovered_on=today,
    )
    # The same values again: nothing changes, nothing is recorded.
    revocations.record_recovery(
        revocation,
        actor=world.secretary,
        certificate_returned=False,
        amount_to_recover=3_000_000,
        amount_recovered=3_000_000,
        recovered_on=today,
    )
    recorded = AuditEvent.objects.filter(action=Event.RECOVERY_RECORDED).order_by("seq")
    assert [e.data["changes"] for e in recorded] == [
        {"amount_to_recover": [0, 3_000_000]},
        {"amount_recovered": [0, 3_000_000], "recovered_on": [None, today.isoformat()]},
    ]
    assert Revocation.objects.get(pk=revocation.pk).outstanding == 0


@pytest.mark.parametrize(
    "values",
    [
        {"certificate_returned": True},  # no date
        {"certificate_returned": False, "certificate_returned_on": "today"},
        {"certificate_returned": False, "amount_to_recover": 100, "amount_recovered": 200},
        {"certificate_returned": False, "amount_to_recover": 100, "amount_recovered": 50},
        {"certificate_returned": True, "certificate_returned_on": "tomorrow"},
        {"certificate_returned": True, "certificate_returned_on": "last year"},
        {"certificate_returned": False, "amount_to_recover": 10**19},  # beyond the column
    ],
)
def test_recovery_that_does_not_add_up_is_refused(world, conferred, values):
    nomination, _decision = conferred
    revocation, _correction = _revoked(world, nomination)
    days = {
        "today": timezone.localdate(),
        "tomorrow": timezone.localdate() + datetime.timedelta(days=1),
        "last year": timezone.localdate() - datetime.timedelta(days=365),
    }
    values = {k: days.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    with pytest.raises(InvalidInput):
        revocations.record_recovery(revocation, actor=world.secretary, **values)
    assert not AuditEvent.objects.filter(action=Event.RECOVERY_RECORDED).exists()
