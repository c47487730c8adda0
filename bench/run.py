"""`python -m bench`: create a database, migrate Laurel and the baseline app into it, run the
sections, print the table, write `bench/results/latest.json`, drop the database."""

import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
NOT_BUILT = "not built yet"


def _machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": load,
    }


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S", time.gmtime())
    print(f"[bench {stamp}] {message}", file=sys.stderr, flush=True)


USAGE = (
    "python -m bench [actions | http | reads | faults]: every section, the transition throughput"
    " alone, the HTTP load test alone, the read paths alone, or the fault run"
)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    section = argv[0] if argv else "all"
    if section == "faults":
        from .faults import main as faults

        return faults()
    if section not in ("all", "actions", "http", "reads") or len(argv) > 1:
        raise SystemExit(USAGE)
    from . import db
    from .scale import current

    scale = current()
    name = os.environ.get("BENCH_DATABASE_NAME") or f"laurel_bench_{os.getpid()}"
    os.environ["BENCH_DATABASE_NAME"] = name
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    started = time.perf_counter()
    log(f"scale {scale.name}; creating database {name}")
    db.create(name)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run = {"all": _run, "actions": _run_actions, "http": _run_http, "reads": _run_reads}
        results = run[section](scale, log)
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DATABASE"):
            log(f"kept database {name} (BENCH_KEEP_DATABASE): drop it when done")
        else:
            db.drop(name)
            log(f"dropped database {name}")
    results["meta"] |= {
        "scale": scale.name,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": _machine(),
        "postgres": db.server_info(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    from .report import table, targets

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latest.json"
    if section == "http":
        # Alone: the section's figures replace those of the last full run's file, if any.
        results = _merged_http(out, results)
    elif section == "actions":
        from .report import action_targets, actions_table

        results["targets"] = [
            {"target": name, "measured": measured, "met": met}
            for name, measured, met in action_targets(results)
        ]
        lines = [f"Transitions alone — scale {scale.name}", *actions_table(results), "", "Targets:"]
        for t in results["targets"]:
            mark = "met" if t["met"] else "MISSED"
            lines.append(f"   {t['target']:<58} {t['measured']:>14}  {mark}")
        print("\n".join(lines))
        out = RESULTS / "actions.json"
    elif section == "reads":
        from .report import reads_table

        print(
            "\n".join(
                [
                    f"Read paths alone — scale {scale.name}, commit {results['meta']['commit']}",
                    *reads_table(results),
                ]
            )
        )
        out = RESULTS / "reads.json"
    else:
        results["targets"] = [
            {"target": name, "measured": measured, "met": met}
            for name, measured, met in targets(results)
        ]
        print(table(results))
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    return 0


def _run_http(scale, log) -> dict:
    """`python -m bench http`: the HTTP load test alone, in a small world of its own."""
    from . import http_load
    from .world import build

    world = build(departments=1, units_per_department=1)
    return {"meta": {"sections": ["http"]}, "http": http_load.run(world, scale, log)}


def _run_reads(scale, log) -> dict:
    """`python -m bench reads`: section 2 alone (the history loaded, the read paths timed),
    written to `bench/results/reads.json`."""
    from . import reads
    from .world import build

    world = build(departments=scale.departments, units_per_department=scale.units_per_department)
    results = {"meta": {"sections": ["reads"]}}
    results["reads"], results["load"] = reads.run(world, scale, log)
    return results


def _merged_http(out: Path, results: dict) -> dict:
    from . import http_load

    name, measured, met = http_load.target(results["http"])
    print("\n".join(["", *http_load.table(results["http"]), "", "Target:"]))
    print(f"   {name:<58} {measured:>14}  {'met' if met else 'MISSED'}")
    merged = json.loads(out.read_text()) if out.exists() else {"meta": results["meta"]}
    merged["http"] = results["http"] | {"run": results["meta"]}
    merged["targets"] = [
        t for t in merged.get("targets", []) if not t["target"].startswith("HTTP load")
    ] + [{"target": name, "measured": measured, "met": met}]
    return merged


def verification(log) -> dict:
    """Time `manage.py audit_verify` (call_command: the chain streamed with COPY, every hash
    recomputed, the run recorded), and separately the pure hashing loop over the same rows."""
    import io

    from django.core.management import call_command

    from audit.models import AuditEvent

    events = AuditEvent.objects.count()
    out = io.StringIO()
    start = time.perf_counter()
    call_command("audit_verify", stdout=out)
    seconds = time.perf_counter() - start
    line = out.getvalue().strip()
    log(f"audit_verify: {events} events in {seconds:.2f} s ({events / seconds:,.0f}/s): {line}")
    return {
        "events": events,
        "seconds": round(seconds, 2),
        "events_per_second": round(events / seconds),
        "ok": line.startswith("OK"),
        "line": line,
        "database_seconds": round(_copy_only_seconds(), 2),
    }


def _copy_only_seconds() -> float:
    """The same COPY the verifier reads, drained without hashing: PostgreSQL's share."""
    from django.db import connection

    from audit.verify import _pg_rows

    start = time.perf_counter()
    for _row in _pg_rows(connection):
        pass
    return time.perf_counter() - start


def _run_actions(scale, log) -> dict:
    """`python -m bench actions`: section 1 alone (throughput and where an action's time goes),
    written to `bench/results/actions.json`."""
    from .world import build

    world = build(departments=scale.departments, units_per_department=scale.units_per_department)
    results = {"meta": {"sections": ["actions"]}, "reads": []}
    return results | _actions(world, scale, log)


def _run(scale, log) -> dict:
    from . import reads
    from .world import build

    world = build(departments=scale.departments, units_per_department=scale.units_per_department)
    results = {"meta": {}, "reads": [], "targets": {}} | _actions(world, scale, log)

    # 2. Read paths at scale.
    results["reads"], results["load"] = reads.run(world, scale, log)

    # 3. Verification: audit_verify (what `manage.py audit_verify` runs) over the whole chain.
    results["verification"] = verification(log)

    # 4. The council's tally: closing a session of `scale.tally_items` items.
    from . import tally

    results["tally"] = tally.run(
        world, items=scale.tally_items, members=scale.tally_members, log=log
    )

    # 5. The HTTP layer under load: gunicorn and 16 reviewers on 127.0.0.1.
    from . import http_load

    results["http"] = http_load.run(world, scale, log)
    return results


def _actions(world, scale, log) -> dict:
    from . import profiling, transitions

    results = {"transitions": [], "per_action": {}}

    # 1. Transition throughput: each system at each worker count, in one run. The machine may
    # be shared: rounds interleave the systems, and each figure is the median of the rounds.
    rounds = {}
    for round_ in range(scale.repeats):
        for workers in scale.workers:
            for kind in ("laurel", "raw", "baseline"):
                t = transitions.run(kind, world, workers, scale.walks, scale.warmup)
                log(
                    f"round {round_ + 1}: {kind:8} {workers} workers: "
                    f"{t.per_second:7.1f} actions/s ({t.actions} actions)"
                )
                rounds.setdefault((kind, workers), []).append(t)
    for (kind, workers), ts in rounds.items():
        ts.sort(key=lambda t: t.per_second)
        median = ts[len(ts) // 2]
        results["transitions"].append(
            {
                "system": kind,
                "workers": workers,
                "actions": median.actions,
                "seconds": round(median.seconds, 3),
                "actions_per_second": round(median.per_second, 1),
                "rounds": [round(t.per_second, 1) for t in ts],
                "client_cpu_ms_per_action": round(
                    median.client_cpu_seconds / median.actions * 1000, 2
                ),
                "server_cpu_ms_per_action": None
                if median.server_cpu_seconds is None
                else round(median.server_cpu_seconds / median.actions * 1000, 2),
                "load_average_before": round(median.load_average, 2),
            }
        )
    # Where an action's time goes (one process): queries and milliseconds per action.
    results["per_action"] = profiling.per_action(world, scale.profile_walks, log)
    return results
