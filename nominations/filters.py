"""The filters of the nominations list. Input a filter cannot read is shown as a form error and
that filter is left out; it never reaches the database as garbage."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import policy
from .models import AwardType, Campaign, Nomination, Unit
from .stages import Status

SEARCHED = [
    "achievements__icontains",
    "nominee_person__first_name__icontains",
    "nominee_person__last_name__icontains",
    "nominee_person__username__icontains",
    "nominee_unit__name_vi__icontains",
    "nominee_unit__name_en__icontains",
]


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of units, award types or campaigns labelled in the reader's language."""

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda obj: obj.name
        return field


class NominationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        help_text=_("Nominee, reference (N-00012) or words of the achievements."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All statuses")
    )
    award_type = NamedChoiceFilter(
        label=_("Award"), queryset=AwardType.objects.all(), empty_label=_("All awards")
    )
    campaign = NamedChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.all(), empty_label=_("All campaigns")
    )
    proposing_unit = NamedChoiceFilter(
        label=_("Proposing unit"),
        queryset=Unit.objects.none(),
        empty_label=_("All units"),
        method="within_unit",
    )

    class Meta:
        model = Nomination
        fields = ["q", "status", "award_type", "campaign", "proposing_unit"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Only the units the user holds a role over (and those below) are worth offering.
        units = Unit.objects.filter(policy.scope_q(user, policy.roles_of(user), path_field="path"))
        self.filters["proposing_unit"].queryset = units

    def within_unit(self, queryset, name, unit):
        """A unit and every unit below it: a department's figures include its units'."""
        return queryset.filter(proposing_unit__path__startswith=unit.path)

    def search(self, queryset, name, value):
        for word in value.split():
            match = Q()
            for lookup in SEARCHED:
                match |= Q(**{lookup: word})
            pk = Nomination.pk_from_reference(word)
            if pk is not None:
                match |= Q(pk=pk)
            queryset = queryset.filter(match)
        return queryset
