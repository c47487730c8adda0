"""The public notice (công khai): how long a council-approved candidate stays listed before the
decision may be signed. Counted in working days from the day the council approved."""

import datetime

from django.utils import timezone

from nominations.calendar import add_working_days
from nominations.models import Nomination
from nominations.stages import Status


def notice_ends_on(nomination: Nomination) -> datetime.date | None:
    """The last day of the nomination's notice (it may be signed from that day on), or None if
    its award type has no notice or the council has not approved it."""
    days = nomination.award_type.public_notice_days
    if nomination.status != Status.COUNCIL_APPROVED or days <= 0:
        return None
    approved_on = timezone.localdate(nomination.status_changed_at)
    return add_working_days(approved_on, days)


def notice_over(nomination: Nomination, today: datetime.date | None = None) -> bool:
    ends = notice_ends_on(nomination)
    return ends is None or ends <= (today or timezone.localdate())
