from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nominations.models import RevocationGround
from nominations.people import display_name

from .models import Choice, ConsultationOpinion, Objection


class SessionForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, label=_("Campaign"))
    scheduled_on = forms.DateField(
        label=_("Date of the session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    chair = forms.ModelChoiceField(
        queryset=None, label=_("Chair"), help_text=_("A member of the council chairs the session.")
    )

    def __init__(self, *args, campaigns, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["chair"].queryset = members
        self.fields["chair"].label_from_instance = display_name


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Members present"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"role": "switch"}),
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(s.member_id), display_name(s.member)) for s in seats]


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


def _code_choices(codes) -> list[tuple[str, str]]:
    return [("", _("Choose the reason…"))] + [(str(c.pk), c.label) for c in codes]


class NotCommendedForm(forms.Form):
    """The secretary's coded reason for a nominee the council did not commend, and words if
    wanted (required for a code that says so, checked by the service)."""

    reason_code = forms.ChoiceField(label=_("Reason not commended"))
    reasons = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = {str(c.pk): c for c in codes}
        self.fields["reason_code"].choices = _code_choices(codes)

    def clean_reason_code(self):
        return self.codes[self.cleaned_data["reason_code"]]


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices)


class WrittenOpinionForm(forms.Form):
    member = forms.ChoiceField(label=_("Absent member"))
    choice = forms.ChoiceField(label=_("Written opinion"), choices=Choice.choices)

    def __init__(self, *args, absent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(str(s.member_id), display_name(s.member)) for s in absent]


class ResolutionForm(forms.Form):
    UPHOLD_RETURN = "uphold_return"
    UPHOLD_REJECT = "uphold_reject"
    DISMISS = "dismiss"
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        # No preselected outcome: the secretary chooses one deliberately.
        choices=[
            ("", _("Choose the resolution…")),
            (DISMISS, _("Dismiss: the nomination proceeds")),
            (UPHOLD_RETURN, _("Uphold: return the nomination to the proposing unit")),
            (UPHOLD_REJECT, _("Uphold: reject the nomination")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    reason_code = forms.ChoiceField(
        label=_("Reason not commended"),
        required=False,
        help_text=_("When the objection is upheld and the nomination rejected."),
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = {str(c.pk): c for c in codes}
        if self.codes:
            self.fields["reason_code"].choices = _code_choices(codes)
        else:
            del self.fields["reason_code"]

    def clean_reason_code(self):
        value = self.cleaned_data.get("reason_code")
        return self.codes.get(value) if value else None

    def clean(self):
        data = super().clean()
        if data.get("reason_code") and data.get("resolution") != self.UPHOLD_REJECT:
            self.add_error(
                "reason_code", _("A reason not to commend goes with an upheld rejection only.")
            )
        return data

    def outcome(self) -> tuple[bool, str]:
        value = self.cleaned_data["resolution"]
        if value == self.DISMISS:
            return False, ""
        remedy = Objection.Remedy.RETURN if value == self.UPHOLD_RETURN else "reject"
        return True, remedy


class SignForm(forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Nominations the decision confers"),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title of the decision"), max_length=300)
    reasons = forms.CharField(
        label=_("Grounds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The legal basis cited at the head of the decision."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates
        self.fields["nominations"].label_from_instance = lambda n: (
            f"{n.reference} — {n.nominee_name} — {n.award_type}"
        )


class CorrectionForm(forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Revoke the award of"),
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.CharField(
        label=_("Grounds"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the awards are revoked; the earlier decision itself never changes."),
    )

    def __init__(self, *args, conferred, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = conferred
        self.fields["nominations"].label_from_instance = lambda n: (
            f"{n.reference} — {n.nominee_name} — {n.award_type}"
        )


# --- revocation of an award ----------------------------------------------------------------

_DATE = forms.DateInput(attrs={"type": "date"})


class RevocationProposalForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"), choices=RevocationGround.choices, widget=forms.RadioSelect
    )
    grounds = forms.CharField(
        label=_("Grounds"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was found, and when; the decision revoking the award will cite it."),
    )
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The documents the proposal rests on: their numbers, dates and issuers."),
    )


class CouncilConclusionForm(forms.Form):
    met_on = forms.DateField(label=_("The council met on"), widget=_DATE)
    members = forms.IntegerField(label=_("Council members"), min_value=1, max_value=1000)
    present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=1000)
    votes_for = forms.IntegerField(label=_("For revoking"), min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=1000)
    votes_abstain = forms.IntegerField(
        label=_("Abstaining"), min_value=0, max_value=1000, initial=0
    )


class RecoveryForm(forms.Form):
    certificate_returned = forms.BooleanField(label=_("Certificate returned"), required=False)
    certificate_returned_on = forms.DateField(
        label=_("Certificate returned on"), required=False, widget=_DATE
    )
    amount_to_recover = forms.IntegerField(
        label=_("Money to recover (VND)"), min_value=0, max_value=10**15, initial=0
    )
    amount_recovered = forms.IntegerField(
        label=_("Money recovered (VND)"), min_value=0, max_value=10**15, initial=0
    )
    recovered_on = forms.DateField(label=_("Money recovered on"), required=False, widget=_DATE)


class DraftUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Edited Word file (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-sm",
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
            }
        ),
    )


# --- consultations (hiệp y) ----------------------------------------------------------------


class ConsultationForm(forms.Form):
    """The office's letter asking bodies for their opinion: the bodies, the due date (empty: the
    default number of working days) and the letter's number; on the list, the nominations too."""

    nominations = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Nominations"), widget=forms.CheckboxSelectMultiple
    )
    bodies = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Bodies consulted"), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(label=_("Answers due"), required=False, widget=_DATE)
    letter_number = forms.CharField(label=_("Letter number"), max_length=60, required=False)

    def __init__(self, *args, bodies, nominations=None, default_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = bodies
        if nominations is None:
            del self.fields["nominations"]
        else:
            self.fields["nominations"].queryset = nominations
            self.fields["nominations"].label_from_instance = lambda n: (
                f"{n.reference} — {n.nominee_name} ({n.award_type})"
            )
        if default_due is not None:
            self.fields["due_on"].help_text = _(
                "Leave empty for %(date)s (%(days)d working days from today)."
            ) % {"date": default_due.isoformat(), "days": settings.LAUREL_CONSULTATION_DAYS}


class OpinionForm(forms.Form):
    """A body's written opinion as its letter says: agrees, or disagrees with its reasons."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (ConsultationOpinion.Answer.AGREE, ConsultationOpinion.Answer.AGREE.label),
            (ConsultationOpinion.Answer.DISAGREE, ConsultationOpinion.Answer.DISAGREE.label),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the body disagrees."),
    )
    # `accept` only helps the file picker; what a file really is is judged by uploads.sniff.
    document = forms.FileField(
        label=_("The body's letter"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.odt,.ods"}
        ),
    )


# --- requests to the higher level ------------------------------------------------------------


def _nomination_label(n) -> str:
    return f"{n.reference} — {n.nominee_name} — {n.award_type}"


class ForwardRequestForm(forms.Form):
    nominations = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Nominations the request forwards"),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title of the request"), max_length=300)
    addressed_to = forms.CharField(
        label=_("Addressed to"),
        max_length=300,
        required=False,
        help_text=_("Left empty: the level that confers the awards."),
    )
    grounds = forms.CharField(
        label=_("Grounds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates
        self.fields["nominations"].label_from_instance = _nomination_label


class LetterUploadForm(forms.Form):
    file = forms.FileField(label=_("Edited letter (.docx)"))


class HigherOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The higher level's outcome"),
        choices=[
            ("conferred", _("Conferred")),
            ("not_conferred", _("Not conferred")),
            ("returned", _("Returned for more documents")),
        ],
    )
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        required=False,
        help_text=_("When conferred, e.g. 1234/QĐ-TTg."),
    )
    decided_on = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When not conferred or returned."),
    )
    document = forms.FileField(label=_("Document received"), required=False)
