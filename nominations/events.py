"""The audit events of a nomination's dossier, of delegations and of inspectors' logins: one
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
    nomination: Nomination, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.NOMINATION_CREATED,
        actor=actor,
        role=role,
        **context(nomination),
        to_state=nomination.status,
        data={"dossier": nomination.dossier_snapshot()},
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


def inspector_login(user: Actor, *, origin: Origin | None) -> AuditEvent:
    return audit.build(
        Event.INSPECTOR_LOGIN,
        actor=user,
        role=Role.INSPECTOR,
        subject_type="user",
        subject_id=user.pk,
        origin=origin,
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
