"""`make faults` (`python -m bench faults`): Laurel under the load of a reviewer's day while
things break, and what is left afterwards.

The run starts a PostgreSQL cluster of its own (initdb in a temporary directory, as the
`postgres` OS user when run as root; unix socket only, in that directory: the machine's server
on 5432 is never touched), migrates Laurel into it, and serves it with gunicorn on 127.0.0.1.
Twelve reviewers work through their queues (approve, or return with reasons) and four proposers
attach evidence to their drafts, through the real pages and forms, in three phases of
`FAULTS_PHASE_SECONDS` (default 25), each with its fault in the middle:

1. PostgreSQL restarts (`pg_ctl restart -m immediate`: a crash and its recovery);
2. one gunicorn worker is killed with SIGKILL while it holds a write transaction (found in
   `pg_stat_activity`: each worker's connection carries its process id);
3. the evidence storage refuses writes for a while (MEDIA_ROOT replaced by a file: the OSError
   a full or read-only disk gives; a read-only directory would not stop root).

After each phase, with the users stopped, it checks: every request had an answer (a page, a
redirect, a clear refusal, a server error, or a dropped connection — none left hanging past the
client's timeout); every action a user meant — as the user saw it, succeeded, refused or
unknown — against the stage decisions, audit events and evidence rows: none lost (seen to
succeed, not in the database), none doubled, none half-written (a decision without its event or
status, an evidence row without its event or file); every nomination in a waiting status has
exactly one open task and no other has any; `audit_verify` passes. It prints the table and exits
1 if anything is lost, doubled or half-written, a request hung, or a check failed.
"""

import contextlib
import functools
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg

from . import http_load
from .http_load import Attempt, Browser, Record, Server

PHASE_SECONDS = float(os.environ.get("FAULTS_PHASE_SECONDS") or 25)
REVIEWERS = 12
PROPOSERS = 4
DATABASE = "laurel_bench_faults"
PDF = b"%PDF-1.4\n% Laurel fault run evidence\n%%EOF\n"


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S", time.gmtime())
    print(f"[faults {stamp}] {message}", flush=True)


# --- a PostgreSQL cluster of the run's own -------------------------------------------------------


def _pg_bin() -> Path:
    for candidate in (Path("/usr/lib/postgresql/15/bin"), Path("/usr/local/bin")):
        if (candidate / "pg_ctl").exists() and (candidate / "initdb").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise SystemExit("faults: pg_ctl and initdb not found (PostgreSQL's server binaries)")


class Cluster:
    """initdb in a temporary directory, served on a unix socket in that directory only."""

    def __init__(self):
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="laurel-faults-pg-"))
        self.data = self.dir / "data"
        self.port = http_load.free_port()  # names the socket file; nothing listens on TCP
        self.log_path = self.dir / "postgres.log"
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses='' -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-w", "-o", options,
                  "start")  # fmt: skip

    def restart(self) -> None:
        """A crash and its recovery: stop without a checkpoint, start again."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-m", "immediate",
                  "-w", "restart")  # fmt: skip

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def env(self) -> dict:
        return {"BENCH_DATABASE_HOST": str(self.dir), "BENCH_DATABASE_PORT": str(self.port)}

    def dsn(self) -> str:
        return f"host={self.dir} port={self.port} user=postgres dbname={DATABASE}"


# --- the proposers' day ------------------------------------------------------------------------


def proposer_day(drafts, browser: Browser, username, stop, rng):
    """Log in, then until `stop`: a draft's page, a document attached with its upload form, the
    page after it; the next draft."""
    logged_in, n = False, 0
    while not stop.is_set():
        if not logged_in:
            logged_in = browser.login(username)
            if not logged_in:
                time.sleep(http_load.READING_AN_ERROR)
                continue
        pk = drafts[n % len(drafts)]
        n += 1
        page = browser.request("nomination", "GET", f"/nominations/{pk}/", expect=200)
        if page is None or page.status_code != 200:
            logged_in = page is None or page.status_code != 302
            http_load.pause_after_failure(page)
            continue
        url = f"/nominations/{pk}/evidence/"
        form = http_load.form_html(page.text, url)
        if form is None:
            continue
        name = f"{username}-{uuid.uuid4().hex[:12]}.pdf"  # unique: found again afterwards
        token = http_load.field_value(form, "csrfmiddlewaretoken")
        done = browser.request(
            "evidence",
            "POST",
            url,
            expect=302,
            data={"csrfmiddlewaretoken": token, "kind": "other", "back": ""},
            files={"file": (name, PDF, "application/pdf")},
        )
        seen = http_load.seen_as(done)
        browser.record.attempt(Attempt(username, "evidence", pk, seen, name=name))
        if seen == "succeeded":
            browser.request("nomination", "GET", done.headers["location"], expect=200)
        else:
            http_load.pause_after_failure(done)
    if logged_in:
        browser.logout()


# --- the faults --------------------------------------------------------------------------------


def restart_postgres(cluster: Cluster, server: Server, media: Path) -> str:
    start = time.perf_counter()
    cluster.restart()
    took = time.perf_counter() - start
    return f"PostgreSQL restarted (immediate: crash and recovery) in {took:.1f} s"


def kill_worker(cluster: Cluster, server: Server, media: Path) -> str:
    """SIGKILL a gunicorn worker that holds a write transaction (a transaction id assigned),
    found in pg_stat_activity by its connection's application name; any worker if none is seen
    within 10 s."""
    deadline = time.monotonic() + 10
    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        while time.monotonic() < deadline:
            rows = conn.execute(
                "SELECT application_name FROM pg_stat_activity "
                "WHERE application_name LIKE 'laurel-worker-%%' AND backend_xid IS NOT NULL"
            ).fetchall()
            workers = set(server.worker_pids())
            for (name,) in rows:
                pid = int(name.rsplit("-", 1)[1])
                if pid in workers:
                    os.kill(pid, signal.SIGKILL)
                    return f"worker {pid} killed (SIGKILL) in the middle of a write transaction"
            time.sleep(0.002)
    pid = server.worker_pids()[0]
    os.kill(pid, signal.SIGKILL)
    return f"worker {pid} killed (SIGKILL); no write transaction was seen open"


def refuse_storage(cluster: Cluster, server: Server, media: Path) -> str:
    """MEDIA_ROOT replaced by a file for a third of the phase, then put back."""
    aside = media.with_name("media-aside")
    media.rename(aside)
    media.write_text("the evidence storage refuses writes")
    time.sleep(PHASE_SECONDS / 3)
    media.unlink()
    aside.rename(media)
    return f"evidence storage refused writes for {PHASE_SECONDS / 3:.0f} s"


FAULTS = [
    ("PostgreSQL restart", restart_postgres),
    ("worker killed", kill_worker),
    ("storage refusing writes", refuse_storage),
]


# --- the checks ----------------------------------------------------------------------------------


def check_actions(attempts: list[Attempt], media: Path) -> dict:
    """What each user meant, against what the database holds."""
    from django.db.models import Count

    from audit.events import Event
    from audit.models import AuditEvent
    from nominations.models import Evidence, Nomination, StageDecision
    from nominations.stages import Status

    counts = {"attempted": len(attempts), "succeeded": 0, "refused": 0, "unknown": 0}
    for a in attempts:
        counts[a.seen] += 1
    counts |= {"applied": 0, "lost": 0, "doubled": 0, "half": 0}
    outcome = {"approve": StageDecision.Outcome.APPROVED, "return_for_revision": "returned"}
    event = {StageDecision.Outcome.APPROVED: Event.APPROVED, "returned": Event.RETURNED}
    after = {StageDecision.Outcome.APPROVED: Status.PARTY_COMMITTEE_REVIEW, "returned": "returned"}

    decided = {}
    for a in attempts:
        if a.kind != "evidence":
            decided.setdefault(a.nomination, []).append(a)
    decisions = {}
    for d in StageDecision.objects.filter(
        nomination_id__in=decided, stage=Status.UNIT_REVIEW, outcome__in=list(event)
    ):
        decisions.setdefault(d.nomination_id, []).append(d.outcome)
    events = {
        (row["nomination_id"], row["action"]): row["n"]
        for row in AuditEvent.objects.filter(nomination_id__in=decided, action__in=event.values())
        .values("nomination_id", "action")
        .annotate(n=Count("id"))
    }
    statuses = dict(Nomination.objects.filter(pk__in=decided).values_list("pk", "status"))
    for pk, tries in decided.items():
        made = decisions.get(pk, [])
        counts["applied"] += min(len(made), 1)
        counts["doubled"] += max(len(made) - 1, 0)
        seen = [outcome[a.kind] for a in tries if a.seen == "succeeded"]
        if seen and (not made or made[0] != seen[-1]):
            counts["lost"] += 1
        expected = after[made[0]] if made else Status.UNIT_REVIEW
        recorded = sum(events.get((pk, event[o]), 0) for o in event)
        if statuses[pk] != expected or recorded != len(made):
            counts["half"] += 1

    uploads = [a for a in attempts if a.kind == "evidence"]
    rows = {}
    for e in Evidence.objects.filter(original_name__in=[a.name for a in uploads]):
        rows.setdefault(e.original_name, []).append(e)
    logged = {
        row["data__name"]: row["n"]
        for row in AuditEvent.objects.filter(action=Event.EVIDENCE_ADDED)
        .values("data__name")
        .annotate(n=Count("id"))
    }
    for a in uploads:
        found = rows.get(a.name, [])
        counts["applied"] += min(len(found), 1)
        counts["doubled"] += max(len(found) - 1, 0)
        if a.seen == "succeeded" and not found:
            counts["lost"] += 1
        if logged.get(a.name, 0) != len(found) or any(
            not (media / e.file.name).is_file() for e in found
        ):
            counts["half"] += 1
    return counts


def check_tasks() -> int:
    """Nominations whose open tasks disagree with their status (one open task while it waits on
    somebody, none otherwise)."""
    from django.db.models import Count

    from nominations.models import Nomination
    from workflows.models import OPEN, NominationTask

    open_tasks = dict(
        NominationTask.objects.filter(status__in=OPEN, nomination__isnull=False)
        .values_list("nomination_id")
        .annotate(n=Count("id"))
    )
    return sum(
        1
        for n in Nomination.objects.all()
        if open_tasks.get(n.pk, 0) != (1 if n.waiting_on() else 0)
    )


def audit_verify() -> tuple[bool, str]:
    from django.core.management import call_command

    out = io.StringIO()
    with contextlib.suppress(SystemExit):  # a broken chain exits 1; its line says why
        call_command("audit_verify", stdout=out)
    line = out.getvalue().strip()
    return line.startswith("OK"), line


def check(record: Record, media: Path) -> dict:
    from django.db import connections

    connections.close_all()  # a restarted server dropped the old connection
    requests = {"requests": len(record.samples)}
    for s in record.samples:
        requests[s.outcome] = requests.get(s.outcome, 0) + 1
    requests["server_errors_with_reference"] = sum(1 for s in record.samples if s.referenced)
    ok, line = audit_verify()
    return {
        "requests": requests,
        "actions": check_actions(record.attempts, media),
        "tasks_disagreeing": check_tasks(),
        "audit_verify": {"ok": ok, "line": line},
    }


# --- the run -----------------------------------------------------------------------------------


def main() -> int:
    from . import db

    started = time.perf_counter()
    cluster = Cluster()
    media_dir = Path(tempfile.mkdtemp(prefix="laurel-faults-media-"))
    media = media_dir / "media"
    media.mkdir()
    os.environ |= {
        **cluster.env,
        "BENCH_DATABASE_NAME": DATABASE,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LAUREL_MEDIA_ROOT": str(media),
    }
    server = None
    phases = []
    try:
        cluster.start()
        log(f"PostgreSQL cluster of the run's own in {cluster.dir} (socket only)")
        db.create(DATABASE)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from .world import build, laurel_drafts

        call_command("migrate", verbosity=0)
        world = build(departments=1, units_per_department=1)
        desks = http_load.desks(world, REVIEWERS + PROPOSERS, prefix="fault")
        reviewers, proposers = desks[:REVIEWERS], desks[REVIEWERS:]
        per_desk = max(30, int(PHASE_SECONDS * 3))
        http_load.waiting_nominations(world, reviewers, per_desk, log)
        drafts = {d.proposer: laurel_drafts(world, 3, units=[d.unit] * 3) for d in proposers}
        connections.close_all()
        server = Server(workers=http_load.workers(), log_dir=media_dir)
        server.start()
        log(f"gunicorn, {server.workers} workers, on {server.url}; log {server.log_path}")
        days = [(http_load.reviewer_day, d.head) for d in reviewers] + [
            (functools.partial(proposer_day, drafts[d.proposer]), d.proposer) for d in proposers
        ]
        for name, fault in FAULTS:
            record = Record()
            load = threading.Thread(
                target=http_load.drive, args=(server.url, days, PHASE_SECONDS, record)
            )
            load.start()
            time.sleep(PHASE_SECONDS / 3)
            what = fault(cluster, server, media)
            log(what)
            load.join()
            result = {"fault": name, "what": what} | check(record, media)
            result["server_errors_logged"] = _new_errors(server.errors_logged(), phases)
            phases.append(result)
            log(f"{name}: {result['requests']} {result['actions']}")
            log(f"audit_verify: {result['audit_verify']['line']}")
    finally:
        if server is not None:
            server.stop()
        from django.db import connections

        with contextlib.suppress(Exception):
            connections.close_all()
        cluster.stop()
        shutil.rmtree(media_dir, ignore_errors=True)
    print(table(phases, time.perf_counter() - started))
    return 0 if phases and all(_passed(p) for p in phases) else 1


def _new_errors(logged: dict[str, int], phases: list[dict]) -> dict[str, int]:
    """The errors the server logged during this phase (the log is the whole run's)."""
    before: dict[str, int] = {}
    for p in phases:
        for error, n in p["server_errors_logged"].items():
            before[error] = before.get(error, 0) + n
    return {e: n - before.get(e, 0) for e, n in logged.items() if n > before.get(e, 0)}


def _passed(p: dict) -> bool:
    a = p["actions"]
    return (
        a["lost"] == 0
        and a["doubled"] == 0
        and a["half"] == 0
        and p["requests"].get("timeout", 0) == 0
        and p["tasks_disagreeing"] == 0
        and p["audit_verify"]["ok"]
    )


def table(phases: list[dict], seconds: float) -> str:
    lines = [
        "",
        f"Fault run — {REVIEWERS} reviewers and {PROPOSERS} proposers, gunicorn on 127.0.0.1, "
        f"a PostgreSQL cluster of its own; {len(phases)} phases of {PHASE_SECONDS:.0f} s; "
        f"took {seconds:.0f} s",
        "",
        "Requests (every one answered: a page or redirect, a refusal, a server error, a dropped "
        "connection; none may hang)",
        f"   {'fault':<24} {'requests':>8} {'ok':>6} {'4xx':>5} {'5xx':>5} {'5xx+ref':>7} "
        f"{'dropped':>7} {'hung':>5}",
    ]
    for p in phases:
        r = p["requests"]
        lines.append(
            f"   {p['fault']:<24} {r['requests']:>8} {r.get('ok', 0):>6} {r.get('refused', 0):>5} "
            f"{r.get('server_error', 0):>5} {r['server_errors_with_reference']:>7} "
            f"{r.get('dropped', 0):>7} {r.get('timeout', 0):>5}"
        )
    lines += [
        "",
        "Actions (decisions and uploads as each user meant them, against the database)",
        f"   {'fault':<24} {'attempted':>9} {'succeeded':>9} {'refused':>7} {'unknown':>7} "
        f"{'applied':>7} {'lost':>5} {'doubled':>7} {'half':>5} {'tasks≠':>6}  audit_verify",
    ]
    for p in phases:
        a = p["actions"]
        lines.append(
            f"   {p['fault']:<24} {a['attempted']:>9} {a['succeeded']:>9} {a['refused']:>7} "
            f"{a['unknown']:>7} {a['applied']:>7} {a['lost']:>5} {a['doubled']:>7} "
            f"{a['half']:>5} {p['tasks_disagreeing']:>6}  "
            f"{'OK' if p['audit_verify']['ok'] else 'FAILED: ' + p['audit_verify']['line']}"
        )
    lines += ["", "What happened:"]
    for p in phases:
        lines.append(f"   {p['fault']}: {p['what']}")
        for error, n in p["server_errors_logged"].items():
            lines.append(f"      server log: {n} × {error}")
    verdict = "PASSED" if phases and all(_passed(p) for p in phases) else "FAILED"
    lines += [
        "",
        f"{verdict}: lost, doubled and half-written must be 0, no request may hang, tasks and "
        "statuses must agree, audit_verify must pass after each fault.",
    ]
    return "\n".join(lines) + "\n"
