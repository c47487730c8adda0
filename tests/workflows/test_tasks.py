"""The task a nomination waits on: who it is for, when it is due, and taking and releasing it."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.exceptions import ConflictingAction, NotAllowed
from nominations.models import Holiday, RoleAssignment, RouteStage, StageDecision
from nominations.roles import Role
from nominations.stages import Stage, Status
from tests.factories import person
from workflows import services
from workflows.models import NominationTask


def _working_day(start: datetime.date, n: int, holidays=()) -> datetime.date:
    """The n-th day after `start` that is Monday to Friday and not a holiday."""
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@pytest.fixture
def submitted(draft, world):
    """A nomination waiting at unit review."""
    return services.submit(draft, actor=world.proposer)


@pytest.fixture
def waiting(submitted):
    """The task `submitted` waits on."""
    return NominationTask.objects.open_for(submitted)


@pytest.fixture
def second_head(world):
    """Another unit head of the same unit: the unit review task is for either of them."""
    return person(world.unit, Role.UNIT_HEAD, username="head2")


def _status_in_db(nomination) -> str:
    nomination.refresh_from_db()
    return nomination.status


# --- who the task is for, and when it is due ----------------------------------------------------


def test_the_waiting_task_is_for_the_role_and_unit_of_the_current_stage(world, waiting):
    assert (waiting.stage, waiting.role, waiting.scope_unit) == (
        Stage.UNIT_REVIEW,
        Role.UNIT_HEAD,
        world.unit,
    )


def test_the_waiting_task_starts_in_the_shared_queue(waiting):
    assert waiting.status == STATUS.NEW
    assert waiting.owner is None


def test_a_later_stage_task_is_scoped_to_the_proposing_unit_not_the_reviewers_unit(
    world, submitted, walk
):
    n = walk(submitted, "approve")

    task = NominationTask.objects.open_for(n)
    assert (task.stage, task.role, task.scope_unit) == (
        Stage.PARTY_COMMITTEE_REVIEW,
        Role.PARTY_COMMITTEE_REVIEWER,
        world.unit,
    )


def test_the_waiting_task_is_due_on_a_working_day_in_the_future(waiting):
    today = timezone.localdate()

    assert waiting.due_on > today
    assert waiting.due_on.weekday() < 5


def test_the_waiting_task_is_due_after_the_stage_deadline_in_working_days(waiting):
    # The route's stages default to five working days.
    assert waiting.due_on == _working_day(timezone.localdate(), 5)


def test_the_deadline_is_the_one_configured_on_the_route_stage(world, draft):
    RouteStage.objects.filter(award_type=world.full, stage=Stage.UNIT_REVIEW).update(
        deadline_working_days=2
    )

    n = services.submit(draft, actor=world.proposer)

    assert NominationTask.objects.open_for(n).due_on == _working_day(timezone.localdate(), 2)


def test_the_deadline_does_not_count_holidays(world, draft):
    holiday = _working_day(timezone.localdate(), 1)
    Holiday.objects.create(date=holiday, name="Giỗ Tổ Hùng Vương")

    n = services.submit(draft, actor=world.proposer)

    due = NominationTask.objects.open_for(n).due_on
    assert due == _working_day(timezone.localdate(), 5, holidays={holiday})
    assert due != holiday


def test_the_revise_task_is_for_the_unit_proposer_with_the_revision_deadline(
    world, submitted, walk
):
    n = walk(submitted, "return_for_revision")

    task = NominationTask.objects.open_for(n)
    assert (task.stage, task.role, task.scope_unit) == (
        Status.RETURNED,
        Role.UNIT_PROPOSER,
        world.unit,
    )
    assert task.due_on == _working_day(timezone.localdate(), 10)


# --- taking a task -------------------------------------------------------------------------------


def test_taking_a_task_assigns_it_to_the_taker(world, waiting):
    services.take_task(waiting, actor=world.unit_head)

    waiting.refresh_from_db()
    assert (waiting.owner, waiting.status) == (world.unit_head, STATUS.ASSIGNED)


def test_taking_a_task_is_audited(world, submitted, waiting):
    services.take_task(waiting, actor=world.unit_head)

    event = AuditEvent.objects.filter(nomination_id=submitted.pk).last()
    assert (event.action, event.actor, event.role) == (
        Event.TASK_TAKEN,
        world.unit_head,
        Role.UNIT_HEAD,
    )
    assert (event.subject_type, event.subject_id) == ("task", str(waiting.pk))
    assert event.data["stage"] == Stage.UNIT_REVIEW


def test_taking_a_task_one_already_holds_changes_nothing(world, submitted, waiting):
    services.take_task(waiting, actor=world.unit_head)

    services.take_task(waiting, actor=world.unit_head)

    waiting.refresh_from_db()
    assert waiting.owner == world.unit_head
    assert (
        AuditEvent.objects.filter(nomination_id=submitted.pk, action=Event.TASK_TAKEN).count() == 1
    )


def test_someone_else_cannot_act_on_a_taken_task(world, submitted, waiting, second_head):
    services.take_task(waiting, actor=world.unit_head)

    with pytest.raises(NotAllowed) as refused:
        services.approve(submitted, actor=second_head)

    assert _name(world.unit_head) in str(refused.value)
    assert _status_in_db(submitted) == Status.UNIT_REVIEW
    assert not StageDecision.objects.filter(nomination=submitted, actor=second_head).exists()


@pytest.mark.parametrize("action", ["return_for_revision", "reject"])
def test_someone_else_cannot_return_or_reject_a_taken_task(
    world, submitted, waiting, second_head, action
):
    services.take_task(waiting, actor=world.unit_head)

    with pytest.raises(NotAllowed) as refused:
        getattr(services, action)(submitted, actor=second_head, reasons="Thiếu minh chứng.")

    assert _name(world.unit_head) in str(refused.value)
    assert _status_in_db(submitted) == Status.UNIT_REVIEW


def test_someone_else_cannot_take_a_taken_task(world, waiting, second_head):
    services.take_task(waiting, actor=world.unit_head)

    with pytest.raises(NotAllowed) as refused:
        services.take_task(waiting, actor=second_head)

    assert _name(world.unit_head) in str(refused.value)
    waiting.refresh_from_db()
    assert waiting.owner == world.unit_head


def test_the_taker_can_act_on_the_task_they_took(world, submitted, waiting):
    services.take_task(waiting, actor=world.unit_head)

    n = services.approve(submitted, actor=world.unit_head)

    waiting.refresh_from_db()
    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    assert (waiting.status, waiting.owner) == (STATUS.DONE, world.unit_head)


def test_the_next_stage_task_starts_in_the_shared_queue(world, submitted, waiting):
    services.take_task(waiting, actor=world.unit_head)

    n = services.approve(submitted, actor=world.unit_head)

    following = NominationTask.objects.open_for(n)
    assert (following.status, following.owner) == (STATUS.NEW, None)


def test_the_unit_can_withdraw_a_nomination_whose_task_a_reviewer_took(world, submitted, waiting):
    services.take_task(waiting, actor=world.unit_head)

    n = services.withdraw(submitted, actor=world.proposer)

    waiting.refresh_from_db()
    assert n.status == Status.WITHDRAWN
    assert waiting.status == STATUS.CANCELED
    assert NominationTask.objects.open_for(n) is None


# --- who may take it -----------------------------------------------------------------------------


def test_a_user_without_the_stage_role_cannot_take_the_task(world, submitted, waiting):
    with pytest.raises(NotAllowed) as refused:
        services.take_task(waiting, actor=world.leader)

    assert str(Role.UNIT_HEAD.label) in str(refused.value)
    waiting.refresh_from_db()
    assert waiting.owner is None
    assert not AuditEvent.objects.filter(
        nomination_id=submitted.pk, action=Event.TASK_TAKEN
    ).exists()


def test_the_head_of_another_unit_cannot_take_the_task(world, submitted, waiting):
    other_head = person(world.other_unit, Role.UNIT_HEAD, username="other_head")

    with pytest.raises(NotAllowed):
        services.take_task(waiting, actor=other_head)

    waiting.refresh_from_db()
    assert waiting.owner is None
    assert not AuditEvent.objects.filter(
        nomination_id=submitted.pk, action=Event.TASK_TAKEN
    ).exists()


def test_a_role_held_above_the_unit_covers_its_tasks(world, waiting):
    department_head = person(
        world.department, Role.UNIT_HEAD, scope=world.department, username="dept_head"
    )

    services.take_task(waiting, actor=department_head)

    waiting.refresh_from_db()
    assert waiting.owner == department_head


def test_nobody_can_take_the_review_task_of_a_nomination_they_proposed(world):
    proposer_and_head = person(
        world.unit, Role.UNIT_PROPOSER, Role.UNIT_HEAD, username="proposer_head"
    )
    draft = dossier.create_draft(
        actor=proposer_and_head,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )
    n = services.submit(draft, actor=proposer_and_head)

    with pytest.raises(NotAllowed) as refused:
        services.take_task(NominationTask.objects.open_for(n), actor=proposer_and_head)

    assert "You proposed this nomination." in refused.value.reasons


def test_the_nominee_cannot_take_the_review_task_of_their_own_nomination(world):
    nominee_head = person(world.unit, Role.UNIT_HEAD, username="nominee_head")
    draft = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=nominee_head,
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )
    n = services.submit(draft, actor=world.proposer)

    with pytest.raises(NotAllowed) as refused:
        services.take_task(NominationTask.objects.open_for(n), actor=nominee_head)

    assert "You are the nominee." in refused.value.reasons


def test_the_revise_task_is_not_taken_from_a_queue_the_unit_resubmits(world, submitted, walk):
    n = walk(submitted, "return_for_revision")
    task = NominationTask.objects.open_for(n)

    with pytest.raises(NotAllowed, match="resubmit instead"):
        services.take_task(task, actor=world.proposer)

    task.refresh_from_db()
    assert task.owner is None
    assert walk(n, "resubmit").status == "unit_review"


def test_taking_a_task_that_was_done_meanwhile_is_a_conflict_and_takes_nothing(world, draft):
    # Someone who reviews at two stages clicks "take" on the unit review task they saw in their
    # inbox; meanwhile the other unit head approved it and it now waits at the party committee.
    both = person(world.unit, Role.UNIT_HEAD, username="both")
    RoleAssignment.objects.create(user=both, role=Role.PARTY_COMMITTEE_REVIEWER, unit=world.agency)
    n = services.submit(draft, actor=world.proposer)
    seen = NominationTask.objects.open_for(n)
    services.approve(n, actor=world.unit_head)
    clicked = NominationTask.objects.select_related("nomination").get(pk=seen.pk)

    with pytest.raises(ConflictingAction):
        services.take_task(clicked, actor=both)

    following = NominationTask.objects.get(nomination=n, stage=Stage.PARTY_COMMITTEE_REVIEW)
    assert following.owner is None
    assert not AuditEvent.objects.filter(nomination_id=n.pk, action=Event.TASK_TAKEN).exists()


# --- releasing a task ----------------------------------------------------------------------------


def test_releasing_a_task_puts_it_back_in_the_shared_queue(world, waiting):
    services.take_task(waiting, actor=world.unit_head)

    services.release_task(waiting, actor=world.unit_head)

    waiting.refresh_from_db()
    assert (waiting.owner, waiting.status) == (None, STATUS.NEW)


def test_someone_else_can_act_once_the_taker_released_the_task(
    world, submitted, waiting, second_head
):
    services.take_task(waiting, actor=world.unit_head)
    services.release_task(waiting, actor=world.unit_head)

    n = services.approve(submitted, actor=second_head)

    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    assert StageDecision.objects.filter(nomination=n).last().actor == second_head


def test_releasing_a_task_is_audited(world, submitted, waiting):
    services.take_task(waiting, actor=world.unit_head)

    services.release_task(waiting, actor=world.unit_head)

    event = AuditEvent.objects.filter(nomination_id=submitted.pk).last()
    assert (event.action, event.actor, event.role) == (
        Event.TASK_RELEASED,
        world.unit_head,
        Role.UNIT_HEAD,
    )
    assert (event.subject_type, event.subject_id) == ("task", str(waiting.pk))
    assert event.data["stage"] == Stage.UNIT_REVIEW


def test_only_the_taker_can_release_a_task(world, submitted, waiting, second_head):
    services.take_task(waiting, actor=world.unit_head)

    with pytest.raises(NotAllowed):
        services.release_task(waiting, actor=second_head)

    waiting.refresh_from_db()
    assert waiting.owner == world.unit_head
    assert not AuditEvent.objects.filter(
        nomination_id=submitted.pk, action=Event.TASK_RELEASED
    ).exists()


def test_a_task_nobody_took_cannot_be_released(world, submitted, waiting):
    with pytest.raises(NotAllowed):
        services.release_task(waiting, actor=world.unit_head)

    assert not AuditEvent.objects.filter(
        nomination_id=submitted.pk, action=Event.TASK_RELEASED
    ).exists()
