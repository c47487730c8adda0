from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import policy, uploads
from .models import AwardType, Campaign, Delegation, Evidence, HoldKind, Nomination, Unit
from .people import display_name
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
            f"{display_name(u)} — {u.profile.unit}"
        )
        if self.instance.pk:
            # The proposing unit and the campaign are fixed once the draft exists.
            for name in ("campaign", "proposing_unit"):
                self.fields[name].disabled = True
        # Hooks for laurel.js: the award type chosen shows its hint and the nominee field it takes.
        self.fields["award_type"].widget.attrs["data-award-select"] = ""
        self.fields["nominee_person"].widget.attrs["data-nominee"] = "individual"
        self.fields["nominee_unit"].widget.attrs["data-nominee"] = "collective"
        self.fields["nominee_person"].help_text = _("For an award to a person.")
        self.fields["nominee_unit"].help_text = _("For an award to a collective.")
        self.fields["achievements"].help_text = _("Required before the dossier can be submitted.")

    # The form drawn in sections, each under its own heading (the evidence comes after them).
    SECTIONS = [
        ("award", _("Award"), ["campaign", "award_type", "proposing_unit"]),
        ("nominee", _("Nominee"), ["nominee_person", "nominee_unit"]),
        ("achievements", _("Achievements"), ["achievements"]),
        ("contributions", _("Initiatives and contributions"), ["initiatives", "contributions"]),
    ]

    def sections(self) -> list[tuple[str, str, list]]:
        return [(key, title, [self[name] for name in names]) for key, title, names in self.SECTIONS]

    def award_types(self):
        """The award types offered, with their routes, for the eligibility hints."""
        return list(self.fields["award_type"].queryset.prefetch_related("route"))

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


class EligibilityPreviewForm(forms.Form):
    """What the dossier form's live checklist is asked about: a campaign, an award and a
    nominee from the proposer's own scope (nobody reads the record of people outside it)."""

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all())
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.all())
    nominee_person = forms.ModelChoiceField(queryset=None, required=False)
    nominee_unit = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee_person"].queryset = proposable_people(user)
        self.fields["nominee_unit"].queryset = proposable_units(user)

    def clean(self):
        data = super().clean()
        person, unit = data.get("nominee_person"), data.get("nominee_unit")
        award_type = data.get("award_type")
        if bool(person) == bool(unit):
            raise forms.ValidationError(_("Choose either a person or a collective as nominee."))
        if award_type and person and not award_type.accepts_individuals():
            raise forms.ValidationError(_("This award is for collectives."))
        if award_type and unit and not award_type.accepts_collectives():
            raise forms.ValidationError(_("This award is for individuals."))
        return data

    def nomination(self, pk: int | None = None) -> Nomination:
        """The nomination as drafted so far (unsaved), to judge its nominee."""
        data = self.cleaned_data
        return Nomination(
            pk=pk,
            campaign=data["campaign"],
            award_type=data["award_type"],
            nominee_person=data.get("nominee_person"),
            nominee_unit=data.get("nominee_unit"),
        )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=Evidence.Kind.choices)
    # `accept` only helps the file picker; what a file really is is judged by uploads.sniff.
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.LAUREL_MAX_UPLOAD_BYTES
        self.fields["file"].help_text = _("%(kinds)s; at most %(mb)d MB.") % {
            "kinds": uploads.ALLOWED_DESCRIPTION,
            "mb": self.max_bytes // (1024 * 1024),
        }


class ActionForm(forms.Form):
    """Approve, return, reject…: the reasons, and the version the actor saw (to detect races).

    A return or a rejection offers the coded reasons in use for it (`codes`, read once by the
    view): one must be chosen, and the text is needed only for a code that says so ("other").
    Without codes in use the text is required, as it always was.

    A page with several actions draws one form per action: `auto_id="%s-<action>"` keeps their
    ids apart ("reasons-reject"), so each label, and an error, belongs to its own field."""

    reason_code = forms.ChoiceField(label=_("Reason"), required=False)
    reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, reasons_required=False, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = {c.code: c for c in codes}
        reasons = self.fields["reasons"]
        reasons.required = reasons_required
        if not reasons_required:
            reasons.label = _("Comment (optional)")
            reasons.widget.attrs["rows"] = 2
        if not self.codes:
            del self.fields["reason_code"]
            return
        code = self.fields["reason_code"]
        code.required = True
        code.choices = [("", _("Choose the reason…"))] + [(c.code, c.label) for c in codes]
        reasons.required = False
        reasons.label = _("Explanation")
        needing = [str(c.label) for c in codes if c.needs_text]
        reasons.help_text = (
            _("Say more if it helps; required for: %(codes)s.") % {"codes": ", ".join(needing)}
            if needing
            else _("Say more if it helps.")
        )

    def clean_reason_code(self):
        value = self.cleaned_data.get("reason_code")
        return self.codes.get(value) if value else None

    def clean(self):
        data = super().clean()
        code = data.get("reason_code")
        if code is not None and code.needs_text and not (data.get("reasons") or "").strip():
            self.add_error(
                "reasons", _("Write the reason out: “%(label)s” needs it.") % {"label": code.label}
            )
        return data


class HoldForm(forms.Form):
    """Put a nomination on hold: why (the kind of matter and its details), until when it is
    expected to last, and the version the actor saw."""

    kind = forms.ChoiceField(label=_("Reason"), choices=HoldKind.choices)
    reason = forms.CharField(
        label=_("Details"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which measure, investigation, inspection or complaint, and who handles it."),
        error_messages={"required": _("Say why the nomination is put on hold.")},
    )
    expected_end = forms.DateField(
        label=_("Expected to end"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, min_value=1)


class LiftHoldForm(forms.Form):
    """Lift a hold: how the matter was resolved, and the version the actor saw."""

    resolution = forms.CharField(
        label=_("How it was resolved"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how the matter was resolved.")},
    )
    version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, min_value=1)


class ReassignForm(forms.Form):
    """Give an escalated task to another holder of its role (`workflows.services.reassign_task`,
    which refuses anyone else with a reason): the person, and the version the actor saw. On the
    page the choice is the role's holders over the unit; a post is checked by the service."""

    owner = forms.ModelChoiceField(
        label=_("Give this task to"),
        queryset=None,
        error_messages={"required": _("Choose who is given the task.")},
    )
    version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, role: str = "", unit: Unit | None = None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True)
        if unit is not None:  # the page: the role's holders there (a post: anyone, refused later)
            people = people.filter(pk__in=policy.Holders({(role, unit.path)}).of(role, unit.path))
        if exclude is not None:
            people = people.exclude(pk=exclude)
        owner = self.fields["owner"]
        owner.queryset = people.order_by("last_name", "first_name")
        owner.label_from_instance = display_name
        owner.widget.attrs["class"] = "form-select form-select-sm w-auto flex-grow-1"


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label=_("Acting person"), queryset=None)
    role = forms.ChoiceField(label=_("Role"))
    unit = forms.ModelChoiceField(label=_("Scope"), queryset=None)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = [a for a in policy.assignments(user) if a.on_behalf_of_id is None]
        delegable = [a for a in own if a.role in Delegation.DELEGABLE_ROLES]
        self.fields["role"].choices = sorted(
            {(a.role, dict(Delegation._meta.get_field("role").choices)[a.role]) for a in delegable}
        )
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[a.unit_id for a in delegable])
        self.fields["delegate"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk=user.pk)
            .order_by("last_name", "first_name")
        )
        self.fields["delegate"].label_from_instance = display_name


class RecordImportForm(forms.Form):
    """A workbook of past years' records, made from the template (`record_import.template`)."""

    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class NominationImportForm(forms.Form):
    """A unit's list of nominations for one campaign, made from the template
    (`list_import.template`)."""

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all())
    proposing_unit = forms.ModelChoiceField(label=_("Proposing unit"), queryset=None)
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposing_unit"].queryset = proposable_units(user)


class RegistrationForm(forms.Form):
    """A unit's proposer registers people and collectives of the unit for a year."""

    unit = forms.ModelChoiceField(label=_("Registering unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    collectives = forms.ModelMultipleChoiceField(
        label=_("Collectives"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    commitments = forms.CharField(
        label=_("Commitments"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The targets they commit to this year, e.g. the title they aim for."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = policy.units_user_may_register_for(user)
        self.fields["unit"].queryset = units
        self.fields["collectives"].queryset = units
        self.fields["people"].queryset = proposable_people(user)
        self.fields["people"].label_from_instance = lambda u: (
            f"{display_name(u)} — {u.profile.unit}"
        )

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("collectives"):
            raise forms.ValidationError(_("Choose at least one person or collective to register."))
        return data
