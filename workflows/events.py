"""The audit events of a nomination's journey: each transition, and a task taken or released.
One builder per event, so what each records is said once; `workflows.services` appends them."""

from audit import services as audit
from audit.events import Event
from audit.models import AuditEvent
from audit.services import Origin
from audit.types import Actor
from nominations import events as nomination_events
from nominations.models import Hold, Nomination, StageDecision
from nominations.policy import Authority

from .models import NominationTask


def _capacity(authority: Authority, **data) -> dict:
    """The event's data, with the delegation the actor acted through, if any."""
    if authority.delegation_period is not None:
        starts_on, ends_on = authority.delegation_period
        data["delegation"] = authority.delegation_id
        data["delegation_from"] = starts_on.isoformat()
        data["delegation_until"] = ends_on.isoformat()
    return data


def transition(
    nomination: Nomination,
    *,
    outcome: StageDecision.Outcome,
    before: str,
    stage: str,
    task: NominationTask | None,
    reasons: str,
    data: dict,
    actor: Actor,
    authority: Authority,
    origin: Origin | None,
) -> AuditEvent:
    """A transition, recorded as the event of its stage decision's outcome."""
    return audit.build(
        StageDecision.EVENTS[outcome],
        actor=actor,
        role=authority.role,
        on_behalf_of=authority.on_behalf_of,
        **nomination_events.context(nomination),
        from_state=before,
        to_state=nomination.status,
        comment=reasons,
        data=_capacity(authority, stage=stage, task=task.pk if task else None, **data),
        origin=origin,
    )


def task_taken(
    task: NominationTask,
    nomination: Nomination,
    *,
    actor: Actor,
    authority: Authority,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.TASK_TAKEN,
        actor=actor,
        role=authority.role,
        on_behalf_of=authority.on_behalf_of,
        subject_type="task",
        subject_id=task.pk,
        **nomination.audit_context(),
        data=_capacity(authority, stage=task.stage),
        origin=origin,
    )


def task_released(
    task: NominationTask, nomination: Nomination, *, actor: Actor, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.TASK_RELEASED,
        actor=actor,
        role=task.role,
        subject_type="task",
        subject_id=task.pk,
        **nomination.audit_context(),
        data={"stage": task.stage},
        origin=origin,
    )


def _task_data(task: NominationTask, **data) -> dict:
    """What a deadline's event records of its task: which, where, whose, due when."""
    return {
        "task": task.pk,
        "stage": task.stage,
        "role": task.role,
        "owner": task.owner_id,
        "due_on": task.due_on.isoformat() if task.due_on else None,
        **data,
    }


def task_reminded(task: NominationTask, nomination: Nomination, *, reminder: str) -> AuditEvent:
    """A reminder of the task's due date (`reminder`: "before" it, or "due" on it), by the
    clock (`workflows.deadlines`): no actor."""
    return audit.build(
        Event.TASK_REMINDED,
        actor=None,
        subject_type="task",
        subject_id=task.pk,
        **nomination.audit_context(),
        data=_task_data(task, reminder=reminder),
    )


def task_escalated(
    task: NominationTask, nomination: Nomination, *, escalated_to: str, overdue_days: int
) -> AuditEvent:
    """An overdue task escalated to the role above (`nominations.policy.ESCALATES_TO`), by the
    clock."""
    return audit.build(
        Event.TASK_ESCALATED,
        actor=None,
        subject_type="task",
        subject_id=task.pk,
        **nomination.audit_context(),
        data=_task_data(task, escalated_to=escalated_to, overdue_days=overdue_days),
    )


def task_reassigned(
    task: NominationTask,
    nomination: Nomination,
    *,
    previous_owner: int | None,
    actor: Actor,
    authority: Authority,
    origin: Origin | None,
) -> AuditEvent:
    """An escalated task given to another holder of its role by whoever it was escalated to."""
    return audit.build(
        Event.TASK_REASSIGNED,
        actor=actor,
        role=authority.role,
        on_behalf_of=authority.on_behalf_of,
        subject_type="task",
        subject_id=task.pk,
        **nomination.audit_context(),
        data=_capacity(
            authority,
            **_task_data(task, previous_owner=previous_owner),
            owner_label=audit.label(task.owner),
        ),
        origin=origin,
    )


def hold_end_passed(hold: Hold) -> AuditEvent:
    """A hold still open the day after its expected end: the timers remind whoever placed it
    (`placed_by`) and the council's secretaries. Nobody acted (actor None); nothing changes."""
    nomination = hold.nomination
    assert hold.expected_end is not None
    return audit.build(
        Event.HOLD_END_PASSED,
        actor=None,
        **nomination_events.context(nomination),
        from_state=nomination.status,
        to_state=nomination.status,
        data={
            "hold": hold.pk,
            "hold_kind": hold.kind,
            "expected_end": hold.expected_end.isoformat(),
            "placed_by": hold.placed_by_id,
        },
    )
