"""What waits for whom."""

from django.db.models import F, Q, QuerySet
from viewflow.workflow.status import STATUS

from nominations import policy
from nominations.roles import Role

from .models import OPEN, NominationTask


def _may_take_q(user) -> Q:
    q = Q(pk__in=[])
    for a in policy.assignments(user):
        q |= Q(role=a.role, scope_unit__path__startswith=a.path)
    return q


def inbox_for(user) -> QuerySet[NominationTask]:
    """The tasks the user has taken, and those waiting for someone holding their roles, less
    the nominations they may not judge (their own proposals, or naming them)."""
    taken = Q(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
    waiting = Q(owner__isnull=True, status=STATUS.NEW) & _may_take_q(user)
    return (
        NominationTask.objects.filter(taken | waiting)
        .exclude(~Q(role=Role.UNIT_PROPOSER) & policy.conflict_q(user, "nomination__"))
        .select_related(
            "owner",
            "nomination__award_type",
            "nomination__campaign",
            "nomination__proposing_unit",
            "nomination__nominee_person",
            "nomination__nominee_unit",
        )
        .order_by("due_on", "created")
    )


def open_task(nomination) -> NominationTask | None:
    """The task the nomination waits on, if any."""
    return (
        NominationTask.objects.filter(nomination=nomination, status__in=OPEN)
        .select_related("process", "owner")
        .first()
    )


def overdue_tasks(today) -> QuerySet[NominationTask]:
    """Stages past their deadline: finished after the due day, or still open after it."""
    late = Q(finished__isnull=True, due_on__lt=today, status__in=OPEN) | Q(
        finished__isnull=False, finished__date__gt=F("due_on")
    )
    return (
        NominationTask.objects.filter(due_on__isnull=False)
        .filter(late)
        .select_related("nomination__proposing_unit", "nomination__award_type", "owner")
        .order_by("due_on", "pk")
    )
