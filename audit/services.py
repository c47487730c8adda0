"""The one way an audit event is written."""

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .events import Event
from .models import AuditEvent, ChainHead
from .selectors import CHOICE_KEYS
from .types import Actor


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


def label(user: Actor | None) -> str:
    """A person as the trail names them: "Full Name (username)", or the username."""
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else user.get_username()


def record(action: Event, **fields) -> AuditEvent:
    """Append one event to the chain; `fields` are `build`'s. Must run inside the transaction of
    the change it records, so the event and the change commit together or not at all. Events
    about a nomination pass `**nomination.audit_context()` for its id, unit, campaign and award
    type.

    The append locks the chain head until the transaction ends, so concurrent writers form one
    line: call it as the last write of the transaction to keep that wait short."""
    return append(build(action, **fields))


def append(event: AuditEvent) -> AuditEvent:
    """Append one event made by `build` (`record` is both steps in one call)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events must be appended inside the change's transaction")
    return _append(event)


def build(
    action: Event,
    *,
    actor: Actor | None,
    subject_type: str,
    subject_id: Any,
    nomination_id: int | None = None,
    unit_path: str = "",
    campaign_id: int | None = None,
    award_type_id: int | None = None,
    role: str = "",
    on_behalf_of: Actor | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    origin: Origin | None = None,
) -> AuditEvent:
    """The event `record` would append, unsaved: a batch of them goes to `bulk_append`, which
    numbers and links them exactly as `record` would one by one. `action` is a member of
    `audit.events.Event`: a name spelt anywhere else is refused."""
    if not isinstance(action, Event):
        raise TypeError(f"audit events are named by audit.events.Event, not {action!r}")
    _refuse_secret_choice(data or {})
    origin = origin or Origin()
    return AuditEvent(
        action=action,
        actor=actor,
        actor_label=label(actor),
        role=role,
        on_behalf_of=on_behalf_of,
        on_behalf_of_label=label(on_behalf_of),
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


def _refuse_secret_choice(data: dict) -> None:
    """A secret ballot's event records that the member voted, never how: the chain keeps
    events forever and exports carry them verbatim, so a choice must never enter it."""
    if data.get("secret") and CHOICE_KEYS & set(data):
        raise ValueError("a secret ballot's audit event must not record the choice")


def _as_stored(event: AuditEvent) -> None:
    """Give the event's values the form the database will return, so that the hash computed
    now is the one recomputed from the stored row: JSON round trip (lists, string keys), the
    IP address in its normalised text form."""
    event.data = json.loads(json.dumps(event.data or {}))
    chain.check_data(event.data)
    if event.origin_ip:
        event.origin_ip = str(ipaddress.ip_address(event.origin_ip))


def _body(event: AuditEvent) -> list:
    return [
        chain.timestamp(event.occurred_at) if f == "occurred_at" else getattr(event, f)
        for f in chain.BODY_FIELDS
    ]


def _digest(event: AuditEvent) -> str:
    """Everything that does not depend on the event's place in the chain — the stored form,
    the time, the canonical body's digest — computed before the head is locked, so the lock is
    held only for one short hash, one INSERT and one UPDATE (and the caller's commit)."""
    _as_stored(event)
    event.occurred_at = timezone.now()
    return chain.body_digest(_body(event))


def _append(event: AuditEvent) -> AuditEvent:
    """Give the event the next number after the head and link it; then move the head."""
    digest = _digest(event)
    if connection.vendor == "postgresql" and _append_in_one_statement(event, digest):
        return event
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # an empty chain (the migration creates the row; a flush removes it)
        ChainHead.objects.bulk_create(
            [ChainHead(pk=1, seq=0, hash=chain.GENESIS_HASH)], ignore_conflicts=True
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.hash = chain.link_hash(event.seq, event.prev_hash, digest)
    event.save(force_insert=True)
    ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


# The columns an appended event writes besides its place in the chain.
_EVENT_FIELDS = [
    f
    for f in AuditEvent._meta.concrete_fields
    if not f.primary_key and f.attname not in ("seq", "prev_hash", "hash")
]


def _append_in_one_statement(event: AuditEvent, digest: str) -> bool:
    """PostgreSQL: lock the head, move it and insert the event in one statement rather than
    three, so the head — which every writer queues on — is held for one round trip less than
    two. False when the chain has no head row yet (the caller creates it)."""
    appending = Appending(event, digest)
    statement = "WITH " + ", ".join(f"{name} AS ({sql})" for name, sql in appending.ctes())
    with connection.cursor() as cur:
        cur.execute(f"{statement} SELECT {Appending.COLUMNS} FROM appended", appending.params)
        return appending.took(cur.fetchone())


class Appending:
    """An event's append as data-modifying CTEs, for a caller whose own last statement
    writes them with its rows (an action's transition: one round trip less), in the same
    transaction and still the last write, so the head is held as briefly. The link hash is
    computed by PostgreSQL with `chain.link_hash`'s formula (the verifier recomputes every hash
    in Python, so a difference would show at once). The caller selects `COLUMNS` (NULLs if
    the chain has no head row yet) and passes them to `took`; if it returns False, nothing was
    appended and `append` does it."""

    COLUMNS = "appended.id, appended.seq, appended.prev_hash, appended.hash"

    def __init__(self, event: AuditEvent, digest: str | None = None):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("audit events must be appended inside the change's transaction")
        self.event = event
        if digest is None:
            digest = _digest(event)
        # The row and its digest as one JSON parameter, read back into the table's row type
        # (`jsonb_populate_record`): with a parameter per column, an action's statement would
        # pass psycopg's 50 that it keeps parsed, and be parsed afresh each time (0.3 ms).
        row = {f.attname: getattr(event, f.attname) for f in _EVENT_FIELDS}
        row["occurred_at"] = event.occurred_at.isoformat()  # microseconds and offset kept
        self.params = [json.dumps({**row, "digest": digest}, ensure_ascii=False)]

    def ctes(self, after: str = "") -> list[tuple[str, str]]:
        """The CTEs; with `after`, the event's row is read from the caller's CTE of that name,
        so that the head moves only once it has been read: a caller whose `after` reads its
        other writes to the end does not do them holding the head."""
        source = f" FROM {after}" if after else ""
        return [("chain_event", f"SELECT %s::jsonb AS v{source}"), *_APPEND_CTES]

    def took(self, row) -> bool:
        if row is None or row[0] is None:
            return False
        event = self.event
        event.pk, event.seq, event.prev_hash, event.hash = row
        event._state.adding = False
        return True


_EVENTS = AuditEvent._meta.db_table
_EVENT_COLUMNS = [connection.ops.quote_name(f.attname) for f in _EVENT_FIELDS]
_APPEND_CTES = [  # after `chain_event` (`Appending`): the head moves, then the event is written
    (
        "chain_head",
        "SELECT a.new_seq AS seq, a.prev_hash, a.new_hash AS hash FROM chain_event, "
        "laurel_audit_chain_advance(chain_event.v->>'digest') AS a",
    ),
    (
        "appended",
        f"INSERT INTO {_EVENTS} (seq, prev_hash, hash, {', '.join(_EVENT_COLUMNS)}) "
        "SELECT chain_head.seq, chain_head.prev_hash, chain_head.hash, "
        f"{', '.join(f'e.{c}' for c in _EVENT_COLUMNS)} FROM chain_head, chain_event, "
        f"jsonb_populate_record(NULL::{_EVENTS}, chain_event.v) AS e "
        "RETURNING id, seq, prev_hash, hash",
    ),
]


def bulk_append(events, *, batch: int = 5000) -> int:
    """Append many prepared events at once (`build`; the council's tally, imports, benchmarks):
    they are numbered, timed and linked after the head exactly as `record` would, written in
    batches (one COPY each on PostgreSQL, `bulk_create` elsewhere), and the head moves once.
    Returns how many were appended. Runs in one transaction holding the head lock, so ordinary
    writers wait until it is done."""
    write = _copy_events if connection.vendor == "postgresql" else AuditEvent.objects.bulk_create
    count = 0
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1, seq=0, hash=chain.GENESIS_HASH)
        seq, prev = head.seq, head.hash
        pending = []
        for event in events:
            _refuse_secret_choice(event.data or {})
            _as_stored(event)
            if event.occurred_at is None:
                event.occurred_at = timezone.now()
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = chain.event_hash(seq, prev, _body(event))
            pending.append(event)
            if len(pending) >= batch:
                write(pending)
                count += len(pending)
                pending = []
        if pending:
            write(pending)
            count += len(pending)
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    return count


def bulk_append_rows(rows: list[dict], *, columns: list[str] | None = None) -> int:
    """The fast form of `bulk_append` for loaders that hold rows rather than models (the
    benchmark's million events): `rows` are dicts of column → value in the form the database
    returns them (`occurred_at` timezone-aware, `data` decoded JSON, explicit `id`s allowed).
    Each row is numbered, linked and hashed after the head here, in Python, then the batch is
    written with one COPY on PostgreSQL (`bulk_create` elsewhere) and the head moves once.
    Must run inside a transaction; holds the head lock until it ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.bulk_append_rows() must be called inside a transaction")
    if not rows:
        return 0
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.bulk_create(
            [ChainHead(pk=1, seq=0, hash=chain.GENESIS_HASH)], ignore_conflicts=True
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    seq, prev = head.seq, head.hash
    timestamp, body_text, sha = chain.timestamp, chain.body_text, hashlib.sha256
    prefix, fields = chain.EVENT_PREFIX, chain.BODY_FIELDS[1:]
    for row in rows:
        data = row.get("data") or {}
        _refuse_secret_choice(data)
        row["data"] = data
        if row.get("origin_ip"):
            row["origin_ip"] = str(ipaddress.ip_address(row["origin_ip"]))
        body: list[Any] = [timestamp(row["occurred_at"])]
        body += [row.get(f, _EMPTY.get(f)) for f in fields]
        digest = sha(body_text(body).encode()).hexdigest()
        seq += 1
        row["seq"], row["prev_hash"] = seq, prev
        row["hash"] = prev = sha(f"{prefix}:{seq}:{prev}:{digest}".encode()).hexdigest()
    columns = list(
        dict.fromkeys([*(columns or rows[0]), *chain.BODY_FIELDS, "seq", "prev_hash", "hash"])
    )
    if connection.vendor == "postgresql":
        _copy(
            columns,
            (
                [
                    json.dumps(row["data"], ensure_ascii=False)
                    if c == "data"
                    else row.get(c, _EMPTY.get(c))
                    for c in columns
                ]
                for row in rows
            ),
        )
    else:
        AuditEvent.objects.bulk_create(
            [AuditEvent(**{c: row.get(c, _EMPTY.get(c)) for c in columns}) for row in rows]
        )
    ChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    return len(rows)


def _copy(columns: list[str], values) -> None:
    """Write rows of `values` (lists in the order of `columns`) with one COPY (PostgreSQL)."""
    with connection.cursor() as cur:
        sql = f"COPY {AuditEvent._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cur.cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)


_COLUMNS = [f.attname for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _copy_events(events: list[AuditEvent]) -> None:
    """`bulk_create` for prepared events, as one COPY: the ORM's INSERT of a thousand rows
    costs more in Python than the database spends storing them."""
    _copy(
        _COLUMNS,
        (
            [
                json.dumps(e.data, ensure_ascii=False) if c == "data" else getattr(e, c)
                for c in _COLUMNS
            ]
            for e in events
        ),
    )


# What a missing column is stored as (the model's defaults), for hashing rows given partially.
_EMPTY = {
    f.attname: (None if f.null else "")
    for f in AuditEvent._meta.concrete_fields
    if f.attname in chain.BODY_FIELDS
}


def record_inspection(
    action: Event,
    *,
    actor: Actor,
    role: str,
    subject_type: str,
    subject_id,
    data: dict,
    origin: Origin | None = None,
    **context,
) -> AuditEvent:
    """An inspector's read that leaves a trace (an export, a verification run): recorded in a
    transaction of its own, since it changes nothing else."""
    with transaction.atomic():
        return record(
            action,
            actor=actor,
            role=role,
            subject_type=subject_type,
            subject_id=subject_id,
            data=data,
            origin=origin,
            **context,
        )
