"""Holds past their expected end: the timers remind, they do not lift.

Decree 152/2025, Art. 4 holds a nomination "until the matter is resolved" (docs/DOMAIN.md,
Holds): a disciplinary review, an investigation, an inspection or a complaint ends when it is
decided, not on the date somebody expected when placing the hold, and lifting records how the
matter was resolved (`workflows.services.lift_hold` refuses a lift without it). A clock cannot
say that. So when a hold is still open after its `expected_end`, `run_timers` records it once
(`Event.HOLD_END_PASSED`, on the nomination's timeline), which tells the person who placed it
and the council's secretaries (`notifications.concerned`); one of them lifts it, through the
same service as always, once the matter is resolved.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from audit import services as audit
from nominations.models import Hold

from . import events


def _past_end_batch(today: datetime.date, after: int, batch: int) -> list[int]:
    """Record one batch of holds past their end after id `after`; their ids."""
    with transaction.atomic():
        holds = list(
            # Another run holds a row: it is recording that one, this run leaves it.
            Hold.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                pk__gt=after,
                lifted_at__isnull=True,
                end_passed_at__isnull=True,
                expected_end__lt=today,
            )
            .select_related("nomination__proposing_unit")
            .order_by("pk")[:batch]
        )
        if not holds:
            return []
        Hold.objects.filter(pk__in=[h.pk for h in holds]).update(end_passed_at=timezone.now())
        # Last: appending holds the chain's head until commit.
        audit.bulk_append([events.hold_end_passed(h) for h in holds])
        return [h.pk for h in holds]


def remind_past_end(today: datetime.date | None = None, *, batch: int = 200) -> int:
    """Record, once per hold, that an open hold's expected end date has passed (the day after
    it), marking the hold in the same transaction. Idempotent and safe on several machines at
    once (SKIP LOCKED batches; a marked hold is never read again). Returns how many."""
    today = today or timezone.localdate()
    count, after = 0, 0
    while done := _past_end_batch(today, after, batch):
        count += len(done)
        after = done[-1]
    return count
