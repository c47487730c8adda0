"""Who calls the API: a personal token (`Authorization: Bearer lrl_…`) or the browser's session
(with its CSRF token, as DRF's `SessionAuthentication` asks). What a token may do is its scopes;
what its holder may do is, as on the pages, `nominations.policy`'s."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from . import tokens
from .models import Scope


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one token after “Bearer”."))
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = tokens.recognise(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is not valid: unknown, expired or revoked.")
            )
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Laurel → API tokens), e.g. `lrl_…`.",
        }


def scopes_of(request) -> set[str]:
    """What the request may do: a token's scopes; a signed-in browser session, everything its
    holder may (the policy still decides what that is)."""
    token = request.auth
    if token is None or not hasattr(token, "scopes"):
        return set(Scope.values)
    return set(token.scopes)


class Scoped(permissions.BasePermission):
    """Signed in, and the token holds the view's scope: `required_scope` on the view, else
    `read` to read and `act` to write."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        needed = getattr(view, "required_scope", None) or (
            Scope.READ if request.method in permissions.SAFE_METHODS else Scope.ACT
        )
        if needed not in scopes_of(request):
            self.message = _("This token may not do that: it lacks the “%(scope)s” scope.") % {
                "scope": needed
            }
            return False
        return True
