"""The dashboard: where the nominations a user may see stand, and how long stages take.

Every figure is one grouped query over the nominations the user may see (`policy.visible_q`),
so the page costs the same few queries whatever the agency's size.
"""

import datetime
import statistics

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from viewflow.workflow.status import STATUS

from nominations import policy
from nominations.models import Nomination, Unit
from nominations.models.bilingual import in_language
from nominations.roles import Role
from nominations.stages import FINAL, Status
from workflows.models import OPEN, NominationTask


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


# Started and not yet at its end: under review, returned for revision, or awaiting a decision.
IN_PROGRESS = [s.value for s in Status if s != Status.DRAFT and s not in FINAL]


def _bars(rows, label, value="n", ordered=False):
    """[(label, count, percent of the largest)] for a bar chart, largest first (or as given)."""
    rows = list(rows) if ordered else sorted(rows, key=lambda r: -r[value])
    top = max((r[value] for r in rows), default=0) or 1
    return [(label(r), r[value], round(100 * r[value] / top, 1)) for r in rows]


def _median_days_by_stage(tasks) -> list[tuple[str, float, int]]:
    done = tasks.filter(status=STATUS.DONE, finished__isnull=False).exclude(stage="")
    spent = ExpressionWrapper(F("finished") - F("created"), output_field=DurationField())
    if connection.vendor == "postgresql":
        rows = done.values("stage").annotate(median=Median(spent), n=Count("id")).order_by()
        medians = {r["stage"]: (r["median"], r["n"]) for r in rows}
    else:  # SQLite has no percentile: the demo's few thousand tasks are fine in Python
        spans: dict[str, list[datetime.timedelta]] = {}
        for stage, created, finished in done.values_list("stage", "created", "finished"):
            spans.setdefault(stage, []).append(finished - created)
        medians = {s: (statistics.median(v), len(v)) for s, v in spans.items()}
    return [
        (Status(stage).label, round(median.total_seconds() / 86400, 1), n)
        for stage, (median, n) in sorted(medians.items(), key=lambda kv: list(Status).index(kv[0]))
    ]


def scope(user) -> list[tuple[str, list[str]]]:
    """Whose figures the user sees: each unit they hold a role over, with those roles (one
    query). An inspector sees the whole agency, whatever unit the role names."""
    held: dict[int, set[str]] = {}
    for a in policy.assignments(user):
        held.setdefault(a.unit_id, set()).add(a.role)
    units = Unit.objects.filter(pk__in=held).order_by("path") if held else []
    return [(u.name, sorted(Role(r).label for r in held[u.pk])) for u in units]


def figures(user) -> dict:
    nominations = Nomination.objects.filter(policy.visible_q(user))
    tasks = NominationTask.objects.filter(nomination__in=nominations, flow_task_type="HUMAN")
    today = timezone.localdate()
    by_status = {r["status"]: r["n"] for r in nominations.values("status").annotate(n=Count("id"))}
    overdue = tasks.filter(status__in=OPEN, due_on__lt=today)
    median_days = _median_days_by_stage(tasks)
    return {
        "scope": scope(user),
        "agency_wide": Role.INSPECTOR in policy.roles_of(user),
        "total": sum(by_status.values()),
        "in_progress": sum(by_status.get(s, 0) for s in IN_PROGRESS),
        "awarded": by_status.get(Status.AWARDED, 0),
        "by_status": [
            (s.label, by_status.get(s.value, 0), s.value) for s in Status if by_status.get(s.value)
        ],
        "by_stage": _bars(
            [
                {"stage": s.label, "n": by_status.get(s.value, 0)}
                for s in Status
                if s.value in by_status
            ],
            label=lambda r: r["stage"],
        ),
        "by_award_type": _bars(
            nominations.values("award_type__name_vi", "award_type__name_en")
            .annotate(n=Count("id"))
            .order_by(),
            label=lambda r: in_language(r["award_type__name_vi"], r["award_type__name_en"]),
        ),
        "by_unit": _bars(
            nominations.values("proposing_unit__name_vi", "proposing_unit__name_en")
            .annotate(n=Count("id"))
            .order_by(),
            label=lambda r: in_language(r["proposing_unit__name_vi"], r["proposing_unit__name_en"]),
        ),
        "overdue": _bars(
            [
                {"stage": Status(r["stage"]).label, "n": r["n"]}
                for r in overdue.values("stage").annotate(n=Count("id")).order_by()
            ],
            label=lambda r: r["stage"],
        ),
        "overdue_total": overdue.count(),
        "median_days": median_days,
        # Drawn in the order of the route, like the table under it.
        "median_bars": _bars(
            [{"stage": stage, "days": days} for stage, days, _n in median_days],
            label=lambda r: r["stage"],
            value="days",
            ordered=True,
        ),
    }


@login_required
@require_GET
def dashboard(request):
    return render(request, "workflows/dashboard.html", {"f": figures(request.user)})
