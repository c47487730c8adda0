from fractions import Fraction

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..roles import Role
from ..stages import DEFAULT_STAGE_ROLE, STAGE_ORDER, Stage
from .bilingual import bilingual
from .units import Unit


class NomineeKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")
    EITHER = "either", _("Individual or collective")


class AwardLevel(models.TextChoices):
    UNIT = "unit", _("Unit level")
    AGENCY = "agency", _("Agency level")
    MINISTRY = "ministry", _("Ministry level")
    STATE = "state", _("State level")


class VoteBase(models.TextChoices):
    MEMBERS = "members", _("All council members")
    PRESENT = "present", _("Members present")


class DocumentKind(models.TextChoices):
    """The kinds of document a dossier holds (`Evidence.Kind`); award types require some."""

    REQUEST_LETTER = "request_letter", _("Request letter")
    ACHIEVEMENT_REPORT = "achievement_report", _("Achievement report")
    MEETING_MINUTES = "meeting_minutes", _("Minutes of the unit's review meeting")
    BALLOT_MINUTES = "ballot_minutes", _("Ballot count minutes")
    INITIATIVE_CERTIFICATE = "initiative_certificate", _("Initiative certification")
    EXCEPTIONAL_ACHIEVEMENT = "exceptional_achievement", _("Certification of achievements")
    CONSULTATION_OPINION = "consultation_opinion", _("Consultation opinion")
    OTHER = "other", _("Other evidence")


def validate_document_kinds(value) -> None:
    """A list of document kinds (`DocumentKind` values), each named once."""
    if not isinstance(value, list) or any(k not in DocumentKind.values for k in value):
        raise ValidationError(_("Unknown document type."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each document type can be required only once."))


class AwardType(models.Model):
    """A title or form of commendation, with everything about it that varies by agency: its
    route through the stages, the council's quorum and threshold, secret ballot, public notice.
    These are data because the rules change with the law and differ between agencies."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    nominee_kind = models.CharField(
        _("nominee"), max_length=20, choices=NomineeKind.choices, default=NomineeKind.INDIVIDUAL
    )
    level = models.CharField(
        _("level"), max_length=20, choices=AwardLevel.choices, default=AwardLevel.AGENCY
    )

    # Council rules. The quorum is a fraction (2/3 is not a finite decimal); the threshold is a
    # percentage of the base; both are compared exactly, never as floats.
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum denominator"), default=3, validators=[MinValueValidator(1)]
    )
    vote_threshold_percent = models.DecimalField(
        _("approval threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    vote_base = models.CharField(
        _("threshold base"), max_length=20, choices=VoteBase.choices, default=VoteBase.PRESENT
    )
    secret_ballot = models.BooleanField(_("secret ballot"), default=False)
    public_notice_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=0
    )
    reviewers_from_other_units_only = models.BooleanField(
        _("nobody reviews nominations from their own unit"), default=False
    )

    # The kinds of document (Evidence.Kind values) a dossier must contain before it can be
    # submitted, e.g. the request letter and the achievement report. A list on the award type
    # rather than a table: the kinds are a fixed set, the admin ticks them as checkboxes, and the
    # lifecycle's guard reads them from the award type it already has, without another query.
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        validators=[validate_document_kinds],
        help_text=_("The documents a dossier must include before it can be submitted."),
    )

    requires_registration = models.BooleanField(
        _("requires emulation registration"),
        default=False,
        help_text=_("Only those who registered for the campaign's year may be proposed."),
    )

    # Awards the agency proposes but a higher level confers (the Prime Minister's Certificate of
    # Merit, orders, national titles): after the council they go up in a signed request (tờ
    # trình, `approvals.forwarding`) instead of into the agency's own decision.
    decided_at_higher_level = models.BooleanField(
        _("decided at a higher level"),
        default=False,
        help_text=_(
            "After the council, nominations are forwarded in a request to the level that "
            "confers the award, instead of being decided by this agency."
        ),
    )
    higher_authority_vi = models.CharField(
        _("conferred by (Vietnamese)"), max_length=200, blank=True
    )
    higher_authority_en = models.CharField(_("conferred by (English)"), max_length=200, blank=True)

    legal_basis_vi = models.CharField(_("legal basis (Vietnamese)"), max_length=300, blank=True)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")

    name = bilingual("name")
    legal_basis = bilingual("legal_basis")
    higher_authority = bilingual("higher_authority")

    def __str__(self):
        return self.name

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)

    @cached_property
    def stages(self) -> list["RouteStage"]:
        """The route in order. Prefetch `route` to make this free."""
        return sorted(self.route.all(), key=lambda s: s.position)

    def stage_after(self, stage: str | None) -> "RouteStage | None":
        """The stage that follows `stage` on this route (the first one for None)."""
        stages = self.stages
        if stage is None:
            return stages[0] if stages else None
        codes = [s.stage for s in stages]
        i = codes.index(stage)
        return stages[i + 1] if i + 1 < len(stages) else None

    def route_stage(self, stage: str) -> "RouteStage | None":
        return next((s for s in self.stages if s.stage == stage), None)

    def required_document_kinds(self) -> list[str]:
        """The kinds of document a dossier for this award must include, in the admin's order."""
        return list(dict.fromkeys(self.required_documents or []))

    def required_document_labels(self) -> list[str]:
        labels = dict(DocumentKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.required_document_kinds()]

    def accepts_individuals(self) -> bool:
        return self.nominee_kind in (NomineeKind.INDIVIDUAL, NomineeKind.EITHER)

    def accepts_collectives(self) -> bool:
        return self.nominee_kind in (NomineeKind.COLLECTIVE, NomineeKind.EITHER)


class RouteStage(models.Model):
    """One stage of an award type's route: which stage, who acts there, how long they have."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="route")
    position = models.PositiveSmallIntegerField(_("position"))
    stage = models.CharField(_("stage"), max_length=40, choices=Stage.choices)
    role = models.CharField(_("acting role"), max_length=40, choices=Role.choices, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=5
    )
    # What the timers do about a waiting task (`run_timers`): remind its holder before the due
    # date and on it, then escalate to the role above once it is this far overdue.
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind (working days before the due date)"),
        default=2,
        help_text=_(
            "A reminder goes this many working days before the due date, and another "
            "on the due date. 0: only on the due date."
        ),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after (working days overdue)"),
        null=True,
        blank=True,
        default=3,
        help_text=_(
            "The task is escalated to the role above once it is this many working days "
            "overdue. Blank: never escalated."
        ),
    )

    class Meta:
        ordering = ["award_type", "position"]
        verbose_name = _("route stage")
        verbose_name_plural = _("route stages")
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "position"], name="unique_route_position"
            ),
            models.UniqueConstraint(fields=["award_type", "stage"], name="unique_route_stage"),
        ]

    def __str__(self):
        return f"{self.award_type.code} #{self.position}: {self.get_stage_display()}"

    def save(self, *args, **kwargs):
        if not self.role:
            self.role = DEFAULT_STAGE_ROLE[Stage(self.stage)]
        super().save(*args, **kwargs)

    def clean(self):
        # Stages keep their natural order: a route may skip stages, never reorder them.
        siblings = RouteStage.objects.filter(award_type_id=self.award_type_id).exclude(pk=self.pk)
        mine = STAGE_ORDER.index(self.stage)
        for other in siblings:
            theirs = STAGE_ORDER.index(other.stage)
            if (other.position < self.position) != (theirs < mine):
                raise ValidationError(
                    _("Stages must keep the order: unit, party committee, leadership, council.")
                )


class Campaign(models.Model):
    """An emulation movement or year, with the dates nominations may be submitted."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    submissions_open = models.DateField(_("submissions open"))
    submissions_close = models.DateField(_("submissions close"))

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    name = bilingual("name")

    def __str__(self):
        return self.name

    def clean(self):
        if self.submissions_close < self.submissions_open:
            raise ValidationError(_("Submissions cannot close before they open."))

    @property
    def rules_date(self):
        """The day whose rules judge the campaign's nominations (criteria in force then)."""
        return self.submissions_open

    def accepts_submissions(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.submissions_open <= today <= self.submissions_close
