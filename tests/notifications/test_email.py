"""Emails: sent after the notification committed, in the recipient's language, as each person
chose (by kind, one by one or a daily digest), marked sent only once accepted, retried."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from notifications.management.commands.run_timers import Command as RunTimers
from notifications.models import MAX_EMAIL_ATTEMPTS, Kind, Notification, Preference
from notifications.services import notify_until_caught_up, send_pending_emails
from workflows.models import DashboardSummary

from .backends import FlakyBackend


@pytest.fixture
def addressed(world, proposer2):
    for user in (world.proposer, proposer2, world.unit_head, world.staff, world.party_reviewer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def _morning(days: int = 0, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_each_notification_is_emailed_once_to_whom_it_concerns(addressed, new, walk):
    walk(new(), "submit")
    notify_until_caught_up()
    done = send_pending_emails()
    assert done.sent == 1
    [message] = mail.outbox
    assert message.to == ["head@example.org"]
    assert message.subject.startswith("Laurel: N-")
    assert "is waiting for your review (Unit head confirmation)" in message.body
    assert f"/nominations/{Notification.objects.get().nomination_id}/" in message.body
    note = Notification.objects.get()
    assert note.email_state == Notification.Email.SENT and note.email_sent_at is not None
    assert send_pending_emails().sent == 0
    assert len(mail.outbox) == 1


def test_the_email_is_in_the_recipients_language(addressed, new, walk):
    Preference.objects.create(user=addressed.unit_head, language="vi")
    nomination = walk(new(), "submit")
    notify_until_caught_up()
    send_pending_emails()
    [message] = mail.outbox
    # The award type is named in Vietnamese (its name_vi), whatever language the run is in.
    assert nomination.award_type.name_vi in message.subject
    assert nomination.award_type.name_en not in message.subject


def test_kinds_a_person_turned_off_are_not_emailed(addressed, new, walk):
    Preference.objects.create(user=addressed.proposer, email_kinds=[Kind.AWARDED])
    walk(new(), "submit", "return_for_revision")
    notify_until_caught_up()
    done = send_pending_emails()
    assert [m.to for m in mail.outbox] == [["head@example.org"], ["proposer2@example.org"]]
    assert done.not_wanted == 1
    unwanted = Notification.objects.get(recipient=addressed.proposer)
    assert unwanted.email_state == Notification.Email.NOT_SENT


def test_nobody_without_an_address_is_emailed(world, new, walk):
    walk(new(), "submit")
    notify_until_caught_up()
    assert send_pending_emails().not_wanted == 1
    assert mail.outbox == []


def test_a_failed_email_is_retried_by_the_next_run(addressed, new, walk, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.attempts = 1, 0
    walk(new(), "submit")
    notify_until_caught_up()
    first = send_pending_emails()
    note = Notification.objects.get()
    assert (first.sent, first.failed) == (0, 1)
    assert note.email_state == Notification.Email.PENDING and note.email_attempts == 1
    assert "Connection refused" in note.email_error
    assert mail.outbox == []
    second = send_pending_emails()
    note.refresh_from_db()
    assert (second.sent, second.failed) == (1, 0)
    assert note.email_state == Notification.Email.SENT
    assert len(mail.outbox) == 1


def test_an_email_failing_every_time_is_given_up_after_the_limit(addressed, new, walk, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.attempts = 100, 0
    walk(new(), "submit")
    notify_until_caught_up()
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        send_pending_emails()
    note = Notification.objects.get()
    assert note.email_state == Notification.Email.FAILED
    assert note.email_attempts == MAX_EMAIL_ATTEMPTS == FlakyBackend.attempts


def test_the_daily_digest_sends_once_a_day_with_everything_unsent(addressed, new, walk):
    Preference.objects.create(user=addressed.unit_head, daily_digest=True, language="en")
    walk(new(), "submit")
    walk(new(), "submit")
    notify_until_caught_up()
    assert send_pending_emails(now=_morning(hour=5)).sent == 0  # before the digest hour
    assert send_pending_emails(now=_morning()).sent == 1
    [digest] = mail.outbox
    assert digest.subject == "Laurel: 2 notifications"
    assert digest.body.count("is waiting for your review") == 2
    walk(new(), "submit")
    notify_until_caught_up()
    assert send_pending_emails(now=_morning(hour=15)).sent == 0  # one a day
    assert send_pending_emails(now=_morning(days=1)).sent == 1
    assert mail.outbox[-1].subject == "Laurel: 1 notification"
    assert not Notification.objects.filter(email_state=Notification.Email.PENDING).exists()


def test_run_timers_twice_sends_and_writes_nothing_the_second_time(addressed, new, walk):
    walk(new(), "submit", "return_for_revision")
    out = io.StringIO()
    call_command("run_timers", stdout=out)
    summaries = DashboardSummary.objects.count()  # one per scope of the reviewers and inspector
    assert summaries > 0
    assert out.getvalue().strip() == (
        "run_timers: 3 events read, 3 notifications written; 0 reminders, 0 escalations; "
        "0 public notices closed; 0 holds past their expected end (reminded, not lifted); "
        "0 consultations completed by their due date; "
        f"{summaries} dashboard summaries refreshed; "
        "3 emails sent, 0 failed (retried next run), 0 not wanted by email"
    )
    before = list(Notification.objects.values_list("pk", "email_state", "email_sent_at"))
    out = io.StringIO()
    call_command("run_timers", stdout=out)
    assert out.getvalue().strip() == (
        "run_timers: 0 events read, 0 notifications written; 0 reminders, 0 escalations; "
        "0 public notices closed; 0 holds past their expected end (reminded, not lifted); "
        "0 consultations completed by their due date; "
        "0 dashboard summaries refreshed; "
        "0 emails sent, 0 failed (retried next run), 0 not wanted by email"
    )
    assert len(mail.outbox) == 3
    assert list(Notification.objects.values_list("pk", "email_state", "email_sent_at")) == before


def test_run_timers_fails_with_one_plain_line_and_a_non_zero_status(world, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise OSError("disk full\nsecond line")

    monkeypatch.setattr("notifications.services.send_pending_emails", broken)
    # As cron runs it (`manage.py run_timers`), where an error becomes the exit status; the
    # test's connection stays open for the test's rollback.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        RunTimers().run_from_argv(["manage.py", "run_timers"])
    assert exit_.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err == "CommandError: run_timers failed: OSError: disk full"
