"""The timers on Celery (optional, `config/celery.py`): beat's entry sends the `run_timers` task,
and a real worker, over the real Redis of the machine (127.0.0.1:6379, a database and a queue of
the test's own), runs the same jobs as cron, with the same heartbeat. Not mocked: the task goes
through Redis and comes back. The worker runs in a thread with its own database connection, so
the data is committed (`transactional_db`)."""

import datetime
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEvent
from config.celery import app
from nominations.models import Hold, HoldKind
from notifications import tasks
from notifications.models import TimerRun
from workflows import services

# Database 14 of the machine's Redis; a queue per test run, so no other worker takes the task.
REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def worker(transactional_db):
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.ConnectionError as exc:  # said plainly: the test needs the real Redis
        pytest.fail(f"Redis is not running on 127.0.0.1:6379 ({exc}); start redis-server")
    queue = f"laurel-test-{uuid.uuid4().hex}"
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_default_queue")}
    app.conf.update(
        broker_url=REDIS,
        result_backend=REDIS,
        task_default_queue=queue,
        task_ignore_result=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield app
    finally:
        app.conf.update(**saved, task_ignore_result=True)
        client = redis.Redis.from_url(REDIS)
        client.delete(queue)


def test_beat_sends_run_timers_every_minute_to_the_task_the_worker_knows():
    entry = settings.CELERY_BEAT_SCHEDULE["run-timers"]
    assert entry["task"] == tasks.run_timers.name
    assert entry["task"] in app.tasks  # found by the app's autodiscovery, as beat will send it
    assert entry["schedule"] <= 60


def test_a_worker_over_redis_runs_the_timers_jobs_and_records_the_heartbeat(
    worker, world, walk, draft
):
    nomination = walk(draft, "submit")
    hold = services.place_hold(
        nomination,
        actor=world.unit_head,
        kind=HoldKind.INVESTIGATION,
        reason="Đang xác minh.",
        expected_end=timezone.localdate() + datetime.timedelta(days=5),
    )
    # Its expected end has since passed.
    Hold.objects.filter(pk=hold.pk).update(
        expected_end=timezone.localdate() - datetime.timedelta(days=1)
    )

    line = tasks.run_timers.delay().get(timeout=60)

    assert "1 holds past their expected end" in line
    assert AuditEvent.objects.filter(action=Event.HOLD_END_PASSED).count() == 1
    run = TimerRun.objects.get(name="run_timers")
    assert run.ok and run.message == line and run.last_finished_at is not None
    # The same task again does nothing new: the jobs are idempotent whoever runs them.
    again = tasks.run_timers.delay().get(timeout=60)
    assert "0 holds past their expected end" in again
    assert AuditEvent.objects.filter(action=Event.HOLD_END_PASSED).count() == 1
