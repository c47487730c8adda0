from django.db import models
from django.utils.translation import gettext_lazy as _

from .bilingual import bilingual


class ReasonUse(models.TextChoices):
    RETURN = "return", _("Returning for revision")
    REJECT = "reject", _("Rejecting")
    NOT_COMMENDED = "not_commended", _("Not commended by the council")


class ReasonCode(models.Model):
    """A coded reason for returning, rejecting or not commending a nomination, from a list an
    administrator maintains (wrong person, below standard, dossier incomplete, violation); the
    reviewer adds free text. Codes are retired (`active`), never deleted, so old decisions keep
    theirs."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    for_return = models.BooleanField(_("for returns"), default=True)
    for_reject = models.BooleanField(_("for rejections"), default=True)
    for_not_commended = models.BooleanField(_("for 'not commended'"), default=True)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")

    label = bilingual("label")

    def __str__(self):
        return f"{self.code} — {self.label}"
