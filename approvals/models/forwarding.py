"""Awards decided at a higher level: the request (tờ trình) by which the agency forwards the
nominations its council approved, and the higher level's outcome for each nominee.

A request gathers many nominations of award types `decided_at_higher_level` under one number of
its own (`RequestCounter`, a series apart from the decisions'); once signed it never changes,
and each nominee's line (`ForwardEntry`) records what the higher level decided when the office
learns it: conferred (with that level's decision number and date), not conferred (with the
reason), or returned for more documents."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestCounter(models.Model):
    """The last request number used by an agency in a year; locked to take the next one."""

    agency = models.ForeignKey("nominations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_request_counter")
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last_number}"


def letter_path(instance, filename):
    # The stored name never comes from the user.
    return f"requests/{uuid.uuid4().hex}.docx"


class ForwardRequest(models.Model):
    """One request letter to the higher level, naming one or more nominees."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SIGNED = "signed", _("Signed and forwarded")
        SETTLED = "settled", _("Every outcome recorded")

    agency = models.ForeignKey(
        "nominations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    campaign = models.ForeignKey(
        "nominations.Campaign",
        on_delete=models.PROTECT,
        related_name="forward_requests",
        verbose_name=_("campaign"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The number is taken when it is signed, as a decision's is.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    addressed_to = models.CharField(_("addressed to"), max_length=300)
    grounds = models.TextField(_("grounds"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    # The edited letter uploaded before signing (drafted from the `request_letter` template);
    # signing keeps the newest one, named by its SHA-256 in the trail.
    letter = models.FileField(_("edited letter"), upload_to=letter_path, blank=True)
    letter_name = models.CharField(_("file name"), max_length=255, blank=True)
    letter_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The exchange bundle sent with it, when the higher level also runs Laurel.
    bundle_sha256 = models.CharField(_("bundle SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("request to the higher level")
        verbose_name_plural = _("requests to the higher level")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"],
                condition=models.Q(number__isnull=False),
                name="unique_request_number",
            )
        ]

    def __str__(self):
        return self.reference or f"{self.title} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:03d}/{self.year}/TTr-{self.agency.code.upper()}"


def outcome_path(instance, filename):
    # The stored name never comes from the user.
    return f"higher-outcomes/{instance.request_id}/{uuid.uuid4().hex}"


class ForwardEntry(models.Model):
    """One nominee of a request, and the higher level's outcome for them."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the higher level")
        CONFERRED = "conferred", _("Conferred")
        NOT_CONFERRED = "not_conferred", _("Not conferred")
        RETURNED = "returned", _("Returned for more documents")

    request = models.ForeignKey(ForwardRequest, on_delete=models.PROTECT, related_name="entries")
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="forward_entries"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    higher_decision_number = models.CharField(
        _("higher level's decision number"), max_length=60, blank=True
    )
    higher_decision_date = models.DateField(
        _("higher level's decision date"), null=True, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    document = models.FileField(_("document received"), upload_to=outcome_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        verbose_name = _("nominee of a request")
        verbose_name_plural = _("nominees of a request")
        constraints = [
            models.UniqueConstraint(fields=["request", "nomination"], name="unique_forward_entry"),
            models.UniqueConstraint(fields=["request", "position"], name="unique_forward_position"),
            # A nomination waits on one request at a time; a returned one may go up again.
            models.UniqueConstraint(
                fields=["nomination"],
                condition=models.Q(outcome="pending"),
                name="one_pending_forward_entry",
            ),
        ]

    def __str__(self):
        return f"{self.request}: {self.nomination_id} ({self.get_outcome_display()})"
