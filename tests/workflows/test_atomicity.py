"""A transition, its decision record, its audit event and its task bookkeeping commit together or
not at all; an action on a nomination somebody moved meanwhile is refused as a conflict."""

import pytest
from django.db import DataError, connection

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.exceptions import ConflictingAction, NotAllowed
from nominations.models import Nomination, StageDecision
from nominations.stages import Status
from workflows import services
from workflows.models import NominationProcess, NominationTask


class Injected(Exception):
    """The failure a test injects."""


def _fail(*args, **kwargs):
    raise Injected("injected failure")


def _failing_audit(patch) -> None:
    """The audit append fails. On PostgreSQL an action appends its event in its one write
    statement, whose result is then refused (`Appending.took`) after it wrote everything, the
    event included: all of it must still go."""
    patch.setattr(services.audit, "append", _fail)
    patch.setattr(services.audit.Appending, "took", _fail)


def _trace(nomination) -> dict:
    """Everything an inspector could see of the nomination, as stored."""
    return {
        "status": Nomination.objects.values_list("status", flat=True).get(pk=nomination.pk),
        "decisions": list(
            StageDecision.objects.filter(nomination_id=nomination.pk).values_list("id", "outcome")
        ),
        "events": list(
            AuditEvent.objects.filter(nomination_id=nomination.pk).values_list("id", "action")
        ),
        "tasks": list(
            NominationTask.objects.filter(process__nomination_id=nomination.pk)
            .order_by("id")
            .values_list("id", "status", "owner_id", "stage")
        ),
        "processes": list(
            NominationProcess.objects.filter(nomination_id=nomination.pk).values_list(
                "id", "status"
            )
        ),
    }


@pytest.fixture
def submitted(draft, world):
    return services.submit(draft, actor=world.proposer)


# --- a failure anywhere in the action leaves no trace ------------------------------------------


def test_a_failing_audit_write_leaves_no_trace_of_the_approval(world, submitted, monkeypatch):
    before = _trace(submitted)
    _failing_audit(monkeypatch)

    with pytest.raises(Injected):
        services.approve(submitted, actor=world.unit_head)

    assert _trace(submitted) == before


def test_a_failing_audit_write_leaves_no_trace_of_the_return(world, submitted, monkeypatch):
    before = _trace(submitted)
    _failing_audit(monkeypatch)

    with pytest.raises(Injected):
        services.return_for_revision(submitted, actor=world.unit_head, reasons="Thiếu hồ sơ.")

    assert _trace(submitted) == before


def test_a_failing_audit_write_leaves_no_trace_of_the_submission(world, draft, monkeypatch):
    before = _trace(draft)
    _failing_audit(monkeypatch)

    with pytest.raises(Injected):
        services.submit(draft, actor=world.proposer)

    after = _trace(draft)
    assert after == before
    assert after["status"] == Status.DRAFT
    assert after["processes"] == []


def test_a_failing_audit_write_leaves_no_trace_of_the_withdrawal(world, submitted, monkeypatch):
    before = _trace(submitted)
    _failing_audit(monkeypatch)

    with pytest.raises(Injected):
        services.withdraw(submitted, actor=world.proposer)

    assert _trace(submitted) == before


def test_a_failing_task_completion_leaves_no_trace_of_the_approval(world, submitted, monkeypatch):
    before = _trace(submitted)
    monkeypatch.setattr(services, "_complete_many", _fail)

    with pytest.raises(Injected):
        services.approve(submitted, actor=world.unit_head)

    assert _trace(submitted) == before


def test_a_failing_task_completion_leaves_no_trace_of_the_rejection(world, submitted, monkeypatch):
    before = _trace(submitted)
    monkeypatch.setattr(services, "_complete_many", _fail)

    with pytest.raises(Injected):
        services.reject(submitted, actor=world.unit_head, reasons="Không đủ tiêu chuẩn.")

    assert _trace(submitted) == before


def test_a_failing_process_start_leaves_no_trace_of_the_submission(world, draft, monkeypatch):
    before = _trace(draft)
    monkeypatch.setattr(services, "_start", _fail)

    with pytest.raises(Injected):
        services.submit(draft, actor=world.proposer)

    assert _trace(draft) == before


def test_a_failing_process_cancellation_leaves_no_trace_of_the_withdrawal(
    world, submitted, monkeypatch
):
    before = _trace(submitted)
    monkeypatch.setattr(services, "_close_process", _fail)

    with pytest.raises(Injected):
        services.withdraw(submitted, actor=world.proposer)

    assert _trace(submitted) == before


def test_a_failing_decision_record_leaves_no_trace_of_the_approval(world, submitted, monkeypatch):
    before = _trace(submitted)
    expected: type[Exception] = Injected
    if connection.vendor == "postgresql":
        # The decision is written by the action's one write statement with the row and the
        # tasks (`services._write_transition`): the database refusing it (a stage too long for
        # its column) refuses all of it.
        real = services.Step.decision

        def too_long(step, actor):
            decision = real(step, actor)
            decision.stage = "x" * 500
            return decision

        monkeypatch.setattr(services.Step, "decision", too_long)
        expected = DataError
    else:
        monkeypatch.setattr(services.StageDecision, "save", _fail)

    with pytest.raises(expected):
        services.approve(submitted, actor=world.unit_head)

    assert _trace(submitted) == before


def test_a_failure_in_the_flow_after_the_next_task_is_created_leaves_no_trace(
    world, submitted, monkeypatch
):
    # The next stage's task is written by the flow; a failure right after must take it back.
    before = _trace(submitted)
    real_create = NominationTask.objects.bulk_create
    created = []

    def create_then_fail(tasks, *args, **kwargs):
        created.extend(t.pk for t in real_create(tasks, *args, **kwargs))
        raise Injected("after the next task was created")

    monkeypatch.setattr(NominationTask.objects, "bulk_create", create_then_fail)
    if connection.vendor == "postgresql":
        # There the tasks are written by the action's one write statement (`services._with`).
        real_with = services._with

        def write_then_fail(*args, **kwargs):
            created.extend(new for _process, new, _done in real_with(*args, **kwargs))
            raise Injected("after the next task was created")

        monkeypatch.setattr(services, "_with", write_then_fail)

    with pytest.raises(Injected):
        services.approve(submitted, actor=world.unit_head)

    assert created
    assert not NominationTask.objects.filter(pk__in=created).exists()
    assert _trace(submitted) == before


def test_the_action_can_be_done_once_the_failure_is_gone(world, submitted, monkeypatch):
    with monkeypatch.context() as patched:
        _failing_audit(patched)
        with pytest.raises(Injected):
            services.approve(submitted, actor=world.unit_head)

    n = services.approve(submitted, actor=world.unit_head)

    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    assert (
        StageDecision.objects.filter(nomination=n, outcome=StageDecision.Outcome.APPROVED).count()
        == 1
    )
    assert AuditEvent.objects.filter(nomination_id=n.pk, action=Event.APPROVED).count() == 1


def test_the_callers_copy_is_not_moved_by_a_failed_action(world, submitted, monkeypatch):
    _failing_audit(monkeypatch)

    with pytest.raises(Injected):
        services.approve(submitted, actor=world.unit_head)

    assert submitted.status == Status.UNIT_REVIEW


# --- acting on a stale copy ------------------------------------------------------------------


def test_approving_a_stale_copy_is_a_conflict_and_changes_nothing(world, submitted):
    stale = Nomination.objects.get(pk=submitted.pk)
    services.approve(submitted, actor=world.unit_head)
    before = _trace(submitted)

    with pytest.raises(ConflictingAction):
        services.approve(stale, actor=world.unit_head)

    assert _trace(submitted) == before


def test_the_conflict_says_what_the_nomination_is_now_and_who_acted(world, submitted):
    stale = Nomination.objects.get(pk=submitted.pk)
    services.approve(submitted, actor=world.unit_head)

    with pytest.raises(ConflictingAction) as conflict:
        services.reject(stale, actor=world.party_reviewer, reasons="Không đủ tiêu chuẩn.")

    assert str(Status.PARTY_COMMITTEE_REVIEW.label) in conflict.value.message
    assert conflict.value.reasons == [f"Last action by {world.unit_head.get_full_name()} (head)."]


def test_a_page_made_stale_by_ones_own_action_says_so_rather_than_blaming_someone(world, submitted):
    stale = Nomination.objects.get(pk=submitted.pk)
    services.approve(submitted, actor=world.unit_head)

    with pytest.raises(ConflictingAction) as conflict:
        services.withdraw(stale, actor=world.proposer)
    assert "Someone" in conflict.value.message  # the unit head acted, not the proposer

    mine = Nomination.objects.get(pk=submitted.pk)
    dossier_seen = Nomination.objects.get(pk=submitted.pk)
    services.withdraw(mine, actor=world.proposer)
    with pytest.raises(ConflictingAction) as conflict:
        services.withdraw(dossier_seen, actor=world.proposer)

    assert "out of date" in conflict.value.message
    assert "Someone" not in conflict.value.message
    assert conflict.value.reasons == ["Reload the page to see it as it is, then try again."]


def test_who_may_not_act_is_told_so_even_from_a_stale_page(world, submitted):
    stale = Nomination.objects.get(pk=submitted.pk)
    services.approve(submitted, actor=world.unit_head)

    # The inspector sees everything and acts on nothing: no authority, whatever the version.
    with pytest.raises(NotAllowed):
        services.approve(stale, actor=world.inspector)
    # The proposer holds a role on the journey, but not this one: the stale page is no excuse.
    with pytest.raises(NotAllowed):
        services.approve(stale, actor=world.proposer)


def test_returning_a_stale_copy_is_a_conflict_and_changes_nothing(world, submitted):
    stale = Nomination.objects.get(pk=submitted.pk)
    services.approve(submitted, actor=world.unit_head)
    before = _trace(submitted)

    with pytest.raises(ConflictingAction):
        services.return_for_revision(stale, actor=world.unit_head, reasons="Thiếu hồ sơ.")

    assert _trace(submitted) == before


def test_withdrawing_a_stale_copy_is_a_conflict_and_changes_nothing(world, submitted):
    stale = Nomination.objects.get(pk=submitted.pk)
    services.approve(submitted, actor=world.unit_head)
    before = _trace(submitted)

    with pytest.raises(ConflictingAction):
        services.withdraw(stale, actor=world.proposer)

    assert _trace(submitted) == before


def test_submitting_a_stale_draft_twice_is_a_conflict_and_changes_nothing(world, draft):
    stale = Nomination.objects.get(pk=draft.pk)
    services.submit(draft, actor=world.proposer)
    before = _trace(draft)

    with pytest.raises(ConflictingAction):
        services.submit(stale, actor=world.proposer)

    assert _trace(draft) == before


def test_approving_a_copy_seen_before_a_return_and_resubmission_is_a_conflict(
    world, submitted, walk
):
    # A party committee reviewer opened the nomination. Meanwhile it was returned, the unit
    # revised the dossier and resubmitted it, and the unit head approved it again: it is back at
    # the party committee, with a dossier the reviewer never saw.
    n = walk(submitted, "approve")
    seen = Nomination.objects.get(pk=n.pk)
    n = walk(n, "return_for_revision")
    dossier.update_dossier(
        n, actor=world.proposer, changes={"achievements": "Thành tích đã sửa sau khi trả lại."}
    )
    n = walk(Nomination.objects.get(pk=n.pk), "resubmit", "approve")
    assert n.status == seen.status == Status.PARTY_COMMITTEE_REVIEW
    before = _trace(n)

    with pytest.raises(ConflictingAction):
        services.approve(seen, actor=world.party_reviewer)

    assert _trace(n) == before
