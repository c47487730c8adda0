"""Celery, for a site that runs a queue rather than cron: beat sends `run_timers` every minute
and a worker runs it — the same command, with the same jobs, locks and heartbeat as from cron
(`notifications.tasks`). Optional: cron alone is enough (README, "The timers").

    celery -A config.celery worker --beat --loglevel=INFO

The broker is Redis (`LAUREL_CELERY_BROKER_URL`, default redis://127.0.0.1:6379/0). Run beat
once per site (`--beat` on one worker, or `celery -A config.celery beat` alone); two beats
would only send the task twice a minute, which the jobs tolerate (SKIP LOCKED, marked rows).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("laurel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
