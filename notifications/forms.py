from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Kind, Preference


class PreferenceForm(forms.ModelForm):
    email_kinds = forms.MultipleChoiceField(
        label=_("Send me an email when"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of emails"), choices=settings.LANGUAGES)

    class Meta:
        model = Preference
        fields = ["email_kinds", "daily_digest", "language"]
