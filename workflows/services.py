"""The actions that move a nomination through its journey.

Each action is one function and one transaction: lock the nomination row, check that the actor
may act (`nominations.policy`), fire the transition (`Nomination`'s lifecycle), write the
decision record (`approvals`), complete the task the nomination waited on so that the flow
creates the next one, and append the audit event (`audit`) last, because appending holds the
chain's head until commit. All of it commits, or none of it does.

Callers pass the nomination as they last saw it: if somebody else moved it since, the action is
refused with `ConflictingAction` rather than applied to a state the actor never saw.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import PROCESS, STATUS

from approvals.models import Decision
from approvals.services import record_decision
from audit import services as audit
from audit.services import Origin
from nominations import lifecycle, policy
from nominations.exceptions import ConflictingAction, NotAllowed
from nominations.models import Nomination
from nominations.services import lock
from nominations.stages import Status

from .flows import TAKEABLE, NominationFlow
from .models import NominationTask
from .selectors import open_task


def _complete(task: NominationTask, nomination: Nomination, actor) -> None:
    """Finish the task the nomination waited on; the flow creates the next one."""
    task.process.nomination = nomination  # the locked, transitioned instance
    with NominationFlow.lock(task.process_id):
        if task.status == STATUS.NEW:
            # Taken and done in one go: recorded by the one save that completes the task
            # (viewflow's `assign` would write the row once more just before).
            task.owner, task.assigned, task.status = actor, timezone.now(), STATUS.ASSIGNED
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.ASSIGNED:
            activation.start(None)
        activation.execute()


def _close_process(task: NominationTask) -> None:
    """The nomination left the flow early (withdrawn): cancel what it waited on."""
    with NominationFlow.lock(task.process_id):
        task.flow_task.activation_class(task).cancel()
        process = task.process
        process.status = PROCESS.CANCELED
        process.finished = task.finished
        process.save(update_fields=["status", "finished"])


def _check_task_owner(task: NominationTask | None, actor) -> None:
    if task is not None and task.owner_id and task.owner_id != actor.pk:
        raise NotAllowed(
            _("%(owner)s has taken this task; ask them to release it first.")
            % {"owner": task.owner.get_full_name() or task.owner.get_username()}
        )


def _event_data(authority: policy.Authority, **data) -> dict:
    if authority.delegation_id:
        starts_on, ends_on = authority.delegation_period
        data["delegation"] = authority.delegation_id
        data["delegation_from"] = starts_on.isoformat()
        data["delegation_until"] = ends_on.isoformat()
    return data


def _act(
    nomination: Nomination,
    action: str,
    outcome: str,
    *,
    actor,
    reasons: str = "",
    origin: Origin | None,
    transition_kwargs: dict | None = None,
    check_owner: bool = True,
    data: dict | None = None,
) -> Nomination:
    with transaction.atomic():
        n = lock(nomination)
        authority = policy.authorize(actor, action, n)
        task = open_task(n)
        if action != "withdraw" and check_owner:
            _check_task_owner(task, actor)
        stage = n.current_stage or n.status
        before = lifecycle.fire(n, action, **(transition_kwargs or {}))
        n.save()
        record_decision(
            n,
            outcome=outcome,
            stage=stage,
            from_status=before,
            actor=actor,
            role=authority.role,
            on_behalf_of=authority.on_behalf_of,
            reasons=reasons,
        )
        if n.status == Status.WITHDRAWN:
            if task is not None:
                _close_process(task)
        elif before == Status.DRAFT:
            NominationFlow.start.run(nomination=n)
        elif task is not None:
            _complete(task, n, actor)
        # The event is the transaction's last write: appending locks the chain's head until
        # commit, and every other writer in the agency queues on that lock.
        audit.record(
            f"nomination.{outcome}",
            actor=actor,
            role=authority.role,
            on_behalf_of=authority.on_behalf_of,
            subject_type="nomination",
            subject_id=n.pk,
            **n.audit_context(),
            from_state=before,
            to_state=n.status,
            comment=reasons,
            data=_event_data(
                authority, stage=stage, task=task.pk if task else None, **(data or {})
            ),
            origin=origin,
        )
    return n


def submit(nomination: Nomination, *, actor, origin: Origin | None = None) -> Nomination:
    """The proposing unit sends a draft on its route; it waits at the route's first stage."""
    return _act(nomination, "submit", Decision.Outcome.SUBMITTED, actor=actor, origin=origin)


def approve(
    nomination: Nomination, *, actor, reasons: str = "", origin: Origin | None = None
) -> Nomination:
    """The reviewer of the current stage approves: the nomination moves to the route's next
    stage, or, after the last one, awaits the decision."""
    return _act(
        nomination,
        "approve",
        Decision.Outcome.APPROVED,
        actor=actor,
        reasons=reasons,
        origin=origin,
    )


def return_for_revision(
    nomination: Nomination, *, actor, reasons: str, origin: Origin | None = None
) -> Nomination:
    """The reviewer sends the dossier back to the proposing unit, saying what to revise."""
    return _act(
        nomination,
        "return_for_revision",
        Decision.Outcome.RETURNED,
        actor=actor,
        reasons=reasons,
        origin=origin,
        transition_kwargs={"reasons": reasons},
    )


def resubmit(nomination: Nomination, *, actor, origin: Origin | None = None) -> Nomination:
    """The unit sends the revised dossier back; it goes through the route again from the start."""
    return _act(nomination, "resubmit", Decision.Outcome.RESUBMITTED, actor=actor, origin=origin)


def reject(
    nomination: Nomination, *, actor, reasons: str, origin: Origin | None = None
) -> Nomination:
    """The reviewer refuses the nomination, with reasons; its journey ends."""
    return _act(
        nomination,
        "reject",
        Decision.Outcome.REJECTED,
        actor=actor,
        reasons=reasons,
        origin=origin,
        transition_kwargs={"reasons": reasons},
    )


def withdraw(
    nomination: Nomination, *, actor, reasons: str = "", origin: Origin | None = None
) -> Nomination:
    """The proposing unit takes the nomination back, at any time before the council decides."""
    return _act(
        nomination,
        "withdraw",
        Decision.Outcome.WITHDRAWN,
        actor=actor,
        reasons=reasons,
        origin=origin,
    )


def record_council_outcome(
    nomination: Nomination,
    *,
    approved: bool,
    actor,
    reasons: str = "",
    origin: Origin | None = None,
    check_owner: bool = True,
    data: dict | None = None,
) -> Nomination:
    """The council's result for a nomination on its agenda (driven by the council's tally, see
    `workflows.council.close_voting`, which passes the tally in `data` and does not wait for
    whoever took the council task: the council has voted)."""
    action, outcome = (
        ("council_approve", Decision.Outcome.COUNCIL_APPROVED)
        if approved
        else ("council_reject", Decision.Outcome.COUNCIL_REJECTED)
    )
    return _act(
        nomination,
        action,
        outcome,
        actor=actor,
        reasons=reasons,
        origin=origin,
        check_owner=check_owner,
        data=data,
    )


def uphold_objection(
    nomination: Nomination,
    *,
    actor,
    remedy: str,
    reasons: str,
    origin: Origin | None = None,
    data: dict | None = None,
) -> Nomination:
    """An objection upheld during the public notice: the council-approved nomination goes back
    to the proposing unit (`remedy="return"`) or is rejected (`"reject"`), with reasons."""
    action, outcome = {
        "return": ("objection_return", Decision.Outcome.RETURNED),
        "reject": ("objection_reject", Decision.Outcome.REJECTED),
    }[remedy]
    return _act(
        nomination,
        action,
        outcome,
        actor=actor,
        reasons=reasons,
        origin=origin,
        transition_kwargs={"reasons": reasons},
        check_owner=False,
        data=data,
    )


def confer(
    nomination: Nomination,
    *,
    actor,
    origin: Origin | None = None,
    check_owner: bool = True,
    data: dict | None = None,
) -> Nomination:
    """The signed decision confers the award (see `workflows.council.sign_decision`)."""
    return _act(
        nomination,
        "confer",
        Decision.Outcome.CONFERRED,
        actor=actor,
        origin=origin,
        check_owner=check_owner,
        data=data,
    )


# --- taking and releasing tasks ----------------------------------------------------------


def _still_open(requested: NominationTask, nomination: Nomination) -> NominationTask:
    """The requested task, fresh, if the nomination still waits on it."""
    task = open_task(nomination)
    if task is None or task.pk != requested.pk:
        raise ConflictingAction(_("This task is already done; the nomination has moved on."))
    return task


def take_task(task: NominationTask, *, actor, origin: Origin | None = None) -> NominationTask:
    """The user takes the task from the shared queue; nobody else can act on it until released."""
    with transaction.atomic():
        n = lock(task.nomination)
        task = _still_open(task, n)
        if task.owner_id:
            if task.owner_id == actor.pk:
                return task
            _check_task_owner(task, actor)
        if task.flow_task.name not in TAKEABLE:
            raise NotAllowed(_("The unit's revision is not taken from a queue; resubmit instead."))
        authority = policy.authorize(actor, TAKEABLE[task.flow_task.name], n)
        with NominationFlow.lock(task.process_id):
            task.flow_task.activation_class(task).assign(actor)
        audit.record(
            "task.taken",
            actor=actor,
            role=authority.role,
            on_behalf_of=authority.on_behalf_of,
            subject_type="task",
            subject_id=task.pk,
            **n.audit_context(),
            data=_event_data(authority, stage=task.stage),
            origin=origin,
        )
    return task


def release_task(task: NominationTask, *, actor, origin: Origin | None = None) -> NominationTask:
    """The owner puts the task back in the shared queue."""
    with transaction.atomic():
        n = lock(task.nomination)
        task = _still_open(task, n)
        if task.owner_id != actor.pk:
            raise NotAllowed(_("Only the person who took a task can release it."))
        with NominationFlow.lock(task.process_id):
            activation = task.flow_task.activation_class(task)
            activation.unassign()
        audit.record(
            "task.released",
            actor=actor,
            role=task.role,
            subject_type="task",
            subject_id=task.pk,
            **n.audit_context(),
            data={"stage": task.stage},
            origin=origin,
        )
    return task
