from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.roles import Role


class Decision(models.Model):
    """What one person decided about a nomination at one stage, and why. Written by the
    workflow services in the same transaction as the transition it causes; never edited."""

    class Outcome(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for revision")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COUNCIL_APPROVED = "council_approved", _("Approved by the council")
        COUNCIL_REJECTED = "council_rejected", _("Not approved by the council")
        CONFERRED = "conferred", _("Award conferred")

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="decisions"
    )
    stage = models.CharField(_("stage"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    from_status = models.CharField(_("from"), max_length=40)
    to_status = models.CharField(_("to"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions_made"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_delegated",
        verbose_name=_("on behalf of"),
    )
    # The dossier as the decision saw it, so a resubmission can be compared with what was returned.
    dossier = models.JSONField(_("dossier at the time"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["nomination", "decided_at"], name="decision_nomination_idx")
        ]

    def __str__(self):
        return f"{self.nomination_id}: {self.get_outcome_display()} at {self.stage}"
