from django.contrib import admin

from audit.admin import ReadOnly

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly):
    """Tokens are issued and revoked by their holders on their own page (audited there); the
    admin lists them, so an administrator can see who lets which system act as them. The
    digest is never shown."""

    list_display = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = [
        "user",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
