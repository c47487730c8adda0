"""Two rules of signing in that hold on every request.

`IdleTimeoutMiddleware`: a session ends after `LAUREL_IDLE_MINUTES` without a request. The time
of the last request is kept in the session and written at most once a minute (not on every
request, as SESSION_SAVE_EVERY_REQUEST would: a write per page for nothing).

`SecondFactorMiddleware`: whoever has a second factor answers it at login before any other page;
whoever must have one (`policy.needs_second_factor`) and has not passed it in this session is
sent to pass it, or to set it up if they have none. So nobody in such a role signs a decision,
acts on the council, opens the inspector's workspace or the admin without it.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Origin

from . import policy, sign_in

# Session keys.
SEEN = "laurel_seen"  # the last request's time, in seconds since the epoch
PENDING = "laurel_second_factor_pending"  # the password is right, the code still owed

# Pages open to a signed-in person who still owes the second factor.
_OPEN = frozenset({"login", "logout", "second_factor", "two_factor_setup", "set_language"})
_REFRESH_SECONDS = 60


def mark_seen(request) -> None:
    mark_seen_in(request.session)


def mark_seen_in(session) -> None:
    """Start the session's idle clock now (at login)."""
    session[SEEN] = int(timezone.now().timestamp())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            seen = request.session.get(SEEN)
            idle = settings.LAUREL_IDLE_MINUTES * 60
            if seen is not None and now - seen > idle:
                sign_in.record_logout(
                    request.user, ended="idle", origin=Origin.from_request(request)
                )
                logout(request)
                messages.info(
                    request,
                    _(
                        "Your session ended after %(minutes)d minutes without activity. "
                        "Please log in again."
                    )
                    % {"minutes": settings.LAUREL_IDLE_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen >= _REFRESH_SECONDS:
                request.session[SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.resolver_match.url_name in _OPEN:
            return None
        page = _owed(request, user)
        if page is None:
            return None
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")


def _owed(request, user) -> str | None:
    """The page the user must pass before any other, or None."""
    if request.session.get(PENDING):
        return "second_factor"
    if not settings.LAUREL_REQUIRE_2FA or not policy.needs_second_factor(user):
        return None
    if sign_in.is_verified(request):
        return None
    return "second_factor" if sign_in.has_second_factor(user) else "two_factor_setup"
