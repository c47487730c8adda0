from django import forms
from django.utils.translation import gettext_lazy as _

from nominations.models import AwardType, Unit


class RollFilter(forms.Form):
    """The roll's filters. A value that is not one of the choices is ignored, never an error
    page: the roll is then shown without that filter."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All units")
    )
    award = forms.ModelChoiceField(
        label=_("Award"),
        queryset=AwardType.objects.all(),
        required=False,
        empty_label=_("All awards"),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed on the decision or the certificate, e.g. ABCDE-FGHIJ."),
    )
