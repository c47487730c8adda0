"""Administrators register the partner Laurels whose bundles this one trusts; imported bundles
are read, never edited."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ImportedBundle, Partner


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["code", "name_vi", "name_en", "public_key_pem", "unit", "active"]
        widgets = {"public_key_pem": forms.Textarea(attrs={"rows": 5, "cols": 70})}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["code", "name_vi", "unit", "fingerprint", "active"]
    list_filter = ["active"]
    readonly_fields = ["fingerprint"]

    @admin.display(description=_("key fingerprint"))
    def fingerprint(self, obj):
        return obj.fingerprint if obj else ""


@admin.register(ImportedBundle)
class ImportedBundleAdmin(admin.ModelAdmin):
    list_display = ["reference", "partner", "campaign", "imported_by", "imported_at"]
    readonly_fields = [
        "sha256",
        "partner",
        "reference",
        "campaign",
        "manifest",
        "imported_by",
        "imported_at",
        "nominations",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
