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
