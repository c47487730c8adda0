from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HoldKind(models.TextChoices):
    """Why a nomination is held, not rejected, until the matter is resolved (Decree 152/2025,
    Art. 4: discipline, investigation, inspection or an unresolved complaint)."""

    DISCIPLINE = "discipline", _("Disciplinary review")
    INVESTIGATION = "investigation", _("Investigation")
    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Complaint or denunciation")


class Hold(models.Model):
    """A hold on a nomination: why, who placed it, the status it was held in (where lifting it
    returns the nomination), and who lifted it. At most one hold is open per nomination."""

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="holds"
    )
    kind = models.CharField(_("reason"), max_length=20, choices=HoldKind.choices)
    reason = models.TextField(_("details"))
    held_status = models.CharField(_("held while"), max_length=40)
    expected_end = models.DateField(_("expected to end"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("how it was resolved"), blank=True)
    # When the timers found it still open after its expected end and reminded the person who
    # placed it (`workflows.holds.remind_past_end`): set once, in the event's transaction.
    end_passed_at = models.DateTimeField(_("past its expected end since"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(lifted_at__isnull=True),
                name="one_open_hold",
            )
        ]

    def __str__(self):
        return f"{self.nomination_id}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None
