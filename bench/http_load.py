"""The HTTP layer under load: gunicorn serving Laurel on 127.0.0.1, driven by simulated users.

`run(world, scale, log)` (a section of `python -m bench`, alone as `python -m bench http`)
starts gunicorn (`WEB_CONCURRENCY` workers, default 2 × cores) on a free port of 127.0.0.1
against the run's own database, and lets 16 reviewers work through their queues for
`BENCH_HTTP_SECONDS` (default 30; 10 at the small scale): each logs in through the login form,
opens the inbox, opens the first nomination waiting, approves it (or, one time in five, returns it
with reasons) with the page's own form and CSRF token, follows the redirect to the nomination's
page, and goes back to the inbox. Every request is timed by kind; any answer other than the one
a browser expects (a page, or the redirect after a form) counts as an error. Gunicorn is stopped
at the end, on failure too (its whole process group; atexit as a last resort).

`bench/faults.py` drives the same users (and proposers attaching evidence) while it breaks
things: the `Server`, the users and the per-request records are shared.
"""

import atexit
import contextlib
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-http-password"  # the simulated users' (fixture users on a throwaway database)
USERS = 16
RETURN_SHARE = 0.2  # one decision in five returns the dossier with reasons
TIMEOUT = 30.0  # seconds a simulated user waits for an answer before calling it a hang
HOST = "127.0.0.1"  # the only address the load test sends anything to


def seconds(scale_name: str) -> float:
    default = 10 if scale_name == "small" else 30
    return float(os.environ.get("BENCH_HTTP_SECONDS") or default)


def workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving `bench.settings` on 127.0.0.1, in its own process group; `stop()` (or
    leaving the `with`, or the interpreter's exit) ends the group."""

    def __init__(self, *, workers: int, env: dict | None = None, log_dir: Path | None = None):
        self.workers = workers
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._own_dir = None if log_dir else Path(tempfile.mkdtemp(prefix="laurel-gunicorn-"))
        self.log_path = Path(log_dir or self._own_dir) / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_SERVING": "1",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--error-logfile",
            "-",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        log.close()
        atexit.register(self.stop)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.get(f"{self.url}/accounts/login/", timeout=5)
                if answer.status_code == 200 and len(self.worker_pids()) >= self.workers:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        if self.process is None or self.process.poll() is not None:
            return []
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        atexit.unregister(self.stop)
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)

    def errors_logged(self) -> dict[str, int]:
        """The exceptions in the server's log (a traceback's last line), by how often."""
        found: dict[str, int] = {}
        with contextlib.suppress(OSError):
            for line in self.log_path.read_text(errors="replace").splitlines():
                if EXCEPTION_LINE.match(line):
                    found[line[:160]] = found.get(line[:160], 0) + 1
        return found


# The last line of a traceback: "psycopg.OperationalError: connection failed: …".
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b.*:")


# --- what each simulated user did ----------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # login, inbox, nomination, approve, return, evidence, logout
    ms: float
    status: int | None  # None: no answer (connection dropped, refused, or timed out)
    outcome: str  # ok, refused (a 4xx page), server_error (5xx), dropped, timeout, unexpected
    referenced: bool = False  # a 5xx page that gives a reference to quote


@dataclass
class Attempt:
    """An action a user meant to do, and what the user saw of it."""

    user: str
    kind: str  # approve, return_for_revision, evidence
    nomination: int
    seen: str  # succeeded, refused, unknown (5xx, dropped connection, timeout)
    name: str = ""  # the evidence file's name (unique per attempt)


@dataclass
class Record:
    samples: list[Sample] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    emptied: list[str] = field(default_factory=list)  # users whose queue ran out
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def attempt(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


# A server error page that says what to quote: "reference", "mã tham chiếu", a request id.
REFERENCE = re.compile(r"reference|tham chiếu|request[ -]id", re.IGNORECASE)


class Browser:
    """One simulated user's browser: cookies, timing of each request, the outcome by kind."""

    def __init__(self, base_url: str, record: Record, user: str):
        self.client = httpx.Client(base_url=base_url, timeout=TIMEOUT, follow_redirects=False)
        self.record = record
        self.user = user

    def close(self) -> None:
        self.client.close()

    def request(self, kind: str, method: str, url: str, *, expect: int, **kwargs):
        """The response, or None when the request got no answer; recorded either way."""
        start = time.perf_counter()
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            self.record.add(Sample(kind, (time.perf_counter() - start) * 1000, None, "timeout"))
            return None
        except httpx.TransportError:
            self.record.add(Sample(kind, (time.perf_counter() - start) * 1000, None, "dropped"))
            return None
        ms = (time.perf_counter() - start) * 1000
        status = response.status_code
        if status == expect:
            outcome = "ok"
        elif 400 <= status < 500:
            outcome = "refused"
        elif status >= 500:
            outcome = "server_error"
        else:
            outcome = "unexpected"
        referenced = status >= 500 and bool(REFERENCE.search(response.text))
        self.record.add(Sample(kind, ms, status, outcome, referenced))
        return response

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def login(self, username: str) -> bool:
        page = self.request("login", "GET", "/accounts/login/", expect=200)
        if page is None or page.status_code != 200:
            return False
        token = field_value(page.text, "csrfmiddlewaretoken") or self.csrf()
        done = self.request(
            "login",
            "POST",
            "/accounts/login/",
            expect=302,
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        return done is not None and done.status_code == 302

    def logout(self) -> None:
        token = {"csrfmiddlewaretoken": self.csrf()}
        self.request("logout", "POST", "/accounts/logout/", expect=302, data=token)


def field_value(html: str, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return found.group(1) if found else None


def form_html(html: str, action_url: str) -> str | None:
    """The HTML of the first form posting to `action_url`."""
    found = re.search(rf'<form[^>]*action="{re.escape(action_url)}"[^>]*>(.*?)</form>', html, re.S)
    return found.group(1) if found else None


def select_options(select_html: str, name: str) -> list[str]:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', select_html, re.S)
    if not found:
        return []
    return [v for v in re.findall(r'<option value="([^"]*)"', found.group(1)) if v]


NOMINATION_LINK = re.compile(r'href="/nominations/(\d+)/"')


def reviewer_day(browser: Browser, username: str, stop: threading.Event, rng: random.Random):
    """Log in, then until `stop`: the inbox, the first nomination waiting, a decision on it with
    the page's form, the nomination's page after it. A request without an answer (or a server
    error) is met as a user meets it: back to the inbox, logging in again if the session is gone."""
    logged_in = False
    while not stop.is_set():
        if not logged_in:
            logged_in = browser.login(username)
            if not logged_in:
                time.sleep(READING_AN_ERROR)
                continue
        inbox = browser.request("inbox", "GET", "/inbox/", expect=200)
        if inbox is None or inbox.status_code != 200:
            logged_in = inbox is None or inbox.status_code != 302  # 302: to the login page
            pause_after_failure(inbox)
            continue
        waiting = NOMINATION_LINK.findall(inbox.text)
        if not waiting:
            browser.record.emptied.append(username)
            break
        pk = int(waiting[0])
        page = browser.request("nomination", "GET", f"/nominations/{pk}/", expect=200)
        if page is None or page.status_code != 200:
            pause_after_failure(page)
            continue
        action = "return_for_revision" if rng.random() < RETURN_SHARE else "approve"
        url = f"/nominations/{pk}/{action}/"
        form = form_html(page.text, url)
        if form is None:  # nothing to decide (moved meanwhile): back to the inbox
            continue
        data = {
            "csrfmiddlewaretoken": field_value(form, "csrfmiddlewaretoken") or browser.csrf(),
            "version": field_value(form, "version"),
            "reasons": "Đồng ý."
            if action == "approve"
            else "Hồ sơ thiếu minh chứng về sáng kiến; đề nghị bổ sung.",
        }
        codes = select_options(form, "reason_code")
        if codes:
            data["reason_code"] = codes[0]
        kind = "approve" if action == "approve" else "return"
        done = browser.request(kind, "POST", url, expect=302, data=data)
        seen = seen_as(done)
        browser.record.attempt(Attempt(username, action, pk, seen))
        if seen == "succeeded":
            browser.request("nomination", "GET", done.headers["location"], expect=200)
        else:
            pause_after_failure(done)
    if logged_in:
        browser.logout()


# A user shown an error page reads it before trying again; the simulated user waits as long.
READING_AN_ERROR = 1.0


def pause_after_failure(response) -> None:
    """After a request without an answer or with a server error: wait before trying again."""
    if response is None or response.status_code >= 500:
        time.sleep(READING_AN_ERROR)


def seen_as(response) -> str:
    if response is None or response.status_code >= 500:
        return "unknown"
    if response.status_code == 302:
        return "succeeded"
    return "refused"


def drive(base_url: str, days, duration: float, record: Record) -> float:
    """Run each `(function, username)` of `days` in a thread of its own for `duration` seconds;
    the wall time it took (the users stop at their next step once the time is up)."""
    stop = threading.Event()
    threads = []
    browsers = []
    for i, (day, username) in enumerate(days):
        browser = Browser(base_url, record, username)
        browsers.append(browser)
        rng = random.Random(i)
        threads.append(
            threading.Thread(target=day, args=(browser, username, stop, rng), daemon=True)
        )
    start = time.perf_counter()
    for t in threads:
        t.start()
    stop.wait(duration)
    stop.set()
    for t in threads:
        t.join(TIMEOUT + 10)
    for b in browsers:
        b.close()
    return time.perf_counter() - start


# --- the world the users work in ------------------------------------------------------------------


@dataclass
class Desk:
    """A unit of the load test: its head (a reviewer) and proposer, both able to log in."""

    unit: object  # bench.world.BenchUnit
    head: str
    proposer: str


def desks(world, count: int, *, prefix: str = "http") -> list:
    """`count` units of their own in the world's first department, each with a head and a
    proposer who log in with `PASSWORD`."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from nominations.models import Profile, RoleAssignment, Unit
    from nominations.roles import Role

    from .world import BenchUnit

    User = get_user_model()
    password = make_password(PASSWORD)
    made = []
    for i in range(count):
        unit = Unit.objects.create(
            code=f"{prefix}-{i}", name_vi=f"Phòng {prefix} {i}", parent_id=world.department_ids[0]
        )
        ids = {}
        for who, role in (("head", Role.UNIT_HEAD), ("proposer", Role.UNIT_PROPOSER)):
            user = User.objects.create(
                username=f"{prefix}-{who}-{i}",
                first_name=who.title(),
                last_name=f"Nguyễn {i}",
                password=password,
            )
            Profile.objects.create(user=user, unit=unit, position="Chuyên viên")
            RoleAssignment.objects.create(user=user, role=role, unit=unit)
            ids[who] = user
        made.append(
            Desk(
                unit=BenchUnit(
                    unit_id=unit.pk,
                    path=unit.path,
                    proposer_id=ids["proposer"].pk,
                    head_id=ids["head"].pk,
                    nominee_id=ids["proposer"].pk,
                ),
                head=ids["head"].username,
                proposer=ids["proposer"].username,
            )
        )
    return made


def waiting_nominations(world, desks_: list, per_desk: int, log) -> list[int]:
    """`per_desk` nominations submitted by each desk's proposer, waiting on its head."""
    from django.contrib.auth import get_user_model

    from nominations.models import Nomination
    from workflows import services

    from .world import laurel_drafts

    units = [d.unit for d in desks_ for _ in range(per_desk)]
    drafts = laurel_drafts(world, len(units), units=units)
    proposers = get_user_model().objects.in_bulk({u.proposer_id for u in units})
    start = time.perf_counter()
    for n in Nomination.objects.filter(pk__in=drafts).order_by("pk"):
        services.submit(n, actor=proposers[n.created_by_id])
    log(f"http: {len(drafts)} nominations submitted in {time.perf_counter() - start:.1f} s")
    return drafts


# --- the figures -------------------------------------------------------------------------------


KINDS = ("login", "inbox", "nomination", "approve", "return", "evidence", "logout")


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summary(record: Record, wall: float) -> dict:
    by_kind = {}
    for kind in KINDS:
        samples = [s for s in record.samples if s.kind == kind]
        if not samples:
            continue
        ms = sorted(s.ms for s in samples)
        by_kind[kind] = {
            "requests": len(samples),
            "p50_ms": round(_percentile(ms, 50), 1),
            "p95_ms": round(_percentile(ms, 95), 1),
            "p99_ms": round(_percentile(ms, 99), 1),
            "errors": sum(1 for s in samples if s.outcome != "ok"),
        }
    ms = sorted(s.ms for s in record.samples)
    outcomes = {}
    for s in record.samples:
        outcomes[s.outcome] = outcomes.get(s.outcome, 0) + 1
    succeeded = sum(1 for a in record.attempts if a.seen == "succeeded")
    return {
        "seconds": round(wall, 1),
        "requests": len(record.samples),
        "requests_per_second": round(len(record.samples) / wall, 1) if wall else 0,
        "actions": succeeded,
        "actions_per_second": round(succeeded / wall, 1) if wall else 0,
        "p50_ms": round(_percentile(ms, 50), 1),
        "p95_ms": round(_percentile(ms, 95), 1),
        "p99_ms": round(_percentile(ms, 99), 1),
        "errors": sum(n for o, n in outcomes.items() if o != "ok"),
        "outcomes": outcomes,
        "server_errors_with_reference": sum(1 for s in record.samples if s.referenced),
        "queues_emptied": sorted(set(record.emptied)),
        "by_kind": by_kind,
    }


def run(world, scale, log) -> dict:
    """The section: 16 reviewers, each with a queue of their own, for `seconds(scale)`."""
    duration = seconds(scale.name)
    # Enough waiting for the whole run at a few actions a second each, whatever the machine.
    per_desk = max(20, int(duration * 3))
    made = desks(world, USERS)
    waiting_nominations(world, made, per_desk, log)
    from django.db import connections

    connections.close_all()  # the server's workers open their own
    record = Record()
    count = workers()
    with Server(workers=count) as server:
        log(f"http: gunicorn, {count} workers, on {server.url}; {USERS} users for {duration:.0f} s")
        wall = drive(server.url, [(reviewer_day, d.head) for d in made], duration, record)
        logged = server.errors_logged()
    result = {"users": USERS, "workers": count, "waiting_per_user": per_desk}
    if logged:
        result["server_errors_logged"] = logged
    result |= summary(record, wall)
    log(
        f"http: {result['requests']} requests, {result['requests_per_second']}/s, "
        f"{result['actions']} decisions, p95 {result['p95_ms']} ms, {result['errors']} errors"
    )
    return result


def table(h: dict) -> list[str]:
    """The section's lines of the printed table."""
    lines = [
        f"5. HTTP under load — gunicorn, {h['workers']} workers, {h['users']} reviewers for "
        f"{h['seconds']} s on 127.0.0.1 (log in, inbox, open, approve or return with reasons)",
        f"   {h['requests']:,} requests, {h['requests_per_second']} requests/s, "
        f"{h['actions']} decisions ({h['actions_per_second']}/s); all requests p50 "
        f"{h['p50_ms']} ms, p95 {h['p95_ms']} ms, p99 {h['p99_ms']} ms; errors {h['errors']}",
        f"   {'page':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}",
    ]
    for kind, k in h["by_kind"].items():
        lines.append(
            f"   {kind:<12} {k['requests']:>8} {k['p50_ms']:>8} {k['p95_ms']:>8} "
            f"{k['p99_ms']:>8} {k['errors']:>7}"
        )
    for error, n in h.get("server_errors_logged", {}).items():
        lines.append(f"   server log: {n} × {error}")
    if h.get("queues_emptied"):  # the run measured less than its time: say so
        lines.append(
            f"   queues emptied before the end (raise the waiting nominations): "
            f"{', '.join(h['queues_emptied'])}"
        )
    return lines


def target(h: dict) -> tuple[str, str, bool]:
    return (
        f"HTTP load: 0 errors (p95 {h['p95_ms']} ms)",
        f"{h['errors']} errors",
        h["errors"] == 0,
    )
