from django.db import models
from django.utils.translation import gettext_lazy as _

from .bilingual import bilingual


class ReasonUse(models.TextChoices):
    RETURN = "return", _("Returning for revision")
    REJECT = "reject", _("Rejecting")
    NOT_COMMENDED = "not_commended", _("Not commended by the council")


# The use of the coded reason each action takes (an upheld objection's rejection is the council's
# approval not standing: "not commended").
ACTION_USE = {
    "return_for_revision": ReasonUse.RETURN,
    "reject": ReasonUse.REJECT,
    "objection_return": ReasonUse.RETURN,
    "objection_reject": ReasonUse.NOT_COMMENDED,
    "council_reject": ReasonUse.NOT_COMMENDED,
}


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
    # "Other": the code says nothing by itself, so the reviewer must write the reason out.
    needs_text = models.BooleanField(
        _("needs a written reason"),
        default=False,
        help_text=_('The reviewer must also write the reason (e.g. for "other").'),
    )
    active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Untick to retire the code: no longer offered, old decisions keep it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")

    label = bilingual("label")

    def __str__(self):
        return f"{self.code} — {self.label}"

    # The flag that offers the code for each use.
    USE_FLAGS = {
        ReasonUse.RETURN: "for_return",
        ReasonUse.REJECT: "for_reject",
        ReasonUse.NOT_COMMENDED: "for_not_commended",
    }

    @classmethod
    def offered_for(cls, use: str):
        """The codes a reviewer may choose for `use`, in their order: active ones only."""
        return cls.objects.filter(active=True, **{cls.USE_FLAGS[use]: True})

    def serves(self, use: str) -> bool:
        return self.active and getattr(self, self.USE_FLAGS[use])

    def event_data(self) -> dict:
        """What an audit event records of the code: the code and its label in Vietnamese (the
        record's language, whatever the reader's)."""
        return {"reason_code": self.code, "reason_label": self.label_vi}
