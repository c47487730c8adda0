"""The pages where a person issues, lists and revokes their own API tokens. The secret is shown
once, on the page that answers the issuing (never stored, never put in a message or a cookie)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import Origin
from nominations.exceptions import DomainError
from nominations.web import refuses_domain_errors

from . import tokens as issuing
from .models import ApiToken, Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("The system that will use it, e.g. “HR system”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("It may"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=issuing.MAX_DAYS
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None, initial={"days": issuing.default_days()})
    secret, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _token, secret = issuing.issue(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    days=form.cleaned_data["days"],
                    origin=Origin.from_request(request),
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                status = 201
                form = TokenForm(initial={"days": issuing.default_days()})
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_POST
@refuses_domain_errors
def token_revoke(request, pk):
    try:
        token = ApiToken.objects.get(pk=pk, user=request.user)
    except ApiToken.DoesNotExist:
        raise Http404(_("No such token.")) from None
    issuing.revoke(token, actor=request.user, origin=Origin.from_request(request))
    messages.success(request, _("Token revoked: it no longer opens the API."))
    return redirect("api_tokens")
