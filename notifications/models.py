"""Who was told what: notifications derived from the audit chain (see `services`).

A `Notification` is one person told of one event: the pair is unique, so reading the chain again
never tells anyone twice. Its email is sent later, by `services.send_pending_emails`, after the
notification has committed; the email's state is kept on the same row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; each person chooses per kind whether to get an email."""

    TASK = "task", _("Work waiting for me")
    RETURNED = "returned", _("A nomination returned for revision")
    REJECTED = "rejected", _("A nomination rejected")
    NOT_APPROVED = "not_approved", _("A nomination not approved by the council")
    AWARDED = "awarded", _("An award conferred")
    OBJECTION = "objection", _("An objection filed")
    HELD = "held", _("A nomination put on hold")
    REMINDER = "reminder", _("Reminders of my tasks' due dates")
    ESCALATED = "escalated", _("Overdue tasks escalated")
    READY_TO_SIGN = "ready_to_sign", _("A public notice over: ready for the decision")
    HOLD_END_PASSED = "hold_end_passed", _("A hold past its expected end")
    CONSULTATION_COMPLETED = "consulted", _("A consultation (hiệp y) completed")


class Cursor(models.Model):
    """How far a reader of the audit chain has read: the last `seq` it has dealt with. A run
    locks its row (SKIP LOCKED: a second run at the same moment does nothing rather than wait)
    and moves it in the same transaction as what it wrote, so a run killed half way leaves it
    where it was."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    seq = models.BigIntegerField(_("last event read"), default=0)
    moved_at = models.DateTimeField(_("moved"), null=True, blank=True)

    class Meta:
        verbose_name = _("chain cursor")
        verbose_name_plural = _("chain cursors")

    def __str__(self):
        return f"{self.name} @{self.seq}"


class Notification(models.Model):
    class Email(models.TextChoices):
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (gave up)")
        NOT_SENT = "not_sent", _("Not emailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # The audit event it tells of (`AuditEvent.seq`), and the nomination that event is about.
    event_seq = models.BigIntegerField(_("event"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    nomination = models.ForeignKey(
        "nominations.Nomination",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("nomination"),
    )
    # The status the event left the nomination in (which stage a task waits at).
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    # The due date of the task a reminder or an escalation is about.
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    email_state = models.CharField(
        _("email"), max_length=10, choices=Email.choices, default=Email.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_sent_at = models.DateTimeField(_("email sent"), null=True, blank=True)
    email_error = models.CharField(_("last email error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-event_seq", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["event_seq", "recipient"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # A person's page, newest first, and their unread count (the bell).
            models.Index(fields=["recipient", "-event_seq"], name="notification_page_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # What the mailer still has to send.
            models.Index(
                fields=["recipient", "event_seq"],
                condition=models.Q(email_state="pending"),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.event_seq} → {self.recipient}: {self.get_kind_display()}"


# An email that failed this many times is given up (and shown as failed in the admin).
MAX_EMAIL_ATTEMPTS = 5


def default_email_kinds() -> list[str]:
    return list(Kind.values)


class Preference(models.Model):
    """How a person wants to be told. Whoever has none gets the defaults: every kind by email,
    one email per event, in the site's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email_kinds = models.JSONField(
        _("kinds sent by email"), default=default_email_kinds, blank=True
    )
    daily_digest = models.BooleanField(
        _("one email a day"),
        default=False,
        help_text=_("All of the day's notifications in one email, instead of one email each."),
    )
    language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE

    def wants_email(self, kind: str) -> bool:
        return kind in (self.email_kinds or [])


class TimerRun(models.Model):
    """The heartbeat of a timed command (`run_timers`): when it last started and last finished
    its jobs, and how its last run ended. The admin and the inspectors' integrity panel warn
    when it has not finished for longer than `LAUREL_TIMERS_STALE_MINUTES`
    (`notifications.heartbeat`)."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    ok = models.BooleanField(_("last run succeeded"), null=True)
    message = models.CharField(_("last run's message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("timer run")
        verbose_name_plural = _("timer runs")

    def __str__(self):
        return self.name
