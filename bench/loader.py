"""Loading a large, consistent history fast, for the read paths.

A few template nominations are walked through Laurel's own services (so every row is one Laurel
really writes: the nomination, its process, its tasks and their links, its decisions and audit
events). The loader then clones them, with new ids, spread over every unit and its people, and
writes the clones with PostgreSQL's COPY in id order, padded with dossier edits to reach the
number of events asked for.

Audit events are written by one function, `write_events`, through the audit chain's own bulk
loader (`audit.services.bulk_append_rows`), which fills seq / prev_hash / hash: the loaded
history is a valid chain that `audit_verify` accepts.
"""

import itertools
import json
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from audit.events import Event
from audit.services import label
from nominations import services as dossier
from nominations.models import Nomination
from workflows import services

from .world import World, fresh_nominees, laurel_drafts

# Journeys, with their share of the loaded nominations (where nominations sit in a campaign).
JOURNEYS = {
    "draft": ([], 8),
    "unit_review": (["submit"], 14),
    "party_committee_review": (["submit", "approve"], 14),
    "leadership_review": (["submit", "approve", "approve"], 12),
    "council_review": (["submit", "approve", "approve", "approve"], 14),
    "council_approved": (["submit", "approve", "approve", "approve", "council_approve"], 14),
    "returned": (["submit", "approve", "return_for_revision"], 6),
    "resubmitted": (
        ["submit", "return_for_revision", "resubmit", "approve", "return_for_revision", "resubmit"],
        6,
    ),
    "rejected": (["submit", "approve", "reject"], 6),
    "withdrawn": (["submit", "withdraw"], 6),
}


@dataclass
class Template:
    journey: str
    rows: dict  # table → list of row dicts, in id order
    edit_event: dict


TABLES = [
    ("nomination", "nominations_nomination", "id"),
    ("process", "workflows_nominationprocess", "nomination_id"),
    ("task", "workflows_nominationtask", "process__nomination_id"),
    ("previous", "workflows_nominationtask_previous", "task__nomination_id"),
    ("decision", "nominations_stagedecision", "nomination_id"),
    ("event", "audit_auditevent", "nomination_id"),
]


def _select(sql: str, params) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        names = [c.name for c in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        for column in JSON_COLUMNS & row.keys():
            if isinstance(row[column], str):  # Django leaves jsonb undecoded on raw cursors
                row[column] = json.loads(row[column])
    return rows


JSON_COLUMNS = {"data", "dossier"}


def _rows_of(pk: int) -> dict:
    return {
        "nomination": _select("SELECT * FROM nominations_nomination WHERE id = %s", [pk]),
        "process": _select(
            "SELECT * FROM workflows_nominationprocess WHERE nomination_id = %s", [pk]
        ),
        "task": _select(
            "SELECT t.* FROM workflows_nominationtask t JOIN workflows_nominationprocess p "
            "ON p.id = t.process_id WHERE p.nomination_id = %s ORDER BY t.id",
            [pk],
        ),
        "previous": _select(
            "SELECT l.* FROM workflows_nominationtask_previous l JOIN workflows_nominationtask t "
            "ON t.id = l.from_nominationtask_id JOIN workflows_nominationprocess p "
            "ON p.id = t.process_id WHERE p.nomination_id = %s ORDER BY l.id",
            [pk],
        ),
        "decision": _select(
            "SELECT * FROM nominations_stagedecision WHERE nomination_id = %s ORDER BY id", [pk]
        ),
        "event": _select(
            "SELECT * FROM audit_auditevent WHERE nomination_id = %s ORDER BY id", [pk]
        ),
    }


def walk_templates(world: World) -> list[Template]:
    """One nomination per journey, walked through the services by the people of unit 0."""
    users = get_user_model().objects.select_related("profile__unit").in_bulk()
    u = world.units[0]
    by_stage = {
        "unit_review": u.head_id,
        "party_committee_review": world.party_id,
        "leadership_review": world.leader_id,
        "council_review": world.secretary_id,
    }
    templates = []
    ids = laurel_drafts(world, len(JOURNEYS), unit=0)
    for pk, (journey, (steps, _share)) in zip(ids, JOURNEYS.items(), strict=True):
        n = Nomination.objects.get(pk=pk)
        n = dossier.update_dossier(
            n, actor=users[u.proposer_id], changes={"initiatives": "Sáng kiến số hoá hồ sơ."}
        )
        for step in steps:
            unit_step = step in ("submit", "resubmit", "withdraw")
            actor = users[u.proposer_id if unit_step else by_stage[n.status]]
            actor.__dict__.pop("_laurel_assignments", None)
            if step == "council_approve":
                n = services.record_council_outcome(n, approved=True, actor=actor)
            elif step in ("return_for_revision", "reject"):
                n = getattr(services, step)(n, actor=actor, reasons="Bổ sung minh chứng.")
            else:
                n = getattr(services, step)(n, actor=actor)
        rows = _rows_of(pk)
        edit = next(e for e in rows["event"] if e["action"] == Event.DOSSIER_EDITED)
        templates.append(Template(journey, rows, edit))
    return templates


class Ids:
    """Ids handed out above what the tables hold; sequences are moved past them at the end."""

    def __init__(self):
        self.next = {}
        with connection.cursor() as cur:
            for key, table, _ in TABLES:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self.next[key] = cur.fetchone()[0] + 1

    def take(self, key: str) -> int:
        value = self.next[key]
        self.next[key] = value + 1
        return value

    def move_sequences(self) -> None:
        with connection.cursor() as cur:
            for key, table, _ in TABLES:
                cur.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, self.next[key] - 1],
                )


class Batches:
    """Rows gathered per table and written with COPY, a batch per transaction."""

    def __init__(self, size: int = 20_000):
        self.size = size
        self.rows = {key: [] for key, _, _ in TABLES}
        self.columns = {}
        self.written = dict.fromkeys(self.rows, 0)

    def add(self, key: str, row: dict) -> None:
        self.columns.setdefault(key, list(row))
        self.rows[key].append(row)

    def full(self) -> bool:
        return len(self.rows["event"]) >= self.size

    def flush(self) -> None:
        with transaction.atomic():
            for key, table, _ in TABLES:
                rows = self.rows[key]
                if not rows:
                    continue
                if key == "event":
                    write_events(table, self.columns[key], rows)
                else:
                    copy_rows(table, self.columns[key], rows)
                self.written[key] += len(rows)
                self.rows[key] = []


def _value(v):
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return v


def copy_rows(table: str, columns: list[str], rows: list[dict]) -> None:
    with connection.cursor() as cur:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cur.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([_value(row[c]) for c in columns])


def write_events(table: str, columns: list[str], rows: list[dict]) -> None:
    """Append audit events in id order to the chain with audit's own bulk loader, which numbers,
    links and hashes them after the head (so that `audit_verify` accepts the loaded chain) and
    writes them with COPY."""
    from audit.services import bulk_append_rows

    bulk_append_rows(rows, columns=columns)


def load(world: World, *, nominations: int, events: int, long_histories: dict, log) -> dict:
    """`nominations` nominations in the journeys' proportions over every unit, with about
    `events` audit events in all. `long_histories` maps a journey to the number of events of
    one extra nomination with a long history (dossier edits) at that stage."""
    templates = walk_templates(world)
    by_journey = {t.journey: t for t in templates}
    rng = random.Random(6)
    weights = [JOURNEYS[t.journey][1] for t in templates]
    plan = rng.choices(templates, weights=weights, k=nominations)
    base = sum(len(t.rows["event"]) for t in plan)
    padding = max(0, events - base - sum(long_histories.values()))
    per, extra = divmod(padding, max(1, nominations))
    users = get_user_model().objects.in_bulk()
    labels = {pk: label(u) for pk, u in users.items()}
    long_units = [world.unit(1)] * len(long_histories)
    nominees = fresh_nominees(world, [world.unit(i) for i in range(nominations)] + long_units)
    ids = Ids()
    batches = Batches()
    long_ids = {}
    flushes = 0
    t0 = world.units[0]
    for i, template in enumerate(plan):
        pads = per + (1 if i < extra else 0)
        _clone(template, world.unit(i), t0, pads, ids, batches, labels, nominees[i])
        if batches.full():
            batches.flush()
            flushes += 1
            if flushes % 10 == 0:
                log(f"  loaded {i + 1} nominations, {batches.written['event']} events")
    for j, (journey, count) in enumerate(long_histories.items()):
        template = by_journey[journey]
        pads = max(0, count - len(template.rows["event"]))
        nominee = nominees[nominations + j]
        long_ids[journey] = _clone(template, world.unit(1), t0, pads, ids, batches, labels, nominee)
    batches.flush()
    ids.move_sequences()
    with connection.cursor() as cur:
        # What autovacuum would have done by now (users and units included): since PostgreSQL 13
        # it vacuums a table after enough inserts too, setting the visibility map that lets the
        # search's capped count be answered from an index alone.
        cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return {"written": batches.written, "long_history_ids": long_ids}


def _clone(template, unit, t0, pads, ids, batches, labels, nominee, overrides=None) -> int:
    """Copy one template nomination into `unit`, for `nominee` ((id, label): each clone has its
    own, as one achievement, one award wants), with `pads` extra dossier edits; `overrides`
    (campaign_id, award_type_id) apply to the nomination and its events."""
    overrides = overrides or {}
    nominee_id, nominee_label = nominee
    [nom] = template.rows["nomination"]
    user_map = {t0.proposer_id: unit.proposer_id, t0.head_id: unit.head_id}
    user_map[nom["nominee_person_id"]] = nominee_id

    def user(pk):
        return user_map.get(pk, pk)

    pk = ids.take("nomination")
    batches.add(
        "nomination",
        nom
        | {
            "id": pk,
            "proposing_unit_id": unit.unit_id,
            "nominee_person_id": nominee_id,
            "created_by_id": unit.proposer_id,
        }
        | overrides,
    )
    process_map, task_map = {}, {}
    for p in template.rows["process"]:
        process_map[p["id"]] = ids.take("process")
        batches.add("process", p | {"id": process_map[p["id"]], "nomination_id": pk})
    for t in template.rows["task"]:
        task_map[t["id"]] = ids.take("task")
        batches.add(
            "task",
            t
            | {
                "id": task_map[t["id"]],
                "process_id": process_map[t["process_id"]],
                "nomination_id": pk if t["nomination_id"] else None,
                "scope_unit_id": unit.unit_id if t["scope_unit_id"] else None,
                "owner_id": user(t["owner_id"]) if t["owner_id"] else None,
            },
        )
    for link in template.rows["previous"]:
        batches.add(
            "previous",
            {
                "id": ids.take("previous"),
                "from_nominationtask_id": task_map[link["from_nominationtask_id"]],
                "to_nominationtask_id": task_map[link["to_nominationtask_id"]],
            },
        )
    nominee = nominee_label
    for d in template.rows["decision"]:
        batches.add(
            "decision",
            d
            | {
                "id": ids.take("decision"),
                "nomination_id": pk,
                "actor_id": user(d["actor_id"]),
                "dossier": d["dossier"] | {"nominee": nominee},
            },
        )
    events = template.rows["event"]
    # Creation first, then the dossier edits (padding included), then the rest of the journey.
    first_edit = next(i for i, e in enumerate(events) if e["action"] == Event.DOSSIER_EDITED)
    ordered = itertools.chain(
        events[:first_edit], [template.edit_event] * pads, events[first_edit:]
    )
    for e in ordered:
        data = e["data"]
        if data.get("task"):
            data = data | {"task": task_map[data["task"]]}
        if "dossier" in data:
            data = data | {"dossier": data["dossier"] | {"nominee": nominee}}
        actor = user(e["actor_id"])
        batches.add(
            "event",
            e
            | {
                "id": ids.take("event"),
                "subject_id": str(pk),
                "nomination_id": pk,
                "unit_path": unit.path,
                "actor_id": actor,
                "actor_label": labels.get(actor, e["actor_label"]),
                "data": data,
            }
            | overrides,
        )
    return pk
