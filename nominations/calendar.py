"""Working days: Monday to Friday, less the holidays in `Holiday`."""

import datetime
from collections.abc import Collection

from .models import Holiday


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The holidays from `start` to `end`, inclusive, in one query (for computing many dates)."""
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def add_working_days(
    start: datetime.date, days: int, holidays: Collection[datetime.date] | None = None
) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted). Pass `holidays`
    (covering the whole span) to compute without reading the database."""
    current, remaining = start, days
    known: set[datetime.date] = set(holidays) if holidays is not None else set()
    known_until = datetime.date.max if holidays is not None else start
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current > known_until:  # read the holidays ahead in one query, rarely more
            until = current + datetime.timedelta(days=max(2 * days, 31))
            known.update(holidays_between(current, until))
            known_until = until
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
