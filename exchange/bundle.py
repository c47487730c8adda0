"""The exchange bundle: a signed request to the higher level, as a zip another Laurel verifies
and imports (`exchange.importing`).

The zip holds
- `manifest.json`: what the request says and, for each nominee, the dossier, the lower level's
  path (each stage's decision: stage, outcome, date, role — never a name, so no secret voter is
  exposed), the council's tally and the public notice, and every file with its size and SHA-256;
- the evidence files and the request letter, at the paths the manifest gives them;
- `manifest.sig`: the agency's Ed25519 signature (its audit signing key) over the manifest's
  exact bytes, base64;
- `sender.pem`: the public key, for the receiver to compare with the key it trusts. A receiver
  never trusts it on its own.

The same request always gives the same bytes: sorted keys, sorted entries, fixed timestamps
(Ed25519 signatures are deterministic too).
"""

import base64
import datetime
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import ForwardRequest, Tally
from audit import services as audit
from audit import signing
from audit.events import Event
from audit.services import Origin
from audit.types import Actor
from nominations import policy
from nominations.exceptions import InvalidInput, TransitionRefused
from nominations.models import StageDecision

FORMAT = "laurel-exchange-bundle"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SENDER_KEY = "sender.pem"
# The zip's own members, beside the files the manifest lists.
FIXED_MEMBERS = frozenset({MANIFEST, SIGNATURE, SENDER_KEY})
# A zip's earliest date: every member carries it, so the bytes depend on the content alone.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _names(obj) -> dict:
    return {"code": obj.code, "name_vi": obj.name_vi, "name_en": obj.name_en or ""}


def _nominee(n) -> dict:
    if n.nominee_person_id:
        person = n.nominee_person
        profile = getattr(person, "profile", None)
        return {
            "kind": "individual",
            # The sender's name for the person: the receiver finds them again by it.
            "ref": person.get_username(),
            "full_name": person.get_full_name() or person.get_username(),
            "position": profile.position if profile else "",
            "unit_name": profile.unit.name_vi if profile else "",
        }
    unit = n.nominee_unit
    return {
        "kind": "collective",
        "ref": unit.code,
        "full_name": unit.name_vi,
        "position": "",
        "unit_name": unit.parent.name_vi if unit.parent_id else "",
    }


def _path(n) -> list[dict]:
    return [
        {
            "stage": d.stage,
            "outcome": d.outcome,
            "date": timezone.localdate(d.decided_at).isoformat(),
            "role": d.role,
        }
        for d in StageDecision.objects.filter(nomination=n).order_by("decided_at", "id")
    ]


def _council(n) -> tuple[dict | None, dict | None]:
    tally = (
        Tally.objects.filter(item__nomination=n)
        .select_related("item__session")
        .order_by("-tallied_at", "-id")
        .first()
    )
    if tally is None:
        return None, None
    council = {
        "date": timezone.localdate(tally.tallied_at).isoformat(),
        "members": tally.members,
        "present": tally.present,
        "recused": tally.recused,
        "base": tally.base,
        "approve": tally.approve,
        "disapprove": tally.disapprove,
        "abstain": tally.abstain,
        "written": tally.written,
        "threshold_percent": str(tally.threshold_percent),
        "vote_base": tally.vote_base,
        "quorum_met": tally.quorum_met,
        "passed": tally.passed,
        "secret": tally.secret,
    }
    notice = None
    if tally.notice_ends_on is not None:
        notice = {
            "ends_on": tally.notice_ends_on.isoformat(),
            "closed": (
                timezone.localdate(tally.notice_closed_at).isoformat()
                if tally.notice_closed_at
                else ""
            ),
        }
    return council, notice


def _suffix(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 8 else ""


@dataclass
class Bundle:
    data: bytes
    sha256: str
    manifest: dict

    @property
    def file_name(self) -> str:
        return "laurel-bundle-" + self.manifest["request"]["reference"].replace("/", "-") + ".zip"


def _read(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


def build(request: ForwardRequest, *, key) -> Bundle:
    """The bundle of a signed request, signed with `key` (an Ed25519 private key). Reads, never
    writes."""
    if request.status == ForwardRequest.Status.DRAFT or request.number is None:
        raise TransitionRefused(_("Only a signed request can be exported."))
    files: dict[str, bytes] = {}
    entries = []
    for entry in request.entries.select_related(
        "nomination__award_type",
        "nomination__nominee_person__profile__unit",
        "nomination__nominee_unit__parent",
    ).order_by("position"):
        n = entry.nomination
        council, notice = _council(n)
        evidence = []
        seen: dict[str, int] = {}
        for ev in n.evidence.order_by("uploaded_at", "id"):
            stem = f"evidence/{entry.position}-{ev.kind}"
            seen[stem] = seen.get(stem, 0) + 1
            if seen[stem] > 1:
                stem += f"-{seen[stem]}"
            path = stem + _suffix(ev.original_name)
            files[path] = _read(ev.file)
            evidence.append(
                {
                    "kind": ev.kind,
                    "original_name": ev.original_name,
                    "path": path,
                    "size": len(files[path]),
                    "sha256": sha256(files[path]),
                }
            )
        entries.append(
            {
                "position": entry.position,
                "award_type": _names(n.award_type),
                "nominee": _nominee(n),
                "dossier": {
                    "achievements": n.achievements,
                    "contributions": n.contributions,
                    "initiatives": n.initiatives,
                },
                "path": _path(n),
                "council": council,
                "public_notice": notice,
                "evidence": evidence,
                "sender_reference": n.reference,
            }
        )
    letter = None
    if request.letter:
        path = "letter" + (_suffix(request.letter_name or request.letter.name) or ".docx")
        files[path] = _read(request.letter)
        letter = {
            "original_name": request.letter_name,
            "path": path,
            "size": len(files[path]),
            "sha256": sha256(files[path]),
        }
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "sender": _names(request.agency),
        "request": {
            "reference": request.reference,
            # In UTC: the same instant is the same text whichever time zone read it.
            "signed_at": (
                request.signed_at.astimezone(datetime.UTC).isoformat() if request.signed_at else ""
            ),
            "signed_by": request.signed_by.get_full_name() if request.signed_by else "",
            "title": request.title,
            "addressed_to": request.addressed_to,
            "grounds": request.grounds,
            "campaign": _names(request.campaign),
            "letter": letter,
        },
        "entries": entries,
        "files": [
            {"path": p, "size": len(files[p]), "sha256": sha256(files[p])} for p in sorted(files)
        ],
    }
    body = manifest_bytes(manifest)
    members = {
        MANIFEST: body,
        SIGNATURE: base64.b64encode(key.sign(body)) + b"\n",
        SENDER_KEY: signing.public_pem(key.public_key()).encode(),
        **files,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, members[name])
    data = out.getvalue()
    return Bundle(data, sha256(data), manifest)


def export(request: ForwardRequest, *, actor: Actor, origin: Origin | None = None) -> Bundle:
    """The agency's office takes the signed request's bundle to send to the higher level: the
    bundle is signed with the agency's key, its SHA-256 kept on the request and in the trail."""
    role = policy.authorize_bundle_export(actor, request.agency)
    try:
        key = signing.load_private_key(settings.LAUREL_AUDIT_SIGNING_KEY)
    except signing.KeyFileError as exc:
        raise InvalidInput(
            _("The agency's signing key cannot be read, so no bundle can be signed: %(why)s")
            % {"why": exc}
        ) from None
    with transaction.atomic():
        locked = ForwardRequest.objects.select_for_update().get(pk=request.pk)
        bundle = build(locked, key=key)
        if locked.bundle_sha256 != bundle.sha256:
            locked.bundle_sha256 = bundle.sha256
            locked.save(update_fields=["bundle_sha256"])
        audit.record(
            Event.BUNDLE_EXPORTED,
            actor=actor,
            role=role,
            subject_type="forward_request",
            subject_id=locked.pk,
            unit_path=locked.agency.path,
            campaign_id=locked.campaign_id,
            data={
                "request": locked.pk,
                "reference": locked.reference,
                "sha256": bundle.sha256,
                "key_id": signing.key_id(key.public_key()),
                "nominations": [e["sender_reference"] for e in bundle.manifest["entries"]],
            },
            origin=origin,
        )
    return bundle
