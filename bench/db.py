"""The run's own database: created before the run, dropped after it, on the server of
`BENCH_DATABASE_*` (127.0.0.1:5432, user postgres by default)."""

import os

import psycopg
from psycopg import sql


def server_dsn(dbname: str = "postgres") -> str:
    return (
        f"host={os.environ.get('BENCH_DATABASE_HOST', '127.0.0.1')} "
        f"port={os.environ.get('BENCH_DATABASE_PORT', '5432')} "
        f"user={os.environ.get('BENCH_DATABASE_USER', 'postgres')} dbname={dbname}"
    )


def create(name: str) -> None:
    if not name.startswith("laurel_bench"):
        raise ValueError("the benchmark only creates databases named laurel_bench*")
    with psycopg.connect(server_dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(name: str) -> None:
    if not name.startswith("laurel_bench"):
        raise ValueError("the benchmark only drops databases named laurel_bench*")
    with psycopg.connect(server_dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def server_info() -> dict:
    with psycopg.connect(server_dsn(), autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('synchronous_commit', 'shared_buffers', 'max_connections', 'fsync')"
            ).fetchall()
        )
    return {"version": version, **settings}
