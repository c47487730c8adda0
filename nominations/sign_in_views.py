"""The sign-in pages: the password step (`LoginView`), the second step (`second_factor`), logging
out, and a person's two-factor settings: set up an authenticator app (`two_factor_setup`), see
what is set up, make new recovery codes or turn it off (`two_factor`). The rules are in
`nominations/sign_in.py` and `nominations/middleware.py`."""

from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from audit.services import Origin

from . import policy, sign_in
from .exceptions import InvalidInput
from .middleware import PENDING, mark_seen


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
    )


class LoginView(auth_views.LoginView):
    """The password step. Whoever has a second factor is then asked for it before any other
    page; the login is recorded when it is complete."""

    def form_valid(self, form):
        user = form.get_user()
        response = super().form_valid(form)
        mark_seen(self.request)
        if sign_in.has_second_factor(user):
            self.request.session[PENDING] = True
            return redirect(_with_next("second_factor", self.get_success_url()))
        sign_in.record_login(user, second_factor="none", origin=Origin.from_request(self.request))
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "").strip()
        if username:
            sign_in.record_failed_login(
                username,
                locked_out=bool(getattr(self.request, "axes_locked_out", False)),
                origin=Origin.from_request(self.request),
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            sign_in.record_logout(request.user, ended="user", origin=Origin.from_request(request))
        return super().post(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The login's second step: the app's code, or one of the recovery codes."""
    user = request.user
    if not sign_in.has_second_factor(user):
        request.session.pop(PENDING, None)
        return redirect(_with_next("two_factor_setup", _next(request)))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        origin = Origin.from_request(request)
        try:
            verified = sign_in.verify(user, form.cleaned_data["code"], origin=origin)
        except InvalidInput as exc:
            form.add_error("code", str(exc))
            verified = None
        if verified is not None:
            otp_login(request, verified.device)
            request.session.pop(PENDING, None)
            sign_in.record_login(
                user,
                second_factor="recovery_code" if verified.recovery else "app",
                origin=origin,
            )
            if verified.recovery:
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Make new ones if few remain.")
                    % {"left": sign_in.recovery_codes_left(user)},
                )
            return redirect(_next(request))
        if not form.errors:
            form.add_error("code", _("That code is not right."))
    context = {"form": form, "next": _next(request)}
    return render(request, "registration/second_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm a code; the
    recovery codes are then shown, once."""
    user = request.user
    if sign_in.has_second_factor(user) and not sign_in.is_verified(request):
        # Whoever knows only the password may not put their own app in place of the owner's.
        return redirect(_with_next("second_factor", _next(request)))
    device = sign_in.pending_device(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = sign_in.confirm_setup(
                user, form.cleaned_data["code"], origin=Origin.from_request(request)
            )
        except InvalidInput as exc:
            form.add_error("code", str(exc))
        else:
            otp_login(request, device)
            request.session.pop(PENDING, None)
            return _show_codes(request, codes)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": sign_in.secret_of(device),
            "required": policy.needs_second_factor(user),
            "next": _next(request),
        },
    )


@login_required
@require_http_methods(["GET"])
def two_factor(request):
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "enabled": sign_in.has_second_factor(user),
            "codes_left": sign_in.recovery_codes_left(user),
            "required": policy.needs_second_factor(user),
        },
    )


@login_required
@require_POST
def two_factor_codes(request):
    try:
        codes = sign_in.regenerate_codes(request.user, origin=Origin.from_request(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("two_factor")
    return _show_codes(request, codes)


@login_required
@require_POST
def two_factor_remove(request):
    try:
        sign_in.remove(request.user, actor=request.user, origin=Origin.from_request(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("two_factor")


def _show_codes(request, codes: list[str]):
    """The recovery codes, in answer to the POST that made them: never shown again."""
    response = render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next": _next(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


def _qr_svg(url: str) -> str:
    # made here, from our own URL (segno: the same QR maker as the published documents)
    return mark_safe(segno.make_qr(url, error="m").svg_inline(scale=4, border=2))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(page: str, target: str) -> str:
    return f"{reverse(page)}?{urlencode({'next': target})}"
