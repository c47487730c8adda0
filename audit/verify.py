"""Verifying the chain: recompute every event's hash in sequence order and check each link,
the checkpoints' signatures and that the chain still passes through every checkpoint.

`verify_rows` is pure (it is fed tuples and knows no database); `verify_database` streams the
table into it in batches (one query per batch, never one per event).
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from . import chain, signing
from .models import AuditEvent, ChainHead, Checkpoint

# The columns a row must carry, in this order: the link, then the body (chain.BODY_FIELDS).
ROW_FIELDS = ("seq", "prev_hash", "hash", *chain.BODY_FIELDS)
BATCH = 5000


@dataclass(frozen=True)
class CheckpointRecord:
    seq: int
    hash: str
    signed_at: str  # canonical timestamp text, as signed
    key_id: str
    signature: str
    label: str = ""  # how to name it in messages

    def same_as(self, other: "CheckpointRecord") -> bool:
        return (self.seq, self.hash, self.signed_at, self.key_id, self.signature) == (
            other.seq,
            other.hash,
            other.signed_at,
            other.key_id,
            other.signature,
        )


# A checkpoint kept outside the database (`audit_checkpoint --also-to FILE`,
# LAUREL_CHECKPOINT_FILE, a backup's manifest): one JSON object with these members. A checkpoint
# file holds one such object per line, oldest first (docs/CHAIN.md, section 4).
CHECKPOINT_FIELDS = ("seq", "hash", "signed_at", "key_id", "signature")


class CheckpointFileError(ValueError):
    """An outside checkpoint file cannot be read or a line of it is not a checkpoint."""


def outside_checkpoint(value, where: str) -> CheckpointRecord:
    """A checkpoint given as a JSON object (CHECKPOINT_FIELDS), named `where` in messages."""
    if not isinstance(value, dict) or set(value) != set(CHECKPOINT_FIELDS):
        raise CheckpointFileError(f"{where} is not a checkpoint ({', '.join(CHECKPOINT_FIELDS)})")
    seq = value["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise CheckpointFileError(f"{where}: 'seq' must be a positive integer")
    if not all(isinstance(value[f], str) for f in CHECKPOINT_FIELDS[1:]):
        raise CheckpointFileError(f"{where}: 'hash', 'signed_at', 'key_id', 'signature' are text")
    return CheckpointRecord(
        seq=seq,
        hash=value["hash"],
        signed_at=value["signed_at"],
        key_id=value["key_id"],
        signature=value["signature"],
        label=f"checkpoint #{seq} of {where} ({value['signed_at']})",
    )


def read_checkpoint_file(path) -> list[CheckpointRecord]:
    """Every checkpoint in an outside checkpoint file (JSON lines; blank lines are skipped)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CheckpointFileError(f"the checkpoint file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CheckpointFileError(f"the checkpoint file {path} cannot be read: {reason}") from None
    records = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = f"{path} line {number}"
        try:
            value = json.loads(text)
        except ValueError:
            raise CheckpointFileError(f"{where} is not JSON") from None
        records.append(outside_checkpoint(value, where))
    return records


@dataclass
class Result:
    ok: bool
    events: int = 0
    head_seq: int = 0
    head_hash: str = chain.GENESIS_HASH
    checkpoints: int = 0
    outside: int = 0  # checkpoints kept outside the database, all found in it
    broken_seq: int | None = None
    message: str = ""
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.ok:
            also = f", {self.outside} outside checkpoints matched" if self.outside else ""
            return (
                f"OK: {self.events} events verified, head #{self.head_seq} {self.head_hash}, "
                f"{self.checkpoints} checkpoints verified{also}"
            )
        where = f"event #{self.broken_seq}: " if self.broken_seq is not None else ""
        return f"BROKEN: {where}{self.message}"


def _broken(result: Result, seq: int | None, message: str) -> Result:
    result.ok, result.broken_seq, result.message = False, seq, message
    return result


def check_checkpoint_signatures(
    checkpoints: list[CheckpointRecord], public_key
) -> tuple[CheckpointRecord, str] | None:
    """The first checkpoint whose signature does not hold, and why; None if all hold."""
    expected_id = signing.key_id(public_key)
    for cp in checkpoints:
        if cp.key_id != expected_id:
            return cp, (
                f"{cp.label} names signing key {cp.key_id}, but the public key given is "
                f"{expected_id} (key swapped?)"
            )
        if not signing.checkpoint_signature_valid(
            public_key, cp.seq, cp.hash, cp.signed_at, cp.signature
        ):
            return cp, f"{cp.label}: the signature does not match (#{cp.seq} {cp.hash}); forged"
    return None


def _edited_message(text: str) -> str:
    try:
        body = json.loads(text)
        what = f" (action {body[2]!r}, subject {body[8]}:{body[9]})"
    except (ValueError, IndexError, TypeError):
        what = ""
    return f"edited: its content no longer matches its hash{what}"


@dataclass
class Segment:
    """What one pass over a stretch of the chain found."""

    ok: bool = True
    broken_seq: int | None = None
    message: str = ""
    last_seq: int = 0
    last_hash: str = chain.GENESIS_HASH
    checkpoints: int = 0


def verify_segment(
    rows: Iterable[tuple],
    *,
    start_seq: int = 1,
    prev: str = chain.GENESIS_HASH,
    before_prev: str | None = None,
    at_seq: dict | None = None,
) -> Segment:
    """Check a stretch of the chain starting at `start_seq`, whose predecessor hashes to
    `prev`. `rows` are (seq, prev_hash, hash, canonical body text) in seq order."""
    seg = Segment(last_seq=start_seq - 1, last_hash=prev)
    at_seq = at_seq or {}
    sha, prefix = hashlib.sha256, chain.EVENT_PREFIX
    expected = start_seq
    # The hot loop: locals only, two SHA-256 per event.
    for seq, prev_hash, stored, text in rows:
        if seq != expected:
            if seq < expected:
                return _fail(seg, seq, f"two events carry sequence number {seq} (one was inserted)")
            missing = f"#{expected}" if seq == expected + 1 else f"#{expected}–#{seq - 1}"
            return _fail(
                seg,
                expected,
                f"missing: the chain jumps from #{expected - 1} to #{seq} "
                f"(event {missing} deleted)",
            )
        if prev_hash != prev:
            if before_prev is not None and prev_hash == before_prev:
                return _fail(
                    seg,
                    seq - 1,
                    f"inserted: #{seq} names #{seq - 2} as its predecessor, so #{seq - 1} "
                    "was slipped in between them",
                )
            return _fail(
                seg,
                seq,
                f"does not follow #{seq - 1}: it records predecessor hash {prev_hash[:16]}…, "
                f"but #{seq - 1} hashes to {prev[:16]}… (events before it were rewritten, "
                "removed or reordered)",
            )
        digest = sha(text.encode()).hexdigest()
        if sha(f"{prefix}:{seq}:{prev_hash}:{digest}".encode()).hexdigest() != stored:
            return _fail(seg, seq, _edited_message(text))
        if seq in at_seq:
            for cp in at_seq[seq]:
                if cp.hash != stored:
                    return _fail(
                        seg,
                        seq,
                        f"{cp.label} signed hash {cp.hash[:16]}… at #{seq}, but the chain now "
                        f"has {stored[:16]}… there (history rewritten since the checkpoint)",
                    )
                seg.checkpoints += 1
        before_prev, prev = prev, stored
        expected += 1
    seg.last_seq, seg.last_hash = expected - 1, prev
    return seg


def _fail(seg: Segment, seq: int, message: str) -> Segment:
    seg.ok, seg.broken_seq, seg.message = False, seq, message
    return seg


def _checkpoints_by_seq(checkpoints) -> dict[int, list[CheckpointRecord]]:
    at_seq: dict[int, list[CheckpointRecord]] = {}
    for cp in checkpoints:
        at_seq.setdefault(cp.seq, []).append(cp)
    return at_seq


def _conclude(
    result: Result,
    segments: list[Segment],
    checkpoints: list[CheckpointRecord],
    head: tuple[int, str] | None,
) -> Result:
    for seg in segments:
        result.checkpoints += seg.checkpoints
        if not seg.ok:
            return _broken(result, seg.broken_seq, seg.message)
    last = segments[-1] if segments else Segment()
    result.events = last.last_seq
    result.head_seq, result.head_hash = last.last_seq, last.last_hash
    beyond = [cp for cp in checkpoints if cp.seq > result.head_seq]
    if beyond:
        cp = max(beyond, key=lambda c: c.seq)
        return _broken(
            result,
            result.head_seq + 1,
            f"truncated: the chain ends at #{result.head_seq}, but {cp.label} covers "
            f"#{cp.seq} (events #{result.head_seq + 1}–#{cp.seq} removed)",
        )
    if head is not None and tuple(head) != (result.head_seq, result.head_hash):
        head_seq, head_hash = head
        if head_seq > result.head_seq:
            return _broken(
                result,
                result.head_seq + 1,
                f"truncated: the chain ends at #{result.head_seq}, but its head records "
                f"#{head_seq} (events #{result.head_seq + 1}–#{head_seq} removed)",
            )
        return _broken(
            result,
            head_seq,
            f"the head records #{head_seq} {head_hash[:16]}…, but the chain ends at "
            f"#{result.head_seq} {result.head_hash[:16]}…",
        )
    return result


def _signatures(result: Result, checkpoints, public_key) -> Result | None:
    if not checkpoints:
        return None
    if public_key is None:
        return _broken(result, None, "checkpoints exist but no public key was given")
    bad = check_checkpoint_signatures(checkpoints, public_key)
    if bad:
        return _broken(result, bad[0].seq, bad[1])
    return None


def texts(rows: Iterable[tuple]) -> Iterator[tuple]:
    """ROW_FIELDS tuples (`occurred_at` a datetime) → (seq, prev_hash, hash, body text)."""
    timestamp, body_text = chain.timestamp, chain.body_text
    for row in rows:
        body = list(row[3:])
        body[0] = timestamp(body[0])
        yield row[0], row[1], row[2], body_text(body)


def verify_rows(
    rows: Iterable[tuple],
    *,
    checkpoints: list[CheckpointRecord] = (),
    public_key=None,
    head: tuple[int, str] | None = None,
) -> Result:
    """Verify a whole chain from its first event. `rows` are ROW_FIELDS tuples in seq order
    (`occurred_at` a datetime); `head` is what the head table claims (seq, hash)."""
    result = Result(ok=True)
    checkpoints = list(checkpoints)
    failed = _signatures(result, checkpoints, public_key)
    if failed:
        return failed
    seg = verify_segment(texts(rows), at_seq=_checkpoints_by_seq(checkpoints))
    return _conclude(result, [seg], checkpoints, head)


def checkpoint_records(queryset) -> list[CheckpointRecord]:
    return [
        CheckpointRecord(
            seq=cp.seq,
            hash=cp.hash,
            signed_at=chain.timestamp(cp.signed_at),
            key_id=cp.key_id,
            signature=cp.signature,
            label=f"checkpoint {cp.pk} ({chain.timestamp(cp.signed_at)})",
        )
        for cp in queryset
    ]


# PostgreSQL writes each event's canonical body itself (json_build_array and jsonb print JSON
# exactly as docs/CHAIN.md specifies), so the verifier only hashes text it receives through COPY.
PG_BODY_SQL = "json_build_array('{}', {})::text".format(
    chain.EVENT_PREFIX, ", ".join(chain.BODY_FIELDS)
)


def _pg_rows(connection) -> Iterator[tuple]:
    sql = (
        f"COPY (SELECT seq, prev_hash, hash, {PG_BODY_SQL} FROM audit_auditevent "
        "ORDER BY seq, id) TO STDOUT (FORMAT BINARY)"
    )
    connection.ensure_connection()
    with connection.connection.cursor() as pg:
        pg.execute("SET TIME ZONE 'UTC'")  # times in the JSON as docs/CHAIN.md writes them
        with pg.copy(sql) as copy:
            copy.set_types(["int8", "text", "text", "text"])
            yield from copy.rows()


def _generic_rows(batch: int):
    events = AuditEvent.objects.order_by("seq", "id").values_list(*ROW_FIELDS)
    return texts(events.iterator(chunk_size=batch))


def _missing_from_database(
    result: Result, stored: list[CheckpointRecord], outside: list[CheckpointRecord]
) -> Result:
    """Every checkpoint kept outside must still be in the database, as it was signed: the
    chain may pass through it and yet its row may have been deleted (to hide how far the
    chain had grown) or replaced."""
    for cp in outside:
        if not any(cp.same_as(row) for row in stored):
            return _broken(
                result,
                None,
                f"{cp.label} is missing from the database: the checkpoint signed then for "
                f"#{cp.seq} was deleted or replaced",
            )
    return result


def verify_database(
    *, public_key=None, batch: int = BATCH, outside: Iterable[CheckpointRecord] = ()
) -> Result:
    """Stream the whole chain out of the database and verify it: one query (on PostgreSQL a
    COPY in which the database writes each event's canonical text; elsewhere the ORM's rows,
    `batch` at a time), never one per event.

    `outside` are checkpoints kept outside the database (a checkpoint file, a backup's
    manifest): their signatures are checked, the chain must pass through each of them, and
    each must still be among the database's checkpoints."""
    result = Result(ok=True)
    stored = checkpoint_records(Checkpoint.objects.order_by("seq", "id"))
    outside = list(outside)
    # An outside copy of a stored checkpoint is the same checkpoint: checked and counted once.
    checkpoints = stored + [cp for cp in outside if not any(cp.same_as(row) for row in stored)]
    failed = _signatures(result, checkpoints, public_key)
    if failed:
        return failed
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (
        0,
        chain.GENESIS_HASH,
    )
    rows = _pg_rows(connection) if connection.vendor == "postgresql" else _generic_rows(batch)
    seg = verify_segment(rows, at_seq=_checkpoints_by_seq(checkpoints))
    result = _conclude(result, [seg], checkpoints, head)
    if not result.ok:
        return result
    result.outside = len(outside)
    return _missing_from_database(result, stored, outside)
