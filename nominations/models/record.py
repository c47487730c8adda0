"""A person's and a collective's record across years, as eligibility reads it: annual ratings,
recognised initiatives, disciplinary measures and emulation registrations (conferred awards are
`ConferredAward`). Written by the workflow (awards), by administrators and by the record import
(past years), never by a reviewer's memory."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .units import Unit


def _one_holder(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(person__isnull=False) & Q(unit__isnull=True))
        | (Q(person__isnull=True) & Q(unit__isnull=False)),
        name=name,
    )


class Rating(models.TextChoices):
    """The yearly assessment of how a person or collective carried out its tasks (đánh giá, xếp
    loại), best first. `RANK` orders them so a criterion can say "at least good"."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


RATING_RANK = {
    Rating.EXCELLENT: 4,
    Rating.GOOD: 3,
    Rating.COMPLETED: 2,
    Rating.NOT_COMPLETED: 1,
}


class RecognitionLevel(models.TextChoices):
    """The level at which an initiative or scientific work was recognised, lowest first."""

    UNIT = "unit", _("Unit level")
    AGENCY = "agency", _("Agency level")
    MINISTRY = "ministry", _("Ministry or province level")
    NATIONAL = "national", _("National level")


LEVEL_RANK = {level: i for i, level in enumerate(RecognitionLevel.values, start=1)}


class DisciplineKind(models.TextChoices):
    """Disciplinary measures for officials, mildest first."""

    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DEMOTION = "demotion", _("Demotion")
    REMOVAL = "removal", _("Removal from office")
    DISMISSAL = "dismissal", _("Dismissal")


DISCIPLINE_RANK = {kind: i for i, kind in enumerate(DisciplineKind.values, start=1)}


class RecordSource(models.TextChoices):
    ENTERED = "entered", _("Entered by an administrator")
    IMPORTED = "imported", _("Imported from past years' records")
    WORKFLOW = "workflow", _("Written by Laurel's workflow")
    HIGHER_LEVEL = "higher_level", _("Conferred by the higher level on Laurel's request")


class AnnualRating(models.Model):
    """How a person or a collective completed its tasks in one year."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_ratings",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_ratings",
        verbose_name=_("collective"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.ENTERED
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        constraints = [
            _one_holder("rating_one_holder"),
            models.UniqueConstraint(fields=["person", "year"], name="rating_person_year"),
            models.UniqueConstraint(fields=["unit", "year"], name="rating_unit_year"),
        ]

    def __str__(self):
        return f"{self.person or self.unit} {self.year}: {self.get_rating_display()}"


class Initiative(models.Model):
    """An initiative (sáng kiến) or scientific work of a person, recognised at a level."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("recognised at"), max_length=20, choices=RecognitionLevel.choices)
    year = models.PositiveSmallIntegerField(_("year recognised"))
    reference = models.CharField(_("recognition document"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.ENTERED
    )

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["person", "year"], name="initiative_person_idx")]

    def __str__(self):
        return f"{self.title} ({self.get_level_display()}, {self.year})"


class DisciplinaryMeasure(models.Model):
    """A disciplinary measure taken against a person, from the day it was decided until the
    day its effect ends (achievements count again from then)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disciplinary_measures",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("measure"), max_length=20, choices=DisciplineKind.choices)
    decided_on = models.DateField(_("decided on"))
    ends_on = models.DateField(_("in effect until"), null=True, blank=True)
    reference = models.CharField(_("decision"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=RecordSource.choices, default=RecordSource.ENTERED
    )

    class Meta:
        ordering = ["-decided_on", "id"]
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("decided_on")),
                name="discipline_ends_after_decided",
            )
        ]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()} ({self.decided_on})"


class EmulationRegistration(models.Model):
    """A person's or collective's registration to the emulation movement for a year (đăng ký
    thi đua), with its commitments. Titles that require registration are proposed only for those
    who registered for the campaign's year."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emulation_registrations",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emulation_registrations",
        verbose_name=_("collective"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    commitments = models.TextField(_("commitments"))
    # The unit that registered them (the person's unit, or the collective's parent).
    registering_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by unit")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["-year", "registering_unit", "id"]
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        constraints = [
            _one_holder("registration_one_holder"),
            models.UniqueConstraint(fields=["person", "year"], name="registration_person_year"),
            models.UniqueConstraint(fields=["unit", "year"], name="registration_unit_year"),
        ]

    def __str__(self):
        return f"{self.person or self.unit} — {self.year}"
