"""The dashboard: where the nominations a user may see stand, and how long stages take.

The figures come from two grouped queries over the nominations the user may see and their tasks
(`policy.visible_q`, `workflows.summary.counts`), so the page costs the same few queries whatever
the agency's size;
the widest views read a summary refreshed by the timers job instead, with its age on the page
(`workflows.summary` says why a summary refreshed by the timers and not one kept by each action).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from nominations import policy
from nominations.models import Unit
from nominations.models.bilingual import in_language
from nominations.roles import Role
from nominations.stages import FINAL, Status
from workflows import summary

# Started and not yet at its end: under review, returned for revision, or awaiting a decision.
IN_PROGRESS = [s.value for s in Status if s != Status.DRAFT and s not in FINAL]


def _bars(rows, label, value="n", ordered=False):
    """[(label, count, percent of the largest)] for a bar chart, largest first (or as given)."""
    rows = list(rows) if ordered else sorted(rows, key=lambda r: -r[value])
    top = max((r[value] for r in rows), default=0) or 1
    return [(label(r), r[value], round(100 * r[value] / top, 1)) for r in rows]


def scope(user) -> list[tuple[str, list[str]]]:
    """Whose figures the user sees: each unit they hold a role over, with those roles (one
    query). An inspector sees the whole agency, whatever unit the role names."""
    held: dict[int, set[str]] = {}
    for a in policy.assignments(user):
        held.setdefault(a.unit_id, set()).add(a.role)
    units = Unit.objects.filter(pk__in=held).order_by("path") if held else []
    return [(u.name, sorted(Role(r).label for r in held[u.pk])) for u in units]


def figures(user, counted: dict | None = None) -> dict:
    """What the page shows: `counted` (`workflows.summary.counts`, or a summary's copy of it)
    labelled in the reader's language; counted live if not given."""
    c = summary.counts(user) if counted is None else counted
    by_status = c["by_status"]
    ordered_stages = {stage: i for i, stage in enumerate(Status)}
    median_days = [
        (Status(stage).label, days, n)
        for stage, (days, n) in sorted(
            c["median_days"].items(), key=lambda kv: ordered_stages[Status(kv[0])]
        )
    ]
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
            [{"vi": vi, "en": en, "n": n} for vi, en, n in c["by_award_type"]],
            label=lambda r: in_language(r["vi"], r["en"]),
        ),
        "by_unit": _bars(
            [{"vi": vi, "en": en, "n": n} for vi, en, n in c["by_unit"]],
            label=lambda r: in_language(r["vi"], r["en"]),
        ),
        "overdue": _bars(
            [{"stage": Status(stage).label, "n": n} for stage, n in c["overdue"].items()],
            label=lambda r: r["stage"],
        ),
        "overdue_total": c["overdue_total"],
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
    """The widest views (a party committee, an inspector: the whole agency) read their scope's
    summary kept by the timers job and say how old it is; the others are counted live."""
    kept = summary.summary_for(request.user)
    return render(
        request,
        "workflows/dashboard.html",
        {
            "f": figures(request.user, kept.figures if kept else None),
            "as_of": timezone.localtime(kept.refreshed_at) if kept else None,
        },
    )
