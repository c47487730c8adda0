"""Telling people what concerns them, derived from the audit chain; and emailing it.

The actions write nothing for notifications: every action already appends its audit event, in
its own transaction, and the chain's order is the order of commits (appending holds the chain's
head until commit, so event n+1 is never visible before event n). `notify_new_events` reads the
chain after its cursor, works out who is concerned by each event (`concerned`), writes their
notifications and moves the cursor, all in one transaction: a run killed half way leaves the
cursor where it was and writes nothing; a run at the same moment on another machine finds the
cursor locked and does nothing (SKIP LOCKED); a notification is unique per event and person, so
nobody is ever told twice.

Emails go out afterwards, from committed notifications (`send_pending_emails`), each marked sent
only once the mail backend has accepted it; a failure is counted and retried by the next run.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from audit.models import AuditEvent

from . import concerned, sentences
from .models import MAX_EMAIL_ATTEMPTS, Cursor, Notification, Preference

# The cursor of the chain's reader that writes notifications.
CHAIN_CURSOR = "notifications"


@dataclass(frozen=True)
class Progress:
    """What one batch did: events read, notifications written; `busy` when another run held
    the cursor (this one then did nothing)."""

    events: int = 0
    notifications: int = 0
    busy: bool = False


def _lock_cursor(name: str) -> Cursor | None:
    """The cursor's row, locked for this transaction; None if another run holds it. Created
    at 0 the first time (a migrated database has none yet)."""
    cursor = Cursor.objects.select_for_update(skip_locked=True).filter(name=name).first()
    if cursor is None and not Cursor.objects.filter(name=name).exists():
        Cursor.objects.bulk_create([Cursor(name=name, seq=0)], ignore_conflicts=True)
        cursor = Cursor.objects.select_for_update(skip_locked=True).filter(name=name).first()
    return cursor


def notify_new_events(batch: int = 500) -> Progress:
    """Read up to `batch` events after the cursor, write the notifications they call for and
    move the cursor past them, in one transaction."""
    with transaction.atomic():
        cursor = _lock_cursor(CHAIN_CURSOR)
        if cursor is None:
            return Progress(busy=True)
        events = list(
            AuditEvent.objects.filter(seq__gt=cursor.seq)
            .order_by("seq")
            .values(*concerned.FIELDS)[:batch]
        )
        if not events:
            return Progress()
        told = concerned.told(events)
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=t.recipient_id,
                    event_seq=t.event_seq,
                    kind=t.kind,
                    nomination_id=t.nomination_id,
                    stage=t.stage,
                    due_on=t.due_on,
                    created_at=t.created_at,
                )
                for t in told
            ],
            batch_size=1000,
            ignore_conflicts=True,  # never twice: the pair (event, person) is unique
        )
        Cursor.objects.filter(pk=cursor.pk).update(seq=events[-1]["seq"], moved_at=timezone.now())
        return Progress(len(events), len(told))


def notify_until_caught_up(batch: int = 500) -> Progress:
    """`notify_new_events` batch after batch until the chain is read to its end (or another
    run holds the cursor); each batch commits on its own."""
    events = written = 0
    while True:
        done = notify_new_events(batch)
        events += done.events
        written += done.notifications
        if done.busy or done.events < batch:
            return Progress(events, written, done.busy)


# --- email ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mailed:
    """What one run of the mailer did."""

    sent: int = 0  # emails accepted by the backend (a digest counts once)
    failed: int = 0  # emails the backend refused this time (retried next run, up to the limit)
    not_wanted: int = 0  # notifications nobody wants by email (kind off, or no address)


def preference_of(user) -> Preference:
    """The user's preference, or the defaults (unsaved) if they never chose."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def _digest_due(preference: Preference, now: datetime) -> bool:
    """A digest goes once a day, from `LAUREL_DIGEST_HOUR` o'clock (local time) on."""
    local = timezone.localtime(now)
    if local.hour < settings.LAUREL_DIGEST_HOUR:
        return False
    last = preference.last_digest_at
    return last is None or timezone.localtime(last).date() < local.date()


def _deliver(connection, user, subject: str, body: str) -> str:
    """Send one email; the error's text if the backend did not accept it, else ""."""
    message = EmailMessage(subject, body, to=[user.email], connection=connection)
    try:
        accepted = message.send()
    except Exception as exc:  # any backend's failure is retried by the next run
        return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    return "" if accepted else "not accepted by the mail server"


def _failed(pks: list[int], error: str) -> None:
    """Count a failed attempt on each; give up on those that reached the limit."""
    failing = Notification.objects.filter(pk__in=pks)
    failing.update(email_attempts=F("email_attempts") + 1, email_error=error)
    failing.filter(email_attempts__gte=MAX_EMAIL_ATTEMPTS).update(
        email_state=Notification.Email.FAILED
    )


def _locked_pending(user, pks=None):
    """The user's notifications still to email, locked for this transaction (skipping those
    another run holds), oldest first, with what their sentences read."""
    found = Notification.objects.filter(recipient=user, email_state=Notification.Email.PENDING)
    if pks is not None:
        found = found.filter(pk__in=pks)
    return list(
        found.select_for_update(skip_locked=True, of=("self",))
        .select_related(*sentences.RELATED)
        .order_by("event_seq")
    )


def _mail_user(connection, user, now: datetime) -> Mailed:
    preference = preference_of(user)
    pending = Notification.objects.filter(recipient=user, email_state=Notification.Email.PENDING)
    unwanted = [
        pk
        for pk, kind in pending.values_list("pk", "kind")
        if not (user.email and user.is_active and preference.wants_email(kind))
    ]
    if unwanted:
        Notification.objects.filter(pk__in=unwanted, email_state=Notification.Email.PENDING).update(
            email_state=Notification.Email.NOT_SENT
        )
    sent = failed = 0
    with translation.override(preference.email_language):
        if preference.daily_digest:
            if not _digest_due(preference, now):
                return Mailed(not_wanted=len(unwanted))
            with transaction.atomic():
                # The preference's row orders two runs at once: the second waits, then finds
                # today's digest sent.
                locked = Preference.objects.select_for_update().get(pk=preference.pk)
                if not _digest_due(locked, now):
                    return Mailed(not_wanted=len(unwanted))
                notes = _locked_pending(user)
                if notes:
                    error = _deliver(connection, user, *sentences.digest(notes))
                    if error:
                        _failed([n.pk for n in notes], error)
                        failed += 1
                    else:
                        pending.filter(pk__in=[n.pk for n in notes]).update(
                            email_state=Notification.Email.SENT, email_sent_at=now
                        )
                        Preference.objects.filter(pk=preference.pk).update(last_digest_at=now)
                        sent += 1
        else:
            for pk in pending.order_by("event_seq").values_list("pk", flat=True):
                # One transaction per email: a run killed half way resends at most one.
                with transaction.atomic():
                    notes = _locked_pending(user, [pk])
                    if not notes:
                        continue  # another run has it, or it went meanwhile
                    error = _deliver(connection, user, *sentences.email(notes[0]))
                    if error:
                        _failed([pk], error)
                        failed += 1
                    else:
                        pending.filter(pk=pk).update(
                            email_state=Notification.Email.SENT, email_sent_at=now
                        )
                        sent += 1
    return Mailed(sent, failed, len(unwanted))


def send_pending_emails(now: datetime | None = None) -> Mailed:
    """Email every notification not yet emailed, as each recipient chose (`Preference`): one
    email per notification, or one digest a day; in the recipient's language."""
    now = now or timezone.now()
    recipients = (
        Notification.objects.filter(email_state=Notification.Email.PENDING)
        .order_by()
        .values("recipient_id")
        .distinct()
    )
    users = (
        get_user_model().objects.filter(pk__in=recipients).select_related("notification_preference")
    )
    total = Mailed()
    connection = get_connection()
    for user in users.order_by("pk"):
        done = _mail_user(connection, user, now)
        total = Mailed(
            total.sent + done.sent,
            total.failed + done.failed,
            total.not_wanted + done.not_wanted,
        )
    return total
