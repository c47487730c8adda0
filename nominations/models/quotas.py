from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .awards import AwardType, Campaign
from .units import Unit


class QuotaBase(models.TextChoices):
    STAFF = "staff", _("the unit's staff")
    TITLE_HOLDERS = "title_holders", _("the unit's nominees for another title in the campaign")
    FIXED = "fixed", _("a fixed number")


class Quota(models.Model):
    """How many nominations for an award type a unit (with the units below it) may send on in a
    campaign: a share of a base (its staff, or its nominees for another title, e.g. Grassroots
    Emulation Fighters at most 15% of the unit's Advanced Workers), or a fixed number. Checked
    when the unit head confirms and shown on the council's agenda (`nominations.quotas`)."""

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("award")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("unit")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotas",
        verbose_name=_("campaign"),
        help_text=_("Empty: every campaign."),
    )
    base = models.CharField(_("base"), max_length=20, choices=QuotaBase.choices)
    base_title = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("title of the base"),
    )
    share_percent = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_count = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    instrument = models.CharField(_("legal instrument"), max_length=200, blank=True)
    article = models.CharField(_("article"), max_length=20, blank=True)

    class Meta:
        ordering = ["award_type", "unit"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["award_type", "unit", "campaign"], name="unique_quota"),
        ]

    def __str__(self):
        return f"{self.award_type.code} @ {self.unit.code}"

    def clean(self):
        if self.base == QuotaBase.FIXED:
            if self.max_count is None:
                raise ValidationError({"max_count": _("A fixed quota needs its number.")})
        elif self.share_percent is None:
            raise ValidationError({"share_percent": _("A quota over a base needs its share.")})
        if self.base == QuotaBase.TITLE_HOLDERS and not self.base_title_id:
            raise ValidationError(
                {"base_title": _("Say which title's nominees the share is taken of.")}
            )
        if self.base != QuotaBase.TITLE_HOLDERS and self.base_title_id:
            raise ValidationError(
                {"base_title": _("Only a share of another title's nominees names a title.")}
            )
        if self.base_title_id and self.base_title_id == self.award_type_id:
            raise ValidationError({"base_title": _("A title cannot be its own base.")})
        # The unique constraint does not see two quotas for every campaign (NULL): this does.
        if self.campaign_id is None and self.award_type_id and self.unit_id:
            twin = Quota.objects.filter(
                award_type_id=self.award_type_id, unit_id=self.unit_id, campaign__isnull=True
            ).exclude(pk=self.pk)
            if twin.exists():
                raise ValidationError(
                    _("This unit already has a quota for this award in every campaign.")
                )
