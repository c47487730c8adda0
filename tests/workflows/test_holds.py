"""Holds (Decree 152/2025, Art. 4): a disciplinary measure, an investigation, an inspection or a
complaint holds a nomination, not rejects it, until resolved. Placing a hold and lifting it
return the nomination exactly where it was; nobody acts on it meanwhile; the council does not
vote a held nomination into a decision and the decision does not confer it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from approvals import outcomes
from approvals import services as council
from approvals.models import AgendaItem, CouncilSession, Tally
from audit.events import Event
from audit.models import AuditEvent
from nominations import policy
from nominations import services as dossier
from nominations.exceptions import ConflictingAction, InvalidInput, NotAllowed, TransitionRefused
from nominations.models import Hold, HoldKind, Nomination, StageDecision
from nominations.stages import Status
from tests.conftest import reviewer_for
from tests.factories import AwardTypeFactory, person
from workflows import services
from workflows.models import NominationTask
from workflows.selectors import waiting_for

# How each holdable status is reached (full route unless noted).
WALKS = {
    Status.UNIT_REVIEW: ["submit"],
    Status.PARTY_COMMITTEE_REVIEW: ["submit", "approve"],
    Status.LEADERSHIP_REVIEW: ["submit", "approve", "approve"],
    Status.COUNCIL_REVIEW: ["submit", "approve", "approve", "approve"],
    Status.RETURNED: ["submit", "approve", "return_for_revision"],
    Status.APPROVED: ["submit", "approve", "approve"],  # on the short route
    Status.COUNCIL_APPROVED: ["submit", "approve", "approve", "approve", "council_approve"],
}
REASON = "Đơn tố cáo về việc kê khai thành tích, đang được xác minh."
RESOLUTION = "Thanh tra đã kết luận: đơn tố cáo không có cơ sở."


@pytest.fixture
def at(world, walk):
    """at(status): a nomination of the world's proposer walked to `status`."""

    made = []

    def _at(status, *, award_type=None):
        # One achievement, one award: a second nomination names a colleague of the first nominee.
        nominee = world.staff if not made else person(world.unit)
        made.append(nominee)
        draft = dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=award_type or (world.short if status == Status.APPROVED else world.full),
            proposing_unit=world.unit,
            nominee_person=nominee,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        )
        return walk(draft, *WALKS[status])

    return _at


def _holder(world, status):
    """Who the nomination waits on at `status`, who may hold it there (not its proposer, who
    proposed it: the council secretary holds it at the unit's revision)."""
    if status == Status.RETURNED:
        return world.secretary
    return {
        Status.UNIT_REVIEW: world.unit_head,
        Status.PARTY_COMMITTEE_REVIEW: world.party_reviewer,
        Status.LEADERSHIP_REVIEW: world.leader,
        Status.COUNCIL_REVIEW: world.secretary,
        Status.APPROVED: world.signer,
        Status.COUNCIL_APPROVED: world.signer,
    }[status]


def _hold(n, actor, **kwargs):
    return services.place_hold(
        n, actor=actor, kind=kwargs.pop("kind", HoldKind.COMPLAINT), reason=REASON, **kwargs
    )


def _open_task(n):
    return NominationTask.objects.open_for(n)


def _fresh(n) -> Nomination:
    return Nomination.objects.get(pk=n.pk)


def _footprint(n):
    fresh = _fresh(n)
    return (
        fresh.status,
        fresh.version,
        StageDecision.objects.filter(nomination=n).count(),
        AuditEvent.objects.filter(nomination_id=n.pk).count(),
        list(Hold.objects.filter(nomination=n).values_list("pk", "lifted_at")),
        list(NominationTask.objects.filter(nomination=n).values_list("pk", "owner_id", "status")),
    )


# --- placing and lifting return the nomination exactly where it was ------------------------


@pytest.mark.parametrize("status", list(WALKS), ids=lambda s: s.value)
def test_placing_and_lifting_a_hold_returns_the_nomination_exactly_where_it_was(world, at, status):
    n = at(status)
    actor = _holder(world, status)
    task = _open_task(n)
    tasks_before = NominationTask.objects.filter(nomination=n).count()

    hold = _hold(n, actor)

    held = _fresh(n)
    assert held.status == Status.ON_HOLD
    assert hold.held_status == status and hold.placed_by == actor and hold.is_open
    assert _open_task(held).pk == task.pk  # the task stays open: not completed, none new
    assert held.waiting_on() == n.waiting_on()  # it waits where it was held

    services.lift_hold(held, actor=actor, resolution=RESOLUTION)

    lifted = _fresh(n)
    assert lifted.status == status
    assert _open_task(lifted).pk == task.pk
    assert _open_task(lifted).owner_id == task.owner_id
    assert NominationTask.objects.filter(nomination=n).count() == tasks_before
    assert Hold.objects.get(pk=hold.pk).lifted_by == actor


def test_a_task_taken_before_the_hold_is_still_its_owners_after_the_lift(world, at):
    n = at(Status.PARTY_COMMITTEE_REVIEW)
    task = services.take_task(_open_task(n), actor=world.party_reviewer)

    hold = services.place_hold(
        _fresh(n), actor=world.secretary, kind=HoldKind.INVESTIGATION, reason=REASON
    )
    services.lift_hold(hold.nomination, actor=world.secretary, resolution=RESOLUTION)

    after = _open_task(n)
    assert (after.pk, after.owner_id) == (task.pk, world.party_reviewer.pk)
    # ...and its owner decides, as if nothing had happened.
    done = services.approve(_fresh(n), actor=world.party_reviewer)
    assert done.status == Status.LEADERSHIP_REVIEW


def test_a_hold_and_its_lifting_are_stage_decisions_and_audit_events(world, at):
    n = at(Status.LEADERSHIP_REVIEW)
    expected_end = datetime.date.today() + datetime.timedelta(days=30)

    hold = _hold(n, world.leader, kind=HoldKind.DISCIPLINE, expected_end=expected_end)
    services.lift_hold(hold.nomination, actor=world.leader, resolution=RESOLUTION)

    held, lifted = StageDecision.objects.filter(nomination=n).order_by("id")[3:]
    assert (held.outcome, held.from_status, held.to_status) == (
        StageDecision.Outcome.HELD,
        Status.LEADERSHIP_REVIEW,
        Status.ON_HOLD,
    )
    assert (held.actor, held.reasons, held.stage) == (world.leader, REASON, "leadership_review")
    assert (lifted.outcome, lifted.from_status, lifted.to_status) == (
        StageDecision.Outcome.HOLD_LIFTED,
        Status.ON_HOLD,
        Status.LEADERSHIP_REVIEW,
    )
    assert (lifted.reasons, lifted.stage) == (RESOLUTION, "leadership_review")
    placed_event, lifted_event = list(AuditEvent.objects.filter(nomination_id=n.pk))[-2:]
    assert placed_event.action == Event.HOLD_PLACED
    assert (placed_event.from_state, placed_event.to_state) == ("leadership_review", "on_hold")
    assert placed_event.comment == REASON
    assert placed_event.data["hold_kind"] == HoldKind.DISCIPLINE
    assert placed_event.data["expected_end"] == expected_end.isoformat()
    assert placed_event.data["hold"] == hold.pk
    assert lifted_event.action == Event.HOLD_LIFTED
    assert (lifted_event.from_state, lifted_event.to_state) == ("on_hold", "leadership_review")
    assert lifted_event.comment == RESOLUTION
    assert lifted_event.data["hold_kind"] == HoldKind.DISCIPLINE
    # Holding is not judging: the reviewer who held it still judges it at the same stage.
    assert held.outcome not in StageDecision.JUDGING


def test_the_council_secretary_may_hold_at_any_stage_and_an_inspector_never(world, at):
    n = at(Status.UNIT_REVIEW)
    assert policy.may(world.secretary, "hold", n)
    assert not policy.may(world.inspector, "hold", n)
    assert not policy.may(world.admin, "hold", n)
    assert not policy.may(world.party_reviewer, "hold", n)  # not its stage
    assert not policy.may(world.proposer, "hold", n)


def test_a_reviewer_who_judged_at_the_same_stage_before_may_still_lift_the_hold(world, at, walk):
    # Returned by the party committee, revised, back at its review, then held there.
    n = walk(at(Status.RETURNED), "resubmit", "approve")
    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    hold = _hold(n, world.party_reviewer)

    services.lift_hold(hold.nomination, actor=world.party_reviewer, resolution=RESOLUTION)

    assert _fresh(n).status == Status.PARTY_COMMITTEE_REVIEW


# --- refusals ------------------------------------------------------------------------------


def test_a_hold_without_a_reason_is_refused_and_writes_nothing(world, at):
    n = at(Status.UNIT_REVIEW)
    before = _footprint(n)
    with pytest.raises(InvalidInput, match="Say why"):
        services.place_hold(n, actor=world.unit_head, kind=HoldKind.COMPLAINT, reason="   ")
    with pytest.raises(InvalidInput):
        services.place_hold(n, actor=world.unit_head, kind="gossip", reason=REASON)
    assert _footprint(n) == before


def test_lifting_without_saying_how_it_was_resolved_is_refused(world, at):
    hold = _hold(at(Status.UNIT_REVIEW), world.unit_head)
    before = _footprint(hold.nomination)
    with pytest.raises(InvalidInput, match="resolved"):
        services.lift_hold(hold.nomination, actor=world.unit_head, resolution="")
    assert _footprint(hold.nomination) == before


@pytest.mark.parametrize("who", ["party_reviewer", "inspector", "admin", "staff", "member"])
def test_someone_without_the_authority_cannot_hold_or_lift(world, at, who):
    n = at(Status.UNIT_REVIEW)
    with pytest.raises(NotAllowed):
        _hold(n, getattr(world, who))
    hold = _hold(n, world.unit_head)
    before = _footprint(n)
    with pytest.raises(NotAllowed):
        services.lift_hold(hold.nomination, actor=getattr(world, who), resolution=RESOLUTION)
    assert _footprint(n) == before


def test_the_nominee_cannot_lift_the_hold_on_their_own_nomination(world, at):
    n = at(Status.COUNCIL_REVIEW)
    hold = _hold(n, world.secretary)
    with pytest.raises(NotAllowed):
        policy.authorize(world.staff, "lift_hold", hold.nomination)


def test_a_hold_from_an_out_of_date_page_is_refused(world, at, walk):
    seen = at(Status.UNIT_REVIEW)
    walk(_fresh(seen), "approve")  # the unit head approved meanwhile
    moved = _fresh(seen)
    with pytest.raises(ConflictingAction):
        _hold(seen, world.secretary)
    assert _footprint(seen) == _footprint(moved)


def test_a_second_hold_while_held_is_refused(world, at):
    hold = _hold(at(Status.UNIT_REVIEW), world.unit_head)
    with pytest.raises(TransitionRefused, match="On hold"):
        _hold(hold.nomination, world.secretary)
    assert Hold.objects.filter(nomination=hold.nomination).count() == 1


def test_lifting_a_hold_of_a_nomination_not_held_is_refused(world, at):
    n = at(Status.UNIT_REVIEW)
    with pytest.raises(TransitionRefused, match="Unit head confirmation"):
        services.lift_hold(n, actor=world.unit_head, resolution=RESOLUTION)


def test_the_database_keeps_at_most_one_open_hold_per_nomination(world, at):
    hold = _hold(at(Status.UNIT_REVIEW), world.unit_head)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hold.objects.create(
            nomination=hold.nomination,
            kind=HoldKind.INSPECTION,
            reason=REASON,
            held_status=Status.UNIT_REVIEW,
            placed_by=world.secretary,
        )


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.UNIT_REVIEW, "approve"),
        (Status.PARTY_COMMITTEE_REVIEW, "return_for_revision"),
        (Status.LEADERSHIP_REVIEW, "reject"),
    ],
)
def test_a_held_nomination_cannot_be_decided_by_its_reviewer(world, at, status, action):
    n = at(status)
    hold = _hold(n, reviewer_for(world, n))
    before = _footprint(n)
    act = getattr(services, action)
    kwargs = {"reasons": "Lý do."} if action != "approve" else {}
    with pytest.raises(TransitionRefused, match="On hold"):
        act(hold.nomination, actor=reviewer_for(world, n), **kwargs)
    assert _footprint(n) == before


def test_the_task_of_a_held_nomination_cannot_be_taken(world, at):
    n = at(Status.PARTY_COMMITTEE_REVIEW)
    _hold(n, world.party_reviewer)
    before = _footprint(n)
    with pytest.raises(TransitionRefused, match="on hold"):
        services.take_task(_open_task(n), actor=world.party_reviewer)
    with pytest.raises(NotAllowed):  # nor by someone who could not take it anyway
        services.take_task(_open_task(n), actor=world.leader)
    assert _footprint(n) == before


def test_the_unit_may_withdraw_a_nomination_held_at_a_review_stage(world, at):
    hold = _hold(at(Status.PARTY_COMMITTEE_REVIEW), world.party_reviewer)

    done = services.withdraw(hold.nomination, actor=world.proposer, reasons="Rút hồ sơ.")

    assert done.status == Status.WITHDRAWN
    assert _open_task(done) is None


def test_the_unit_may_not_withdraw_a_nomination_held_after_the_councils_approval(world, at):
    hold = _hold(at(Status.COUNCIL_APPROVED), world.signer)
    with pytest.raises(TransitionRefused) as refused:
        services.withdraw(hold.nomination, actor=world.proposer)
    assert "Approved by the council" in " ".join(map(str, refused.value.reasons))
    assert _fresh(hold.nomination).status == Status.ON_HOLD


def test_a_nomination_held_awaiting_the_decision_can_only_have_its_hold_lifted(world, at):
    hold = _hold(at(Status.APPROVED), world.signer)
    n = _fresh(hold.nomination)
    assert not n.can("withdraw")
    assert n.can("lift_hold")
    assert not n.can("hold") and not n.can("confer") and not n.can("approve")


# --- the council and the decision ----------------------------------------------------------


def test_a_nomination_held_before_the_session_opens_is_deferred_from_its_agenda(
    world, members, at_council, plan
):
    held = at_council()
    other = at_council()
    session = plan()
    _hold(held, world.secretary)

    session = council.open_session(session, actor=world.secretary, present=[m.pk for m in members])

    item = session.items.get(nomination=held)
    assert item.status == AgendaItem.Status.DEFERRED
    assert "On hold (Complaint or denunciation)" in item.deferral_reasons
    assert session.items.get(nomination=other).status == AgendaItem.Status.PENDING
    deferred = AuditEvent.objects.get(action=Event.ITEM_DEFERRED, nomination_id=held.pk)
    assert deferred.comment == item.deferral_reasons


def test_a_nomination_held_while_voting_is_open_gets_no_vote_and_is_deferred_at_the_close(
    world, members, at_council, opened, vote
):
    held = at_council()
    other = at_council()
    session = opened()
    held_item = session.items.get(nomination=held)
    vote(held_item, {members[0]: "approve"})  # voted before the hold: not counted
    _hold(held, world.secretary, kind=HoldKind.INVESTIGATION)

    with pytest.raises(TransitionRefused, match="on hold"):
        council.cast_ballot(held_item, actor=members[1], choice="approve")
    with pytest.raises(TransitionRefused, match="on hold"):
        council.record_written_opinion(
            held_item, actor=world.secretary, member=members[2], choice="approve"
        )
    vote(session.items.get(nomination=other), {m: "approve" for m in members})

    closed = outcomes.close_voting(session, actor=world.secretary)

    assert closed.status == CouncilSession.Status.CLOSED
    held_item.refresh_from_db()
    assert held_item.status == AgendaItem.Status.DEFERRED
    assert "On hold (Investigation)" in held_item.deferral_reasons
    assert not Tally.objects.filter(item=held_item).exists()
    minutes = {i["nomination"]: i for i in closed.minutes["items"]}
    assert minutes[held.pk]["outcome"] == "deferred"
    assert minutes[held.pk]["reasons"] == held_item.deferral_reasons
    assert minutes[other.pk]["outcome"] == "approved"
    assert _fresh(held).status == Status.ON_HOLD
    assert _fresh(other).status == Status.COUNCIL_APPROVED


def test_once_lifted_a_deferred_held_nomination_goes_on_a_later_sessions_agenda(
    world, members, at_council, opened, plan, vote
):
    held = at_council()
    at_council()
    session = opened()
    hold = _hold(held, world.secretary)
    outcomes.close_voting(session, actor=world.secretary)
    services.lift_hold(_fresh(hold.nomination), actor=world.secretary, resolution=RESOLUTION)

    later = plan()

    assert _fresh(held).status == Status.COUNCIL_REVIEW
    assert later.items.filter(nomination=held, status=AgendaItem.Status.PENDING).exists()


def test_a_held_nomination_awaiting_the_decision_is_listed_with_why_and_cannot_be_signed(world, at):
    ready = at(Status.APPROVED)
    held = at(Status.APPROVED)
    _hold(held, world.signer, kind=HoldKind.DISCIPLINE)

    listed = dict(outcomes.awaiting_signature(world.agency))
    assert listed[_fresh(ready)] is None
    assert "on hold (Disciplinary review)" in listed[_fresh(held)]

    with pytest.raises(TransitionRefused) as refused:
        outcomes.sign_decision(
            actor=world.signer,
            agency=world.agency,
            nominations=[_fresh(ready), _fresh(held)],
            title="Quyết định khen thưởng",
        )
    assert any("on hold" in str(r) for r in refused.value.reasons)
    assert _fresh(ready).status == Status.APPROVED  # all or nothing
    assert _fresh(held).status == Status.ON_HOLD


def test_a_held_nomination_on_public_notice_takes_no_objection(world, at):
    hold = _hold(at(Status.COUNCIL_APPROVED), world.signer)
    with pytest.raises(TransitionRefused):
        council.file_objection(hold.nomination, actor=world.staff, reasons="Phản ánh.")


# --- the inbox -----------------------------------------------------------------------------


def test_held_work_stays_in_the_inbox_of_whoever_it_waits_on_marked_with_its_kind(world, at, walk):
    # The party committee returned it once, so it judged it at this very stage before: no
    # conflict, held or not.
    n = walk(at(Status.RETURNED), "resubmit", "approve")
    _hold(n, world.party_reviewer, kind=HoldKind.INSPECTION)

    [task] = waiting_for(world.party_reviewer).filter(nomination=n)

    assert task.hold_kind == HoldKind.INSPECTION
    assert not waiting_for(world.leader).filter(nomination=n).exists()


def test_a_unit_head_still_sees_their_units_nomination_held_at_their_confirmation(world, at):
    own_unit_only = AwardTypeFactory(code="outsiders", reviewers_from_other_units_only=True)
    world.unit_head.profile.unit = world.unit
    world.unit_head.profile.save()
    n = at(Status.UNIT_REVIEW, award_type=own_unit_only)
    assert waiting_for(world.unit_head).filter(nomination=n).exists()

    _hold(n, world.unit_head)

    [task] = waiting_for(world.unit_head).filter(nomination=n)
    assert task.hold_kind == HoldKind.COMPLAINT
    services.lift_hold(_fresh(n), actor=world.unit_head, resolution=RESOLUTION)
