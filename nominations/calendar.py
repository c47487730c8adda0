"""Working days: Monday to Friday, less the public holidays and compensatory days off in
`Holiday`, plus the weekend days worked in compensation (`DayKind.WORKING_DAY`).

Every action that writes a task computes its due date, so the calendar is kept per process
rather than read per action: the table is a few dozen rows a year and changes a few times a
year. A change made in this process forgets it at once (and again when it commits); other
processes read it again within `HOLIDAYS_KEPT_SECONDS`. A deadline computed in that window by
another server process may miss a holiday added seconds before — the same as if the action had
come a moment earlier.

A function that takes `holidays` accepts the `Calendar` of a span (`calendar_between`), or, as
before, a collection of non-working dates (then no weekend day is worked), or None for the
process's copy.
"""

import datetime
import time
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DayKind, Holiday

HOLIDAYS_KEPT_SECONDS = 300


@dataclass(frozen=True)
class Calendar:
    """The days that break the Monday-to-Friday rule: `non_working` (public holidays and
    compensatory days off) and `working_weekend` (Saturdays or Sundays worked)."""

    non_working: frozenset[datetime.date] = frozenset()
    working_weekend: frozenset[datetime.date] = frozenset()

    def is_working(self, day: datetime.date) -> bool:
        if day in self.non_working:
            return False
        return day.weekday() < 5 or day in self.working_weekend

    def between(self, start: datetime.date, end: datetime.date) -> "Calendar":
        """The same calendar cut to `start`..`end` inclusive."""
        return Calendar(
            frozenset(d for d in self.non_working if start <= d <= end),
            frozenset(d for d in self.working_weekend if start <= d <= end),
        )


# What the functions below take as `holidays`.
Days = Calendar | Collection[datetime.date] | None

_kept: dict[str, tuple[float, Calendar]] = {}


def _calendar() -> Calendar:
    now = time.monotonic()
    kept = _kept.get("calendar")
    if kept is not None and now - kept[0] < HOLIDAYS_KEPT_SECONDS:
        return kept[1]
    non_working, working = set(), set()
    for day, kind in Holiday.objects.values_list("date", "kind"):
        (working if kind == DayKind.WORKING_DAY else non_working).add(day)
    calendar = Calendar(frozenset(non_working), frozenset(working))
    _kept["calendar"] = (now, calendar)
    return calendar


def _as_calendar(holidays: Days) -> Calendar:
    if holidays is None:
        return _calendar()
    if isinstance(holidays, Calendar):
        return holidays
    return Calendar(non_working=frozenset(holidays))


def forget_holidays() -> None:
    """Read the calendar again at the next use (after a change, and between tests)."""
    _kept.clear()


@receiver([post_save, post_delete], sender=Holiday)
def _holiday_changed(**kwargs) -> None:
    forget_holidays()
    # A reader in this process may reload before the change commits: forget again after it.
    transaction.on_commit(forget_holidays)


def calendar_between(start: datetime.date, end: datetime.date) -> Calendar:
    """The calendar from `start` to `end`, inclusive (from the process's copy: see above), to
    pass as `holidays` to the functions below for a whole list at once."""
    return _calendar().between(start, end)


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The days not worked (public holidays, compensatory days off) from `start` to `end`,
    inclusive. A weekend day worked is not in it: pass `calendar_between` to count days."""
    return set(calendar_between(start, end).non_working)


def is_working_day(day: datetime.date, holidays: Days = None) -> bool:
    return _as_calendar(holidays).is_working(day)


def add_working_days(start: datetime.date, days: int, holidays: Days = None) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted). `holidays`, if
    given, must cover the whole span; by default the process's copy of the calendar is used."""
    current, remaining = start, days
    calendar = _as_calendar(holidays)
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if calendar.is_working(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date, holidays: Days = None) -> int:
    """How many working days come after `start` up to `end` inclusive (0 if `end` is not
    later): what is left of a period counted in working days."""
    if end <= start:
        return 0
    calendar = _as_calendar(holidays)
    days = (end - start).days
    return sum(
        1
        for offset in range(1, days + 1)
        if calendar.is_working(start + datetime.timedelta(days=offset))
    )


def working_days_overdue(due_on: datetime.date, today: datetime.date, holidays: Days = None) -> int:
    """How many working days a deadline is past: those from the due day up to today, today not
    counted (as the time left before a deadline is counted from today, today not counted);
    0 if it is not past. Pass `holidays` (covering the span) to count without a query."""
    if due_on >= today:
        return 0
    day = datetime.timedelta(days=1)
    return working_days_between(due_on - day, today - day, holidays)
