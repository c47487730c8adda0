"""The council: its sessions, who attends, the agenda, ballots, tallies, objections during the
public notice, and the numbered decisions the head of agency signs.

Secret ballots are stored so that nobody, not even a reader of these tables, can tell how a
member voted: a `BallotReceipt` records only *that* the member voted on the item (and makes a
second vote impossible), and the choice goes straight into the item's counters, under the item's
row lock, in the same transaction. No row holds a member's secret choice, and the counters carry
no per-vote id or time that could be matched with a receipt.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Choice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DISAPPROVE = "disapprove", _("Disapprove")
    ABSTAIN = "abstain", _("Abstain")


class CouncilSession(models.Model):
    """A meeting of the Emulation and Commendation Council for one campaign."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey(
        "nominations.Campaign",
        on_delete=models.PROTECT,
        related_name="council_sessions",
        verbose_name=_("campaign"),
    )
    scheduled_on = models.DateField(_("scheduled for"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_chaired",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_prepared",
        verbose_name=_("secretary"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    opened_at = models.DateTimeField(_("voting opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("voting closed"), null=True, blank=True)
    # The minutes as generated when voting closed: attendance, quorum, per-item counts, outcome.
    minutes = models.JSONField(_("minutes"), default=dict, blank=True)

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        indexes = [models.Index(fields=["campaign", "status"], name="session_campaign_idx")]

    def __str__(self):
        return f"{_('Council session')} #{self.pk} ({self.scheduled_on})"

    @property
    def is_planned(self):
        return self.status == self.Status.PLANNED

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


class SessionMember(models.Model):
    """A council member of the session (everyone holding the council-member role when it was
    planned), and whether they were present when it opened."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    present = models.BooleanField(_("present"), null=True, blank=True)

    class Meta:
        ordering = ["member__last_name", "member__first_name", "member__username"]
        verbose_name = _("session member")
        verbose_name_plural = _("session members")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="unique_session_member")
        ]

    def __str__(self):
        return str(self.member)


class AgendaItem(models.Model):
    """A nomination waiting at council review, on a session's agenda."""

    class Status(models.TextChoices):
        PENDING = "pending", _("On the agenda")
        DEFERRED = "deferred", _("Deferred to a later session")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn before the vote")

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Fixed when the item is put on the agenda, so a change of the award type's rules mid-session
    # does not change how its ballot is kept.
    secret = models.BooleanField(_("secret ballot"))
    deferral_reasons = models.TextField(_("reasons for deferral"), blank=True)
    # Secret ballots only: the counts, incremented under this row's lock. No per-vote rows.
    secret_approve = models.PositiveIntegerField(default=0)
    secret_disapprove = models.PositiveIntegerField(default=0)
    secret_abstain = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["session", "nomination"], name="unique_agenda_item"),
            # A nomination is on at most one agenda at a time.
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(status="pending"),
                name="one_pending_agenda_item",
            ),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.position}: {self.nomination_id}"


class Recusal(models.Model):
    """A member who may not vote on an item (the nominee, its proposer, …), recorded when the
    session opens: not counted in the item's base, shown as recused."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="unique_recusal")]

    def __str__(self):
        return f"{self.member} recused from {self.item}"


class OpenBallot(models.Model):
    """A member's choice on an item voted openly; it may be changed until voting closes."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="open_ballots")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open_ballots"
    )
    choice = models.CharField(_("choice"), max_length=20, choices=Choice.choices)
    # The written opinion of a member absent from the session, recorded by the secretary:
    # counted, and shown as such. It is final.
    written = models.BooleanField(_("written opinion"), default=False)
    cast_at = models.DateTimeField(_("cast"), default=timezone.now)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("open ballot")
        verbose_name_plural = _("open ballots")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="unique_open_ballot")
        ]

    def __str__(self):
        return f"{self.member} on {self.item}"


class BallotReceipt(models.Model):
    """That a member voted on a secret item — and nothing about how. Its uniqueness makes a
    second vote impossible, also when two requests race."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballot_receipts"
    )
    # An absent member's written opinion (a sealed ballot the secretary counted), not a vote
    # cast in the session. Still nothing about the choice.
    written = models.BooleanField(_("written opinion"), default=False)

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="unique_ballot_receipt")
        ]

    def __str__(self):
        return f"{self.member} voted on {self.item}"


class Tally(models.Model):
    """The count of one item when voting closed, against its award type's rule."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="tally")
    members = models.PositiveSmallIntegerField(_("members"))
    present = models.PositiveSmallIntegerField(_("present"))
    recused = models.PositiveSmallIntegerField(_("recused"))
    base = models.PositiveSmallIntegerField(_("base"))
    approve = models.PositiveSmallIntegerField(_("approve"))
    disapprove = models.PositiveSmallIntegerField(_("disapprove"))
    abstain = models.PositiveSmallIntegerField(_("abstain"))
    not_voted = models.PositiveSmallIntegerField(_("did not vote"))
    written = models.PositiveSmallIntegerField(_("written opinions"), default=0)
    threshold_percent = models.DecimalField(_("threshold (%)"), max_digits=5, decimal_places=2)
    vote_base = models.CharField(_("threshold base"), max_length=20)
    quorum_met = models.BooleanField(_("quorum met"))
    passed = models.BooleanField(_("passed"))
    secret = models.BooleanField(_("secret ballot"))
    # Approved items with a public notice: the last day of the notice (signable from then on).
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    # When the timers found the notice over with no objection open, told the signers and
    # recorded it (`approvals.notice.close_ended`): set once, in the event's transaction.
    notice_closed_at = models.DateTimeField(_("public notice closed"), null=True, blank=True)
    tallied_at = models.DateTimeField(_("tallied"), default=timezone.now)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self):
        return f"{self.item}: {self.approve}/{self.base}"


class Objection(models.Model):
    """A staff member's objection to a proposed awardee during the public notice. While open it
    blocks the decision for that nomination."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    class Remedy(models.TextChoices):
        RETURN = "return", _("Return to the proposing unit")
        REJECT = "reject", _("Reject")

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="objections"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections_filed"
    )
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    remedy = models.CharField(_("remedy"), max_length=20, choices=Remedy.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections_resolved",
    )
    resolution_reasons = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [models.Index(fields=["nomination", "status"], name="objection_status_idx")]

    def __str__(self):
        return f"{_('Objection')} #{self.pk} ({self.get_status_display()})"


class DecisionCounter(models.Model):
    """The last decision number used by an agency in a year; locked to take the next one."""

    agency = models.ForeignKey("nominations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_decision_counter")
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last_number}"


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("A signed decision never changes.")

    def delete(self):
        raise PermissionError("A signed decision never changes.")


class SignedDecision(models.Model):
    """The numbered act by which the head of agency confers awards (or, as a correction, revokes
    awards conferred by an earlier decision). Once signed it never changes."""

    agency = models.ForeignKey(
        "nominations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    reasons = models.TextField(_("grounds"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions_signed"
    )
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects decision"),
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("signed decision")
        verbose_name_plural = _("signed decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="unique_decision_number"
            )
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A signed decision never changes; sign a correcting decision.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A signed decision never changes; sign a correcting decision.")

    @property
    def reference(self) -> str:
        return f"{self.number:03d}/{self.year}/QĐ-{self.agency.code.upper()}"


class DecisionEntry(models.Model):
    """One nomination named by a signed decision: its award conferred, or revoked."""

    class Effect(models.TextChoices):
        CONFER = "confer", _("Conferred")
        REVOKE = "revoke", _("Revoked")

    decision = models.ForeignKey(SignedDecision, on_delete=models.PROTECT, related_name="entries")
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="decision_entries"
    )
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "id"]
        verbose_name = _("decision entry")
        verbose_name_plural = _("decision entries")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "nomination"], name="unique_decision_entry"
            ),
            # An award is conferred by one decision only (a correction revokes it, not re-signs).
            models.UniqueConstraint(
                fields=["nomination"], condition=Q(effect="confer"), name="one_conferring_entry"
            ),
        ]

    def __str__(self):
        return f"{self.decision}: {self.get_effect_display()} {self.nomination_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A signed decision never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A signed decision never changes.")
