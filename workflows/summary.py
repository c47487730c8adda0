"""The dashboard's figures, and the summaries of them kept for the widest views.

A party committee or an inspector sees the whole agency: at 100,000 nominations, counting by
status, award, unit, overdue task and stage time on every request costs hundreds of
milliseconds. Those views read a summary instead, refreshed by `manage.py run_timers` (every
minute from cron; a summary is recomputed once it is `REFRESH_AFTER` old) and shown with its
age ("as of 10:42").

Why a summary refreshed by the timers job rather than one maintained in the same transaction as
each action: the figures include medians of time spent in each stage and overdue counts that move
with the calendar, not with actions — neither can be kept exact by adding to a counter — and a
counter row per (unit, status) updated by every action would add a statement to every action
and make concurrent actions of one unit wait on one row. Minutes of lag are what a dashboard
of weeks-long stages can afford; the write path pays nothing.

Why a table rather than a materialised view: what a user may see depends on their roles
(`policy.visible_q`: a reviewer sees what reached their stage, and the escalations sent to
them), so a summary is kept per *scope* — the set of (role, unit) a user holds; users holding the
same set see the same figures and share one row — the same table on SQLite and PostgreSQL,
replaced in one short transaction, so readers see the old row or the new one, never a gap.
Narrow scopes (a unit's proposer or head: one unit's nominations) are counted live.
"""

import datetime
import hashlib
import statistics

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from nominations import policy
from nominations.models import Delegation, Nomination, RoleAssignment
from nominations.roles import Role

from .models import OPEN, DashboardSummary, NominationTask

# A summary older than this is recomputed by the next run of the timers job.
REFRESH_AFTER = datetime.timedelta(minutes=5)
# A summary older than this (the timers job has stopped) is not shown: the page counts live.
SHOWN_UNTIL = datetime.timedelta(hours=1)
# Who reads one unit's nominations only: counted live, never summarised.
_UNIT_ROLES = frozenset({Role.UNIT_PROPOSER, Role.UNIT_HEAD})


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def counts(user, today: datetime.date | None = None) -> dict:
    """The dashboard's figures over what the user may see, as plain data (JSON): statuses,
    award types and units by their names in both languages, overdue tasks by stage, the median
    days of each stage. Two grouped queries (assignments aside), whatever the size: the
    nominations read once for the three counts of them, the tasks once for the overdue and the
    finished (on SQLite, which has no median, a third reads the finished tasks' times)."""
    today = today or timezone.localdate()
    nominations = Nomination.objects.filter(policy.visible_q(user))
    by_status: dict[str, int] = {}
    by_award_type: dict[tuple[str, str], int] = {}
    by_unit: dict[tuple[str, str], int] = {}
    for status, award_vi, award_en, unit_vi, unit_en, n in (
        nominations.values_list(
            "status",
            "award_type__name_vi",
            "award_type__name_en",
            "proposing_unit__name_vi",
            "proposing_unit__name_en",
        )
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_status[status] = by_status.get(status, 0) + n
        by_award_type[award_vi, award_en] = by_award_type.get((award_vi, award_en), 0) + n
        by_unit[unit_vi, unit_en] = by_unit.get((unit_vi, unit_en), 0) + n
    tasks = NominationTask.objects.filter(nomination__in=nominations, flow_task_type="HUMAN")
    overdue, median_days = _tasks_by_stage(tasks, today)
    return {
        "by_status": by_status,
        "by_award_type": [[vi, en, n] for (vi, en), n in by_award_type.items()],
        "by_unit": [[vi, en, n] for (vi, en), n in by_unit.items()],
        "overdue": overdue,
        "overdue_total": sum(overdue.values()),
        "median_days": median_days,
    }


def _tasks_by_stage(tasks, today) -> tuple[dict[str, int], dict[str, list]]:
    """({stage: open tasks past their due day}, {stage: [median days, tasks done]}) over the
    tasks still open and those finished at each stage, from one grouped read of them."""
    late = Q(status__in=OPEN, due_on__lt=today)
    done = Q(status=STATUS.DONE, finished__isnull=False) & ~Q(stage="")
    spent = ExpressionWrapper(F("finished") - F("created"), output_field=DurationField())
    figures = {"late": Count("id", filter=late)}
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        figures |= {"median": Median(spent, filter=done), "done": Count("id", filter=done)}
    rows = list(tasks.filter(late | done).values("stage").annotate(**figures).order_by())
    overdue = {r["stage"]: r["late"] for r in rows if r["late"]}
    if postgresql:
        medians = {r["stage"]: (r["median"], r["done"]) for r in rows if r["done"]}
    else:  # SQLite has no percentile: the demo's few thousand tasks are fine in Python
        spans: dict[str, list[datetime.timedelta]] = {}
        for stage, created, finished in tasks.filter(done).values_list(
            "stage", "created", "finished"
        ):
            spans.setdefault(stage, []).append(finished - created)
        medians = {s: (statistics.median(v), len(v)) for s, v in spans.items()}
    return overdue, {
        stage: [round(median.total_seconds() / 86400, 1), n]
        for stage, (median, n) in medians.items()
    }


def scope_key(user) -> str | None:
    """The key of the user's summary: the (role, unit) pairs they hold, which alone decide
    what they see; None for a scope counted live (a unit's roles only, or no role)."""
    held = sorted({(a.role, a.path) for a in policy.assignments(user)})
    if not held or all(role in _UNIT_ROLES for role, _path in held):
        return None
    return hashlib.sha256(repr(held).encode()).hexdigest()


def summary_for(user, now: datetime.datetime | None = None) -> DashboardSummary | None:
    """The user's scope's summary if one is recent enough to show (one query), else None."""
    key = scope_key(user)
    if key is None:
        return None
    now = now or timezone.now()
    return DashboardSummary.objects.filter(key=key, refreshed_at__gt=now - SHOWN_UNTIL).first()


def _wide_holders() -> list[int]:
    """Users holding, or acting today for, a role beyond one unit's: the summarised scopes."""
    today = timezone.localdate()
    held = RoleAssignment.objects.filter(~Q(role__in=_UNIT_ROLES)).order_by().values_list("user_id")
    received = (
        Delegation.objects.filter(
            ~Q(role__in=_UNIT_ROLES),
            revoked_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .order_by()
        .values_list("delegate_id")
    )
    return sorted({uid for (uid,) in held.union(received)})


def refresh(now: datetime.datetime | None = None) -> int:
    """Recompute the summaries older than `REFRESH_AFTER` (the timers job, every minute), one
    per scope held today; drop those of scopes nobody holds any more. Returns how many were
    written. Each is written in its own short transaction: a reader sees the old row or the
    new one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    fresh = set(
        DashboardSummary.objects.filter(refreshed_at__gt=now - REFRESH_AFTER).values_list(
            "key", flat=True
        )
    )
    seen, written = set(), 0
    for user in get_user_model().objects.filter(pk__in=_wide_holders()).order_by("pk"):
        key = scope_key(user)
        if key is None or key in seen:
            continue
        seen.add(key)
        if key in fresh:
            continue
        figures = counts(user, today)
        with transaction.atomic():
            DashboardSummary.objects.update_or_create(
                key=key, defaults={"figures": figures, "refreshed_at": now}
            )
        written += 1
    DashboardSummary.objects.exclude(key__in=seen).delete()
    return written
