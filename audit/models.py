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
    # The chain (see docs/CHAIN.md): position, predecessor's hash, own hash. `seq` starts at 1
    # and has no gaps; the first event's predecessor is GENESIS_HASH.
    seq = models.BigIntegerField(_("sequence"), unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    # Every index is paid on every append. `action` and `actor` lead composite indexes below
    # (`audit_action_seq_idx`, `audit_search_count_idx`, `audit_actor_idx`), which serve their
    # lookups; an index of their own would be a second copy to write.
    action = models.CharField(_("action"), max_length=64)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_index=False,
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
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["nomination_id", "seq"], name="audit_nomination_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["unit_path"], name="audit_unit_idx"),
            models.Index(fields=["campaign_id", "award_type_id"], name="audit_campaign_idx"),
            # The inspectors' search: an action's events newest first, and a unit's subtree
            # (a path prefix: LIKE needs the pattern operator class outside the C collation).
            models.Index(fields=["action", "seq"], name="audit_action_seq_idx"),
            models.Index(
                fields=["unit_path"],
                opclasses=["varchar_pattern_ops"],
                name="audit_unit_prefix_idx",
            ),
            # The search's capped count ("10000+"): an action in a unit's subtree over a date
            # range, counted from this index alone (an index-only scan) instead of the rows.
            models.Index(
                fields=["action", "unit_path", "occurred_at"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "timestamptz_ops"],
                name="audit_search_count_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class ChainHead(models.Model):
    """The chain's last link, one row (pk=1). Every append locks it, so concurrent writers
    queue here and each gets the next number and its predecessor's hash; a rolled-back append
    rolls back its head update too, so numbers are never lost."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("chain head")

    def __str__(self):
        return f"head #{self.seq} {self.hash[:12]}"


class Checkpoint(models.Model):
    """A signed statement "the chain had `seq` events, the last hashing to `hash`, at
    `signed_at`". The signature is Ed25519 over the checkpoint's canonical bytes (docs/CHAIN.md);
    the private key never enters the database."""

    seq = models.BigIntegerField(_("sequence"))
    hash = models.CharField(_("hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    key_id = models.CharField(_("key id"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        ordering = ["seq", "id"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self):
        return f"checkpoint @{self.seq} {self.hash[:12]}"


class VerificationRun(models.Model):
    """The outcome of one run of the verifier, shown on the inspectors' integrity panel."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    ok = models.BooleanField(_("intact"))
    events = models.BigIntegerField(_("events verified"))
    checkpoints = models.IntegerField(_("checkpoints verified"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64, blank=True)
    broken_seq = models.BigIntegerField(_("first broken event"), null=True, blank=True)
    message = models.TextField(_("message"))
    triggered_by = models.CharField(_("run by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        get_latest_by = "finished_at"
        verbose_name = _("verification run")
        verbose_name_plural = _("verification runs")

    def __str__(self):
        return f"{'intact' if self.ok else 'broken'} @{self.finished_at:%Y-%m-%d %H:%M}"
