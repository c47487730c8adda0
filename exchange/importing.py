"""Importing another Laurel's exchange bundle (`exchange.bundle` writes them) as nominations at
this Laurel's first stage.

`verify` comes first and writes nothing: the zip is readable; it has a manifest and a
signature; its sender is a registered, active `Partner` and the signature verifies with that
partner's key (never with the key the bundle carries); every listed file is there, unchanged,
and nothing else is; it was not imported before; its award types exist here and take its
nominees; the campaign is open. Each refusal names what is wrong — the file changed, missing or
added, the key that signed it.

`import_bundle` verifies again inside one transaction and then, for each nominee, drafts the
nomination in the partner's unit, attaches its documents and submits it on its route, all by the
sender's account (`nominations.policy.SENDER_ROLE`), with the usual events, and one
`BUNDLE_IMPORTED` last. A refused bundle writes one `BUNDLE_REFUSED` event with the reasons and
the file's SHA-256 (inspectors see attempts), and nothing else.
"""

import base64
import binascii
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit import signing
from audit.events import Event
from audit.services import Origin
from audit.types import Actor
from nominations import policy
from nominations import services as dossier
from nominations.exceptions import DomainError, InvalidInput
from nominations.models import AwardType, Campaign, Evidence, Profile, RoleAssignment, Unit
from workflows import services as flow

from .bundle import FIXED_MEMBERS, FORMAT, MANIFEST, SENDER_KEY, SIGNATURE, VERSION, sha256
from .models import ImportedBundle, Partner

# Nothing a bundle unpacks to may exceed this (a zip's sizes are checked before it is read).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


class BundleRefused(InvalidInput):
    """The bundle cannot be imported: a sentence, and each reason (`reasons`)."""


@dataclass
class Verified:
    sha256: str
    file_name: str
    partner: Partner
    campaign: Campaign
    manifest: dict
    files: dict[str, bytes]
    award_types: dict[str, AwardType] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return self.manifest["request"]["reference"]

    @property
    def entries(self) -> list[dict]:
        return self.manifest["entries"]


def _refuse(*reasons: str):
    raise BundleRefused(
        _("The bundle cannot be imported; nothing was imported."), reasons=list(reasons)
    )


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(_("The file is not a readable zip archive."))
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        _refuse(_("The archive names a file twice."))
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        _refuse(_("The archive unpacks to more than this Laurel accepts."))
    missing = [n for n in (MANIFEST, SIGNATURE) if n not in names]
    if missing:
        _refuse(
            _("The archive has no %(names)s: it is not an exchange bundle.")
            % {"names": ", ".join(missing)}
        )
    return z


def _member(z: zipfile.ZipFile, name: str) -> bytes:
    try:
        return z.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        _refuse(_("%(name)s cannot be read from the archive.") % {"name": name})


def _manifest(body: bytes) -> dict:
    try:
        manifest = json.loads(body.decode())
    except (UnicodeDecodeError, ValueError):
        _refuse(_("The manifest is not readable JSON."))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        _refuse(_("The manifest is not an exchange bundle's."))
    if manifest.get("version") != VERSION:
        _refuse(
            _("The bundle's format version %(version)s is not one this Laurel reads.")
            % {"version": manifest.get("version")}
        )
    return manifest


def _partner(manifest: dict) -> Partner:
    code = str((manifest.get("sender") or {}).get("code") or "")
    partner = Partner.objects.select_related("unit").filter(code=code).first()
    if partner is None:
        _refuse(
            _(
                "The sender “%(code)s” is not a registered partner: an administrator registers "
                "its public key first."
            )
            % {"code": code}
        )
    if not partner.active:
        _refuse(_("The partner %(partner)s is not active.") % {"partner": partner})
    return partner


def _key_of(pem: bytes, where: str):
    try:
        return signing.public_key_from_pem(pem, where)
    except signing.KeyFileError:
        return None


def _check_signature(z: zipfile.ZipFile, names: set[str], body: bytes, partner: Partner) -> None:
    trusted = _key_of(partner.public_key_pem.encode(), "partner's key")
    if trusted is None:
        _refuse(_("The key registered for %(partner)s is not valid.") % {"partner": partner})
    try:
        signature = base64.b64decode(_member(z, SIGNATURE).strip(), validate=True)
    except (binascii.Error, ValueError):
        _refuse(_("The signature file is not readable."))
    if _valid(trusted, signature, body):
        return
    carried = _key_of(_member(z, SENDER_KEY), "bundle's key") if SENDER_KEY in names else None
    other_key = carried is not None and signing.raw(carried) != signing.raw(trusted)
    if other_key and _valid(carried, signature, body):
        _refuse(
            _(
                "The bundle is signed by an unknown key (fingerprint %(theirs)s), not by the "
                "key registered for %(partner)s (fingerprint %(ours)s)."
            )
            % {
                "theirs": signing.key_id(carried),
                "partner": partner,
                "ours": signing.key_id(trusted),
            }
        )
    _refuse(
        _(
            "The manifest was changed after signing (its signature does not match the key "
            "registered for %(partner)s, fingerprint %(ours)s)."
        )
        % {"partner": partner, "ours": signing.key_id(trusted)}
    )


def _valid(key, signature: bytes, body: bytes) -> bool:
    try:
        key.verify(signature, body)
    except Exception:  # cryptography's InvalidSignature, or a malformed signature
        return False
    return True


def _files(z: zipfile.ZipFile, names: set[str], manifest: dict) -> dict[str, bytes]:
    """Every listed file, checked against its SHA-256; every problem named at once."""
    listed = {}
    for item in manifest.get("files") or []:
        listed[str(item.get("path"))] = item
    reasons, files = [], {}
    for path in sorted(listed):
        if path not in names:
            reasons.append(_("%(path)s is missing from the bundle.") % {"path": path})
            continue
        data = _member(z, path)
        if sha256(data) != listed[path].get("sha256") or len(data) != listed[path].get("size"):
            reasons.append(_("%(path)s was changed after the sender signed.") % {"path": path})
        files[path] = data
    for path in sorted(names - set(listed) - FIXED_MEMBERS):
        if path.endswith("/"):
            continue
        reasons.append(
            _("%(path)s was added after the sender signed (the manifest does not list it).")
            % {"path": path}
        )
    if reasons:
        _refuse(*reasons)
    return files


def _check_content(verified: Verified) -> None:
    """What this Laurel must have to take the bundle: its award types, for its nominees; its
    documents' kinds; an open campaign."""
    reasons = []
    entries = verified.manifest.get("entries")
    if not isinstance(entries, list) or not entries:
        _refuse(_("The bundle names no nominee."))
    shape = {"award_type": dict, "nominee": dict, "dossier": dict, "evidence": list, "path": list}
    for position, e in enumerate(entries, start=1):
        if not isinstance(e, dict) or any(not isinstance(e.get(k), t) for k, t in shape.items()):
            _refuse(
                _("The manifest's nominee %(position)s is incomplete.") % {"position": position}
            )
    codes = {str((e.get("award_type") or {}).get("code")) for e in entries}
    verified.award_types = {a.code: a for a in AwardType.objects.filter(code__in=codes)}
    for e in entries:
        award = (e.get("award_type") or {}).get("code")
        nominee = e.get("nominee") or {}
        local = verified.award_types.get(award)
        if local is None:
            reasons.append(
                _("The award type “%(code)s” (%(name)s) does not exist in this Laurel.")
                % {"code": award, "name": (e.get("award_type") or {}).get("name_vi", "")}
            )
        elif (nominee.get("kind") == "collective" and not local.accepts_collectives()) or (
            nominee.get("kind") == "individual" and not local.accepts_individuals()
        ):
            reasons.append(
                _("The award type “%(code)s” does not take %(name)s's kind of nominee.")
                % {"code": award, "name": nominee.get("full_name", "")}
            )
        if nominee.get("kind") not in ("individual", "collective") or not nominee.get("ref"):
            reasons.append(
                _("Nominee %(position)s is neither a person nor a collective.")
                % {"position": e.get("position")}
            )
        for ev in e.get("evidence") or []:
            if ev.get("kind") not in Evidence.Kind.values or ev.get("path") not in verified.files:
                reasons.append(
                    _("The document %(path)s is of an unknown kind or not in the bundle.")
                    % {"path": ev.get("path")}
                )
    if not verified.partner.unit.is_within(verified.campaign.agency):
        reasons.append(
            _(
                "The unit that stands for %(partner)s here, %(unit)s, is not within %(agency)s, "
                "whose campaign this is."
            )
            % {
                "partner": verified.partner,
                "unit": verified.partner.unit,
                "agency": verified.campaign.agency,
            }
        )
    if not verified.campaign.accepts_submissions():
        reasons.append(
            _("The campaign %(campaign)s is not open for submissions.")
            % {"campaign": verified.campaign}
        )
    if reasons:
        _refuse(*reasons)


def verify(data: bytes, file_name: str, *, campaign: Campaign) -> Verified:
    """Everything the bundle must pass before anything is written (see the module's docstring).
    Raises `BundleRefused` naming each problem; writes nothing."""
    digest = sha256(data)
    z = _open(data)
    names = set(z.namelist())
    body = _member(z, MANIFEST)
    # The sender's code is read before the signature is checked, only to find the key to check
    # it with; nothing else of the manifest is used until the signature holds.
    try:
        sender = json.loads(body.decode()).get("sender") or {}
    except (UnicodeDecodeError, ValueError, AttributeError):
        _refuse(_("The manifest is not readable JSON."))
    partner = _partner({"sender": sender})
    _check_signature(z, names, body, partner)
    manifest = _manifest(body)
    files = _files(z, names, manifest)
    earlier = ImportedBundle.objects.filter(sha256=digest).select_related("imported_by").first()
    if earlier is not None:
        _refuse(
            _("This bundle was already imported on %(day)s by %(who)s.")
            % {
                "day": timezone.localdate(earlier.imported_at).isoformat(),
                "who": audit.label(earlier.imported_by),
            }
        )
    verified = Verified(digest, file_name, partner, campaign, manifest, files)
    _check_content(verified)
    return verified


def record_refusal(
    data: bytes,
    file_name: str,
    exc: DomainError,
    *,
    actor: Actor,
    role: str,
    campaign: Campaign | None,
    origin: Origin | None = None,
) -> None:
    """The refused attempt, in the trail: who tried, which file, why."""
    with transaction.atomic():
        audit.record(
            Event.BUNDLE_REFUSED,
            actor=actor,
            role=role,
            # The subject is the file; its first 16 hex digits name it (the whole is in data).
            subject_type="exchange_bundle",
            subject_id=sha256(data)[:16],
            unit_path=campaign.agency.path if campaign else "",
            campaign_id=campaign.pk if campaign else None,
            comment=str(exc.message),
            data={
                "sha256": sha256(data),
                "file_name": file_name[:255],
                "reasons": [str(r) for r in exc.reasons] or [str(exc.message)],
            },
            origin=origin,
        )


def check(
    data: bytes,
    file_name: str,
    *,
    actor: Actor,
    campaign: Campaign,
    origin: Origin | None = None,
) -> Verified:
    """`verify` for the preview; a refusal is recorded as an attempt."""
    role = policy.authorize_bundle_import(actor, campaign.agency)
    try:
        return verify(data, file_name, campaign=campaign)
    except BundleRefused as exc:
        record_refusal(
            data, file_name, exc, actor=actor, role=role, campaign=campaign, origin=origin
        )
        raise


# A username as Django's validator takes it: letters, digits and @.+-_
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")
_NOT_IN_CODE = re.compile(r"[^a-z0-9_-]")


def sender_account(partner: Partner):
    """The account that proposes the sender's nominations here: inactive, no password, the
    proposer (`policy.SENDER_ROLE`) of the partner's unit. Made on the first import."""
    user_model = get_user_model()
    user, made = user_model.objects.get_or_create(
        username=f"laurel-{partner.code}"[:150],
        defaults={"first_name": partner.name_vi[:150], "is_active": False},
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Profile.objects.get_or_create(user=user, defaults={"unit": partner.unit, "position": "Laurel"})
    RoleAssignment.objects.get_or_create(user=user, role=policy.SENDER_ROLE, unit=partner.unit)
    return user


def _nominee(partner: Partner, nominee: dict) -> dict:
    """The local person or collective a bundle's nominee stands for, found by the sender's name
    for them (their username or unit code) or made once, in the partner's unit."""
    ref = str(nominee["ref"])
    if nominee["kind"] == "collective":
        code = _NOT_IN_CODE.sub("-", f"{partner.code}-{ref}".lower())[:40]
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit.objects.create(
                code=code, name_vi=str(nominee.get("full_name") or ref)[:200], parent=partner.unit
            )
        return {"nominee_unit": unit}
    username = _NOT_IN_USERNAME.sub("-", f"{partner.code}.{ref}")[:150]
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create(
            username=username,
            first_name=str(nominee.get("full_name") or ref)[:150],
            is_active=False,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Profile.objects.create(
            user=user, unit=partner.unit, position=str(nominee.get("position") or "")[:200]
        )
    return {"nominee_person": user}


def provenance(verified: Verified, entry: dict) -> dict:
    """Where an imported nomination came from, kept in its creation's event (its timeline)."""
    request = verified.manifest["request"]
    return {
        "sender": verified.manifest["sender"],
        "reference": request["reference"],
        "signed_at": request.get("signed_at", ""),
        "addressed_to": request.get("addressed_to", ""),
        "sender_reference": entry.get("sender_reference", ""),
        "bundle_sha256": verified.sha256,
        "path": entry.get("path") or [],
        "council": entry.get("council"),
        "public_notice": entry.get("public_notice"),
    }


def _upload(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name or "document")


def import_bundle(
    data: bytes,
    file_name: str,
    *,
    actor: Actor,
    campaign: Campaign,
    origin: Origin | None = None,
) -> ImportedBundle:
    """The receiving office imports a verified bundle: each nominee becomes a nomination of the
    sender's unit here, with its documents, waiting at its route's first stage. All or nothing."""
    role = policy.authorize_bundle_import(actor, campaign.agency)
    stored: list[str] = []  # the documents' files, deleted again if the import is refused
    try:
        with transaction.atomic():
            verified = verify(data, file_name, campaign=campaign)
            partner = verified.partner
            sender = sender_account(partner)
            letter = verified.manifest["request"].get("letter")
            made = []
            for entry in sorted(verified.entries, key=lambda e: e.get("position") or 0):
                try:
                    n = dossier.create_draft(
                        actor=sender,
                        campaign=campaign,
                        award_type=verified.award_types[entry["award_type"]["code"]],
                        proposing_unit=partner.unit,
                        achievements=entry["dossier"].get("achievements", ""),
                        contributions=entry["dossier"].get("contributions", ""),
                        initiatives=entry["dossier"].get("initiatives", ""),
                        origin=origin,
                        provenance=provenance(verified, entry),
                        **_nominee(partner, entry["nominee"]),
                    )
                    documents = [
                        (ev["kind"], ev["original_name"], ev["path"]) for ev in entry["evidence"]
                    ]
                    if letter:
                        documents.append(
                            (Evidence.Kind.REQUEST_LETTER, letter["original_name"], letter["path"])
                        )
                    for kind, name, path in documents:
                        evidence = dossier.add_evidence(
                            n,
                            actor=sender,
                            kind=kind,
                            upload=_upload(verified.files[path], name),
                            origin=origin,
                        )
                        stored.append(evidence.file.name)
                        n.refresh_from_db()
                    made.append(flow.submit(n, actor=sender, origin=origin))
                except DomainError as exc:
                    reasons = [str(exc.message), *map(str, exc.reasons)]
                    _refuse(
                        _("Nominee %(position)s (%(name)s): %(why)s")
                        % {
                            "position": entry.get("position"),
                            "name": entry["nominee"].get("full_name", ""),
                            "why": " ".join(reasons),
                        }
                    )
            imported = ImportedBundle.objects.create(
                sha256=verified.sha256,
                partner=partner,
                reference=verified.reference[:100],
                campaign=campaign,
                manifest=verified.manifest,
                imported_by=actor,
            )
            imported.nominations.set(made)
            audit.record(
                Event.BUNDLE_IMPORTED,
                actor=actor,
                role=role,
                subject_type="imported_bundle",
                subject_id=imported.pk,
                unit_path=partner.unit.path,
                campaign_id=campaign.pk,
                data={
                    "sha256": verified.sha256,
                    "file_name": file_name[:255],
                    "partner": partner.code,
                    "reference": verified.reference,
                    "nominations": [n.pk for n in made],
                },
                origin=origin,
            )
    except BundleRefused as exc:
        _forget(stored)
        record_refusal(
            data, file_name, exc, actor=actor, role=role, campaign=campaign, origin=origin
        )
        raise
    except Exception:
        _forget(stored)
        raise
    return imported


def _forget(names: list[str]) -> None:
    """The files of a rolled-back import: no evidence row names them any more."""
    storage = Evidence._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
