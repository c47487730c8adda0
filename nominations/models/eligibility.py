"""The law's eligibility rules for an award type, as data beside its route.

A criterion is one rule of one kind with its parameters, its legal basis (instrument, article,
clause) and the dates it is in force. When a new decree changes a rule, an administrator ends the
old row (`in_force_until`) and adds the new version under the same `code`: a nomination is judged
by the versions in force on its campaign's date (`Campaign.rules_date`). `nominations.eligibility`
evaluates them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .awards import AwardType, NomineeKind
from .bilingual import bilingual
from .record import DisciplineKind, Rating, RecognitionLevel


class CriterionKind(models.TextChoices):
    PRIOR_TITLE = "prior_title", _("Title held in consecutive years")
    INITIATIVE = "initiative", _("Initiative or scientific work recognised")
    SERVICE_YEARS = "service_years", _("Years of service")
    RATINGS = "ratings", _("Task-completion rating in consecutive years")
    NO_DISCIPLINE = "no_discipline", _("No disciplinary measure within a period")
    MEMBER_SHARE = "member_share", _("Share of the collective's members meeting a standard")


# The parameters each kind reads; `clean()` requires them and the admin shows them.
KIND_PARAMETERS = {
    CriterionKind.PRIOR_TITLE: ["title", "years"],
    CriterionKind.INITIATIVE: ["level", "years"],
    CriterionKind.SERVICE_YEARS: ["years"],
    CriterionKind.RATINGS: ["rating", "years"],
    CriterionKind.NO_DISCIPLINE: ["years"],  # no `discipline`: any measure counts
    CriterionKind.MEMBER_SHARE: ["share_percent"],
}


# Which nominees each kind can judge: a person's initiative or years of service say nothing of a
# collective, and a share of members nothing of a person. Any other pairing is judged "unknown"
# (`nominations.eligibility`), and `Criterion.clean` refuses it on an award type that takes only
# nominees the kind cannot judge.
INDIVIDUAL, COLLECTIVE = NomineeKind.INDIVIDUAL.value, NomineeKind.COLLECTIVE.value
KIND_NOMINEES = {
    CriterionKind.PRIOR_TITLE: {INDIVIDUAL, COLLECTIVE},
    CriterionKind.INITIATIVE: {INDIVIDUAL},
    CriterionKind.SERVICE_YEARS: {INDIVIDUAL},
    CriterionKind.RATINGS: {INDIVIDUAL, COLLECTIVE},
    CriterionKind.NO_DISCIPLINE: {INDIVIDUAL, COLLECTIVE},
    CriterionKind.MEMBER_SHARE: {COLLECTIVE},
}


def nominee_kinds(award_type: AwardType) -> set[str]:
    """The kinds of nominee (individual, collective) an award type takes."""
    if award_type.nominee_kind == NomineeKind.EITHER:
        return {INDIVIDUAL, COLLECTIVE}
    return {award_type.nominee_kind}


class CriterionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The versions in force on `day` (inclusive at both ends)."""
        return self.filter(
            Q(in_force_from__isnull=True) | Q(in_force_from__lte=day),
            Q(in_force_until__isnull=True) | Q(in_force_until__gte=day),
        )


class Criterion(models.Model):
    """One eligibility rule of an award type (one version of it)."""

    award_type = models.ForeignKey(
        AwardType, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("award")
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("The rule's name across its versions, e.g. 'prior-ldtt'."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=CriterionKind.choices)
    hard = models.BooleanField(
        _("blocks submission"),
        default=True,
        help_text=_("A hard criterion blocks submission; an advisory one is shown to reviewers."),
    )

    # Parameters (which ones a kind reads: KIND_PARAMETERS).
    title = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("title held"),
    )
    years = models.PositiveSmallIntegerField(
        _("years"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # 0: the years counted end with the campaign's year; 1: with the year before it.
    years_end_before = models.PositiveSmallIntegerField(
        _("years counted end this many years before the campaign's"),
        default=0,
        validators=[MaxValueValidator(5)],
    )
    rating = models.CharField(
        _("at least the rating"), max_length=20, choices=Rating.choices, blank=True
    )
    level = models.CharField(
        _("recognised at least at"), max_length=20, choices=RecognitionLevel.choices, blank=True
    )
    discipline = models.CharField(
        _("no measure of at least"), max_length=20, choices=DisciplineKind.choices, blank=True
    )
    share_percent = models.DecimalField(
        _("share of members (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    # Legal basis and dates in force.
    instrument = models.CharField(
        _("legal instrument"), max_length=200, help_text=_("e.g. Decree 152/2025/NĐ-CP")
    )
    article = models.CharField(_("article"), max_length=20)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    text_vi = models.CharField(_("rule as worded (Vietnamese)"), max_length=300, blank=True)
    text_en = models.CharField(_("rule as worded (English)"), max_length=300, blank=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["award_type", "position", "code", "in_force_from"]
        verbose_name = _("eligibility criterion")
        verbose_name_plural = _("eligibility criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=models.F("in_force_from")),
                name="criterion_in_force_order",
            )
        ]
        indexes = [models.Index(fields=["award_type", "code"], name="criterion_award_idx")]

    text = bilingual("text")

    def __str__(self):
        return f"{self.award_type.code}/{self.code} ({self.citation})"

    @property
    def citation(self) -> str:
        parts = []
        if self.clause:
            parts.append(_("clause %(clause)s") % {"clause": self.clause})
        parts.append(_("Article %(article)s") % {"article": self.article})
        parts.append(self.instrument)
        return ", ".join(str(p) for p in parts)

    def clean(self):
        missing = [
            str(self._meta.get_field(name).verbose_name)
            for name in KIND_PARAMETERS.get(self.kind, [])
            if getattr(self, name) in (None, "")
        ]
        if missing:
            raise ValidationError(
                _("This kind of criterion needs: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        if self.in_force_from and self.in_force_until and self.in_force_until < self.in_force_from:
            raise ValidationError(_("A rule cannot go out of force before it comes into force."))
        if self.kind and self.award_type_id:
            takes = nominee_kinds(self.award_type)
            if not takes & KIND_NOMINEES.get(self.kind, takes):
                raise ValidationError(
                    _(
                        "A rule of this kind cannot judge the nominees of this award "
                        "(%(nominees)s): %(kind)s."
                    )
                    % {
                        "nominees": self.award_type.get_nominee_kind_display(),
                        "kind": self.get_kind_display(),
                    }
                )
            title_held = self.title if self.title_id else None
            if (
                self.kind == CriterionKind.PRIOR_TITLE
                and title_held is not None
                and not takes & nominee_kinds(title_held)
            ):
                raise ValidationError(
                    _("The title held must be one this award's nominees can hold.")
                )
        if self.kind == CriterionKind.MEMBER_SHARE and not (self.title_id or self.rating):
            raise ValidationError(
                _("Say what the members must meet: a title held this year or a rating.")
            )
        # Two versions of one rule may not be in force on the same day.
        if self.award_type_id and self.code:
            others = Criterion.objects.filter(award_type_id=self.award_type_id, code=self.code)
            if self.pk:
                others = others.exclude(pk=self.pk)
            for other in others:
                starts_before_other_ends = (
                    other.in_force_until is None
                    or self.in_force_from is None
                    or self.in_force_from <= other.in_force_until
                )
                other_starts_before_this_ends = (
                    self.in_force_until is None
                    or other.in_force_from is None
                    or other.in_force_from <= self.in_force_until
                )
                if starts_before_other_ends and other_starts_before_this_ends:
                    raise ValidationError(
                        _(
                            "Another version of this rule is in force on some of the same days; "
                            "end it first."
                        )
                    )
