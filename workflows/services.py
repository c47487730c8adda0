"""The actions that move a nomination through its journey.

Each action is one function and one transaction: lock the nomination row, check that the actor
may act (`nominations.policy`), fire the transition (`Nomination`'s lifecycle), write the
decision record (`approvals`), complete the task the nomination waited on so that the flow
creates the next one, and append the audit event (`audit`) last, because appending holds the
chain's head until commit. All of it commits, or none of it does.

Callers pass the nomination as they last saw it: if somebody else moved it since, the action is
refused with `ConflictingAction` rather than applied to a state the actor never saw.
"""

import functools
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import NOT_PROVIDED, F, JSONField
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from viewflow.workflow.status import PROCESS, STATUS

from audit import services as audit
from audit.models import AuditEvent
from audit.services import Origin
from audit.types import Actor
from nominations import eligibility, one_award, policy, quotas, registration
from nominations.calendar import add_working_days
from nominations.compiled import prepared
from nominations.exceptions import (
    ConflictingAction,
    InvalidInput,
    NotAllowed,
    ReasonsRequired,
    TransitionRefused,
)
from nominations.models import Hold, HoldKind, Nomination, ReasonCode, StageDecision
from nominations.people import display_name
from nominations.stages import ACTION_LABELS, PROGRESS, TAKE_ACTION, Status

from . import events
from .flows import NominationFlow
from .models import OPEN, NominationProcess, NominationTask


def _close_process(task: NominationTask, now) -> None:
    """The nomination left the flow early (withdrawn): cancel what it waited on."""
    NominationTask.objects.filter(pk=task.pk).update(status=STATUS.CANCELED, finished=now)
    NominationProcess.objects.filter(pk=task.process_id).update(
        status=PROCESS.CANCELED, finished=now
    )


def _start(n: Nomination, now, written: "Written | None" = None) -> None:
    """Open the submitted nomination's process, with its start task done and the first task
    it waits on (on PostgreSQL with the transition's `written` rows, in one statement)."""
    start = NominationFlow.instance.start
    process = NominationProcess.objects.create(flow_class=NominationFlow, nomination=n)
    task = NominationTask(
        process=process,
        flow_task=start,
        flow_task_type=start.task_type,
        status=STATUS.DONE,
        created=now,
        started=now,
        finished=now,
        data={},
    )
    if connection.vendor == "postgresql":
        _write_next_tasks(None, [(task, n)], now, written)
        return
    task.save(force_insert=True)
    _next_tasks([(task, n)], now)


def _check_task_owner(task: NominationTask | None, actor: Actor) -> None:
    if task is not None and task.owner_id and task.owner_id != actor.pk:
        raise NotAllowed(
            _("%(owner)s has taken this task; ask them to release it first.")
            % {"owner": display_name(task.owner)}
        )


@dataclass
class Step:
    """One nomination's transition, fired in memory and ready to be written. A single action
    and the council's batch write it with the same two builders below, so both paths write the
    same decision record and the same event."""

    nomination: Nomination
    outcome: StageDecision.Outcome
    before: str
    stage: str
    authority: policy.Authority
    task: NominationTask | None
    reasons: str = ""
    data: dict = field(default_factory=dict)
    reason_code: ReasonCode | None = None

    def decision(self, actor: Actor) -> StageDecision:
        return StageDecision.of(
            self.nomination,
            outcome=self.outcome,
            stage=self.stage,
            from_status=self.before,
            actor=actor,
            role=self.authority.role,
            on_behalf_of=self.authority.on_behalf_of,
            reasons=self.reasons,
            reason_code=self.reason_code,
        )

    def event(self, actor: Actor, origin: Origin | None) -> AuditEvent:
        return events.transition(
            self.nomination,
            outcome=self.outcome,
            before=self.before,
            stage=self.stage,
            task=self.task,
            reasons=self.reasons,
            data={**self.data, **(self.reason_code.event_data() if self.reason_code else {})},
            actor=actor,
            authority=self.authority,
            origin=origin,
        )


def _fire(
    n: Nomination,
    action: str,
    outcome: StageDecision.Outcome,
    *,
    actor: Actor,
    authority: policy.Authority,
    task: NominationTask | None,
    reasons: str = "",
    data: dict | None = None,
    transition_kwargs: dict | None = None,
    reason_code: ReasonCode | None = None,
) -> Step:
    """Fire the transition on the locked nomination, in memory (the one step both write paths
    share); the caller writes the row, the step's decision and event, and the tasks."""
    stage = n.current_stage or n.status
    before = n.fire(action, **(transition_kwargs or {}))
    n.last_acted_by = actor
    return Step(n, outcome, before, stage, authority, task, reasons, data or {}, reason_code)


def _fresh(reason_code: ReasonCode | None) -> ReasonCode | None:
    """The coded reason as it stands now (retired meanwhile or not): the transition judges it."""
    if reason_code is None:
        return None
    return ReasonCode.objects.get(pk=reason_code.pk)


def _act(
    nomination: Nomination,
    action: str,
    outcome: StageDecision.Outcome,
    *,
    actor: Actor,
    reasons: str = "",
    origin: Origin | None,
    transition_kwargs: dict | None = None,
    check_owner: bool = True,
    data: dict | None = None,
    reason_code: ReasonCode | None = None,
) -> Nomination:
    with prepared(), transaction.atomic():
        n = Nomination.objects.lock(nomination)
        authority = policy.authorize_locked(actor, action, n, nomination)
        # A draft has no process yet (submitting starts it), so nothing to read for it.
        task = None if n.status == Status.DRAFT else NominationTask.objects.open_for(n)
        if action != "withdraw" and check_owner:
            _check_task_owner(task, actor)
        checked = _check_rules(n, action, actor, reasons)
        code = _fresh(reason_code)
        if code is not None:
            transition_kwargs = {**(transition_kwargs or {}), "reason_code": code}
        step = _fire(
            n,
            action,
            outcome,
            actor=actor,
            authority=authority,
            task=task,
            reasons=reasons,
            data={**(data or {}), **checked},
            transition_kwargs=transition_kwargs,
            reason_code=code,
        )
        now = timezone.now()
        # The event is the transaction's last write: appending locks the chain's head until
        # commit, and every other writer in the agency queues on that lock. On PostgreSQL it
        # is appended by the transition's own statement (`_write_transition`).
        if connection.vendor == "postgresql" and n.status != Status.WITHDRAWN:
            appending = audit.Appending(step.event(actor, origin))
            _write_transition(n, step, actor, task, now, appending)
            if not appending.event.pk:  # the chain had no head row yet
                audit.append(appending.event)
        else:
            _write_step(n, step, actor, task, now)
            audit.append(step.event(actor, origin))
    return n


def _write_step(n: Nomination, step: Step, actor: Actor, task, now) -> None:
    """The transition's row, its decision record and the task bookkeeping, through the ORM."""
    n.save()
    step.decision(actor).save(force_insert=True)
    if n.status == Status.WITHDRAWN:
        if task is not None:
            _close_process(task, now)
    elif step.before == Status.DRAFT:
        _start(n, now)
    elif task is not None:
        _complete_many([(task, n)], actor, now)


# --- the rules an action must meet besides the lifecycle's guards -------------------------


def _check_rules(n: Nomination, action: str, actor: Actor, reasons: str) -> dict:
    """Check the domain's rules for `action` on the locked, authorised nomination before it
    moves: each check refuses with sentences a user reads, or returns what the transition's
    audit event records of it (merged into the event's data). Only actions the lifecycle allows
    from the current status are checked; anything else `_fire` refuses, as before."""
    if not getattr(n, action)._django_fsm.has_transition(n.status):
        return {}
    if action == "resubmit":
        one_award.refuse_second(n)
    registration.check(n, action)  # titles requiring registration: only the registered
    quotas.check_confirmation(n, action)
    data: dict = {}
    if action in ELIGIBILITY_ACTIONS:
        data.update(_check_eligibility(n, action, reasons))
    return data


# The actions that judge the nominee by the award type's criteria (`nominations.eligibility`).
ELIGIBILITY_ACTIONS = {"submit", "resubmit", "approve"}


def _check_eligibility(n: Nomination, action: str, reasons: str) -> dict:
    """Judge the nominee by the criteria in force on the campaign's rules date and keep the
    evaluation on the nomination (written with the transition's row, no statement of its own).
    A hard criterion not met refuses the action, naming each with its legal basis; approving
    despite an advisory criterion not met, or one that cannot be judged yet, needs the
    approver's reasons — the override, recorded with the event."""
    if not (n.nominee_person_id or n.nominee_unit_id):
        return {}  # the lifecycle's guard names what is missing
    evaluation = eligibility.evaluate(n)
    n.eligibility = evaluation.as_json()
    if not evaluation.results:
        return {}  # the award type has no criteria in force: nothing to record
    if evaluation.hard_failures:
        raise TransitionRefused(
            _(
                "You cannot %(action)s this nomination: the nominee does not meet "
                "the award's criteria."
            )
            % {"action": ACTION_LABELS[action]},
            reasons=[f"{r.sentence} ({r.citation})" for r in evaluation.hard_failures],
        )
    overridden = None
    if action == "approve":
        overridden = evaluation.to_override
        if overridden and not (reasons or "").strip():
            raise ReasonsRequired(
                _(
                    "Give your reasons to approve: some of the award's criteria are not met or "
                    "cannot be judged yet."
                ),
                reasons=[f"{r.outcome_label}: {r.sentence} ({r.citation})" for r in overridden],
            )
    return {"eligibility": evaluation.audit_data(overridden)}


def submit(nomination: Nomination, *, actor: Actor, origin: Origin | None = None) -> Nomination:
    """The proposing unit sends a draft on its route; it waits at the route's first stage."""
    return _act(nomination, "submit", StageDecision.Outcome.SUBMITTED, actor=actor, origin=origin)


def approve(
    nomination: Nomination, *, actor: Actor, reasons: str = "", origin: Origin | None = None
) -> Nomination:
    """The reviewer of the current stage approves: the nomination moves to the route's next
    stage, or, after the last one, awaits the decision."""
    return _act(
        nomination,
        "approve",
        StageDecision.Outcome.APPROVED,
        actor=actor,
        reasons=reasons,
        origin=origin,
    )


def return_for_revision(
    nomination: Nomination,
    *,
    actor: Actor,
    reasons: str = "",
    reason_code: ReasonCode | None = None,
    origin: Origin | None = None,
) -> Nomination:
    """The reviewer sends the dossier back to the proposing unit, saying what to revise: a coded
    reason (`ReasonCode`), a text, or both."""
    return _act(
        nomination,
        "return_for_revision",
        StageDecision.Outcome.RETURNED,
        actor=actor,
        reasons=reasons,
        origin=origin,
        transition_kwargs={"reasons": reasons},
        reason_code=reason_code,
    )


def resubmit(nomination: Nomination, *, actor: Actor, origin: Origin | None = None) -> Nomination:
    """The unit sends the revised dossier back; it goes through the route again from the start."""
    return _act(
        nomination, "resubmit", StageDecision.Outcome.RESUBMITTED, actor=actor, origin=origin
    )


def reject(
    nomination: Nomination,
    *,
    actor: Actor,
    reasons: str = "",
    reason_code: ReasonCode | None = None,
    origin: Origin | None = None,
) -> Nomination:
    """The reviewer refuses the nomination, with a coded reason, a text, or both; its journey
    ends."""
    return _act(
        nomination,
        "reject",
        StageDecision.Outcome.REJECTED,
        actor=actor,
        reasons=reasons,
        origin=origin,
        transition_kwargs={"reasons": reasons},
        reason_code=reason_code,
    )


def withdraw(
    nomination: Nomination, *, actor: Actor, reasons: str = "", origin: Origin | None = None
) -> Nomination:
    """The proposing unit takes the nomination back, at any time before the council decides."""
    return _act(
        nomination,
        "withdraw",
        StageDecision.Outcome.WITHDRAWN,
        actor=actor,
        reasons=reasons,
        origin=origin,
    )


def _council_action(approved: bool) -> tuple[str, StageDecision.Outcome]:
    if approved:
        return "council_approve", StageDecision.Outcome.COUNCIL_APPROVED
    return "council_reject", StageDecision.Outcome.COUNCIL_REJECTED


def record_council_outcome(
    nomination: Nomination,
    *,
    approved: bool,
    actor: Actor,
    reasons: str = "",
    origin: Origin | None = None,
    check_owner: bool = True,
    data: dict | None = None,
) -> Nomination:
    """The council's result for a nomination on its agenda (driven by the council's tally, see
    `approvals.outcomes.close_voting`, which passes the tally in `data` and does not wait for
    whoever took the council task: the council has voted)."""
    action, outcome = _council_action(approved)
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
    actor: Actor,
    origin: Origin | None = None,
) -> list:
    """`record_council_outcome` for a whole agenda at once (`approvals.outcomes.close_voting`):
    `outcomes` are (nomination locked by `Nomination.objects.lock_many`, approved, reasons,
    event data) in agenda order. The same transitions, decision records, task bookkeeping and
    events as one call per nomination, written in a fixed number of statements; the events are
    returned unsaved, in order, for the caller to append with its own (`audit.bulk_append`)."""
    if not outcomes:
        return []
    nominations = [n for n, *_ in outcomes]
    acts = [(_council_action(approved)[0], n) for n, approved, _r, _d in outcomes]
    authorities = {
        n.pk: authority
        for (_a, n), authority in zip(acts, policy.authorize_many(actor, acts), strict=True)
    }
    tasks = {}
    for task in (
        NominationTask.objects.filter(nomination__in=nominations, status__in=OPEN)
        .select_related("process", "owner")
        .order_by("created", "pk")
    ):
        tasks[task.nomination_id] = task  # the latest, as `open_for` takes it
    now = timezone.now()
    steps = []
    for n, approved, reasons, data in outcomes:
        action, outcome = _council_action(approved)
        steps.append(
            _fire(
                n,
                action,
                outcome,
                actor=actor,
                authority=authorities[n.pk],
                task=tasks.get(n.pk),
                reasons=reasons,
                data=data,
            )
        )
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
            last_acted_by=actor,
            updated_at=now,
        )
    StageDecision.objects.bulk_create([step.decision(actor) for step in steps])
    _complete_many([(tasks[n.pk], n) for n in nominations if n.pk in tasks], actor, now)
    return [step.event(actor, origin) for step in steps]


def _complete_many(
    done: list[tuple[NominationTask, Nomination]],
    actor: Actor,
    now,
    written: "Written | None" = None,
) -> None:
    """Finish the tasks the nominations waited on (taken by the actor if nobody had), then
    write each one's next task (`_next_tasks`). A single action is a batch of one; on
    PostgreSQL its `written` rows go in the same statement (`_write_transition`). Every
    write to a nomination's process and tasks happens under its nomination's row lock, so the
    process rows need no lock of their own."""
    if not done:
        return
    by_status: dict[str, list[int]] = {}
    for task, _n in done:
        by_status.setdefault(task.status, []).append(task.pk)
    finish = {"status": STATUS.DONE, "finished": now}
    updates = []
    for status, pks in by_status.items():
        if status == STATUS.NEW:  # taken and done in one go
            fields = {**finish, "owner": actor, "assigned": now, "started": now}
        elif status == STATUS.ASSIGNED:
            fields = {**finish, "started": now}
        elif status == STATUS.STARTED:
            fields = finish
        else:
            raise ValueError(f"task in status {status} cannot be completed")
        updates.append((pks, fields))
    if connection.vendor == "postgresql":
        # `_finish_tasks` writes the same columns as the updates above, in one statement.
        finished = _finish_tasks([task.pk for task, _n in done], actor, now)
        _write_next_tasks(finished, done, now, written)
        return
    for pks, fields in updates:
        NominationTask.objects.filter(pk__in=pks).update(**fields)
    _next_tasks(done, now)


def _next_tasks(done: list[tuple[NominationTask, Nomination]], now) -> None:
    """After each finished task, the task its nomination now waits on, where
    `Nomination.waiting_on` says (the flow's `route` gateway), linked to the task before it; a
    nomination that waits on nobody reaches the end, which finishes its process."""
    created, previous, ended = _plan_next_tasks(done, now)
    NominationTask.objects.bulk_create(created)
    Previous = NominationTask.previous.through
    Previous.objects.bulk_create(
        [
            Previous(from_nominationtask_id=new.pk, to_nominationtask_id=old.pk)
            for new, old in previous
        ]
    )
    if ended:
        # A nomination waits on one task at a time, so the end finishes its process.
        NominationProcess.objects.filter(pk__in=ended).update(status=STATUS.DONE, finished=now)


# --- PostgreSQL: an action's writes in one statement ----------------------------------------
# The same rows as `Nomination.save`, `StageDecision.save`, `_complete_many` and `_next_tasks`
# write through the ORM (SQLite), written by one statement of data-modifying CTEs: the
# transition's row, its decision record, the finished (or started) tasks, the next tasks, the
# links between them (`previous`, matched by process: one task per process in a batch) and the
# processes that reached the end. viewflow still owns the flow, its nodes and its tables.

_PREVIOUS = NominationTask.previous.through._meta.db_table
_PROCESS = NominationProcess._meta.db_table
_TASK = NominationTask._meta.db_table

Sql = tuple[str, list]


def _insert_rows(objs: list) -> Sql:
    """An INSERT of unsaved instances of one model (ids from the database), with each field's
    value as `save` would write it. A nullable column that is NULL in every row is left out (the
    table gives it NULL, as it has no default of its own): fewer parameters, and psycopg keeps
    the parsed statement of one with at most 50."""
    meta = objs[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [[f.pre_save(obj, True) for f in fields] for obj in objs]
    kept = [
        i
        for i, f in enumerate(fields)
        if not (f.null and f.db_default is NOT_PROVIDED and all(v[i] is None for v in values))
    ]
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy: every field's value asks it
    params = [fields[i].get_db_prep_save(v[i], db) for v in values for i in kept]
    row = "(" + ", ".join(["%s"] * len(kept)) + ")"
    columns = ", ".join(db.ops.quote_name(fields[i].column) for i in kept)
    table = db.ops.quote_name(meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(objs))}", params


def _update_row(n: Nomination, before: str) -> Sql:
    """The UPDATE `Nomination.save` would send for the transition's row, of the columns the
    transition changed since the row was locked (`as_locked`; every column if it was not), the
    JSON ones and `updated_at` always: `progress` kept at the furthest point reached and — as
    django-fsm's `ConcurrentTransitionMixin` does — only while the row is still in the status
    the transition left; it returns the row's id. Its text depends only on which columns, so
    it is written once for each set (a handful: one per kind of transition)."""
    n.progress = max(n.progress, PROGRESS.get(n.status, 0))
    read = getattr(n, "as_locked", None)
    fields = tuple(
        f
        for f in _NOMINATION_FIELDS
        if read is None or f in _ALWAYS_WRITTEN or n.__dict__.get(f.attname) != read[f.attname]
    )
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy: every field's value asks it
    params = [f.get_db_prep_save(f.pre_save(n, False), db) for f in fields]
    return _nomination_update(fields), [*params, n.pk, before]


_NOMINATION_FIELDS = [f for f in Nomination._meta.concrete_fields if not f.primary_key]
# Written whatever the comparison says: `updated_at` is set by `pre_save`, and a JSON value may
# have been changed in place (the locked value is then the same object).
_ALWAYS_WRITTEN = {
    f for f in _NOMINATION_FIELDS if getattr(f, "auto_now", False) or isinstance(f, JSONField)
}


@functools.cache
def _nomination_update(fields: tuple) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    return (
        f"UPDATE {quote(Nomination._meta.db_table)} SET {columns} "
        f"WHERE {quote('id')} = %s AND {quote('status')} = %s RETURNING {quote('id')}"
    )


@dataclass
class Written:
    """What a single action writes besides its tasks, in the same statement: the transition's
    row first, its decision record, then its audit event's append."""

    rows: list[Sql]
    appending: audit.Appending


def _write_transition(
    n: Nomination, step: Step, actor: Actor, task, now, appending: audit.Appending
) -> None:
    """PostgreSQL: the transition's row, its decision record, the task bookkeeping and the
    event in one statement (at submission, the process's INSERT before it: the tasks name it)."""
    decision, params = _insert_rows([step.decision(actor)])
    written = Written(
        [_update_row(n, step.before), (f"{decision} RETURNING id", params)], appending
    )
    if step.before == Status.DRAFT:
        _start(n, now, written)
    elif task is not None:
        _complete_many([(task, n)], actor, now, written)
    else:
        _with(written, [], "1")
    n._update_initial_state()  # as `save` does: the status the row now holds


def _with(written: Written | None, parts: list[tuple[str, Sql]], select: str, source: str = ""):
    """Run `written` and the named `parts` (each returning rows) as the CTEs of
    `SELECT select source`, and return its rows; refuse if the transition's row was not
    written (it left its status meanwhile, which its row lock rules out). The event's append
    comes last, and every row carries what it returned (`Appending.took`)."""
    ctes = [(f"w{i}", sql) for i, sql in enumerate(written.rows if written else [])] + parts
    check = "1"
    if written:
        # PostgreSQL runs a CTE when the query first reads it (or at the end, if nothing does).
        # `wrote` reads every write to the end, and the append reads `wrote`: so the head, which
        # every other action queues on, is locked only after this action's own writes.
        counts = ", ".join(f"(SELECT count(*) FROM {name}) AS {name}" for name, _sql in ctes)
        ctes.append(("wrote", (f"SELECT {counts}", [])))
        ctes += [(name, (sql, [])) for name, sql in written.appending.ctes(after="wrote")]
        check = "wrote.w0"
        select = f"{select}, {audit.Appending.COLUMNS}"
        source = f"{source or 'FROM (SELECT 1) AS one'} CROSS JOIN wrote LEFT JOIN appended ON true"
    statement = "WITH " + ", ".join(f"{name} AS ({q})" for name, (q, _p) in ctes)
    statement += f" SELECT {select}, {check} {source}"
    params = [p for _name, (_q, ps) in ctes for p in ps]
    if written:
        params += written.appending.params
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    if any(row[-1] != 1 for row in rows):
        raise ConcurrentTransition("the nomination left its status while it was locked")
    if written:
        if not rows:  # the event was appended with rows that were not
            raise RuntimeError("the transition's statement returned no row")
        written.appending.took(rows[0][-5:-1])
        return [row[:-5] for row in rows]
    return [row[:-1] for row in rows]


def _finish_tasks(pks: list[int], actor: Actor, now) -> Sql:
    """The UPDATE finishing the open tasks `pks` as `_complete_many` does (a task nobody had
    taken is taken by the actor and done in one go), returning each one's id and process."""
    sql = (
        f"UPDATE {_TASK} SET status = %s, finished = %s, "
        "owner_id = CASE WHEN status = %s THEN %s ELSE owner_id END, "
        "assigned = CASE WHEN status = %s THEN %s ELSE assigned END, "
        "started = CASE WHEN status IN (%s, %s) THEN %s ELSE started END "
        f"WHERE id IN ({', '.join(['%s'] * len(pks))}) RETURNING id, process_id"
    )
    params = [STATUS.DONE, now, STATUS.NEW, actor.pk, STATUS.NEW, now]
    return sql, [*params, STATUS.NEW, STATUS.ASSIGNED, now, *pks]


def _write_next_tasks(
    finished: Sql | None,
    done: list[tuple[NominationTask, Nomination]],
    now,
    written: "Written | None" = None,
) -> None:
    """`finished` (a statement returning the finished tasks' id and process), then the next
    tasks `_plan_next_tasks` plans, linked to them, in one statement with `written`. Without
    `finished`, the `done` tasks are start tasks not yet written: one INSERT writes them before
    the tasks that follow them, so that ids keep the order of the journey."""
    created, _previous, ended = _plan_next_tasks(done, now)
    if finished is None:
        start = NominationFlow.instance.start
        insert, params = _insert_rows([task for task, _n in done] + created)
        node = NominationTask._meta.get_field("flow_task").get_prep_value(start)
        parts = [
            ("rows", (f"{insert} RETURNING id, process_id, flow_task", params)),
            ("done", ("SELECT id, process_id FROM rows WHERE flow_task = %s", [node])),
            # (no second parameter for the same node: the statement keeps within psycopg's
            # 50 that it keeps parsed)
            ("new", ("SELECT id, process_id FROM rows WHERE id NOT IN (SELECT id FROM done)", [])),
        ]
    else:
        insert, params = _insert_rows(created)
        parts = [("done", finished), ("new", (f"{insert} RETURNING id, process_id", params))]
    parts.append(
        (
            "link",
            (
                f"INSERT INTO {_PREVIOUS} (from_nominationtask_id, to_nominationtask_id) "
                "SELECT new.id, done.id FROM new JOIN done USING (process_id) RETURNING id",
                [],
            ),
        )
    )
    if ended:
        ids = ", ".join(["%s"] * len(ended))
        parts.append(
            (
                "ended",
                (
                    f"UPDATE {_PROCESS} SET status = %s, finished = %s WHERE id IN ({ids}) "
                    "RETURNING id",
                    [STATUS.DONE, now, *ended],
                ),
            )
        )
    rows = _with(
        written,
        parts,
        "new.process_id, new.id, done.id",
        "FROM new JOIN done USING (process_id)",
    )
    ids_by_process = {process: (new, old) for process, new, old in rows}
    if len(ids_by_process) != len(created):
        raise RuntimeError("the next tasks were not all written and linked")
    for task in created:
        task.pk = ids_by_process[task.process_id][0]
        task._state.adding, task._state.db = False, connection.alias
    for old_task, _n in done:
        if old_task.pk is None:  # the start task, written by `finished`
            old_task.pk = ids_by_process[old_task.process_id][1]
            old_task._state.adding, old_task._state.db = False, connection.alias


def _plan_next_tasks(done: list[tuple[NominationTask, Nomination]], now):
    """The next task of each finished one (unsaved), the (new, finished) pairs to link and the
    processes that reached the end."""
    flow = NominationFlow.instance
    created, previous, ended = [], [], []
    due = {}  # deadline in working days → date: one calendar read per distinct length
    for task, n in done:
        waiting = n.waiting_on()
        node = flow.node_for(waiting)
        new = NominationTask(
            process_id=task.process_id,
            flow_task=node,
            flow_task_type=node.task_type,
            token=task.token,
            created=now,
            data={},
        )
        if waiting is None:
            new.status, new.started, new.finished = STATUS.DONE, now, now
            ended.append(task.process_id)
        else:
            days = waiting.deadline_days
            if days not in due:
                due[days] = add_working_days(timezone.localdate(), days)
            new.nomination = n
            new.stage, new.role, new.due_on = waiting.stage, waiting.role, due[days]
            new.scope_unit_id = n.proposing_unit_id
        created.append(new)
        previous.append((new, task))
    return created, previous, ended


def uphold_objection(
    nomination: Nomination,
    *,
    actor: Actor,
    remedy: str,
    reasons: str,
    origin: Origin | None = None,
    data: dict | None = None,
    reason_code: ReasonCode | None = None,
) -> Nomination:
    """An objection upheld during the public notice: the council-approved nomination goes back
    to the proposing unit (`remedy="return"`) or is rejected (`"reject"`), with reasons."""
    action, outcome = {
        "return": ("objection_return", StageDecision.Outcome.RETURNED),
        "reject": ("objection_reject", StageDecision.Outcome.REJECTED),
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
        reason_code=reason_code,
    )


def confer(
    nomination: Nomination,
    *,
    actor: Actor,
    origin: Origin | None = None,
    check_owner: bool = True,
    data: dict | None = None,
) -> Nomination:
    """The signed decision confers the award (see `approvals.outcomes.sign_decision`)."""
    return _act(
        nomination,
        "confer",
        StageDecision.Outcome.CONFERRED,
        actor=actor,
        origin=origin,
        check_owner=check_owner,
        data=data,
    )


def forward(
    nomination: Nomination,
    *,
    actor: Actor,
    origin: Origin | None = None,
    data: dict | None = None,
) -> Nomination:
    """The signed request forwards the nomination to the level that confers its award (see
    `approvals.forwarding.sign_request`); it then waits on that level's outcome."""
    return _act(
        nomination,
        "forward",
        StageDecision.Outcome.FORWARDED,
        actor=actor,
        origin=origin,
        check_owner=False,
        data=data,
    )


# The higher level's outcomes, as the office records them: the transition and its record.
HIGHER_OUTCOMES = {
    "conferred": ("higher_confer", StageDecision.Outcome.HIGHER_CONFERRED),
    "not_conferred": ("higher_not_confer", StageDecision.Outcome.HIGHER_NOT_CONFERRED),
    "returned": ("higher_return", StageDecision.Outcome.HIGHER_RETURNED),
}


def record_higher_outcome(
    nomination: Nomination,
    *,
    outcome: str,
    actor: Actor,
    reasons: str = "",
    origin: Origin | None = None,
    data: dict | None = None,
) -> Nomination:
    """The office records what the higher level decided about a forwarded nomination:
    conferred (awarded), not conferred (closed, with the reason), or returned for more documents
    (back to the proposing unit, with the reason). See `approvals.forwarding.record_outcome`."""
    action, decided = HIGHER_OUTCOMES[outcome]
    return _act(
        nomination,
        action,
        decided,
        actor=actor,
        reasons=reasons,
        origin=origin,
        transition_kwargs={} if outcome == "conferred" else {"reasons": reasons},
        check_owner=False,
        data=data,
    )


# --- holds ----------------------------------------------------------------------------------
# A hold completes no task and starts none: the task the nomination waited on stays open, with
# its owner, until the hold is lifted; meanwhile the lifecycle refuses every action but lifting
# it and (where the status it was held in allows) withdrawing. So holds take this small path of
# their own rather than `_act`'s task bookkeeping.


def place_hold(
    nomination: Nomination,
    *,
    actor: Actor,
    kind: str,
    reason: str,
    expected_end=None,
    origin: Origin | None = None,
) -> Hold:
    """Put the nomination on hold while its nominee is under a disciplinary measure, an
    investigation, an inspection or a complaint (Decree 152/2025, Art. 4): held, not rejected,
    until the matter is resolved. The status it was held in is kept on the `Hold`, so lifting it
    returns the nomination exactly there."""
    if kind not in HoldKind.values:
        raise InvalidInput(_("Choose why the nomination is put on hold."))
    if not (reason or "").strip():
        raise InvalidInput(_("Say why the nomination is put on hold."))
    with transaction.atomic():
        n = Nomination.objects.lock(nomination)
        authority = policy.authorize_locked(actor, "hold", n, nomination)
        task = NominationTask.objects.open_for(n)
        step = _fire(
            n,
            "hold",
            StageDecision.Outcome.HELD,
            actor=actor,
            authority=authority,
            task=task,
            reasons=reason,
            data={
                "hold_kind": kind,
                "expected_end": expected_end.isoformat() if expected_end else None,
            },
            transition_kwargs={"reason": reason},
        )
        n.save()
        hold = Hold.objects.create(
            nomination=n,
            kind=kind,
            reason=reason,
            held_status=step.before,
            expected_end=expected_end,
            placed_by=actor,
            placed_at=n.status_changed_at,
        )
        n._open_hold = hold
        step.data["hold"] = hold.pk
        step.decision(actor).save(force_insert=True)
        audit.append(step.event(actor, origin))
    return hold


def lift_hold(
    nomination: Nomination,
    *,
    actor: Actor,
    resolution: str,
    origin: Origin | None = None,
) -> Hold:
    """Lift the hold once the matter is resolved, saying how: the nomination returns to the
    status it was held in, its task still open as it was."""
    if not (resolution or "").strip():
        raise InvalidInput(_("Say how the matter was resolved before lifting the hold."))
    with transaction.atomic():
        n = Nomination.objects.lock(nomination)
        authority = policy.authorize_locked(actor, "lift_hold", n, nomination)
        hold = n.open_hold()
        task = NominationTask.objects.open_for(n)
        step = _fire(
            n,
            "lift_hold",
            StageDecision.Outcome.HOLD_LIFTED,
            actor=actor,
            authority=authority,
            task=task,
            reasons=resolution,
            transition_kwargs={"hold": hold, "resolution": resolution},
        )
        assert hold is not None  # the transition refuses a nomination without an open hold
        step.stage = hold.held_status
        step.data = {
            "hold": hold.pk,
            "hold_kind": hold.kind,
            "held_since": hold.placed_at.isoformat(),
        }
        n.save()
        hold.lifted_at = n.status_changed_at
        hold.lifted_by = actor
        hold.lift_reason = resolution
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        n._open_hold = None
        step.decision(actor).save(force_insert=True)
        audit.append(step.event(actor, origin))
    return hold


# --- taking and releasing tasks ----------------------------------------------------------


def _nomination_of(task: NominationTask) -> Nomination:
    if task.nomination is None:  # the flow's own nodes (start, end): nobody takes them
        raise ValueError(f"task {task.pk} is not a nomination's")
    return task.nomination


def _still_open(requested: NominationTask, nomination: Nomination) -> NominationTask:
    """The requested task, fresh and locked, if the nomination still waits on it. Locked (after
    the nomination, as every writer of tasks does) because it is saved whole afterwards: the
    deadlines' job (`workflows.deadlines`) marks its reminders on the same row meanwhile."""
    task = (
        NominationTask.objects.filter(nomination=nomination, status__in=OPEN)
        .select_related("process", "owner")
        .select_for_update(of=("self",))
        .first()
    )
    if task is None or task.pk != requested.pk:
        raise ConflictingAction(_("This task is already done; the nomination has moved on."))
    return task


def take_task(
    task: NominationTask, *, actor: Actor, origin: Origin | None = None
) -> NominationTask:
    """The user takes the task from the shared queue; nobody else can act on it until released."""
    with transaction.atomic():
        seen = _nomination_of(task)
        n = Nomination.objects.lock(seen)
        n.refuse_if_stale(seen, actor)
        task = _still_open(task, n)
        if task.owner_id:
            if task.owner_id == actor.pk:
                return task
            _check_task_owner(task, actor)
        take_action = TAKE_ACTION.get(task.flow_task.name)
        if take_action is None:
            raise NotAllowed(_("The unit's revision is not taken from a queue; resubmit instead."))
        authority = policy.authorize(actor, take_action, n)
        if n.status == Status.ON_HOLD:  # nobody acts on it until the hold is lifted
            raise TransitionRefused(
                _("This nomination is on hold: its task cannot be taken until the hold is lifted.")
            )
        task.flow_task.activation_class(task).assign(actor)
        audit.append(events.task_taken(task, n, actor=actor, authority=authority, origin=origin))
    return task


def release_task(
    task: NominationTask, *, actor: Actor, origin: Origin | None = None
) -> NominationTask:
    """The owner puts the task back in the shared queue."""
    with transaction.atomic():
        seen = _nomination_of(task)
        n = Nomination.objects.lock(seen)
        n.refuse_if_stale(seen, actor)
        task = _still_open(task, n)
        if task.owner_id != actor.pk:
            raise NotAllowed(_("Only the person who took a task can release it."))
        task.flow_task.activation_class(task).unassign()
        audit.append(events.task_released(task, n, actor=actor, origin=origin))
    return task


def reassign_task(
    task: NominationTask, *, new_owner, actor: Actor, origin: Origin | None = None
) -> NominationTask:
    """Whoever an overdue task was escalated to (`nominations.policy.ESCALATES_TO`) gives it to
    another holder of its role over the proposing unit, who then has it as if they had taken
    it (`policy.authorize_reassign` says who may, to whom)."""
    with transaction.atomic():
        seen = _nomination_of(task)
        n = Nomination.objects.lock(seen)
        n.refuse_if_stale(seen, actor)
        task = _still_open(task, n)
        authority = policy.authorize_reassign(
            actor,
            role=task.role,
            escalated=task.escalated_at is not None,
            nomination=n,
            new_owner=new_owner,
        )
        if n.status == Status.ON_HOLD:  # nobody acts on it until the hold is lifted
            raise TransitionRefused(
                _(
                    "This nomination is on hold: its task cannot be reassigned until the hold "
                    "is lifted."
                )
            )
        if task.owner_id == new_owner.pk:
            raise InvalidInput(
                _("%(name)s already has this task.") % {"name": display_name(new_owner)}
            )
        previous = task.owner_id
        now = timezone.now()
        NominationTask.objects.filter(pk=task.pk).update(
            owner=new_owner, status=STATUS.ASSIGNED, assigned=now
        )
        task.owner, task.status, task.assigned = new_owner, STATUS.ASSIGNED, now
        audit.append(
            events.task_reassigned(
                task, n, previous_owner=previous, actor=actor, authority=authority, origin=origin
            )
        )
    return task
