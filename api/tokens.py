"""Issuing, revoking and recognising personal API tokens.

A token's secret is 32 random bytes (URL-safe text, with a `lrl_` prefix so that a leaked one is
recognisable); only its SHA-256 digest is stored. Issuing and revoking are audit events."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import Origin
from audit.types import Actor
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused

from . import events
from .models import ApiToken, Scope

PREFIX = "lrl_"
# The longest a token may live, and how often its last use is written (not on every request).
MAX_DAYS = 366
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    *,
    user: Actor,
    name: str,
    scopes: list[str],
    days: int,
    origin: Origin | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name the token after the system that will use it."))
    chosen = sorted(set(scopes))
    if not chosen or not set(chosen) <= set(Scope.values):
        raise InvalidInput(_("Choose what the token may do."))
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            _("A token lasts from 1 to %(days)d days.") % {"days": MAX_DAYS},
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=secret[: len(PREFIX) + 4],
            digest=digest(secret),
            scopes=chosen,
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        audit.append(events.token_issued(token, origin=origin))
    return token, secret


def revoke(token: ApiToken, *, actor: Actor, origin: Origin | None = None) -> ApiToken:
    """End a token now. Only its holder revokes it."""
    if token.user_id != actor.pk:
        raise NotAllowed(_("Only the token's holder can revoke it."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise TransitionRefused(_("This token was already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.append(events.token_revoked(token, actor=actor, origin=origin))
    return token


def recognise(secret: str) -> ApiToken | None:
    """The usable token with this secret, its last use noted (at most once a minute); None for
    an unknown, expired or revoked one, or an inactive holder."""
    if not secret.startswith(PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(digest=digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def default_days() -> int:
    return settings.LAUREL_API_TOKEN_DAYS
