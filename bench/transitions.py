"""Section 1: transition throughput. The same walk — submit, the three review stages, the
council's outcome — done by Laurel's services, by plain SQL transactions (the floor) and by the
usual django-fsm / django-fsm-log / django-simple-history app (the baseline), with 1, 4 and 8
worker processes, each with its own database connection."""

import json
import multiprocessing
import os
import time
import traceback
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, connections

from .db import server_dsn
from .world import World, baseline_drafts, laurel_drafts

STEPS = 5  # submit, unit head, party committee, leadership, council outcome
RAW_SCHEMA = "bench_raw"


# --- Laurel ----------------------------------------------------------------------------------


class LaurelWalker:
    """Each action through `workflows.services`, by the user who holds the stage's role."""

    def __init__(self, world: World):
        from nominations.models import Nomination
        from workflows import services

        self.world = world
        self.services = services
        self.Nomination = Nomination
        by_unit = {u.unit_id: u for u in world.units}
        self.unit = by_unit
        ids = {world.party_id, world.leader_id, world.secretary_id}
        for u in world.units:
            ids |= {u.proposer_id, u.head_id}
        self.users = get_user_model().objects.select_related("profile__unit").in_bulk(list(ids))
        self.drafts = {}

    def prepare(self, ids):
        self.drafts.update(self.Nomination.objects.in_bulk(ids))

    def _user(self, pk):
        user = self.users[pk]
        # A request reads the user's roles afresh; so does every action here.
        user.__dict__.pop("_laurel_assignments", None)
        return user

    def walk(self, pk) -> int:
        s, w = self.services, self.world
        n = self.drafts.pop(pk)
        u = self.unit[n.proposing_unit_id]
        n = s.submit(n, actor=self._user(u.proposer_id))
        n = s.approve(n, actor=self._user(u.head_id))
        n = s.approve(n, actor=self._user(w.party_id))
        n = s.approve(n, actor=self._user(w.leader_id))
        n = s.record_council_outcome(n, approved=True, actor=self._user(w.secretary_id))
        assert n.status == "council_approved", n.status
        return STEPS


# --- the baseline ----------------------------------------------------------------------------


class BaselineWalker:
    def __init__(self, world: World):
        from .baseline import services
        from .baseline.models import Nomination

        self.world = world
        self.act = services.act
        self.Nomination = Nomination
        self.unit = {u.unit_id: u for u in world.units}
        ids = {world.party_id, world.leader_id, world.secretary_id}
        for u in world.units:
            ids |= {u.proposer_id, u.head_id}
        self.users = get_user_model().objects.in_bulk(list(ids))
        self.units_of = {}

    def prepare(self, ids):
        self.units_of.update(
            self.Nomination.objects.filter(pk__in=ids).values_list("pk", "unit_id")
        )

    def walk(self, pk) -> int:
        w, act, users = self.world, self.act, self.users
        u = self.unit[self.units_of[pk]]
        act(pk, "submit", actor=users[u.proposer_id])
        act(pk, "approve", actor=users[u.head_id])
        act(pk, "approve", actor=users[w.party_id])
        act(pk, "approve", actor=users[w.leader_id])
        n = act(pk, "council_approve", actor=users[w.secretary_id])
        assert n.status == "council_approved", n.status
        return STEPS


# --- the raw floor ---------------------------------------------------------------------------

RAW_TABLES = {
    "nomination": "nominations_nomination",
    "decision": "nominations_stagedecision",
    "event": "audit_auditevent",
    "process": "workflows_nominationprocess",
    "task": "workflows_nominationtask",
    "previous": "workflows_nominationtask_previous",
    "chainhead": "audit_chainhead",
}
GENESIS_HASH = "0" * 64

FLOW = "workflows/flows.NominationFlow"
ROUTE = [
    # (action, from, to, stage, outcome, actor role, next flow task, next stage, next role)
    ("submit", "draft", "unit_review", "draft", "submitted", "unit_proposer"),
    ("approve", "unit_review", "party_committee_review", "unit_review", "approved", "unit_head"),
    (
        "approve",
        "party_committee_review",
        "leadership_review",
        "party_committee_review",
        "approved",
        "party_committee_reviewer",
    ),
    (
        "approve",
        "leadership_review",
        "council_review",
        "leadership_review",
        "approved",
        "leadership_reviewer",
    ),
    (
        "council_approve",
        "council_review",
        "council_approved",
        "council_review",
        "council_approved",
        "council_secretary",
    ),
]
NEXT_TASK = {
    "unit_review": ("review", "unit_head"),
    "party_committee_review": ("review", "party_committee_reviewer"),
    "leadership_review": ("review", "leadership_reviewer"),
    "council_review": ("council", "council_secretary"),
    "council_approved": ("sign", "decision_signer"),
}
PROGRESS = {"unit_review": 1, "party_committee_review": 2, "leadership_review": 3}
PROGRESS |= {"council_review": 4, "council_approved": 5}


def create_raw_tables(laurel_ids: list[int]) -> None:
    """Plain tables shaped like Laurel's (same columns and indexes, no foreign keys), and the
    drafts to walk, copied from Laurel drafts made for the purpose."""
    with connection.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {RAW_SCHEMA} CASCADE; CREATE SCHEMA {RAW_SCHEMA}")
        for name, source in RAW_TABLES.items():
            cur.execute(f"CREATE TABLE {RAW_SCHEMA}.{name} (LIKE {source} INCLUDING ALL)")
        cur.execute(
            f"INSERT INTO {RAW_SCHEMA}.chainhead (id, seq, hash) VALUES (1, 0, %s)",
            [GENESIS_HASH],
        )
        cur.execute(
            f"INSERT INTO {RAW_SCHEMA}.nomination SELECT * FROM nominations_nomination "
            "WHERE id = ANY(%s)",
            [laurel_ids],
        )


TASK_COLUMNS = (
    "flow_task, flow_task_type, status, created, assigned, started, finished, token, data, "
    "stage, role, due_on, nomination_id, owner_id, process_id, scope_unit_id"
)


class RawWalker:
    """The same rows as Laurel writes per action, by plain SQL in one transaction each: lock
    the nomination row, update it, insert the decision and the audit event, lock the process,
    close the task, insert the flow's routing task and the next waiting task with their links."""

    def __init__(self, world: World):
        import psycopg

        self.world = world
        self.conn = psycopg.connect(server_dsn(connection.settings_dict["NAME"]))
        self.unit = {u.unit_id: u for u in world.units}
        self.labels = dict(
            self.conn.execute(
                "SELECT id, first_name || ' Nguyễn (' || username || ')' FROM auth_user"
            )
        )
        self.units_of = {}
        self.statements = 0

    def prepare(self, ids):
        rows = self.conn.execute(
            f"SELECT id, proposing_unit_id FROM {RAW_SCHEMA}.nomination WHERE id = ANY(%s)",
            [ids],
        )
        self.units_of.update(rows)
        self.conn.commit()

    def walk(self, pk) -> int:
        w = self.world
        u = self.unit[self.units_of[pk]]
        actors = [u.proposer_id, u.head_id, w.party_id, w.leader_id, w.secretary_id]
        process_id = task_id = None
        for (_, before, after, stage, outcome, role), actor in zip(ROUTE, actors, strict=True):
            with self.conn.transaction(), self.conn.cursor() as cur:
                self._x(
                    cur,
                    f"SELECT status, version FROM {RAW_SCHEMA}.nomination WHERE id = %s FOR UPDATE",
                    (pk,),
                )
                status, _version = cur.fetchone()
                assert status == before, (status, before)
                self._x(
                    cur,
                    f"UPDATE {RAW_SCHEMA}.nomination SET status = %s, version = version + 1, "
                    "progress = GREATEST(progress, %s), status_changed_at = now(), "
                    "updated_at = now(), submitted_at = COALESCE(submitted_at, now()) "
                    "WHERE id = %s",
                    (after, PROGRESS[after], pk),
                )
                self._x(
                    cur,
                    f"INSERT INTO {RAW_SCHEMA}.decision (nomination_id, stage, outcome, reasons, "
                    "from_status, to_status, actor_id, role, dossier, decided_at) "
                    "VALUES (%s, %s, %s, '', %s, %s, %s, %s, %s, now())",
                    (pk, stage, outcome, before, after, actor, role, DOSSIER),
                )
                if process_id is None:
                    self._x(
                        cur,
                        f"INSERT INTO {RAW_SCHEMA}.process (flow_class, status, created, data, "
                        "nomination_id) VALUES (%s, 'NEW', now(), '{}', %s) RETURNING id",
                        (FLOW, pk),
                    )
                    process_id = cur.fetchone()[0]
                    previous = self._task(cur, "start", "START", "DONE", process_id, pk)
                else:
                    self._x(
                        cur,
                        f"SELECT 1 FROM {RAW_SCHEMA}.process WHERE id = %s FOR UPDATE NOWAIT",
                        (process_id,),
                    )
                    self._x(
                        cur,
                        f"UPDATE {RAW_SCHEMA}.task SET status = 'DONE', owner_id = %s, "
                        "assigned = now(), started = now(), finished = now() WHERE id = %s",
                        (actor, task_id),
                    )
                    previous = task_id
                route = self._task(cur, "route", "SWITCH", "DONE", process_id, pk, previous)
                flow_task, next_role = NEXT_TASK[after]
                event_task = task_id
                task_id = self._task(
                    cur, flow_task, "HUMAN", "NEW", process_id, pk, route, after, next_role, u
                )
                # The audit event last, appended to the chain as Laurel's audit.record does:
                # body digest in Python, lock the head, link, insert, move the head.
                self._event(cur, pk, u, stage, outcome, before, after, actor, role, event_task)
        return STEPS

    def _event(self, cur, pk, u, stage, outcome, before, after, actor, role, task_id):
        import datetime

        from audit import chain
        from nominations.models import StageDecision

        event = str(StageDecision.EVENTS[outcome])
        w = self.world
        now = datetime.datetime.now(datetime.UTC)
        data = {"stage": stage, "task": task_id}
        body = [
            chain.timestamp(now), event, actor, self.labels[actor], role,
            None, "", "nomination", str(pk), pk, u.path, w.campaign_id, w.award_type_id,
            before, after, "", data, None, "",
        ]  # fmt: skip
        digest = chain.body_digest(body)
        self._x(cur, f"SELECT seq, hash FROM {RAW_SCHEMA}.chainhead WHERE id = 1 FOR UPDATE")
        seq, prev = cur.fetchone()
        seq += 1
        link = chain.link_hash(seq, prev, digest)
        self._x(
            cur,
            f"INSERT INTO {RAW_SCHEMA}.event (seq, prev_hash, hash, occurred_at, action, "
            "actor_id, actor_label, role, on_behalf_of_label, subject_type, subject_id, "
            "nomination_id, unit_path, campaign_id, award_type_id, from_state, to_state, "
            "comment, data, origin_agent) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', "
            "'nomination', %s, %s, %s, %s, %s, %s, %s, '', %s, '')",
            (
                seq, prev, link, now, event, actor, self.labels[actor], role,
                str(pk), pk, u.path, w.campaign_id, w.award_type_id, before, after,
                json.dumps(data),
            ),
        )  # fmt: skip
        self._x(
            cur,
            f"UPDATE {RAW_SCHEMA}.chainhead SET seq = %s, hash = %s WHERE id = 1",
            (seq, link),
        )

    def _x(self, cur, query, params=None):
        self.statements += 1
        cur.execute(query, params)

    def _task(
        self, cur, name, kind, status, process_id, pk, previous=None, stage="", role="", u=None
    ):
        done = status == "DONE"
        self._x(
            cur,
            f"INSERT INTO {RAW_SCHEMA}.task ({TASK_COLUMNS}) VALUES (%s, %s, %s, now(), NULL, "
            "NULL, CASE WHEN %s THEN now() END, 'start', '{}', %s, %s, "
            "CASE WHEN %s THEN current_date + 14 END, %s, NULL, %s, %s) RETURNING id",
            (
                f"{FLOW}.{name}",
                kind,
                status,
                done,
                stage,
                role,
                not done,
                pk if kind == "HUMAN" else None,
                process_id,
                u.unit_id if u else None,
            ),
        )
        task_id = cur.fetchone()[0]
        if previous is not None:
            self._x(
                cur,
                f"INSERT INTO {RAW_SCHEMA}.previous (from_nominationtask_id, "
                "to_nominationtask_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (task_id, previous),
            )
        return task_id


DOSSIER = (
    '{"award_type": "full", "nominee": "Staff Nguyễn", "achievements": '
    '"Hoàn thành xuất sắc nhiệm vụ năm.", "contributions": "", "initiatives": ""}'
)

WALKERS = {"laurel": LaurelWalker, "raw": RawWalker, "baseline": BaselineWalker}


# --- workers ---------------------------------------------------------------------------------


def _backend_cpu(walker) -> float | None:
    """The CPU time so far of the PostgreSQL process serving `walker`'s connection, read from
    /proc: None when the server is not on this machine (or /proc does not show it)."""
    conn = walker.conn if isinstance(walker, RawWalker) else connection.connection
    try:
        with open(f"/proc/{conn.info.backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _worker(kind, world, ids, warm_ids, barrier, results):
    try:
        walker = WALKERS[kind](world)
        walker.prepare([*warm_ids, *ids])
        for pk in warm_ids:
            walker.walk(pk)
    except Exception:
        barrier.abort()
        results.put(("error", traceback.format_exc()))
        return
    try:
        barrier.wait()
    except Exception:
        results.put(("error", "barrier broken"))
        return
    start, cpu, server = time.perf_counter(), time.process_time(), _backend_cpu(walker)
    actions = 0
    try:
        for pk in ids:
            actions += walker.walk(pk)
    except Exception:
        results.put(("error", traceback.format_exc()))
        return
    end, cpu = time.perf_counter(), time.process_time() - cpu
    after = _backend_cpu(walker)
    server = None if server is None or after is None else after - server
    results.put(("ok", (start, end, actions, cpu, server)))
    connections.close_all()


@dataclass
class Throughput:
    system: str
    workers: int
    actions: int
    seconds: float
    client_cpu_seconds: float  # the workers' own CPU time (Python), not PostgreSQL's
    server_cpu_seconds: float | None  # their PostgreSQL processes' (None: not on this machine)
    load_average: float  # the machine's, as the measurement started

    @property
    def per_second(self) -> float:
        return self.actions / self.seconds


def run(kind: str, world: World, workers: int, walks: int, warmup: int) -> Throughput:
    """`walks` nominations (5 actions each) spread over `workers` processes; the wall time from
    the moment all are ready until the last finishes."""
    total = walks + warmup * workers
    if kind == "baseline":
        ids = baseline_drafts(world, total)
    else:
        ids = laurel_drafts(world, total)
        if kind == "raw":
            create_raw_tables(ids)
    warm, measured = ids[: warmup * workers], ids[warmup * workers :]
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    connections.close_all()  # never share a connection with a child
    procs = [
        ctx.Process(
            target=_worker,
            args=(kind, world, measured[i::workers], warm[i::workers], barrier, results),
        )
        for i in range(workers)
    ]
    load = os.getloadavg()[0]
    for p in procs:
        p.start()
    outcomes = [results.get() for _ in procs]
    for p in procs:
        p.join()
    errors = [detail for status, detail in outcomes if status == "error"]
    if errors:
        raise RuntimeError(f"{kind} with {workers} workers failed:\n{errors[0]}")
    spans = [detail for _, detail in outcomes]
    start = min(s for s, _, _, _, _ in spans)
    end = max(e for _, e, _, _, _ in spans)
    actions = sum(a for _, _, a, _, _ in spans)
    cpu = sum(c for _, _, _, c, _ in spans)
    servers = [v for *_, v in spans]
    server = None if None in servers else sum(servers)
    return Throughput(kind, workers, actions, end - start, cpu, server, load)
