"""Drafted documents: the Word templates administrators manage (with merge fields), and the
edited drafts a council secretary uploads before the decision is signed.

A template is a .docx with Jinja merge fields (docxtpl); which fields each kind of document
may use is `approvals.drafting.SAMPLES`, and the admin renders an upload against it before
accepting it. Without an active template of their own, agencies use the built-in ones
(approvals/docx_templates, made by approvals/docx_templates/build.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    MINUTES = "minutes", _("Council minutes")
    DRAFT_DECISION = "draft_decision", _("Draft decision")
    REQUEST_LETTER = "request_letter", _("Request letter to the higher level")
    REPORT_PERSON = "report_person", _("Achievement report of an individual")
    REPORT_COLLECTIVE = "report_collective", _("Achievement report of a collective")


# The kinds a council secretary drafts for a session and may replace by an edited file.
SESSION_DRAFTS = (DocumentKind.MINUTES, DocumentKind.DRAFT_DECISION)


def template_path(instance, filename):
    # The stored name never comes from the user.
    return f"document-templates/{instance.kind}/{uuid.uuid4().hex}.docx"


def draft_path(instance, filename):
    return f"drafts/{instance.session_id}/{instance.kind}/{uuid.uuid4().hex}.docx"


class DocumentTemplateQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(
            Q(active_from__lte=day), Q(active_until__isnull=True) | Q(active_until__gte=day)
        )


class DocumentTemplate(models.Model):
    """A Word template for one kind of document, for every award type or for one."""

    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    award_type = models.ForeignKey(
        "nominations.AwardType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("award type"),
        help_text=_("Leave empty for a template used for every award type."),
    )
    file = models.FileField(_("Word template (.docx)"), upload_to=template_path)
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-active_from", "-id"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="template_active_range",
            )
        ]

    def __str__(self):
        award = self.award_type or _("every award type")
        return f"{self.get_kind_display()} ({award}, {self.active_from})"


class DraftDocument(models.Model):
    """An edited draft of a session's minutes or decision, uploaded by its secretary. The newest
    one is the draft; the decision that confers the session's awards keeps it as its final file
    (`decision`), after which it no longer changes."""

    session = models.ForeignKey(
        "approvals.CouncilSession", on_delete=models.PROTECT, related_name="drafts"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=draft_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The file's SHA-256, also in the upload's audit event: the trail names the very file.
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    decision = models.ForeignKey(
        "approvals.SignedDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="final_files",
        verbose_name=_("kept by the signed decision"),
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("edited draft")
        verbose_name_plural = _("edited drafts")
        indexes = [models.Index(fields=["session", "kind"], name="draft_session_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
