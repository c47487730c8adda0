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
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import PROCESS, STATUS

from approvals.models import Decision
from approvals.services import decision_for, record_decision
from audit import services as audit
from audit.services import Origin
from nominations import lifecycle, policy
from nominations.calendar import add_working_days
from nominations.exceptions import ConflictingAction, NotAllowed
from nominations.models import Nomination
from nominations.services import lock
from nominations.stages import PROGRESS, Status

from .flows import TAKEABLE, NominationFlow
from .models import OPEN, NominationProcess, NominationTask
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


def record_council_outcomes(
    outcomes: list[tuple[Nomination, bool, str, dict]],
    *,
    actor,
    origin: Origin | None = None,
) -> list:
    """`record_council_outcome` for a whole agenda at once (`workflows.council.close_voting`):
    `outcomes` are (nomination locked by `nominations.services.lock_many`, approved, reasons,
    event data) in agenda order. The same transitions, decision records, task bookkeeping and
    events as one call per nomination, written in a fixed number of statements; the events are
    returned unsaved, in order, for the caller to append with its own (`audit.bulk_append`)."""
    if not outcomes:
        return []
    actions = [
        ("council_approve", Decision.Outcome.COUNCIL_APPROVED)
        if approved
        else ("council_reject", Decision.Outcome.COUNCIL_REJECTED)
        for _n, approved, _r, _d in outcomes
    ]
    nominations = [n for n, *_ in outcomes]
    authorities = dict(
        zip(
            (n.pk for n in nominations),
            policy.authorize_many(
                actor, [(a, n) for n, (a, _o) in zip(nominations, actions, strict=True)]
            ),
            strict=True,
        )
    )
    tasks = {}
    for task in (
        NominationTask.objects.filter(nomination__in=nominations, status__in=OPEN)
        .select_related("process", "owner")
        .order_by("created", "pk")
    ):
        tasks[task.nomination_id] = task  # the latest, as `open_task` takes it
    now = timezone.now()
    stages, befores = {}, {}
    for n, (action, _outcome) in zip(nominations, actions, strict=True):
        stages[n.pk] = n.current_stage or n.status
        befores[n.pk] = lifecycle.fire(n, action)
        n.status_changed_at = now
        n.progress = max(n.progress, PROGRESS.get(n.status, 0))  # as `Nomination.save` does
        n.updated_at = now
    for status in {n.status for n in nominations}:
        same = [n for n in nominations if n.status == status]
        # Every row of a status moves alike; the instances already hold the new values.
        Nomination.objects.filter(pk__in=[n.pk for n in same]).update(
            status=status,
            status_changed_at=now,
            version=F("version") + 1,
            progress=Greatest(F("progress"), PROGRESS.get(status, 0)),
            updated_at=now,
        )
    Decision.objects.bulk_create(
        [
            decision_for(
                n,
                outcome=outcome,
                stage=stages[n.pk],
                from_status=befores[n.pk],
                actor=actor,
                role=authorities[n.pk].role,
                on_behalf_of=authorities[n.pk].on_behalf_of,
                reasons=reasons,
            )
            for (n, _a, reasons, _d), (_action, outcome) in zip(outcomes, actions, strict=True)
        ]
    )
    _complete_many([(tasks[n.pk], n) for n in nominations if n.pk in tasks], actor, now)
    events = []
    for (n, _a, reasons, data), (_action, outcome) in zip(outcomes, actions, strict=True):
        authority, task = authorities[n.pk], tasks.get(n.pk)
        events.append(
            audit.build(
                f"nomination.{outcome}",
                actor=actor,
                role=authority.role,
                on_behalf_of=authority.on_behalf_of,
                subject_type="nomination",
                subject_id=n.pk,
                **n.audit_context(),
                from_state=befores[n.pk],
                to_state=n.status,
                comment=reasons,
                data=_event_data(
                    authority, stage=stages[n.pk], task=task.pk if task else None, **(data or {})
                ),
                origin=origin,
            )
        )
    return events


def _complete_many(done: list[tuple[NominationTask, Nomination]], actor, now) -> None:
    """`_complete` for a batch: the processes locked at once (in id order), each task finished
    as viewflow finishes it (taken by the actor if nobody had, started, done), and each
    nomination's next task created where `NominationFlow.route_to` sends it — a waiting task,
    or the end, which finishes the process."""
    if not done:
        return
    list(
        NominationProcess.objects.select_for_update()
        .filter(pk__in=sorted({t.process_id for t, _n in done}))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    by_status = {}
    for task, _n in done:
        by_status.setdefault(task.status, []).append(task.pk)
    finish = {"status": STATUS.DONE, "finished": now}
    for status, pks in by_status.items():
        if status == STATUS.NEW:  # taken and done in one go
            fields = {**finish, "owner": actor, "assigned": now, "started": now}
        elif status == STATUS.ASSIGNED:
            fields = {**finish, "started": now}
        elif status == STATUS.STARTED:
            fields = finish
        else:
            raise ValueError(f"task in status {status} cannot be completed")
        NominationTask.objects.filter(pk__in=pks).update(**fields)
    flow = NominationFlow.instance
    created, previous, ended = [], [], []
    due = {}  # deadline in working days → date: one calendar read per distinct length
    for task, n in done:
        node = flow.route_to(n)
        if node is flow.end:
            new = NominationTask(
                process_id=task.process_id,
                flow_task=node,
                flow_task_type=node.task_type,
                status=STATUS.DONE,
                created=now,
                started=now,
                finished=now,
                token=task.token,
                data={},
            )
            ended.append((task.process_id, new))
        else:
            stage, role, days = node.waits_on(n)
            if days and days not in due:
                due[days] = add_working_days(timezone.localdate(), days)
            new = NominationTask(
                process_id=task.process_id,
                flow_task=node,
                flow_task_type=node.task_type,
                token=task.token,
                created=now,
                nomination=n,
                stage=stage,
                role=role,
                scope_unit_id=n.proposing_unit_id,
                due_on=due[days] if days else None,
                data={},
            )
        created.append(new)
        previous.append((new, task))
    NominationTask.objects.bulk_create(created)
    Previous = NominationTask.previous.through
    Previous.objects.bulk_create(
        [
            Previous(from_nominationtask_id=new.pk, to_nominationtask_id=old.pk)
            for new, old in previous
        ]
    )
    if ended:
        # The end finishes a process that has no other unfinished task (viewflow's End).
        busy = set(
            NominationTask.objects.filter(
                process_id__in=[pid for pid, _t in ended], finished__isnull=True
            )
            .exclude(pk__in=[t.pk for _p, t in ended])
            .values_list("process_id", flat=True)
        )
        NominationProcess.objects.filter(
            pk__in=[pid for pid, _t in ended if pid not in busy]
        ).update(status=STATUS.DONE, finished=now)


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
