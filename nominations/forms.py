from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AwardType, Campaign, Evidence, Nomination
from .selectors import proposable_people, proposable_units


class NominationForm(forms.ModelForm):
    """The dossier. Which people and units appear is the proposer's scope; whether the nominee
    fits is checked again by the service."""

    class Meta:
        model = Nomination
        fields = [
            "campaign",
            "award_type",
            "proposing_unit",
            "nominee_person",
            "nominee_unit",
            "achievements",
            "contributions",
            "initiatives",
        ]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 6}),
            "contributions": forms.Textarea(attrs={"rows": 4}),
            "initiatives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.all()
        self.fields["award_type"].queryset = AwardType.objects.all()
        units = proposable_units(user)
        self.fields["proposing_unit"].queryset = units
        self.fields["nominee_unit"].queryset = units
        self.fields["nominee_person"].queryset = proposable_people(user)
        self.fields["nominee_person"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()} — {u.profile.unit}"
        )
        if self.instance.pk:
            # The proposing unit and the campaign are fixed once the draft exists.
            for name in ("campaign", "proposing_unit"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        person, unit = data.get("nominee_person"), data.get("nominee_unit")
        if bool(person) == bool(unit):
            raise forms.ValidationError(_("Choose either a person or a collective as nominee."))
        award_type = data.get("award_type")
        if award_type and person and not award_type.accepts_individuals():
            self.add_error("nominee_person", _("This award is for collectives."))
        if award_type and unit and not award_type.accepts_collectives():
            self.add_error("nominee_unit", _("This award is for individuals."))
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("File"))


class ActionForm(forms.Form):
    """Approve, return, reject…: the reasons, and the version the actor saw (to detect races)."""

    reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, reasons_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].required = reasons_required
