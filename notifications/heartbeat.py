"""The timers' heartbeat: `run_timers` records when it starts and finishes (`TimerRun`), and the
admin's index and the inspectors' integrity panel warn when it has not finished for longer than
`LAUREL_TIMERS_STALE_MINUTES` (a cron line gone, a machine down, a run failing every time).

The pages read it through the `timers` context processor, lazily: a page that does not show it
costs nothing, one that does costs one query. (The integrity panel belongs to `audit` and
`reporting`, which do not import this layer; the context processor, wired in settings, is how
the value reaches their template.)
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import TimerRun

RUN_TIMERS = "run_timers"


def _row(name: str) -> None:
    TimerRun.objects.bulk_create([TimerRun(name=name)], ignore_conflicts=True)


def started(name: str = RUN_TIMERS, now: datetime.datetime | None = None) -> None:
    """Record that a run began (committed at once, outside the jobs' transactions)."""
    with transaction.atomic():
        _row(name)
        TimerRun.objects.filter(name=name).update(last_started_at=now or timezone.now())


def finished(
    name: str = RUN_TIMERS, *, ok: bool, message: str, now: datetime.datetime | None = None
) -> None:
    """Record how a run ended; only a run that succeeded moves `last_finished_at`."""
    fields: dict = {"ok": ok, "message": message[:500]}
    if ok:
        fields["last_finished_at"] = now or timezone.now()
    with transaction.atomic():
        _row(name)
        TimerRun.objects.filter(name=name).update(**fields)


@dataclass(frozen=True)
class Heartbeat:
    run: TimerRun | None
    stale: bool
    # Minutes since the last run finished (None: never finished).
    minutes: int | None
    limit: int


def heartbeat(name: str = RUN_TIMERS, now: datetime.datetime | None = None) -> Heartbeat:
    """Whether the timers are stale: never finished, or not for longer than the limit."""
    limit = settings.LAUREL_TIMERS_STALE_MINUTES
    run = TimerRun.objects.filter(name=name).first()
    finished_at = run.last_finished_at if run else None
    if finished_at is None:
        return Heartbeat(run, stale=True, minutes=None, limit=limit)
    minutes = int(((now or timezone.now()) - finished_at).total_seconds() // 60)
    return Heartbeat(run, stale=minutes > limit, minutes=minutes, limit=limit)
