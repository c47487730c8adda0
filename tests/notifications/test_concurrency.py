"""`run_timers` on several machines at once: each notification written once, each email sent
once. Each run is a thread with its own database connection, so these need committed data
(`transactional_db`) and real row locks (PostgreSQL)."""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection

from notifications import concerned, services
from notifications.models import Notification

pytestmark = pytest.mark.postgres

# How long a run holds what it locked before going on, so that the other arrives meanwhile.
HOLD_SECONDS = 0.3


@pytest.fixture
def committed_world(transactional_db, world):
    return world


def together(*calls):
    """Run each call in its own thread and connection, all starting at once."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _history(world, new, walk):
    for _ in range(3):
        walk(new(), "submit", "approve", "return_for_revision")
    walk(new(world.short), "submit", "reject")


def test_two_runs_at_once_write_each_notification_exactly_once(
    committed_world, proposer2, new, walk, monkeypatch
):
    _history(committed_world, new, walk)
    real = concerned.told

    def slow(events):
        time.sleep(HOLD_SECONDS)
        return real(events)

    monkeypatch.setattr(concerned, "told", slow)
    runs = together(
        lambda: services.notify_until_caught_up(batch=3),
        lambda: services.notify_until_caught_up(batch=3),
    )
    assert not [r for r in runs if isinstance(r, Exception)], runs
    written = Notification.objects.count()
    # What the runs say they wrote adds up to what is there: no batch was read twice (the
    # unique pair would have hidden a second write, not the count of it).
    assert sum(r.notifications for r in runs) == written > 0
    # A run that found the cursor taken stopped; the one holding it read to the end.
    assert services.notify_until_caught_up() == services.Progress(0, 0)
    monkeypatch.undo()
    # Read from scratch, the same notifications come out: nothing was missed.
    expected = set(Notification.objects.values_list("event_seq", "recipient_id", "kind"))
    Notification.objects.all().delete()
    services.Cursor.objects.all().delete()
    services.notify_until_caught_up()
    assert set(Notification.objects.values_list("event_seq", "recipient_id", "kind")) == expected


def test_two_mailers_at_once_send_each_email_exactly_once(
    committed_world, proposer2, new, walk, monkeypatch
):
    world = committed_world
    _history(world, new, walk)
    # Everyone told has an address (the nominees of the later drafts are `staff`'s colleagues).
    for user in get_user_model().objects.all():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    services.notify_until_caught_up()
    real = services._deliver

    def slow(*args):
        time.sleep(HOLD_SECONDS / 3)
        return real(*args)

    monkeypatch.setattr(services, "_deliver", slow)
    runs = together(services.send_pending_emails, services.send_pending_emails)
    assert not [r for r in runs if isinstance(r, Exception)], runs
    notes = Notification.objects.count()
    assert sum(r.sent for r in runs) == len(mail.outbox) == notes
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(set(sent)) == len(sent)
    assert not Notification.objects.exclude(email_state=Notification.Email.SENT).exists()
