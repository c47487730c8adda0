"""Consultations (hiệp y): before the council decides, the office asks other bodies (tax,
police, inspection, the party's inspection commission) whether they object to a nominee.

A consultation of one nomination sends a request to each chosen body with one due date; each
body's written opinion is recorded with its document. It is complete when every body has
answered, or when the due date has passed (the bodies that did not answer are recorded as
having raised no objection by the deadline, by `run_timers`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.models.bilingual import bilingual


class ConsultedBody(models.Model):
    """A body the office may consult, managed by administrators."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("consulted body")
        verbose_name_plural = _("consulted bodies")

    name = bilingual("name")

    def __str__(self):
        return self.name


class Consultation(models.Model):
    """The consultation of the named bodies about one nomination."""

    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="consultations"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_on = models.DateField(_("answers due"))
    letter_number = models.CharField(_("letter number"), max_length=60, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            # One open consultation per nomination; a later one may follow a completed one.
            models.UniqueConstraint(
                fields=["nomination"],
                condition=models.Q(completed_at__isnull=True),
                name="one_open_consultation",
            )
        ]

    def __str__(self):
        return f"{_('Consultation')} #{self.pk} ({self.nomination_id})"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


def opinion_path(instance, filename):
    # The stored name never comes from the user.
    return f"consultations/{instance.consultation_id}/{uuid.uuid4().hex}"


class ConsultationOpinion(models.Model):
    """One body's request and, once it arrives, its written opinion."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        AGREE = "agree", _("Agrees")
        DISAGREE = "disagree", _("Disagrees")
        NO_REPLY = "no_reply", _("No objection by the deadline")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="opinions"
    )
    body = models.ForeignKey(ConsultedBody, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    reasons = models.TextField(_("reasons"), blank=True)
    document = models.FileField(_("written opinion"), upload_to=opinion_path, blank=True)
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        ordering = ["consultation", "body__name_vi"]
        verbose_name = _("consultation opinion")
        verbose_name_plural = _("consultation opinions")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "body"], name="unique_opinion_body"),
            models.CheckConstraint(
                condition=~models.Q(answer="disagree") | ~models.Q(reasons=""),
                name="disagreement_has_reasons",
            ),
        ]

    def __str__(self):
        return f"{self.body}: {self.get_answer_display()}"
