from django import forms
from django.utils.translation import gettext_lazy as _

from nominations import policy
from nominations.models import Campaign


class BundleImportForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    file = forms.FileField(
        label=_("Exchange bundle (.zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = [a.unit_id for a in policy.assignments(user) if a.role == policy.BUNDLE_IMPORTER]
        # A secretary's role covers the agency's subtree; campaigns belong to the agency itself.
        self.fields["campaign"].queryset = Campaign.objects.filter(agency__in=agencies).order_by(
            "-year", "code"
        )
