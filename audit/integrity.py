"""Checkpoints, verification runs and export bundles: what the commands and the inspectors'
integrity panel call."""

import datetime
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import chain, signing
from .events import Event
from .models import AuditEvent, ChainHead, Checkpoint, VerificationRun
from .selectors import search_events
from .services import record_inspection
from .verify import CHECKPOINT_FIELDS, ROW_FIELDS, CheckpointRecord, Result, verify_database

BUNDLE_FORMAT = "laurel-audit-bundle/1"


class IntegrityProblem(Exception):
    """Something the integrity tools cannot do, said in one line (missing key, empty chain)."""


def public_key(required: bool):
    """The configured public key, or None if it is absent and not `required`."""
    path = Path(settings.LAUREL_AUDIT_PUBLIC_KEY)
    if not path.exists() and not required:
        return None
    try:
        return signing.load_public_key(path)
    except signing.KeyFileError as exc:
        raise IntegrityProblem(str(exc)) from None


def checkpoint_json(cp: Checkpoint) -> dict:
    """A checkpoint as it is kept outside the database (verify.CHECKPOINT_FIELDS)."""
    values = {
        "seq": cp.seq,
        "hash": cp.hash,
        "signed_at": chain.timestamp(cp.signed_at),
        "key_id": cp.key_id,
        "signature": cp.signature,
    }
    return {name: values[name] for name in CHECKPOINT_FIELDS}


def checkpoint_files(also_to=None) -> list[Path]:
    """Where checkpoints are copied outside the database: settings.LAUREL_CHECKPOINT_FILE (if
    set) and the file an operator names (`audit_checkpoint --also-to`)."""
    files = []
    for path in (getattr(settings, "LAUREL_CHECKPOINT_FILE", None), also_to):
        if path and Path(path) not in files:
            files.append(Path(path))
    return files


def append_checkpoint(cp: Checkpoint, path: Path) -> None:
    """Append one JSON line and make it durable (the file is only ever appended to)."""
    line = json.dumps(checkpoint_json(cp), ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise IntegrityProblem(
            f"checkpoint #{cp.seq} is stored, but it could not be appended to {path}: "
            f"{exc.strerror}"
        ) from None


def take_checkpoint(*, also_to=None) -> Checkpoint:
    """Sign the chain's current head with the private key (read from its file, never stored).
    Once it is committed, the checkpoint is appended to each outside checkpoint file
    (`checkpoint_files`)."""
    try:
        key = signing.load_private_key(settings.LAUREL_AUDIT_SIGNING_KEY)
    except signing.KeyFileError as exc:
        raise IntegrityProblem(str(exc)) from None
    cp = _sign_head(key)
    if transaction.get_connection().in_atomic_block:
        # Written only if the checkpoint is: a copy of a rolled-back row would accuse the
        # database of losing it. After the commit a failed append is logged, not raised: the
        # caller's work (an export, say) is done and must not end in an error page.
        transaction.on_commit(lambda: _copy_outside(cp, also_to), robust=True)
    else:
        _copy_outside(cp, also_to)
    return cp


def _copy_outside(cp: Checkpoint, also_to) -> None:
    for path in checkpoint_files(also_to):
        append_checkpoint(cp, path)


def _sign_head(key) -> Checkpoint:
    with transaction.atomic():
        # Holding the head lock, the head cannot move while it is signed.
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None or head.seq == 0:
            raise IntegrityProblem("the audit chain is empty; there is nothing to sign")
        signed_at = timezone.now()
        text = chain.timestamp(signed_at)
        return Checkpoint.objects.create(
            seq=head.seq,
            hash=head.hash,
            signed_at=signed_at,
            key_id=signing.key_id(key.public_key()),
            signature=signing.sign_checkpoint(key, head.seq, head.hash, text),
        )


def run_verification(
    *,
    triggered_by: str = "",
    outside: list[CheckpointRecord] | tuple = (),
    key=None,
) -> tuple[Result, VerificationRun]:
    """Verify the whole chain and its checkpoints; keep the outcome for the integrity panel.
    `outside`: checkpoints kept outside the database, which must all be found in it (see
    verify.verify_database); `key`: a public key to use instead of the configured one."""
    started = timezone.now()
    if key is None:
        key = public_key(required=bool(outside) or Checkpoint.objects.exists())
    result = verify_database(public_key=key, outside=outside)
    run = VerificationRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        ok=result.ok,
        events=result.events,
        checkpoints=result.checkpoints,
        head_hash=result.head_hash if result.ok else "",
        broken_seq=result.broken_seq,
        message=result.line(),
        triggered_by=triggered_by,
    )
    return result, run


def last_run() -> VerificationRun | None:
    return VerificationRun.objects.order_by("-finished_at", "-id").first()


def last_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-seq", "-id").first()


# --- export bundles ----------------------------------------------------------------------


def _event_json(row: tuple) -> dict:
    body = dict(zip(chain.BODY_FIELDS, row[3:], strict=True))
    body["occurred_at"] = chain.timestamp(body["occurred_at"])
    return {"seq": row[0], "prev_hash": row[1], "hash": row[2], "event": body}


def export_bundle(
    *,
    nomination_id: int | None = None,
    campaign_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    checkpoint_if_needed: bool = True,
) -> dict:
    """The selected events with the proof that they belong to the signed chain.

    The bundle holds the contiguous stretch of the chain from the first selected event to the
    first checkpoint at or after the last one: selected events in full, the others as
    (seq, prev_hash, body digest) only — enough to recompute every link up to the signed hash,
    nothing of their content. If no checkpoint covers the selection yet, one is taken first
    (when the signing key is at hand)."""
    selected = search_events(
        nomination_id=nomination_id, campaign_id=campaign_id, since=since, until=until
    )
    seqs = set(selected.values_list("seq", flat=True))
    filters = {
        "nomination": nomination_id,
        "campaign": campaign_id,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    key = public_key(required=True)
    bundle = {
        "format": BUNDLE_FORMAT,
        "exported_at": chain.timestamp(timezone.now()),
        "filters": filters,
        "public_key": signing.public_pem(key),
        "checkpoints": [],
        "chain": [],
    }
    if not seqs:
        return bundle
    first, last = min(seqs), max(seqs)
    covering = Checkpoint.objects.filter(seq__gte=last).order_by("seq", "id").first()
    if covering is None:
        if not checkpoint_if_needed:
            raise IntegrityProblem(f"no checkpoint covers event #{last} yet; run audit_checkpoint")
        covering = take_checkpoint()
    rows = (
        AuditEvent.objects.filter(seq__gte=first, seq__lte=covering.seq)
        .order_by("seq")
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=2000)
    )
    for row in rows:
        if row[0] in seqs:
            bundle["chain"].append(_event_json(row))
        else:
            body = [chain.timestamp(row[3]), *row[4:]]
            bundle["chain"].append(
                {"seq": row[0], "prev_hash": row[1], "body_digest": chain.body_digest(body)}
            )
    bundle["checkpoints"] = [
        {
            "seq": cp.seq,
            "hash": cp.hash,
            "signed_at": chain.timestamp(cp.signed_at),
            "key_id": cp.key_id,
            "signature": cp.signature,
        }
        for cp in Checkpoint.objects.filter(seq__gte=first, seq__lte=covering.seq).order_by(
            "seq", "id"
        )
    ]
    return bundle


def verify_now(*, actor, role: str, origin=None) -> VerificationRun:
    """An inspector asks for a verification from the integrity panel. It changes no record of
    the agency's work; the run is kept for the panel and the request itself is audited."""
    label = actor.get_username() if actor is not None else ""
    _result, run = run_verification(triggered_by=label)
    record_inspection(
        Event.VERIFICATION_RUN,
        actor=actor,
        role=role,
        subject_type="verification",
        subject_id=run.pk,
        data={"result": "intact" if run.ok else "broken", "count": run.events},
        origin=origin,
    )
    return run
