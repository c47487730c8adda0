"""The timers as a Celery task, for sites that run a queue (`config/celery.py`): the same
`run_timers` command that cron runs, so the jobs, their locks and the heartbeat are the same."""

import io

from celery import shared_task
from django.core.management import call_command


@shared_task(name="laurel.run_timers")
def run_timers() -> str:
    """Run `manage.py run_timers` once; its line of what it did. A failure raises (the command's
    one-line error) and is recorded in the heartbeat as from cron."""
    out = io.StringIO()
    call_command("run_timers", stdout=out)
    return out.getvalue().strip()
