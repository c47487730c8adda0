from django.contrib import admin

from .models import AuditEvent, Checkpoint, VerificationRun


class ReadOnly(admin.ModelAdmin):
    """The trail is written by services and commands only; the admin shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = [
        "seq",
        "occurred_at",
        "action",
        "actor_label",
        "role",
        "subject_type",
        "subject_id",
    ]
    list_filter = ["action", "role"]
    search_fields = ["actor_label", "comment", "subject_id"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["seq", "signed_at", "key_id", "hash"]


@admin.register(VerificationRun)
class VerificationRunAdmin(ReadOnly):
    list_display = ["finished_at", "ok", "events", "checkpoints", "broken_seq", "triggered_by"]
