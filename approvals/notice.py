"""The public notice (công khai): how long a council-approved candidate stays listed before the
decision may be signed. Counted in working days from the day the council approved."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from nominations.calendar import Calendar, Days, add_working_days, calendar_between
from nominations.models import Nomination
from nominations.stages import Status


def notice_ends_on(nomination: Nomination, holidays: Days = None) -> datetime.date | None:
    """The last day of the nomination's notice (it may be signed from that day on), or None if
    its award type has no notice or the council has not approved it."""
    days = nomination.award_type.public_notice_days
    if nomination.status != Status.COUNCIL_APPROVED or days <= 0:
        return None
    approved_on = timezone.localdate(nomination.status_changed_at)
    return add_working_days(approved_on, days, holidays)


def notice_over(
    nomination: Nomination,
    today: datetime.date | None = None,
    holidays: Days = None,
) -> bool:
    ends = notice_ends_on(nomination, holidays)
    return ends is None or ends <= (today or timezone.localdate())


def holidays_for(nominations: Iterable[Nomination]) -> Calendar:
    """The calendar (holidays, days off, weekend days worked) the notices of these nominations
    can span, read once for a whole list."""
    spans = [
        (timezone.localdate(n.status_changed_at), n.award_type.public_notice_days)
        for n in nominations
        if n.status == Status.COUNCIL_APPROVED and n.award_type.public_notice_days > 0
    ]
    if not spans:
        return Calendar()
    start = min(day for day, _ in spans)
    # A notice of d working days spans at most 2d + 31 calendar days (weekends and Tết).
    end = max(day + datetime.timedelta(days=2 * d + 31) for day, d in spans)
    return calendar_between(start, end)
