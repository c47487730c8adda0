"""The chain's canonical serialisation and hashes, in plain Python (standard library only).

This module is shared by the application (`audit.services`, `audit.verify`) and by the
standalone verifier (`audit.offline_verify`), which must run without Django. docs/CHAIN.md
describes the same rules in prose for anyone reimplementing them.
"""

import base64
import datetime
import hashlib
import hmac
import json

EVENT_PREFIX = "laurel-audit-v1"
CHECKPOINT_PREFIX = "laurel-checkpoint-v1"
DECISION_CODE_PREFIX = "laurel-decision-code-v1"
DECISION_CODE_LENGTH = 10
GENESIS_HASH = "0" * 64

# The event's own fields in the order they are serialised (the body); `seq` and `prev_hash`
# are bound separately by the link hash, so that an event can be shown as (seq, prev_hash,
# body digest) without its content and still be checked against its neighbours.
BODY_FIELDS = (
    "occurred_at",
    "action",
    "actor_id",
    "actor_label",
    "role",
    "on_behalf_of_id",
    "on_behalf_of_label",
    "subject_type",
    "subject_id",
    "nomination_id",
    "unit_path",
    "campaign_id",
    "award_type_id",
    "from_state",
    "to_state",
    "comment",
    "data",
    "origin_ip",
    "origin_agent",
)
OCCURRED_AT = BODY_FIELDS.index("occurred_at")

# The canonical text is Python's json.dumps with its default separators (", " and ": ") and
# no ASCII escaping — which is also exactly how PostgreSQL writes json_build_array() and jsonb,
# so the database can hand the verifier each event's canonical body ready-made.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_sha256 = hashlib.sha256
_UTC = datetime.UTC


class NotCanonical(ValueError):
    """A value the canonical serialisation does not accept (a float, a naive time...)."""


def timestamp(moment: datetime.datetime) -> str:
    """UTC in ISO 8601 with "+00:00", fractional seconds without trailing zeros (none at all
    when whole): 2026-11-25T00:09:34.1234+00:00 — as PostgreSQL writes times in JSON."""
    if moment.tzinfo is None:
        raise NotCanonical("event times must be timezone-aware")
    if moment.utcoffset():
        moment = moment.astimezone(_UTC)
    text = moment.replace(tzinfo=None).isoformat()
    if "." in text:
        text = text.rstrip("0")
    return text + "+00:00"


def check_data(value, path: str = "data") -> None:
    """`data` may hold objects, arrays, strings, integers, booleans and null — no floats, whose
    text form differs between languages."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonical(f"{path}: keys must be strings")
            check_data(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_data(item, f"{path}[{i}]")
    elif isinstance(value, float):
        raise NotCanonical(f"{path}: floats are not allowed in audit data; use a string")
    elif value is not None and not isinstance(value, str | int | bool):
        raise NotCanonical(f"{path}: {type(value).__name__} is not allowed in audit data")


def _key(key: str) -> tuple[int, bytes]:
    raw = key.encode()
    return len(raw), raw


def canonical_data(value):
    """`data` with every object's keys in canonical order: shorter (in UTF-8 bytes) first,
    then bytewise — the order PostgreSQL's jsonb keeps them in."""
    if isinstance(value, dict):
        return {k: canonical_data(value[k]) for k in sorted(value, key=_key)}
    if isinstance(value, list):
        return [canonical_data(v) for v in value]
    return value


DATA = BODY_FIELDS.index("data")


def body_text(body: list | tuple) -> str:
    """The canonical body: a JSON array of the prefix and the BODY_FIELDS values
    (`occurred_at` already a string)."""
    values = list(body)
    values[DATA] = canonical_data(values[DATA])
    return _encode([EVENT_PREFIX, *values])


def digest_text(text: str) -> str:
    return _sha256(text.encode()).hexdigest()


def body_digest(body: list | tuple) -> str:
    return _sha256(body_text(body).encode()).hexdigest()


def link_hash(seq: int, prev_hash: str, digest: str) -> str:
    """The event's hash: binds its position, its predecessor and its body digest."""
    return _sha256(f"{EVENT_PREFIX}:{seq}:{prev_hash}:{digest}".encode()).hexdigest()


def event_hash(seq: int, prev_hash: str, body: list | tuple) -> str:
    return link_hash(seq, prev_hash, body_digest(body))


def checkpoint_message(seq: int, head_hash: str, signed_at: str) -> bytes:
    """The bytes an Ed25519 checkpoint signature covers."""
    return f"{CHECKPOINT_PREFIX}:{seq}:{head_hash}:{signed_at}".encode()


def key_id(public_key_raw: bytes) -> str:
    """A short name for a public key: the first 16 hex digits of SHA-256 over its 32 raw bytes."""
    return _sha256(public_key_raw).hexdigest()[:16]


def decision_code(number: str, seq: int, event_hash: str) -> str:
    """The short code printed on a signed decision and its certificates: the first 10 base32
    characters of HMAC-SHA256 keyed with the hash of the event that recorded the signature
    (its 64 hex digits as ASCII) over "laurel-decision-code-v1:<number>:<seq>". No secret: whoever
    holds the chain can recompute it, and it names one event of the chain."""
    message = f"{DECISION_CODE_PREFIX}:{number}:{seq}".encode()
    mac = hmac.new(event_hash.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(mac).decode()[:DECISION_CODE_LENGTH]
