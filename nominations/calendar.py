"""Working days: Monday to Friday, less the holidays in `Holiday`."""

import datetime

from .models import Holiday


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    current, remaining = start, days
    holidays: set[datetime.date] = set()
    known_until = start
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current > known_until:  # read the holidays ahead in one query, rarely more
            until = current + datetime.timedelta(days=max(2 * days, 31))
            holidays.update(
                Holiday.objects.filter(date__gte=current, date__lte=until).values_list(
                    "date", flat=True
                )
            )
            known_until = until
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current
