from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.events import JUDGEMENTS, Event

from ..roles import Role


class StageDecision(models.Model):
    """What one person decided about a nomination at one stage, and why: the domain's record of
    its journey. Written by the workflow's transition in the same transaction as the move it
    causes; never edited. Separation of duties reads it (who judged this nomination, where), so
    no domain rule has to read the audit trail."""

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
        HELD = "held", _("Put on hold")
        HOLD_LIFTED = "hold_lifted", _("Hold lifted")
        FORWARDED = "forwarded", _("Forwarded to the higher level")
        HIGHER_CONFERRED = "higher_conferred", _("Conferred by the higher level")
        HIGHER_NOT_CONFERRED = "higher_not_conferred", _("Not conferred by the higher level")
        HIGHER_RETURNED = "higher_returned", _("Returned by the higher level for more documents")

    # The audit event each outcome is recorded as.
    EVENTS = {
        Outcome.SUBMITTED: Event.SUBMITTED,
        Outcome.RESUBMITTED: Event.RESUBMITTED,
        Outcome.APPROVED: Event.APPROVED,
        Outcome.RETURNED: Event.RETURNED,
        Outcome.REJECTED: Event.REJECTED,
        Outcome.WITHDRAWN: Event.WITHDRAWN,
        Outcome.COUNCIL_APPROVED: Event.COUNCIL_APPROVED,
        Outcome.COUNCIL_REJECTED: Event.COUNCIL_REJECTED,
        Outcome.CONFERRED: Event.CONFERRED,
        Outcome.HELD: Event.HOLD_PLACED,
        Outcome.HOLD_LIFTED: Event.HOLD_LIFTED,
        Outcome.FORWARDED: Event.FORWARDED,
        Outcome.HIGHER_CONFERRED: Event.HIGHER_CONFERRED,
        Outcome.HIGHER_NOT_CONFERRED: Event.HIGHER_NOT_CONFERRED,
        Outcome.HIGHER_RETURNED: Event.HIGHER_RETURNED,
    }
    # The outcomes that send a dossier back to its unit for revision: a resubmission is compared
    # with what the last of them returned.
    RETURNS = [Outcome.RETURNED, Outcome.HIGHER_RETURNED]
    # The outcomes by which somebody judged the nomination at a stage (`from_status` is the
    # stage): nobody judges one nomination at two stages of its journey.
    JUDGING = [outcome for outcome, event in EVENTS.items() if event in JUDGEMENTS]

    # Indexed by `decision_judged_idx` and `decision_nomination_idx`, which it leads.
    nomination = models.ForeignKey(
        "nominations.Nomination",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="decisions",
    )
    stage = models.CharField(_("stage"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    # The coded reason of a return, rejection or "not commended" (`ReasonCode`), beside the text.
    reason_code = models.ForeignKey(
        "nominations.ReasonCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coded reason"),
    )
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
        verbose_name = _("stage decision")
        verbose_name_plural = _("stage decisions")
        indexes = [
            models.Index(fields=["nomination", "decided_at"], name="decision_nomination_idx"),
            # Who judged a nomination, and where: the conflict-of-interest EXISTS of every inbox
            # row and check, answered from the index alone on PostgreSQL.
            models.Index(
                fields=["nomination", "actor"],
                include=["on_behalf_of", "outcome", "from_status"],
                name="decision_judged_idx",
            ),
        ]

    def __str__(self):
        return f"{self.nomination_id}: {self.get_outcome_display()} at {self.stage}"

    @classmethod
    def of(
        cls,
        nomination,
        *,
        outcome: str,
        stage: str,
        from_status: str,
        actor,
        role: str,
        reasons: str = "",
        reason_code=None,
        on_behalf_of=None,
    ) -> "StageDecision":
        """The record of an action just fired on `nomination`, unsaved (a batch is written at
        once)."""
        return cls(
            nomination=nomination,
            stage=stage,
            outcome=outcome,
            reasons=reasons,
            reason_code=reason_code,
            from_status=from_status,
            to_status=nomination.status,
            actor=actor,
            role=role,
            on_behalf_of=on_behalf_of,
            dossier=nomination.dossier_snapshot(),
        )
