"""The append-only audit trail.

`audit` imports none of Laurel's other apps: an event names its subject by type and id and keeps a
snapshot of the people involved, so the trail stays readable even if reference data changes.
Events are written only through `audit.services.record`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    on_behalf_of_label = models.CharField(_("on behalf of"), max_length=200, blank=True)

    # What the event is about: e.g. ("nomination", 42). `nomination_id` repeats it for the one
    # subject every timeline is drawn for, so a timeline is one indexed query.
    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.CharField(_("subject id"), max_length=40)
    nomination_id = models.BigIntegerField(_("nomination"), null=True, blank=True)
    # Where the subject sits, kept with the event so inspectors can search by unit (subtree),
    # campaign and award type without the audit app knowing those models.
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True)
    campaign_id = models.BigIntegerField(_("campaign"), null=True, blank=True)
    award_type_id = models.BigIntegerField(_("award type"), null=True, blank=True)

    from_state = models.CharField(_("from state"), max_length=40, blank=True)
    to_state = models.CharField(_("to state"), max_length=40, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    # Where the request came from.
    origin_ip = models.GenericIPAddressField(_("origin IP"), null=True, blank=True)
    origin_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["nomination_id", "id"], name="audit_nomination_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["unit_path"], name="audit_unit_idx"),
            models.Index(fields=["campaign_id", "award_type_id"], name="audit_campaign_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")
