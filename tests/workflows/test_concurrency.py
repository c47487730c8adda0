"""Two people acting on the same nomination at once: exactly one wins, the other gets a clear
conflict, and the trail shows one action, not two.

Each racer is a thread with its own database connection, so these need committed data
(`transactional_db`) and real row locks (PostgreSQL). Both racers load the nomination before
either acts (a barrier), and the winner is slowed down while it holds the row, so the loser
really arrives while the winner's transaction is open.
"""

import threading
import time

import pytest
from django.db import connection
from viewflow.workflow.status import STATUS

from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import ConflictingAction, NotAllowed
from nominations.models import Hold, Nomination, StageDecision
from nominations.roles import Role
from nominations.stages import Stage, Status
from tests.factories import person
from workflows import services
from workflows.models import NominationTask

pytestmark = pytest.mark.postgres

# How long the winner holds the nomination's row before committing.
HOLD_SECONDS = 0.5


@pytest.fixture
def committed_world(transactional_db, world):
    """The shared world, committed (`transactional_db` takes precedence over `db`) so that
    other connections see it; the tables are flushed after the test."""
    return world


@pytest.fixture
def second_head(committed_world):
    return person(committed_world.unit, Role.UNIT_HEAD, username="head2")


@pytest.fixture
def submitted(committed_world, draft):
    return services.submit(draft, actor=committed_world.proposer)


@pytest.fixture
def slow_winner(monkeypatch):
    """Whoever gets the row lock holds it a while (inside its transaction) before going on."""
    real = services._fire

    def slow(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_fire", slow)


open_for = NominationTask.objects.open_for


def race(pk: int, *acts):
    """Run each act(nomination) in its own thread and connection, all starting together once
    every thread has loaded the nomination. Returns each act's result or exception."""
    barrier = threading.Barrier(len(acts))
    results: list = [None] * len(acts)

    def run(i, act):
        try:
            nomination = Nomination.objects.get(pk=pk)
            barrier.wait(timeout=10)
            results[i] = act(nomination)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, act)) for i, act in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    return results


def _winner_and_loser(results):
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1, results
    assert len(lost) == 1, results
    return won[0], lost[0]


def _status(pk) -> str:
    return Nomination.objects.values_list("status", flat=True).get(pk=pk)


def _decisions_after_submission(pk):
    return list(
        StageDecision.objects.filter(nomination_id=pk)
        .exclude(outcome=StageDecision.Outcome.SUBMITTED)
        .values_list("outcome", flat=True)
    )


def _transition_events_after_submission(pk):
    return list(
        AuditEvent.objects.filter(nomination_id=pk, action__startswith="nomination.")
        .exclude(action__in=[Event.NOMINATION_CREATED, Event.SUBMITTED])
        .values_list("action", flat=True)
    )


# --- approve against approve -----------------------------------------------------------------


@pytest.fixture
def double_approval(committed_world, second_head, submitted, slow_winner):
    return race(
        submitted.pk,
        lambda n: services.approve(n, actor=committed_world.unit_head),
        lambda n: services.approve(n, actor=second_head),
    )


def test_two_approvals_at_once_one_wins_and_the_other_gets_a_conflict(double_approval):
    won, lost = _winner_and_loser(double_approval)

    assert won.status == Status.PARTY_COMMITTEE_REVIEW
    assert isinstance(lost, ConflictingAction)
    assert str(Status.PARTY_COMMITTEE_REVIEW.label) in lost.message


def test_two_approvals_at_once_move_the_nomination_exactly_one_stage(double_approval, submitted):
    assert _status(submitted.pk) == Status.PARTY_COMMITTEE_REVIEW


def test_two_approvals_at_once_leave_one_decision(double_approval, submitted):
    assert _decisions_after_submission(submitted.pk) == [StageDecision.Outcome.APPROVED]


def test_two_approvals_at_once_leave_one_audit_event(double_approval, submitted):
    assert _transition_events_after_submission(submitted.pk) == [Event.APPROVED]


def test_two_approvals_at_once_complete_the_task_once_and_open_one_next(double_approval, submitted):
    tasks = NominationTask.objects.filter(nomination_id=submitted.pk).order_by("id")

    assert [(t.stage, t.status) for t in tasks] == [
        (Stage.UNIT_REVIEW, STATUS.DONE),
        (Stage.PARTY_COMMITTEE_REVIEW, STATUS.NEW),
    ]


def test_the_decision_of_two_approvals_at_once_is_the_winners(
    double_approval, submitted, committed_world, second_head
):
    _winner_and_loser(double_approval)
    decision = StageDecision.objects.get(
        nomination_id=submitted.pk, outcome=StageDecision.Outcome.APPROVED
    )
    task = NominationTask.objects.get(nomination_id=submitted.pk, stage=Stage.UNIT_REVIEW)

    assert decision.actor in (committed_world.unit_head, second_head)
    assert task.owner == decision.actor


# --- approve against return ------------------------------------------------------------------


@pytest.fixture
def approval_against_return(committed_world, second_head, submitted, slow_winner):
    return race(
        submitted.pk,
        lambda n: services.approve(n, actor=committed_world.unit_head),
        lambda n: services.return_for_revision(n, actor=second_head, reasons="Thiếu hồ sơ."),
    )


def test_an_approval_and_a_return_at_once_one_wins_and_the_other_gets_a_conflict(
    approval_against_return,
):
    won, lost = _winner_and_loser(approval_against_return)

    assert won.status in (Status.PARTY_COMMITTEE_REVIEW, Status.RETURNED)
    assert isinstance(lost, ConflictingAction)
    assert str(Status(won.status).label) in lost.message


def test_an_approval_and_a_return_at_once_leave_the_winners_status(
    approval_against_return, submitted
):
    won, _lost = _winner_and_loser(approval_against_return)

    assert _status(submitted.pk) == won.status


def test_an_approval_and_a_return_at_once_leave_only_the_winners_decision_and_event(
    approval_against_return, submitted
):
    won, _lost = _winner_and_loser(approval_against_return)
    outcome = {
        Status.PARTY_COMMITTEE_REVIEW: StageDecision.Outcome.APPROVED,
        Status.RETURNED: StageDecision.Outcome.RETURNED,
    }[won.status]

    assert _decisions_after_submission(submitted.pk) == [outcome]
    assert _transition_events_after_submission(submitted.pk) == [StageDecision.EVENTS[outcome]]


def test_an_approval_and_a_return_at_once_leave_one_open_task_for_the_winners_status(
    approval_against_return, submitted
):
    won, _lost = _winner_and_loser(approval_against_return)

    [waiting] = NominationTask.objects.filter(
        nomination_id=submitted.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
    )
    assert waiting.stage == won.status


# --- take against take -----------------------------------------------------------------------


@pytest.fixture
def double_take(committed_world, second_head, submitted, monkeypatch):
    # take_task writes no decision: hold the row in the audit write instead.
    real = services.audit.record

    def slow(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(services.audit, "record", slow)
    return race(
        submitted.pk,
        lambda n: services.take_task(
            NominationTask.objects.open_for(n), actor=committed_world.unit_head
        ),
        lambda n: services.take_task(NominationTask.objects.open_for(n), actor=second_head),
    )


def test_two_people_taking_a_task_at_once_one_gets_it_the_other_is_told_who(double_take, submitted):
    won, lost = _winner_and_loser(double_take)
    task = NominationTask.objects.select_related("owner").get(pk=won.pk)

    assert isinstance(lost, NotAllowed)
    assert task.owner.get_full_name() in lost.message
    assert task.status == STATUS.ASSIGNED


def test_two_people_taking_a_task_at_once_leave_one_audit_event(double_take, submitted):
    won, _lost = _winner_and_loser(double_take)
    [event] = AuditEvent.objects.filter(nomination_id=submitted.pk, action=Event.TASK_TAKEN)

    assert event.actor == NominationTask.objects.get(pk=won.pk).owner


# --- hold against hold, and hold against approve -----------------------------------------------


def test_two_holds_at_once_leave_one_open_hold_and_one_conflict(
    committed_world, second_head, submitted, slow_winner
):
    def hold_by(actor):
        return lambda n: services.place_hold(n, actor=actor, kind="complaint", reason="Đơn thư.")

    _won, lost = _winner_and_loser(
        race(submitted.pk, hold_by(committed_world.unit_head), hold_by(committed_world.secretary))
    )

    assert isinstance(lost, ConflictingAction)
    assert str(Status.ON_HOLD.label) in lost.message
    assert _status(submitted.pk) == Status.ON_HOLD
    assert Hold.objects.filter(nomination_id=submitted.pk, lifted_at__isnull=True).count() == 1
    assert _decisions_after_submission(submitted.pk) == [StageDecision.Outcome.HELD]
    assert _transition_events_after_submission(submitted.pk) == [Event.HOLD_PLACED]


def test_a_hold_racing_an_approval_either_holds_it_or_finds_it_moved_on(
    committed_world, submitted, slow_winner
):
    results = race(
        submitted.pk,
        lambda n: services.place_hold(
            n, actor=committed_world.secretary, kind="inspection", reason="Kiểm tra công vụ."
        ),
        lambda n: services.approve(n, actor=committed_world.unit_head),
    )
    _won, lost = _winner_and_loser(results)

    assert isinstance(lost, ConflictingAction)
    status = _status(submitted.pk)
    assert status in (Status.ON_HOLD, Status.PARTY_COMMITTEE_REVIEW)
    open_holds = Hold.objects.filter(nomination_id=submitted.pk, lifted_at__isnull=True)
    assert open_holds.count() == (1 if status == Status.ON_HOLD else 0)
    assert len(_decisions_after_submission(submitted.pk)) == 1
