"""Where an action's time goes, in one process: milliseconds and queries per action for each
system, Laurel's queries by the code that issued them, its time in the database against its
time in Python, and (with pyinstrument) its Python time by library."""

import sys
import time
from collections import Counter
from pathlib import Path

from django.db import connection

from .transitions import STEPS, BaselineWalker, LaurelWalker, RawWalker, create_raw_tables
from .world import World, baseline_drafts, laurel_drafts

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
APPS = ("nominations", "approvals", "workflows", "audit")


def _origin() -> str:
    """The innermost Laurel or viewflow frame that led to the query."""
    frame = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if "/viewflow/" in path:
            return "viewflow"
        rel = Path(path)
        if rel.name == "compiled.py":  # the compiled statement's runner: its caller issued it
            frame = frame.f_back
            continue
        if rel.is_relative_to(ROOT) and rel.relative_to(ROOT).parts[0] in APPS:
            module = ".".join(rel.relative_to(ROOT).with_suffix("").parts)
            return f"{module}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "django (transaction)"


class QueryLog:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.origins = Counter()
        self.origin_seconds = Counter()

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            origin = _origin()
            self.seconds += spent
            self.count += 1
            self.origins[origin] += 1
            self.origin_seconds[origin] += spent


def _timed(walker, ids) -> float:
    walker.prepare(ids)
    start = time.perf_counter()
    for pk in ids:
        walker.walk(pk)
    return time.perf_counter() - start


def per_action(world: World, walks: int, log) -> dict:
    out = {}
    # Laurel: queries by origin, database time against Python time.
    ids = laurel_drafts(world, walks + 1)
    walker = LaurelWalker(world)
    walker.prepare(ids[:1])
    walker.walk(ids[0])  # warm
    queries = QueryLog()
    with connection.execute_wrapper(queries):
        seconds = _timed(walker, ids[1:])
    actions = walks * STEPS
    out["laurel"] = {
        "ms_per_action": round(seconds / actions * 1000, 2),
        "queries_per_action": round(queries.count / actions, 1),
        "db_ms_per_action": round(queries.seconds / actions * 1000, 2),
        "python_ms_per_action": round((seconds - queries.seconds) / actions * 1000, 2),
        "queries_by_origin": {k: round(v / actions, 2) for k, v in queries.origins.most_common()},
        # The database's time (round trip included) by the same origins.
        "db_ms_by_origin": {
            k: round(v / actions * 1000, 2) for k, v in queries.origin_seconds.most_common()
        },
    }
    # The baseline, the same way.
    ids = baseline_drafts(world, walks + 1)
    walker = BaselineWalker(world)
    walker.prepare(ids[:1])
    walker.walk(ids[0])
    queries = QueryLog()
    with connection.execute_wrapper(queries):
        seconds = _timed(walker, ids[1:])
    out["baseline"] = {
        "ms_per_action": round(seconds / actions * 1000, 2),
        "queries_per_action": round(queries.count / actions, 1),
        "db_ms_per_action": round(queries.seconds / actions * 1000, 2),
        "python_ms_per_action": round((seconds - queries.seconds) / actions * 1000, 2),
    }
    # The raw floor: statements counted by the walker.
    ids = laurel_drafts(world, walks + 1)
    create_raw_tables(ids)
    walker = RawWalker(world)
    walker.prepare(ids)
    walker.walk(ids[0])
    walker.statements = 0
    seconds = _timed(walker, ids[1:])
    out["raw"] = {
        "ms_per_action": round(seconds / actions * 1000, 2),
        # Statements sent, as counted for the others (BEGIN and COMMIT aside).
        "queries_per_action": round(walker.statements / actions, 1),
    }
    walker.conn.close()
    out["laurel"]["python_by_library"] = _pyinstrument(world, walks)
    log(
        "per action: laurel {ms_per_action} ms, {queries_per_action} queries".format(
            **out["laurel"]
        )
    )
    return out


CATEGORIES = [
    ("/psycopg/", "psycopg (waiting for PostgreSQL)"),
    ("/viewflow/", "viewflow"),
    ("/django_fsm/", "django-fsm"),
    ("/django/db/models/sql/", "Django ORM: SQL compilation"),
    ("/django/db/backends/", "Django DB backend"),
    ("/django/db/", "Django ORM: models, querysets"),
    ("/django/", "Django (other)"),
]


def _category(path: str) -> str:
    for marker, name in CATEGORIES:
        if marker in path:
            return name
    p = Path(path)
    if p.is_relative_to(ROOT) and p.relative_to(ROOT).parts[0] in APPS:
        return "Laurel's own code"
    return "other (stdlib, json, …)"


def _pyinstrument(world: World, walks: int) -> dict:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return {"status": "pyinstrument not installed (pip install -e '.[bench]')"}
    ids = laurel_drafts(world, walks)
    walker = LaurelWalker(world)
    walker.prepare(ids)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for pk in ids:
        walker.walk(pk)
    session = profiler.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "profile-laurel.txt").write_text(profiler.output_text(color=False, unicode=True))
    totals = Counter()

    def visit(frame, path):
        path = frame.file_path or path  # "[self]" frames are their parent's own time
        own = frame.time - sum(c.time for c in frame.children)
        totals[_category(path)] += own
        for child in frame.children:
            visit(child, path)

    root = session.root_frame()
    if root is None:
        return {}
    visit(root, "")
    whole = sum(totals.values()) or 1
    actions = walks * STEPS
    return {
        name: {"ms_per_action": round(t / actions * 1000, 2), "share": round(t / whole, 3)}
        for name, t in totals.most_common()
    }
