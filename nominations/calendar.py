"""Working days: Monday to Friday, less the holidays in `Holiday`.

Every action that writes a task computes its due date, so the holidays are kept per process
rather than read per action: the table is a few dozen rows a year and changes a few times a
year. A change made in this process forgets them at once (and again when it commits); other
processes read them again within `HOLIDAYS_KEPT_SECONDS`. A deadline computed in that window by
another server process may miss a holiday added seconds before — the same as if the action had
come a moment earlier.
"""

import datetime
import time
from collections.abc import Collection

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Holiday

HOLIDAYS_KEPT_SECONDS = 300

_kept: dict[str, tuple[float, frozenset[datetime.date]]] = {}


def _holidays() -> frozenset[datetime.date]:
    now = time.monotonic()
    kept = _kept.get("holidays")
    if kept is not None and now - kept[0] < HOLIDAYS_KEPT_SECONDS:
        return kept[1]
    dates = frozenset(Holiday.objects.values_list("date", flat=True))
    _kept["holidays"] = (now, dates)
    return dates


def forget_holidays() -> None:
    """Read the holidays again at the next use (after a change, and between tests)."""
    _kept.clear()


@receiver([post_save, post_delete], sender=Holiday)
def _holiday_changed(**kwargs) -> None:
    forget_holidays()
    # A reader in this process may reload before the change commits: forget again after it.
    transaction.on_commit(forget_holidays)


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The holidays from `start` to `end`, inclusive (from the process's copy: see above)."""
    return {day for day in _holidays() if start <= day <= end}


def add_working_days(
    start: datetime.date, days: int, holidays: Collection[datetime.date] | None = None
) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted). `holidays`, if
    given, must cover the whole span; by default the process's copy of them is used."""
    current, remaining = start, days
    known = holidays if holidays is not None else _holidays()
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in known:
            remaining -= 1
    return current


def working_days_between(
    start: datetime.date, end: datetime.date, holidays: Collection[datetime.date] | None = None
) -> int:
    """How many working days come after `start` up to `end` inclusive (0 if `end` is not
    later): what is left of a period counted in working days."""
    if end <= start:
        return 0
    known = set(holidays) if holidays is not None else holidays_between(start, end)
    days = (end - start).days
    return sum(
        1
        for offset in range(1, days + 1)
        if (day := start + datetime.timedelta(days=offset)).weekday() < 5 and day not in known
    )


def working_days_overdue(
    due_on: datetime.date, today: datetime.date, holidays: Collection[datetime.date] | None = None
) -> int:
    """How many working days a deadline is past: those from the due day up to today, today not
    counted (as the time left before a deadline is counted from today, today not counted);
    0 if it is not past. Pass `holidays` (covering the span) to count without a query."""
    if due_on >= today:
        return 0
    day = datetime.timedelta(days=1)
    return working_days_between(due_on - day, today - day, holidays)
