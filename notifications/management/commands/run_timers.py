"""`manage.py run_timers`: the jobs that run by the clock, in order; run it every minute (cron).

Each job is idempotent and safe to run on several machines at once: the chain's reader locks its
cursor (SKIP LOCKED: a second run finds it taken and does nothing), and each email is locked
while it is sent. Run twice in a row, the second run writes and sends nothing.
"""

import contextlib

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from approvals import consultations, notice
from notifications import heartbeat, services
from workflows import deadlines, holds, summary


class Command(BaseCommand):
    help = (
        "Run the timed jobs: tell people of the audit trail's new events (notifications), then "
        "send the emails due. Idempotent; run it every minute from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=500, help="Events read per transaction (default 500)."
        )

    def handle(self, *args, batch: int = 500, **options):
        try:
            heartbeat.started()  # the heartbeat the admin and the integrity panel read
            parts = self.run(batch)
        except Exception as exc:  # one plain line and a non-zero status for cron's mail
            first = (str(exc).strip().splitlines() or [""])[0]
            line = f"run_timers failed: {type(exc).__name__}: {first}"
            with contextlib.suppress(DatabaseError):  # the database may be what failed
                heartbeat.finished(ok=False, message=line)
            raise CommandError(line) from exc
        line = "run_timers: " + "; ".join(parts)
        heartbeat.finished(ok=True, message=line)
        self.stdout.write(line)

    def run(self, batch: int) -> list[str]:
        parts = []
        # 1. Tell people of what happened (the audit chain since the last run).
        read = services.notify_until_caught_up(batch)
        # 2. The clock's jobs, before the emails so that what they record is told in the same
        #    run: reminders before and on the due date, escalation of overdue tasks, public
        #    notices closing, holds past their expected end, consultations past their due date.
        #    Each appends its audit events; the second pass of step 1 below tells of them.
        timed = deadlines.run()
        closed = notice.close_ended()
        past_end = holds.remind_past_end()
        consulted = consultations.close_overdue()
        summaries = summary.refresh()  # the widest dashboards' figures (workflows/summary.py)
        # 1 again: tell of what step 2 recorded, in this same run.
        again = services.notify_until_caught_up(batch)
        parts.append(
            f"{read.events + again.events} events read, "
            f"{read.notifications + again.notifications} notifications written"
            + (" (another run is reading the trail)" if read.busy or again.busy else "")
        )
        parts.append(f"{timed.reminders} reminders, {timed.escalations} escalations")
        parts.append(f"{closed} public notices closed")
        parts.append(f"{past_end} holds past their expected end (reminded, not lifted)")
        parts.append(f"{consulted} consultations completed by their due date")
        parts.append(f"{summaries} dashboard summaries refreshed")
        # 3. Email what is due (one email per notification, or the daily digests).
        mailed = services.send_pending_emails()
        parts.append(
            f"{mailed.sent} emails sent, {mailed.failed} failed (retried next run), "
            f"{mailed.not_wanted} not wanted by email"
        )
        return parts
