"""Closing the vote: each item is tallied against its award type's rule and moves, with its
tally, decision record, audit event and tasks, to council approved or not approved; the minutes
are kept; closing twice changes nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from approvals import outcomes
from approvals import services as council_services
from approvals.models import AgendaItem, CouncilSession, Tally
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import NotAllowed, TransitionRefused
from nominations.models import RoleAssignment, StageDecision
from nominations.roles import Role
from nominations.stages import Status
from workflows.models import NominationTask


def _status(nomination):
    nomination.refresh_from_db()
    return nomination.status


def _run(world, members, at_council, opened, vote, award_type, ballots, present=None):
    """One nomination of `award_type` through a session where `ballots` are cast."""
    nomination = at_council(award_type)
    session = opened(present=present)
    item = AgendaItem.objects.get(session=session, nomination=nomination)
    vote(item, ballots)
    outcomes.close_voting(session, actor=world.secretary)
    return nomination, item


@pytest.mark.parametrize(
    ("approvals", "status"),
    [
        (6, Status.COUNCIL_REJECTED),
        (7, Status.COUNCIL_APPROVED),
        (8, Status.COUNCIL_APPROVED),
    ],
)
def test_seventy_percent_of_all_ten_members_is_seven_approvals(
    world, members, at_council, opened, vote, award, approvals, status
):
    rule = award(vote_threshold_percent=Decimal("70"), vote_base="members", secret_ballot=True)
    ballots = {m: "approve" if i < approvals else "disapprove" for i, m in enumerate(members)}

    nomination, item = _run(world, members, at_council, opened, vote, rule, ballots)

    assert _status(nomination) == status
    assert (item.tally.approve, item.tally.base) == (approvals, 10)


@pytest.mark.parametrize(
    ("approvals", "status"),
    [
        (5, Status.COUNCIL_REJECTED),
        (6, Status.COUNCIL_APPROVED),
        (7, Status.COUNCIL_APPROVED),
    ],
)
def test_seventy_five_percent_of_eight_present_is_six_approvals(
    world, members, at_council, opened, vote, award, approvals, status
):
    rule = award(vote_threshold_percent=Decimal("75"), vote_base="present")
    present = members[:8]
    ballots = {m: "approve" if i < approvals else "disapprove" for i, m in enumerate(present)}

    nomination, item = _run(world, members, at_council, opened, vote, rule, ballots, present)

    assert _status(nomination) == status
    assert item.tally.base == 8


def test_over_all_members_the_absent_count_against(world, members, at_council, opened, vote, award):
    rule = award(vote_threshold_percent=Decimal("70"), vote_base="members")
    present = members[:7]
    ballots = {m: "approve" for m in present[:6]} | {present[6]: "abstain"}

    nomination, item = _run(world, members, at_council, opened, vote, rule, ballots, present)

    assert _status(nomination) == Status.COUNCIL_REJECTED  # 6 of 10, under 70%
    assert (item.tally.present, item.tally.abstain, item.tally.base) == (7, 1, 10)


def test_abstentions_and_silence_count_as_not_approving(
    world, members, at_council, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("50"), vote_base="present")
    ballots = {m: "approve" for m in members[:4]} | {m: "abstain" for m in members[4:7]}

    nomination, item = _run(world, members, at_council, opened, vote, rule, ballots)

    assert _status(nomination) == Status.COUNCIL_REJECTED  # 4 of 10 present
    item_tally = item.tally
    assert (item_tally.approve, item_tally.abstain, item_tally.not_voted, item_tally.base) == (
        4,
        3,
        3,
        10,
    )


def test_a_recusal_changes_the_base_and_the_outcome(
    world, members, at_council, opened, vote, award
):
    # With 10 members and 70% of all members, 6 approvals fail; with one member recused the
    # base is 9 and 7 are still needed; with two recused, 6 of 8 is 75% and passes.
    rule = award(vote_threshold_percent=Decimal("70"), vote_base="members")
    for member in members[8:]:
        RoleAssignment.objects.create(user=member, role=Role.UNIT_PROPOSER, unit=world.unit)
        member.profile.unit = world.unit
        member.profile.save()
    nomination = at_council(rule, proposer=members[8])
    # members[9] proposed nothing here but works in the proposing unit: not recused.
    session = opened()
    item = AgendaItem.objects.get(session=session, nomination=nomination)
    vote(item, {m: "approve" for m in members[:6]})
    with pytest.raises(NotAllowed):
        council_services.cast_ballot(item, actor=members[8], choice="approve")

    outcomes.close_voting(session, actor=world.secretary)

    item_tally = Tally.objects.get(item=item)
    assert (item_tally.recused, item_tally.base, item_tally.approve) == (1, 9, 6)
    assert _status(nomination) == Status.COUNCIL_REJECTED  # 6 of 9 = 66.7%


def test_a_recused_nominee_leaves_the_base_so_the_others_can_pass_it(
    world, members, at_council, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("75"), vote_base="present")
    nominee = members[9]
    nominee.profile.unit = world.unit
    nominee.profile.save()
    nomination = at_council(rule, nominee=nominee)
    session = opened(present=members[1:])  # 9 present, the nominee among them
    item = AgendaItem.objects.get(session=session, nomination=nomination)
    vote(item, {m: "approve" for m in members[1:7]} | {members[7]: "disapprove"})
    vote(item, {members[8]: "disapprove"})

    outcomes.close_voting(session, actor=world.secretary)

    # 6 of 8 non-recused present = 75%: passes (it would be 6 of 9 = 66.7% without recusal).
    assert item.tally.base == 8 and item.tally.recused == 1
    assert _status(nomination) == Status.COUNCIL_APPROVED


def test_an_absent_members_written_opinion_is_counted_and_recorded_as_such(
    world, members, at_council, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("70"), vote_base="members", secret_ballot=True)
    nomination = at_council(rule)
    session = opened(present=members[:8])
    item = session.items.get()
    vote(item, {m: "approve" for m in members[:6]} | {m: "disapprove" for m in members[6:8]})
    council_services.record_written_opinion(
        item, actor=world.secretary, member=members[8], choice="approve"
    )

    session = outcomes.close_voting(session, actor=world.secretary)

    # 6 in person + 1 in writing = 7 of 10 members: exactly 70%.
    assert _status(nomination) == Status.COUNCIL_APPROVED
    assert (item.tally.approve, item.tally.written, item.tally.not_voted) == (7, 1, 0)
    assert session.minutes["items"][0]["written"] == 1
    assert session.minutes["quorum"]["present"] == 8


def test_the_outcome_comes_with_its_decision_record_audit_event_and_next_task(
    world, members, at_council, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("50"), vote_base="present")
    nomination, item = _run(
        world, members, at_council, opened, vote, rule, {m: "approve" for m in members}
    )

    decision = StageDecision.objects.filter(nomination=nomination).latest("id")
    assert decision.outcome == StageDecision.Outcome.COUNCIL_APPROVED
    assert decision.actor == world.secretary
    assert "10 approve" in decision.reasons
    event = AuditEvent.objects.get(nomination_id=nomination.pk, action=Event.COUNCIL_APPROVED)
    assert event.data["tally"] == item.tally.pk
    tasks = NominationTask.objects.filter(nomination=nomination).order_by("id")
    assert [(t.flow_task.name, t.status) for t in tasks][-2:] == [
        ("council", STATUS.DONE),
        ("sign", STATUS.NEW),
    ]


def test_a_rejected_item_ends_the_nominations_journey(
    world, members, at_council, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("50"))
    nomination, _ = _run(
        world, members, at_council, opened, vote, rule, {m: "disapprove" for m in members}
    )
    assert _status(nomination) == Status.COUNCIL_REJECTED
    assert not NominationTask.objects.filter(
        nomination=nomination, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    ).exists()


def test_closing_twice_is_harmless(world, members, at_council, opened, vote):
    nomination = at_council()
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members})
    outcomes.close_voting(session, actor=world.secretary)
    footprint = (
        AuditEvent.objects.count(),
        StageDecision.objects.count(),
        Tally.objects.count(),
        _status(nomination),
    )

    again = outcomes.close_voting(session, actor=world.secretary)

    assert again.status == CouncilSession.Status.CLOSED
    after = (
        AuditEvent.objects.count(),
        StageDecision.objects.count(),
        Tally.objects.count(),
        _status(nomination),
    )
    assert after == footprint


def test_voting_closes_only_once_opened(world, members, at_council, plan):
    at_council()
    with pytest.raises(TransitionRefused, match="not been opened"):
        outcomes.close_voting(plan(), actor=world.secretary)


def test_only_the_sessions_secretary_closes_it(world, members, at_council, opened):
    at_council()
    with pytest.raises(NotAllowed):
        outcomes.close_voting(opened(), actor=members[0])


def test_after_closing_nobody_votes(world, members, at_council, opened):
    at_council()
    session = opened()
    outcomes.close_voting(session, actor=world.secretary)
    with pytest.raises(TransitionRefused, match="not open"):
        council_services.cast_ballot(session.items.get(), actor=members[0], choice="approve")


def test_the_minutes_record_attendance_quorum_counts_and_outcomes(
    world, members, at_council, opened, vote, award
):
    secret = award(vote_threshold_percent=Decimal("70"), vote_base="members", secret_ballot=True)
    passed, failed, deferred = at_council(secret), at_council(secret), at_council(secret)
    session = opened(present=members[:8])
    items = {i.nomination_id: i for i in session.items.all()}
    vote(items[passed.pk], {m: "approve" for m in members[:7]})
    vote(items[failed.pk], {m: "approve" for m in members[:6]} | {members[6]: "abstain"})
    council_services.defer_item(items[deferred.pk], actor=world.secretary, reasons="Cần làm rõ.")

    session = outcomes.close_voting(session, actor=world.secretary)

    minutes = session.minutes
    assert minutes["quorum"] == {
        "members": 10,
        "present": 8,
        "needed": 7,
        "rule": "2/3",
        "met": True,
    }
    assert sum(a["present"] for a in minutes["attendance"]) == 8
    by_ref = {i["reference"]: i for i in minutes["items"]}
    assert by_ref[passed.reference]["outcome"] == "approved"
    assert by_ref[passed.reference]["approve"] == 7
    assert by_ref[passed.reference]["needed"] == 7
    assert by_ref[failed.reference]["outcome"] == "rejected"
    assert (by_ref[failed.reference]["abstain"], by_ref[failed.reference]["not_voted"]) == (1, 1)
    assert by_ref[deferred.reference]["outcome"] == "deferred"
    assert _status(deferred) == Status.COUNCIL_REVIEW
    closed = AuditEvent.objects.get(action=Event.VOTING_CLOSED)
    assert closed.data["minutes"] == minutes


def test_a_nomination_withdrawn_while_voting_is_open_is_not_decided(
    world, members, at_council, opened, vote, walk
):
    nomination = at_council()
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members})
    walk(nomination, "withdraw")

    outcomes.close_voting(session, actor=world.secretary)

    assert _status(nomination) == Status.WITHDRAWN
    assert session.items.get().status == AgendaItem.Status.WITHDRAWN
    assert not Tally.objects.exists()


def test_a_failure_halfway_through_closing_leaves_everything_as_it_was(
    world, members, at_council, opened, vote, monkeypatch
):
    first, second = at_council(), at_council()
    session = opened()
    for item in session.items.all():
        vote(item, {m: "approve" for m in members})
    real = outcomes.transitions.record_council_outcomes

    def fail_after_the_outcomes(batch, **kwargs):
        # The transitions, decision records and tasks are written; the events are not yet.
        real(batch, **kwargs)
        raise RuntimeError("database went away")

    monkeypatch.setattr(outcomes.transitions, "record_council_outcomes", fail_after_the_outcomes)
    events = AuditEvent.objects.count()

    with pytest.raises(RuntimeError):
        outcomes.close_voting(session, actor=world.secretary)

    assert (_status(first), _status(second)) == (Status.COUNCIL_REVIEW, Status.COUNCIL_REVIEW)
    assert not Tally.objects.exists()
    assert AuditEvent.objects.count() == events
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.OPEN


def _closing_queries(world, members, at_council, opened, vote, awards):
    """Queries of closing a session whose agenda is one nomination per award type given, each
    voted on by every member."""
    for award_type in awards:
        at_council(award_type)
    session = opened()
    for item in session.items.all():
        vote(item, dict.fromkeys(members, "approve"))
    with CaptureQueriesContext(connection) as queries:
        outcomes.close_voting(session, actor=world.secretary)
    assert session.items.filter(status=AgendaItem.Status.DECIDED).count() == len(awards)
    return len(queries)


def test_closing_costs_the_same_statements_for_two_items_or_twelve(
    world, members, at_council, opened, vote, award
):
    """The agenda is closed as a whole: its nominations locked together, its ballots read in
    one aggregate, its tallies, decision records, tasks and events written in bulk — no
    statement per item, so a long agenda closes as fast as a short one."""
    open_award = award(public_notice_days=5)
    secret_award = award(public_notice_days=5, secret_ballot=True)
    two = _closing_queries(world, members, at_council, opened, vote, [open_award, secret_award])
    twelve = _closing_queries(
        world, members, at_council, opened, vote, [open_award, secret_award] * 6
    )
    assert twelve == two, (two, twelve)
