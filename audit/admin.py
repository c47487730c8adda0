from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "occurred_at",
        "action",
        "actor_label",
        "role",
        "subject_type",
        "subject_id",
    ]
    list_filter = ["action", "role"]
    search_fields = ["actor_label", "comment", "subject_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
