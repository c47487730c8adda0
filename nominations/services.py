"""Writing a dossier: creating a draft, editing it, attaching and removing evidence.

Edits are allowed while the nomination is the unit's (draft, or returned for revision); each is
audited as a field-level diff so reviewers and inspectors see exactly what changed.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.services import Origin
from audit.types import Actor

from . import events, one_award, policy, registration, uploads
from .exceptions import InvalidInput, NotAllowed, TransitionRefused
from .models import Delegation, Evidence, Nomination
from .stages import Status

logger = logging.getLogger(__name__)

DOSSIER_FIELDS = [
    "award_type",
    "nominee_person",
    "nominee_unit",
    "achievements",
    "contributions",
    "initiatives",
]
# The fields whose change makes the dossier a claim on another award (`one_award`).
NOMINEE_AND_AWARD = {"award_type", "nominee_person", "nominee_unit"}


def _display(nomination: Nomination, field: str) -> str:
    """A dossier field's value as the audit trail records it. An award type or a unit is
    recorded by its Vietnamese name, in whichever language the editor reads: values recorded by
    different people are compared later (what changed between a return and the resubmission)."""
    value = getattr(nomination, field)
    if value is None:
        return ""
    return getattr(value, "name_vi", None) or str(value)


def _check_nominee(nomination: Nomination) -> None:
    """The nominee is a person of the proposing unit, or the unit or one of its sub-units."""
    if nomination.nominee_person_id and nomination.nominee_unit_id:
        raise InvalidInput(_("Choose either a person or a collective, not both."))
    person = nomination.nominee_person
    if person is not None:
        profile = getattr(person, "profile", None)
        if profile is None or not profile.unit.is_within(nomination.proposing_unit):
            raise InvalidInput(_("The nominee must work in the proposing unit."))
    unit = nomination.nominee_unit
    if unit is not None and not unit.is_within(nomination.proposing_unit):
        raise InvalidInput(_("The collective must be the proposing unit or one of its units."))


def _check_registration(nomination: Nomination) -> None:
    """A title that requires emulation registration is proposed only for the registered."""
    reason = registration.refusal(nomination)
    if reason:
        raise InvalidInput(reason)


def check_upload(upload) -> str:
    """The content type of an uploaded document, or the refusal: too large, empty, or not a
    kind of document a dossier may hold (judged by its first bytes, `uploads.sniff`). Every
    upload of a written document passes here: evidence, and the consulted bodies' opinions."""
    if upload.size > settings.LAUREL_MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": settings.LAUREL_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise InvalidInput(_("The file is empty."))
    content_type = uploads.sniff(upload)
    if content_type is None:
        raise InvalidInput(
            _("This kind of file cannot be attached. Allowed: %(kinds)s.")
            % {"kinds": uploads.ALLOWED_DESCRIPTION}
        )
    return content_type


def store_file(field, name: str, content, *, what: str) -> None:
    """Write an uploaded document to its file field (not saving the row). When the storage
    refuses the write (read-only, full, gone) nothing is attached: the user is told in a
    sentence, the operator finds the cause in the log under `what`."""
    try:
        field.save(name, content, save=False)
    except OSError:
        logger.exception("Storage refused a write: %s", what)
        raise InvalidInput(
            _(
                "The document could not be stored: the file storage is not accepting "
                "files right now. Nothing was attached; please try again later."
            )
        ) from None


def upload_name(name: str | None) -> str:
    """The uploaded file's name as shown to people (never used as a path)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip(" .")
    return (base or "document")[-200:]


def check_draft(nomination: Nomination, *, actor: Actor) -> str:
    """What a new draft must pass before it is written (the role in which the actor writes it):
    the actor proposes for its unit, the nominee is the unit's, no other nomination claims the
    award (`one_award`), and the nominee is registered if the award requires it. Raises the
    refusal; reads, never writes (the list import previews its rows with it)."""
    role = policy.authorize(actor, "edit", nomination).role
    _check_nominee(nomination)
    one_award.refuse_second(nomination)
    _check_registration(nomination)
    return role


def create_draft(
    *,
    actor: Actor,
    campaign,
    award_type,
    proposing_unit,
    nominee_person=None,
    nominee_unit=None,
    achievements: str = "",
    contributions: str = "",
    initiatives: str = "",
    origin: Origin | None = None,
    provenance: dict | None = None,
) -> Nomination:
    """A proposer starts a nomination for a person or collective of their unit. `provenance`:
    where a nomination made from another Laurel's bundle came from (its sender, request and the
    lower level's path), kept in the creation's event so its timeline shows the whole path."""
    nomination = Nomination(
        campaign=campaign,
        award_type=award_type,
        proposing_unit=proposing_unit,
        nominee_person=nominee_person,
        nominee_unit=nominee_unit,
        achievements=achievements,
        contributions=contributions,
        initiatives=initiatives,
        created_by=actor,
        last_acted_by=actor,
    )
    role = check_draft(nomination, actor=actor)
    with transaction.atomic():
        with one_award.guarded(nomination):
            nomination.save()
        audit.append(
            events.created(nomination, actor=actor, role=role, origin=origin, provenance=provenance)
        )
    return nomination


def _lock_editable(nomination: Nomination, actor: Actor) -> tuple[Nomination, str]:
    locked = Nomination.objects.lock(nomination)
    role = policy.authorize_locked(actor, "edit", locked, nomination).role
    if locked.status not in (Status.DRAFT, Status.RETURNED):
        raise TransitionRefused(
            _("The dossier can be edited only while it is a draft or returned for revision.")
        )
    return locked, role


def update_dossier(
    nomination: Nomination, *, actor: Actor, changes: dict, origin: Origin | None = None
) -> Nomination:
    """Apply `changes` (field → new value) to the dossier; record the diff."""
    unknown = set(changes) - set(DOSSIER_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        n, role = _lock_editable(nomination, actor)
        diff = {}
        for field, value in changes.items():
            old = _display(n, field)
            setattr(n, field, value)
            new = _display(n, field)
            if old != new:
                diff[field] = [old, new]
        if not diff:
            return n
        _check_nominee(n)
        if diff.keys() & NOMINEE_AND_AWARD:
            one_award.refuse_second(n)
        if diff.keys() & {"award_type", "nominee_person", "nominee_unit"}:
            _check_registration(n)
        n.version += 1
        n.last_acted_by = actor
        with one_award.guarded(n):
            n.save()
        audit.append(events.dossier_edited(n, actor=actor, role=role, changes=diff, origin=origin))
    return n


def add_evidence(
    nomination: Nomination, *, actor: Actor, kind: str, upload, origin: Origin | None = None
) -> Evidence:
    """Attach a document to the dossier."""
    if kind not in Evidence.Kind.values:
        raise InvalidInput(_("Unknown document type."))
    content_type = check_upload(upload)
    with transaction.atomic():
        n, role = _lock_editable(nomination, actor)
        evidence = Evidence(
            nomination=n,
            kind=kind,
            original_name=upload_name(upload.name),
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        store_file(evidence.file, "upload", upload, what=f"evidence of nomination {n.pk}")
        try:
            evidence.save()
            n.version += 1
            n.last_acted_by = actor
            n.save(update_fields=["version", "last_acted_by", "updated_at"])
            audit.append(events.evidence_added(n, evidence, actor=actor, role=role, origin=origin))
        except Exception:
            evidence.file.delete(save=False)
            raise
    return evidence


def remove_evidence(evidence: Evidence, *, actor: Actor, origin: Origin | None = None) -> None:
    with transaction.atomic():
        n, role = _lock_editable(evidence.nomination, actor)
        if evidence.nomination_id != n.pk:
            raise NotAllowed(_("This document belongs to another nomination."))
        name, kind, pk, file_name = (
            evidence.original_name,
            evidence.kind,
            evidence.pk,
            evidence.file.name,
        )
        evidence.delete()
        n.version += 1
        n.last_acted_by = actor
        n.save(update_fields=["version", "last_acted_by", "updated_at"])
        audit.append(
            events.evidence_removed(
                n, evidence_id=pk, kind=kind, name=name, actor=actor, role=role, origin=origin
            )
        )
        storage = Evidence._meta.get_field("file").storage
        if file_name:
            transaction.on_commit(lambda: storage.delete(file_name))


# --- delegation ----------------------------------------------------------------------------


def grant_delegation(
    *,
    principal: Actor,
    delegate: Actor,
    role: str,
    unit,
    starts_on,
    ends_on,
    reason: str = "",
    origin: Origin | None = None,
) -> Delegation:
    """The principal lets `delegate` act in `role` over `unit` on their behalf for a period."""
    if ends_on < starts_on:
        raise InvalidInput(_("The delegation cannot end before it starts."))
    if ends_on < timezone.localdate():
        raise InvalidInput(_("The delegation would already be over."))
    policy.check_delegation(principal, delegate, role, unit)
    with transaction.atomic():
        delegation = Delegation.objects.create(
            principal=principal,
            delegate=delegate,
            role=role,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
        )
        audit.append(events.delegation_granted(delegation, origin=origin))
    return delegation


def revoke_delegation(
    delegation: Delegation, *, actor: Actor, origin: Origin | None = None
) -> Delegation:
    """End a delegation before its end date."""
    if not policy.may_revoke(actor, delegation):
        raise NotAllowed(_("Only the principal or an administrator can revoke a delegation."))
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if delegation.revoked_at is not None:
            raise TransitionRefused(_("This delegation was already revoked."))
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit.append(events.delegation_revoked(delegation, actor=actor, origin=origin))
    return delegation
