"""Administrators manage the Word templates of the drafted documents. An upload is rendered
against the sample data of its kind before it is saved: a merge field Laurel does not fill, or
a malformed one, is refused with the field named (approvals.drafting.check)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import drafting
from .models import ConsultedBody, DocumentTemplate


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["kind", "award_type", "file", "active_from", "active_until"]

    def clean(self):
        cleaned = super().clean()
        kind, upload = cleaned.get("kind"), cleaned.get("file")
        if kind and upload:  # a new file, or the kept one under a changed kind
            upload.open("rb")
            try:
                drafting.check(kind, upload)
            except forms.ValidationError as e:
                self.add_error("file", e)
            finally:
                upload.seek(0)
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "award_type", "active_from", "active_until", "created_at"]
    list_filter = ["kind", "award_type"]
    fieldsets = [
        (
            None,
            {
                "fields": ["kind", "award_type", "file", "active_from", "active_until"],
                "description": _(
                    "A Word file with merge fields such as {{ agency }}; rows repeat with "
                    "{%tr for row in items %} … {%tr endfor %}. The fields of each document "
                    "are listed in the error if the template uses one Laurel does not fill."
                ),
            },
        )
    ]


@admin.register(ConsultedBody)
class ConsultedBodyAdmin(admin.ModelAdmin):
    """The bodies the office may consult (hiệp y). A body no longer consulted is made
    inactive, not deleted: past consultations keep naming it."""

    list_display = ["code", "name_vi", "name_en", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name_vi", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False
