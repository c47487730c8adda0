"""The one way an audit event is written."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AuditEvent


@dataclass(frozen=True)
class Origin:
    """Where a request came from; views build it, services pass it through."""

    ip: str | None = None
    agent: str = ""

    @classmethod
    def from_request(cls, request) -> "Origin":
        return cls(
            ip=request.META.get("REMOTE_ADDR") or None,
            agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
        )


def _label(user) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def record(
    action: str,
    *,
    actor,
    subject_type: str,
    subject_id: Any,
    nomination_id: int | None = None,
    unit_path: str = "",
    campaign_id: int | None = None,
    award_type_id: int | None = None,
    role: str = "",
    on_behalf_of=None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    origin: Origin | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records, so the
    event and the change commit together or not at all. Events about a nomination pass
    `**nomination.audit_context()` for its id, unit, campaign and award type."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the change's transaction")
    origin = origin or Origin()
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        action=action,
        actor=actor,
        actor_label=_label(actor),
        role=role,
        on_behalf_of=on_behalf_of,
        on_behalf_of_label=_label(on_behalf_of),
        subject_type=subject_type,
        subject_id=str(subject_id),
        nomination_id=nomination_id,
        unit_path=unit_path,
        campaign_id=campaign_id,
        award_type_id=award_type_id,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
        origin_ip=origin.ip,
        origin_agent=origin.agent,
    )
