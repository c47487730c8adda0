"""The public notice (công khai): how long a council-approved candidate stays listed before the
decision may be signed. Counted in working days from the day the council approved. When it is
over with no objection open, the timers record it and the signers are told (`close_ended`)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit import services as audit
from nominations.calendar import Calendar, Days, add_working_days, calendar_between
from nominations.models import Nomination
from nominations.stages import Status

from . import events
from .models import Objection, Tally


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


def _ended_batch(today: datetime.date, after: int, batch: int) -> tuple[int, int | None]:
    """Close the notices of one batch of tallies after id `after`: (how many were closed, the
    last id looked at, or None when there were none)."""
    with transaction.atomic():
        later_tally = Tally.objects.filter(
            item__nomination=OuterRef("item__nomination"), pk__gt=OuterRef("pk")
        )
        open_objection = Objection.objects.filter(
            nomination=OuterRef("item__nomination"), status=Objection.Status.OPEN
        )
        tallies = list(
            # Another run holds a row: it is closing that one, this run leaves it (SKIP LOCKED).
            Tally.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                pk__gt=after,
                passed=True,
                notice_closed_at__isnull=True,
                notice_ends_on__lte=today,
                item__nomination__status=Status.COUNCIL_APPROVED,
            )
            .exclude(Exists(later_tally))  # a nomination's latest passage through the council
            .exclude(Exists(open_objection))  # an objection open blocks the decision
            .select_related("item__nomination__award_type", "item__nomination__proposing_unit")
            .order_by("pk")[:batch]
        )
        if not tallies:
            return 0, None
        # The notice's end as `notice_ends_on` says today (an administrator may have added a
        # holiday since the tally kept its date): the notice closes only once both agree.
        calendar = holidays_for(t.item.nomination for t in tallies)
        ended = [
            (t, ends)
            for t in tallies
            if (ends := notice_ends_on(t.item.nomination, calendar)) is not None and ends <= today
        ]
        if ended:
            now = timezone.now()
            Tally.objects.filter(pk__in=[t.pk for t, _ in ended]).update(notice_closed_at=now)
            # Last: appending holds the chain's head until commit.
            audit.bulk_append([events.notice_ended(t.item, ends) for t, ends in ended])
        return len(ended), tallies[-1].pk


def close_ended(today: datetime.date | None = None, *, batch: int = 200) -> int:
    """Record, once, that the public notice of each council-approved nomination is over with no
    objection open (`Event.NOTICE_ENDED`, which tells its decision signers and council
    secretaries that it is ready to sign) and mark its tally closed in the same transaction.
    Idempotent, and safe to run on several machines at once: the tallies are locked in batches
    with SKIP LOCKED, and a closed one is never read again. A notice that ends while an
    objection is open closes at the first run after the objection is dismissed. Returns how
    many notices were closed."""
    today = today or timezone.localdate()
    closed, after = 0, 0
    while True:
        count, last = _ended_batch(today, after, batch)
        closed += count
        if last is None:
            return closed
        after = last
