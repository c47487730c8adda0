from django.contrib import admin

from .models import Cursor, Notification, Preference, TimerRun


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "event_seq",
        "recipient",
        "kind",
        "nomination",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
        "email_sent_at",
    ]
    list_filter = ["kind", "email_state"]
    search_fields = ["recipient__username", "recipient__email", "email_error"]
    raw_id_fields = ["recipient", "nomination"]
    readonly_fields = ["event_seq", "kind", "stage", "created_at", "email_error"]
    list_select_related = ["recipient", "nomination"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "daily_digest", "language", "last_digest_at"]
    raw_id_fields = ["user"]


@admin.register(Cursor)
class CursorAdmin(admin.ModelAdmin):
    list_display = ["name", "seq", "moved_at"]
    readonly_fields = ["name", "seq", "moved_at"]


@admin.register(TimerRun)
class TimerRunAdmin(admin.ModelAdmin):
    """What `run_timers` last did; written by the command only."""

    list_display = ["name", "last_started_at", "last_finished_at", "ok", "message"]
    readonly_fields = ["name", "last_started_at", "last_finished_at", "ok", "message"]

    def has_add_permission(self, request):
        return False
