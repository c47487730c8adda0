"""Verifying the chain: recompute every event's hash in sequence order and check each link,
the checkpoints' signatures and that the chain still passes through every checkpoint.

`verify_rows` is pure (it is fed tuples and knows no database); `verify_database` streams the
table into it in batches (one query per batch, never one per event).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import chain, signing

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


@dataclass
class Result:
    ok: bool
    events: int = 0
    head_seq: int = 0
    head_hash: str = chain.GENESIS_HASH
    checkpoints: int = 0
    broken_seq: int | None = None
    message: str = ""
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.ok:
            return (
                f"OK: {self.events} events verified, head #{self.head_seq} {self.head_hash}, "
                f"{self.checkpoints} checkpoints verified"
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
    if checkpoints:
        if public_key is None:
            return _broken(result, None, "checkpoints exist but no public key was given")
        bad = check_checkpoint_signatures(checkpoints, public_key)
        if bad:
            return _broken(result, bad[0].seq, bad[1])
    at_seq: dict[int, list[CheckpointRecord]] = {}
    for cp in checkpoints:
        at_seq.setdefault(cp.seq, []).append(cp)

    # The hot loop: locals only, two SHA-256 and one JSON encoding per event.
    timestamp, digest_of, link = chain.timestamp, chain.body_digest, chain.link_hash
    expected, prev, before_prev = 1, chain.GENESIS_HASH, None
    for row in rows:
        seq, prev_hash, stored = row[0], row[1], row[2]
        if seq != expected:
            if seq < expected:
                return _broken(
                    result, seq, f"two events carry sequence number {seq} (one was inserted)"
                )
            missing = f"#{expected}" if seq == expected + 1 else f"#{expected}–#{seq - 1}"
            return _broken(
                result,
                expected,
                f"missing: the chain jumps from #{expected - 1} to #{seq} "
                f"(event {missing} deleted)",
            )
        if prev_hash != prev:
            if before_prev is not None and prev_hash == before_prev:
                return _broken(
                    result,
                    seq - 1,
                    f"inserted: #{seq} names #{seq - 2} as its predecessor, so #{seq - 1} "
                    "was slipped in between them",
                )
            return _broken(
                result,
                seq,
                f"does not follow #{seq - 1}: it records predecessor hash {prev_hash[:16]}…, "
                f"but #{seq - 1} hashes to {prev[:16]}… (events before it were rewritten, "
                "removed or reordered)",
            )
        body = list(row[3:])
        body[0] = timestamp(body[0])
        if link(seq, prev_hash, digest_of(body)) != stored:
            return _broken(
                result,
                seq,
                "edited: its content no longer matches its hash "
                f"(action {body[1]!r}, subject {body[7]}:{body[8]})",
            )
        for cp in at_seq.get(seq, ()):
            if cp.hash != stored:
                return _broken(
                    result,
                    seq,
                    f"{cp.label} signed hash {cp.hash[:16]}… at #{seq}, but the chain now has "
                    f"{stored[:16]}… there (history rewritten since the checkpoint)",
                )
            result.checkpoints += 1
        before_prev, prev = prev, stored
        expected += 1

    result.events = expected - 1
    result.head_seq, result.head_hash = expected - 1, prev
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


def verify_database(*, public_key=None, batch: int = BATCH) -> Result:
    """Stream the whole chain out of the database and verify it."""
    from .models import AuditEvent, ChainHead, Checkpoint

    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    rows = (
        AuditEvent.objects.order_by("seq", "id").values_list(*ROW_FIELDS).iterator(chunk_size=batch)
    )
    return verify_rows(
        rows,
        checkpoints=checkpoint_records(Checkpoint.objects.order_by("seq", "id")),
        public_key=public_key,
        head=head or (0, chain.GENESIS_HASH),
    )
