from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .awards import AwardType, Campaign
from .nomination import Nomination
from .record import RecordSource
from .units import Unit


class ConferredAwardQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)


class ConferredAward(models.Model):
    """An award on a person's or collective's record, written when a signed decision confers it
    (and marked revoked by a later correcting decision, never deleted), or imported from past
    years' records (then without a nomination or a Laurel decision). Eligibility checks read
    these: prior titles in consecutive years.

    The decision is named by its id and number rather than a foreign key: nominations does not
    know the approvals app that signs decisions."""

    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferred_award",
    )
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="conferred", verbose_name=_("award")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="conferred"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("collective"),
    )
    decision_id = models.BigIntegerField(_("decision"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    conferred_on = models.DateField(_("conferred on"))
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.WORKFLOW
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by_decision_id = models.BigIntegerField(_("revoked by decision"), null=True, blank=True)
    revoked_by_number = models.CharField(_("revoked by decision number"), max_length=60, blank=True)

    objects = ConferredAwardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("conferred award")
        verbose_name_plural = _("conferred awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(unit__isnull=True),
                name="conferred_award_one_holder",
            )
        ]
        indexes = [
            models.Index(fields=["person", "award_type", "year"], name="award_person_idx"),
            models.Index(fields=["unit", "award_type", "year"], name="award_unit_idx"),
        ]

    def __str__(self):
        holder = self.person or self.unit
        return f"{self.award_type} {self.year} — {holder} ({self.decision_number})"


class RevocationGround(models.TextChoices):
    """Why an award is proposed for revocation (Law on Emulation and Commendation 2022: an award
    obtained by a false declaration or a wrong dossier, or a violation that comes to light or is
    disciplined later, is revoked — "hủy bỏ quyết định khen thưởng")."""

    FALSE_DOSSIER = "false_dossier", _("Wrong dossier or false declaration of achievements")
    DISCIPLINE = "discipline", _("Disciplined later for a violation")
    OTHER = "other", _("Other grounds")


class Revocation(models.Model):
    """A proposal to revoke a conferred award and its own route: proposed with grounds and
    documents, concluded by the council (its vote counts, recorded by the council secretary),
    decided by a numbered correcting decision that revokes the award (`approvals.outcomes
    .sign_correction`), and then what was recovered: the certificate and any money.

    Kept here, beside the award it revokes, because the record page reads it; the council's
    decision is named by id and number as `ConferredAward` names it (nominations does not know
    the approvals app)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting the council")
        SUPPORTED = "supported", _("The council supports revoking; awaiting the decision")
        NOT_SUPPORTED = "not_supported", _("The council does not support revoking")
        REVOKED = "revoked", _("Revoked by a decision")

    OPEN = (Status.PROPOSED, Status.SUPPORTED)

    award = models.ForeignKey(
        ConferredAward,
        on_delete=models.PROTECT,
        related_name="revocations",
        verbose_name=_("award"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    ground = models.CharField(_("ground"), max_length=20, choices=RevocationGround.choices)
    grounds = models.TextField(_("grounds"))
    documents = models.TextField(
        _("documents"),
        blank=True,
        help_text=_("The documents the proposal rests on: their numbers, dates and issuers."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_role = models.CharField(_("proposed as"), max_length=40)
    proposed_at = models.DateTimeField(_("proposed"))
    # The council's conclusion, recorded by its secretary with the vote counts.
    council_met_on = models.DateField(_("council met on"), null=True, blank=True)
    council_members = models.PositiveSmallIntegerField(_("council members"), null=True, blank=True)
    council_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for revoking"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstaining"), null=True, blank=True)
    council_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    council_recorded_at = models.DateTimeField(null=True, blank=True)
    # The decision revoking the award.
    decision_id = models.BigIntegerField(_("revoking decision"), null=True, blank=True)
    decision_number = models.CharField(_("revoking decision number"), max_length=60, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # What is recovered (the council secretary records it after the decision).
    certificate_returned = models.BooleanField(_("certificate returned"), default=False)
    certificate_returned_on = models.DateField(_("certificate returned on"), null=True, blank=True)
    amount_to_recover = models.PositiveBigIntegerField(_("money to recover (VND)"), default=0)
    amount_recovered = models.PositiveBigIntegerField(_("money recovered (VND)"), default=0)
    recovered_on = models.DateField(_("money recovered on"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        constraints = [
            # One open proposal per award: a second waits until the first is concluded.
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(status__in=["proposed", "supported"]),
                name="one_open_revocation",
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__lte=models.F("amount_to_recover")),
                name="revocation_recovered_within_due",
            ),
        ]

    def __str__(self):
        return f"{self.award} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def outstanding(self) -> int:
        """Money still to be recovered, in VND."""
        return self.amount_to_recover - self.amount_recovered
