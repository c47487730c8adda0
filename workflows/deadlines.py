"""Deadlines that act: reminders before a task's due date and on it, and escalation of a task
that is overdue to the role above (`nominations.policy.ESCALATES_TO`). Run by `run_timers`.

How much notice and when to escalate are data on each route stage (`RouteStage`:
`remind_days_before`, `escalate_after_days`); the unit's revision and the signature, which have
no route stage, take that model's defaults. Days are working days (`nominations.calendar`). A
nomination on hold is neither reminded nor escalated.

Each reminder or escalation is marked on its task (`reminded_before_at`, `reminded_due_at`,
`escalated_at`) in the transaction that appends its audit event, so it is done exactly once: a
run killed half way commits nothing of its batch, and the next run does it. The tasks of a batch
are locked with SKIP LOCKED, so a second run at the same moment (another machine's cron) passes
over them instead of waiting and doing them again; an action completing a task meanwhile holds
its row, so a task is never reminded after it was done. The chain's reader (`notifications`)
turns the events into notifications: the same run reads the chain again after this job.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit import services as audit
from nominations import policy
from nominations.calendar import add_working_days, working_days_between, working_days_overdue
from nominations.models import RouteStage
from nominations.stages import Status

from . import events
from .models import OPEN, NominationTask

BEFORE, DUE = "before", "due"

# A task with no route stage (the unit's revision, the signature) is treated as a route stage
# with the defaults.
DEFAULT_REMIND = RouteStage._meta.get_field("remind_days_before").get_default()
DEFAULT_ESCALATE = RouteStage._meta.get_field("escalate_after_days").get_default()


@dataclass(frozen=True)
class Done:
    """What a run of the job recorded."""

    reminders: int = 0
    escalations: int = 0


@dataclass(frozen=True)
class Rule:
    remind_days_before: int
    escalate_after_days: int | None


# Awaiting the higher level's outcome (`stages.HIGHER_LEVEL_DAYS`): the office is reminded to
# ask, but nobody in the agency can make that level decide, so it is never escalated.
HIGHER_LEVEL_RULE = Rule(DEFAULT_REMIND, None)


def _rules(award_type_ids) -> dict[tuple[int, str], Rule]:
    """(award type, stage) → its route stage's rule, for a batch's award types (one query)."""
    return {
        (at, stage): Rule(remind, escalate)
        for at, stage, remind, escalate in RouteStage.objects.filter(
            award_type_id__in=award_type_ids
        ).values_list("award_type_id", "stage", "remind_days_before", "escalate_after_days")
    }


def due_now(task: NominationTask, rule: Rule, today: datetime.date) -> tuple[str, int] | None:
    """What the task calls for today: ("escalate", days overdue), ("remind", BEFORE | DUE), or
    None. One thing at a time, the most pressing: an escalation makes the late reminder moot,
    and on the due day the "before" reminder has been overtaken by the day's."""
    due = task.due_on
    if due is None:
        return None
    if task.escalated_at is None and rule.escalate_after_days is not None and due < today:
        overdue = working_days_overdue(due, today)
        if overdue >= max(rule.escalate_after_days, 1):
            return ("escalate", overdue)
    if today >= due:
        if task.reminded_due_at is None and task.escalated_at is None:
            return (DUE, 0)
        return None
    if (
        task.reminded_before_at is None
        and rule.remind_days_before > 0
        and working_days_between(today, due) <= rule.remind_days_before
    ):
        return (BEFORE, 0)
    return None


def _candidates(today: datetime.date, horizon: datetime.date):
    """Open tasks of nominations not on hold that may call for something today."""
    return NominationTask.objects.filter(
        Q(reminded_before_at__isnull=True, due_on__gt=today, due_on__lte=horizon)
        | Q(reminded_due_at__isnull=True, escalated_at__isnull=True, due_on__lte=today)
        | Q(escalated_at__isnull=True, due_on__lt=today),
        status__in=OPEN,
        nomination__isnull=False,
    ).exclude(nomination__status=Status.ON_HOLD)


def run_batch(today: datetime.date, after: int, horizon: datetime.date, batch: int):
    """One transaction: lock up to `batch` candidate tasks after task `after` (SKIP LOCKED),
    record what each calls for, mark it on the task. Returns (Done, last task id seen or None)."""
    with transaction.atomic():
        tasks = list(
            _candidates(today, horizon)
            .filter(pk__gt=after)
            .select_related("nomination__proposing_unit")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch]
        )
        if not tasks:
            return Done(), None
        rules = _rules({t.nomination.award_type_id for t in tasks})
        now = timezone.now()
        recorded, marks = [], {"reminded_before_at": [], "reminded_due_at": [], "escalated_at": []}
        reminders = escalations = 0
        for task in tasks:
            n = task.nomination
            if task.stage == Status.FORWARDED:
                rule = HIGHER_LEVEL_RULE
            else:
                rule = rules.get(
                    (n.award_type_id, task.stage), Rule(DEFAULT_REMIND, DEFAULT_ESCALATE)
                )
            what = due_now(task, rule, today)
            if what is None:
                continue
            if what[0] == "escalate":
                above = policy.escalates_to(task.role)
                recorded.append(
                    events.task_escalated(task, n, escalated_to=above or "", overdue_days=what[1])
                )
                marks["escalated_at"].append(task.pk)
                escalations += 1
            else:
                recorded.append(events.task_reminded(task, n, reminder=what[0]))
                marks["reminded_before_at" if what[0] == BEFORE else "reminded_due_at"].append(
                    task.pk
                )
                reminders += 1
        for column, pks in marks.items():
            if pks:
                NominationTask.objects.filter(pk__in=pks).update(**{column: now})
        if recorded:
            audit.bulk_append(recorded)  # last: it holds the chain's head until commit
        return Done(reminders, escalations), tasks[-1].pk


def run(today: datetime.date | None = None, batch: int = 200) -> Done:
    """Remind and escalate whatever is due `today` (by default the local date), batch after
    batch, each committed on its own."""
    today = today or timezone.localdate()
    longest = max(
        [DEFAULT_REMIND, *RouteStage.objects.values_list("remind_days_before", flat=True)]
    )
    horizon = add_working_days(today, longest)
    reminders = escalations = 0
    after = 0
    while True:
        done, last = run_batch(today, after, horizon, batch)
        reminders += done.reminders
        escalations += done.escalations
        if last is None:
            return Done(reminders, escalations)
        after = last
