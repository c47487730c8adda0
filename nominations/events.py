"""The audit events of a nomination's dossier, of delegations and of signing in: one
builder per event, so what each records (its subject, its context, the keys of its data) is said
once. Services append what these build (`audit.append`); the readers of the same keys are
`audit.selectors.revisions` and `audit.reports`. The transitions' events are built by
`workflows.services.Step.event`, from the same `context` below.
"""

from audit import services as audit
from audit.events import Event
from audit.models import AuditEvent
from audit.services import Origin
from audit.types import Actor

from .models import Delegation, Evidence, Nomination
from .people import display_name
from .roles import Role


def context(nomination: Nomination) -> dict:
    """What every event about a nomination records of it: subject, unit, campaign, award."""
    return {"subject_type": "nomination", "subject_id": nomination.pk, **nomination.audit_context()}


def created(
    nomination: Nomination,
    *,
    actor: Actor,
    role: str,
    origin: Origin | None,
    provenance: dict | None = None,
) -> AuditEvent:
    data: dict = {"dossier": nomination.dossier_snapshot()}
    if provenance:
        data["imported_from"] = provenance
    return audit.build(
        Event.NOMINATION_CREATED,
        actor=actor,
        role=role,
        **context(nomination),
        to_state=nomination.status,
        data=data,
        origin=origin,
    )


def dossier_edited(
    nomination: Nomination,
    *,
    actor: Actor,
    role: str,
    changes: dict[str, list[str]],
    origin: Origin | None,
) -> AuditEvent:
    """`changes`: field → [value before, value after], as shown to people."""
    return audit.build(
        Event.DOSSIER_EDITED,
        actor=actor,
        role=role,
        **context(nomination),
        data={"changes": changes},
        origin=origin,
    )


def evidence_added(
    nomination: Nomination, evidence: Evidence, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.EVIDENCE_ADDED,
        actor=actor,
        role=role,
        **context(nomination),
        data={
            "evidence": evidence.pk,
            "kind": evidence.kind,
            "name": evidence.original_name,
            "size": evidence.size,
        },
        origin=origin,
    )


def evidence_removed(
    nomination: Nomination,
    *,
    evidence_id: int,
    kind: str,
    name: str,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.EVIDENCE_REMOVED,
        actor=actor,
        role=role,
        **context(nomination),
        data={"evidence": evidence_id, "kind": kind, "name": name},
        origin=origin,
    )


def delegation_granted(delegation: Delegation, *, origin: Origin | None) -> AuditEvent:
    return audit.build(
        Event.DELEGATION_GRANTED,
        actor=delegation.principal,
        role=delegation.role,
        subject_type="delegation",
        subject_id=delegation.pk,
        unit_path=delegation.unit.path,
        comment=delegation.reason,
        data={
            "delegate": delegation.delegate_id,
            "delegate_name": display_name(delegation.delegate),
            "unit": delegation.unit_id,
            "delegation_from": delegation.starts_on.isoformat(),
            "delegation_until": delegation.ends_on.isoformat(),
        },
        origin=origin,
    )


def delegation_revoked(
    delegation: Delegation, *, actor: Actor, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.DELEGATION_REVOKED,
        actor=actor,
        role=delegation.role,
        subject_type="delegation",
        subject_id=delegation.pk,
        unit_path=delegation.unit.path,
        data={"delegate": delegation.delegate_id, "principal": delegation.principal_id},
        origin=origin,
    )


def login(
    user: Actor, *, roles: list[str], second_factor: str, origin: Origin | None
) -> AuditEvent:
    """A login completed (after the second factor, for whoever has one). An inspector's login
    keeps its own event, `INSPECTOR_LOGIN` (docs/DOMAIN.md: who looked, and when)."""
    inspector = Role.INSPECTOR in roles
    return audit.build(
        Event.INSPECTOR_LOGIN if inspector else Event.LOGIN,
        actor=user,
        role=Role.INSPECTOR if inspector else "",
        subject_type="user",
        subject_id=user.pk,
        data={"roles": sorted(roles), "second_factor": second_factor},
        origin=origin,
    )


def logout(user: Actor, *, ended: str, origin: Origin | None) -> AuditEvent:
    """`ended`: "user" (they logged out) or "idle" (the session lapsed without a request)."""
    return audit.build(
        Event.LOGOUT,
        actor=user,
        subject_type="user",
        subject_id=user.pk,
        data={"ended": ended},
        origin=origin,
    )


def login_failed(
    username: str, *, step: str, user: Actor | None = None, origin: Origin | None
) -> AuditEvent:
    """A refused login: the username tried (never the password) and where from. `step`:
    "password", or "second_factor" (a wrong code after the right password; `user` is then
    known)."""
    return audit.build(
        Event.LOGIN_FAILED,
        actor=user,
        subject_type="username",
        subject_id=username[:40],
        data={"username": username[:150], "step": step},
        origin=origin,
    )


def locked_out(username: str, *, origin: Origin | None) -> AuditEvent:
    """django-axes refused a login: too many failures for this username from this address."""
    return audit.build(
        Event.LOCKED_OUT,
        actor=None,
        subject_type="username",
        subject_id=username[:40],
        data={"username": username[:150]},
        origin=origin,
    )


def second_factor_changed(
    action: Event, user: Actor, *, actor: Actor, origin: Origin | None
) -> AuditEvent:
    """A device added or removed, recovery codes made anew or one used: `action` says which."""
    if action not in SECOND_FACTOR_CHANGES:
        raise ValueError(action)
    return audit.build(
        action,
        actor=actor,
        subject_type="user",
        subject_id=user.pk,
        data={"username": user.get_username()},
        origin=origin,
    )


SECOND_FACTOR_CHANGES = frozenset(
    {
        Event.SECOND_FACTOR_ADDED,
        Event.SECOND_FACTOR_REMOVED,
        Event.RECOVERY_CODES_REGENERATED,
        Event.RECOVERY_CODE_USED,
    }
)


def registration_recorded(
    registration, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    holder = registration.person or registration.unit
    return audit.build(
        Event.REGISTRATION_RECORDED,
        actor=actor,
        role=role,
        subject_type="registration",
        subject_id=registration.pk,
        unit_path=registration.registering_unit.path,
        comment=registration.commitments,
        data={
            "year": registration.year,
            "person": registration.person_id,
            "unit": registration.unit_id,
            "holder": display_name(holder) if registration.person_id else str(holder),
            "registering_unit": registration.registering_unit_id,
        },
        origin=origin,
    )


def record_imported(
    *,
    actor: Actor | None,
    role: str,
    sha256: str,
    file_name: str,
    counts: dict[str, int],
    unit_path: str,
    origin: Origin | None,
) -> AuditEvent:
    """Past years' records imported from a workbook: how many rows of each kind, and which file
    (its SHA-256), so that the file kept by the emulation office can be matched to the import."""
    return audit.build(
        Event.RECORD_IMPORTED,
        actor=actor,
        role=role,
        subject_type="record_import",
        subject_id=sha256[:40],  # the column's width; the whole hash is in the data
        unit_path=unit_path,
        data={"sha256": sha256, "file": file_name, "counts": counts},
        origin=origin,
    )


def nominations_imported(
    *,
    actor: Actor,
    role: str,
    sha256: str,
    file_name: str,
    campaign_id: int,
    unit_path: str,
    nominations: list[int],
    origin: Origin | None,
) -> AuditEvent:
    """A unit's list of nominations imported from a workbook (each draft has its own
    NOMINATION_CREATED event): which file (its SHA-256), for which campaign and unit, and the
    drafts it made."""
    return audit.build(
        Event.NOMINATIONS_IMPORTED,
        actor=actor,
        role=role,
        subject_type="nomination_import",
        subject_id=sha256[:40],  # the column's width; the whole hash is in the data
        unit_path=unit_path,
        campaign_id=campaign_id,
        data={
            "sha256": sha256,
            "file": file_name,
            "count": len(nominations),
            "nominations": nominations,
        },
        origin=origin,
    )
