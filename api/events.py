"""The audit events of personal API tokens: one builder per event (`audit.services.build`)."""

from audit import services as audit
from audit.events import Event
from audit.models import AuditEvent
from audit.services import Origin
from audit.types import Actor

from .models import ApiToken


def _data(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "scopes": list(token.scopes),
        "expires_at": token.expires_at.isoformat(),
    }


def token_issued(token: ApiToken, *, origin: Origin | None) -> AuditEvent:
    return audit.build(
        Event.API_TOKEN_ISSUED,
        actor=token.user,
        subject_type="api_token",
        subject_id=token.pk,
        data=_data(token),
        origin=origin,
    )


def token_revoked(token: ApiToken, *, actor: Actor, origin: Origin | None) -> AuditEvent:
    return audit.build(
        Event.API_TOKEN_REVOKED,
        actor=actor,
        subject_type="api_token",
        subject_id=token.pk,
        data=_data(token),
        origin=origin,
    )
