"""Reference data for administrators: units, people, roles, award types and routes, campaigns,
holidays, delegations. Nominations themselves change only through the lifecycle's services,
so they are read-only here."""

import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    AnnualRating,
    AwardType,
    Campaign,
    ConferredAward,
    Criterion,
    Delegation,
    DisciplinaryMeasure,
    EmulationRegistration,
    Evidence,
    Holiday,
    Initiative,
    Nomination,
    Profile,
    Quota,
    ReasonCode,
    RecordSource,
    RoleAssignment,
    RouteStage,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "position"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["unit"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__last_name"]


class RouteStageInline(admin.TabularInline):
    model = RouteStage
    extra = 0
    ordering = ["position"]
    # Who acts, how long they have, and what the timers do about it (`workflows.deadlines`).
    fields = [
        "position",
        "stage",
        "role",
        "deadline_working_days",
        "remind_days_before",
        "escalate_after_days",
    ]


class AwardTypeForm(forms.ModelForm):
    # The required documents are stored as a list of kinds; the administrator ticks them.
    # (The admin makes the form for all the award type's fields.)
    required_documents = forms.MultipleChoiceField(
        choices=Evidence.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=capfirst(AwardType._meta.get_field("required_documents").verbose_name),
        help_text=AwardType._meta.get_field("required_documents").help_text,
    )

    def clean_required_documents(self):
        chosen = set(self.cleaned_data["required_documents"])
        return [kind for kind in Evidence.Kind.values if kind in chosen]


CRITERION_FIELDS = [
    "code",
    "position",
    "kind",
    "hard",
    "title",
    "years",
    "years_end_before",
    "rating",
    "level",
    "discipline",
    "share_percent",
    "instrument",
    "article",
    "clause",
    "in_force_from",
    "in_force_until",
    "text_vi",
    "text_en",
]


class CriterionInline(admin.StackedInline):
    """The award type's eligibility rules, each version a row; `Criterion.clean` refuses a
    kind the award's nominees cannot be judged by, missing parameters and overlapping versions,
    and the admin shows its errors on the row."""

    model = Criterion
    fk_name = "award_type"
    extra = 0
    fields = CRITERION_FIELDS
    ordering = ["position", "code", "in_force_from"]
    autocomplete_fields = ["title"]


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    form = AwardTypeForm
    list_display = [
        "code",
        "name_vi",
        "name_en",
        "nominee_kind",
        "level",
        "secret_ballot",
        "requires_registration",
    ]
    list_filter = ["nominee_kind", "level", "secret_ballot", "requires_registration"]
    search_fields = ["code", "name_vi", "name_en"]
    inlines = [RouteStageInline, CriterionInline]


class InForceFilter(admin.SimpleListFilter):
    """The versions in force on a day: today, or any day given as YYYY-MM-DD."""

    title = _("in force on")
    parameter_name = "in_force_on"

    def lookups(self, request, model_admin):
        return [("today", _("Today")), ("ended", _("No longer in force"))]

    def queryset(self, request, queryset):
        value = self.value()
        today = timezone.localdate()
        if value == "today":
            return queryset.in_force_on(today)
        if value == "ended":
            return queryset.filter(in_force_until__lt=today)
        if value:
            try:
                return queryset.in_force_on(datetime.date.fromisoformat(value))
            except ValueError:
                return queryset.none()
        return queryset


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = [
        "award_type",
        "code",
        "kind",
        "hard",
        "article",
        "instrument",
        "in_force_from",
        "in_force_until",
    ]
    list_filter = ["award_type", InForceFilter, "kind", "hard"]
    list_select_related = ["award_type"]
    search_fields = ["code", "instrument", "article", "text_vi", "text_en"]
    fields = ["award_type", *CRITERION_FIELDS]
    autocomplete_fields = ["award_type", "title"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "year", "submissions_open", "submissions_close"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Public holidays ship as data (2025-2030, migration 0010); an administrator adds the
    year's compensatory days off and working Saturdays here, each with its source."""

    list_display = ["date", "weekday", "name", "kind", "source"]
    list_filter = ["kind"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"  # the list by year, then month

    @admin.display(description=_("weekday"))
    def weekday(self, holiday):
        return date_format(holiday.date, "l")


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["principal", "delegate", "role", "unit", "starts_on", "ends_on", "revoked_at"]
    list_filter = ["role"]
    readonly_fields = [f.name for f in Delegation._meta.fields]

    def has_add_permission(self, request):  # granted on the delegations page, audited there
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["reference", "nominee_name", "award_type", "proposing_unit", "status"]
    list_filter = ["status", "award_type", "campaign"]
    list_select_related = ["award_type", "proposing_unit", "nominee_person", "nominee_unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    """Quotas per award type and unit; `Quota.clean` says what a quota of each base needs."""

    list_display = ["award_type", "unit", "campaign", "base", "share_percent", "max_count"]
    list_filter = ["award_type", "base", "campaign"]
    autocomplete_fields = ["unit"]
    fields = [
        "award_type",
        "unit",
        "campaign",
        "base",
        "base_title",
        "share_percent",
        "max_count",
        "instrument",
        "article",
    ]


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    """The coded reasons, in the order reviewers see them. Retire a code by unticking "in use":
    it is never deleted, so the decisions that gave it keep it."""

    list_display = [
        "code",
        "label_vi",
        "label_en",
        "for_return",
        "for_reject",
        "for_not_commended",
        "needs_text",
        "active",
        "position",
    ]
    list_editable = ["active", "position"]
    list_filter = ["active", "for_return", "for_reject", "for_not_commended"]
    ordering = ["position", "code"]

    def has_delete_permission(self, request, obj=None):
        return False


# --- the record across years ---------------------------------------------------------------
# Past years' records are entered here one by one, or imported from a workbook (Import past
# records). Awards written by the workflow's signed decisions are read-only: a decision never
# changes (a correcting decision revokes); imported and entered ones may be corrected.


class HolderAdmin(admin.ModelAdmin):
    list_select_related = ["person", "unit"]
    search_fields = ["person__username", "person__first_name", "person__last_name", "unit__code"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["person"]


@admin.register(AnnualRating)
class AnnualRatingAdmin(HolderAdmin):
    list_display = ["year", "person", "unit", "rating", "source"]
    list_filter = ["year", "rating", "source"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["year", "person", "title", "level", "source"]
    list_filter = ["year", "level", "source"]
    list_select_related = ["person"]
    search_fields = ["title", "person__username", "person__last_name"]
    raw_id_fields = ["person"]


@admin.register(DisciplinaryMeasure)
class DisciplinaryMeasureAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "decided_on", "ends_on", "source"]
    list_filter = ["kind", "source"]
    list_select_related = ["person"]
    search_fields = ["person__username", "person__last_name", "reference"]
    raw_id_fields = ["person"]
    date_hierarchy = "decided_on"


@admin.register(EmulationRegistration)
class EmulationRegistrationAdmin(HolderAdmin):
    list_display = ["year", "person", "unit", "registering_unit", "registered_by", "registered_at"]
    list_filter = ["year"]
    list_select_related = ["person", "unit", "registering_unit", "registered_by"]
    readonly_fields = [f.name for f in EmulationRegistration._meta.fields]

    # Registered on the registration page by the unit's proposer, audited there.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConferredAward)
class ConferredAwardAdmin(HolderAdmin):
    list_display = [
        "year",
        "award_type",
        "person",
        "unit",
        "decision_number",
        "source",
        "revoked_at",
    ]
    list_filter = ["year", "award_type", "source"]
    list_select_related = ["award_type", "person", "unit"]
    fields = [
        "award_type",
        "year",
        "person",
        "unit",
        "decision_number",
        "conferred_on",
        "source",
        "nomination",
        "campaign",
        "decision_id",
        "revoked_at",
        "revoked_by_number",
    ]
    # Written by the workflow: never here. Entered or imported: editable, but not the columns
    # that tie an award to Laurel's own nominations and decisions.
    WORKFLOW_ONLY = [
        "source",
        "nomination",
        "campaign",
        "decision_id",
        "revoked_at",
        "revoked_by_number",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.source == RecordSource.WORKFLOW:
            return self.fields
        return self.WORKFLOW_ONLY

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.source == RecordSource.WORKFLOW:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.source == RecordSource.WORKFLOW:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = RecordSource.ENTERED
        super().save_model(request, obj, form, change)
