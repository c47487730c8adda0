"""What waits for whom."""

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    Case,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from viewflow.workflow.status import STATUS

from audit.selectors import capped_count
from nominations import policy
from nominations.calendar import calendar_between, working_days_overdue
from nominations.models import AwardType, Hold, Unit
from nominations.roles import Role
from nominations.stages import Status

from .models import OPEN, NominationTask, NominationTaskQuerySet


def _may_take_q(user) -> Q:
    q = Q(pk__in=[])
    for a in policy.assignments(user):
        q |= Q(role=a.role, scope_unit__path__startswith=a.path)
    return q


# Of the nomination joined to a task, the columns an inbox row needs: its status and whom and
# what it names. Not the dossier's text, which a queue of 500 read and converted for nothing.
_NOMINATION_COLUMNS = (
    "nomination__status",
    "nomination__award_type_id",
    "nomination__proposing_unit_id",
    "nomination__nominee_person_id",
    "nomination__nominee_unit_id",
)


def _task_columns() -> list[str]:
    return [f.name for f in NominationTask._meta.concrete_fields]


def _names(*, owner: bool) -> tuple[Prefetch, ...]:
    """The names an inbox row shows (award type, proposing unit, nominee; and who took the task,
    which the API shows), read by id once the tasks are read: one small query each, whatever
    the page's size. Joined to the tasks' query instead, each cost PostgreSQL's planner more
    than its read saved (the selector: 12 ms of planning for under 1 ms of execution, at
    100,000 nominations)."""
    person = get_user_model().objects.only("first_name", "last_name", "username")
    unit = Unit.objects.only("name_vi", "name_en")
    names = (
        Prefetch("nomination__award_type", AwardType.objects.only("name_vi", "name_en")),
        Prefetch("nomination__proposing_unit", unit),
        Prefetch("nomination__nominee_unit", unit.all()),
        Prefetch("nomination__nominee_person", person),
    )
    return (*names, Prefetch("owner", person.all())) if owner else names


def with_names(tasks: list[NominationTask]) -> list[NominationTask]:
    """`tasks` (of `inbox_parts`, several lists at once) with the names their rows show (not
    the owner: the page's tasks are the user's or nobody's)."""
    prefetch_related_objects(tasks, *_names(owner=False))
    return tasks


def _inbox(user) -> QuerySet[NominationTask]:
    """What `taken_by` and `waiting_for` share: the nominations the user may not judge left
    out (their own proposals, or naming them), the inbox's order, the task with its nomination
    (`with_names` reads the names the rows show)."""
    return (
        NominationTask.objects.exclude(
            ~Q(role=Role.UNIT_PROPOSER) & policy.conflict_q(user, "nomination__")
        )
        .select_related("nomination")
        .only(*_task_columns(), *_NOMINATION_COLUMNS)
        .annotate(hold_kind=_hold_kind())
        .order_by("due_on", "created")
    )


def _hold_kind():
    """The kind of the open hold of a held nomination's task (None for the others, for which
    the subquery is not even run): the inbox marks held work in the same query."""
    open_hold = Hold.objects.filter(nomination_id=OuterRef("nomination_id"), lifted_at__isnull=True)
    return Case(
        When(nomination__status=Status.ON_HOLD, then=Subquery(open_hold.values("kind")[:1])),
        default=None,
    )


def _taken_q(user) -> Q:
    return Q(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])


def _waiting_q(user) -> Q:
    return Q(owner__isnull=True, status=STATUS.NEW) & _may_take_q(user)


def taken_by(user) -> QuerySet[NominationTask]:
    """The tasks the user has taken and not finished."""
    return _inbox(user).filter(_taken_q(user))


def waiting_for(user) -> QuerySet[NominationTask]:
    """The tasks waiting for someone holding the user's roles. Kept apart from `taken_by` so
    that PostgreSQL can walk the queue in due order and stop after a page (as one `OR` it sorts
    the whole queue first)."""
    return _inbox(user).filter(_waiting_q(user))


def inbox_parts(user) -> tuple[QuerySet[NominationTask], QuerySet[NominationTask]]:
    """`taken_by` and `waiting_for` from one build of what they share: the ORM spends most of
    either's build on the filter of conflicts of interest."""
    shared = _inbox(user)
    return shared.filter(_taken_q(user)), shared.filter(_waiting_q(user))


# Counts of the shared queue stop here ("1000+"): counting an agency-wide queue of tens of
# thousands on every visit costs more than the page itself.
INBOX_COUNT_CAP = 1000


def inbox_count(user) -> int:
    """How many tasks wait for the user, counting no further than the cap (one query)."""
    return capped_count(inbox_for(user), INBOX_COUNT_CAP)


def waiting_counts(waiting: QuerySet, today, soon, cap: int):
    """How many of the `waiting` tasks there are, how many are overdue and how many are due by
    `soon`, each counted no further than `cap` + 1 as `capped_count` would, in one query where
    it can: the first cap + 1 due dates of the queue in due order, which hold every overdue
    task, then every task due soon, unless those fill the whole read; only then is that count
    taken on its own (a queue of more than `cap` overdue tasks, say)."""
    dues = list(
        waiting.order_by(F("due_on").asc(nulls_last=True), "created").values_list(
            "due_on", flat=True
        )[: cap + 1]
    )
    overdue = sum(1 for d in dues if d is not None and d < today)
    due_soon = sum(1 for d in dues if d is not None and today <= d <= soon)
    last = dues[-1] if len(dues) > cap else None  # None: the read holds every dated task
    if last is not None and last < today:
        overdue = capped_count(waiting.filter(due_on__lt=today), cap)
    if last is not None and last <= soon:
        due_soon = capped_count(waiting.filter(due_on__gte=today, due_on__lte=soon), cap)
    return len(dues), overdue, due_soon


class Inbox(NominationTaskQuerySet):
    """`taken_by` and `waiting_for` as one UNION ALL rather than one `OR` (which PostgreSQL can
    only answer by sorting the whole queue). A slice is cut in each part as well, in the same
    order, so that the waiting part walks `task_waiting_idx` and stops: the first n of the union
    are among the first n of each part. Filters apply to both parts."""

    def filter(self, *args, **kwargs):
        return self._in_each_part("filter", args, kwargs)

    def exclude(self, *args, **kwargs):
        return self._in_each_part("exclude", args, kwargs)

    def _in_each_part(self, method, args, kwargs):
        if self.query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")
        inbox = self._chain()
        inbox.query.combined_queries = tuple(
            getattr(QuerySet(self.model, part.chain(), using=self._db), method)(
                *args, **kwargs
            ).query
            for part in self.query.combined_queries
        )
        return inbox

    def __getitem__(self, k):
        if self._result_cache is not None:
            return super().__getitem__(k)
        if isinstance(k, int):
            inbox = self[k : k + 1]
            inbox._fetch_all()
            return inbox._result_cache[0]
        if isinstance(k, slice) and k.step:
            return list(self[k.start : k.stop])[:: k.step]
        inbox = super().__getitem__(k)
        inbox._cut_parts()
        return inbox

    def _cut_parts(self):
        end = self.query.high_mark
        # SQLite takes no ORDER BY or LIMIT in a part (its parts are read whole; fine for tests).
        if end is None or not connections[self.db].features.supports_slicing_ordering_in_compound:
            return
        parts = []
        for part in self.query.combined_queries:
            part = part.clone()
            part.clear_ordering(force=True)
            part.add_ordering(*self.query.order_by)
            part.clear_limits()
            part.set_limits(high=end)
            parts.append(part)
        self.query.combined_queries = tuple(parts)


def inbox_for(user) -> Inbox:
    """What waits for the user: `taken_by` and `waiting_for` together, by due date."""
    taken, waiting = inbox_parts(user)
    both = taken.order_by().union(waiting.order_by(), all=True)
    inbox = Inbox(NominationTask, both.order_by("due_on", "created").query, using=both._db)
    # A union takes no prefetch_related(); its tasks are read with their names all the same.
    inbox._prefetch_related_lookups = _names(owner=True)
    return inbox


def mark_overdue(tasks, today, holidays=None) -> None:
    """Set `overdue_days` on each task: how many working days it is past its due day (0 if it
    is not), as `working_days_overdue` counts them. The holidays are read once for all the
    tasks (or taken from `holidays`, which must cover their span), never per task."""
    tasks = [t for t in tasks if t is not None]
    late = [t.due_on for t in tasks if t.due_on and t.due_on < today]
    if late and holidays is None:
        holidays = calendar_between(min(late), today)
    for t in tasks:
        t.overdue_days = working_days_overdue(t.due_on, today, holidays) if t.due_on else 0


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
