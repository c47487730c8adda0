"""Backups that restore: the database (PostgreSQL `pg_dump --format=custom`, SQLite's online
backup API), the evidence files, the audit key's public half and a manifest; and their
restore, which checks every file against the manifest first and ends by verifying the audit
chain against the last signed checkpoint the backup recorded.

A backup directory holds:

    manifest.json          what, when, from which Laurel, the chain's head and last signed
                           checkpoint, and the SHA-256 of every other file
    database.dump          PostgreSQL, pg_dump's custom format   (or)
    database.sqlite3       SQLite, a consistent copy of the database file
    media/…                the evidence files (a copy of MEDIA_ROOT)
    keys/audit-public.pem  the public key that verifies the checkpoints (never the private one)

Everything here says what went wrong in one line (`BackupProblem`), and leaves nothing half
written: a backup is written under a temporary name and renamed when complete; a restore
stages the files, restores PostgreSQL in one transaction (or SQLite under a temporary name,
then renames) and only then moves the files into place.
"""

import datetime
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from audit import chain, signing
from audit.integrity import IntegrityProblem, run_verification
from audit.verify import CHECKPOINT_FIELDS, CheckpointFileError, Result, outside_checkpoint

FORMAT = "laurel-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
PUBLIC_KEY = "keys/audit-public.pem"
ENGINES = {"postgresql": PG_DUMP, "sqlite": SQLITE_COPY}


class BackupProblem(Exception):
    """What a backup or restore cannot do, in one line."""


# --- helpers --------------------------------------------------------------------------------


def engine() -> str:
    if connection.vendor not in ENGINES:
        raise BackupProblem(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    return connection.vendor


def libpq_env() -> dict[str, str]:
    """The database settings as libpq's environment variables, for pg_dump and pg_restore: the
    password travels in the child's environment, never on a command line."""
    db = connection.settings_dict
    names = {
        "NAME": "PGDATABASE",
        "HOST": "PGHOST",
        "PORT": "PGPORT",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({var: str(db[key]) for key, var in names.items() if db.get(key)})
    options = db.get("OPTIONS", {})
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    return env


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, env=libpq_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupProblem(f"{command[0]} is not installed (PostgreSQL's client tools)") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise BackupProblem(f"{what} failed: {reason}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[str]:
    """Every file under `root` but the manifest, as POSIX paths relative to it, sorted."""
    found = [
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()
    ]
    return sorted(name for name in found if name != MANIFEST)


def _has_files(root: Path) -> bool:
    return root.exists() and any(p.is_file() or p.is_symlink() for p in root.rglob("*"))


def _laurel() -> dict:
    try:
        version = metadata.version("laurel")
    except metadata.PackageNotFoundError:
        version = None
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
        commit = done.stdout.strip() if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"version": version, "commit": commit}


def _utc(value) -> datetime.datetime:
    """A DateTimeField read with raw SQL: aware on PostgreSQL, UTC text on SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        raise BackupProblem("the backup's checkpoint has no readable time")
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def _chain_state(cursor) -> dict:
    """The chain's head and last signed checkpoint, read with `cursor` (inside the snapshot
    that is being backed up)."""
    cursor.execute("SELECT seq, hash FROM audit_chainhead WHERE id = 1")
    head = cursor.fetchone() or (0, chain.GENESIS_HASH)
    cursor.execute(
        "SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoint "
        "ORDER BY seq DESC, id DESC LIMIT 1"
    )
    row = cursor.fetchone()
    checkpoint = None
    if row:
        values = dict(zip(CHECKPOINT_FIELDS, row, strict=True))
        values["signed_at"] = chain.timestamp(_utc(values["signed_at"]))
        checkpoint = values
    return {"head": {"seq": head[0], "hash": head[1]}, "last_checkpoint": checkpoint}


def _staging(target: Path, what: str) -> Path:
    return target.parent / f".{target.name}.{what}-{secrets.token_hex(4)}"


# --- backup ---------------------------------------------------------------------------------


def _dump_postgresql(staging: Path) -> dict:
    """pg_dump of one snapshot, and the chain's state read in that same snapshot, so the
    manifest says exactly what the dump holds."""
    if connection.in_atomic_block:
        raise BackupProblem("a backup must be taken outside a transaction")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _chain_state(cursor)
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={staging / PG_DUMP}",
            ],
            "pg_dump",
        )
    return state


def _copy_sqlite(staging: Path) -> dict:
    """SQLite's online backup API, in one step (one consistent snapshot); the chain's state
    is read from the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(staging / SQLITE_COPY)
    try:
        connection.connection.backup(target)
        cursor = target.cursor()
        try:
            return _chain_state(cursor)
        finally:
            cursor.close()
    except sqlite3.Error as exc:
        raise BackupProblem(f"the SQLite backup failed: {exc}") from None
    finally:
        target.close()


def _public_key(has_checkpoint: bool):
    path = Path(settings.LAUREL_AUDIT_PUBLIC_KEY)
    if not path.exists() and not has_checkpoint:
        return None
    try:
        return signing.load_public_key(path)
    except signing.KeyFileError as exc:
        raise BackupProblem(f"{exc}; the backup needs it to be verifiable") from None


def backup(dest) -> dict:
    """Write a backup to the directory `dest` (new, or empty); return its manifest."""
    dest = Path(dest).absolute()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupProblem(f"{dest} already exists and is not an empty directory")
    if dest.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupProblem(f"{dest} is inside MEDIA_ROOT; back up somewhere else")
    kind = engine()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging(dest, "partial")
    staging.mkdir(mode=0o700)  # personal data: for the owner only
    try:
        started = timezone.now()
        state = _dump_postgresql(staging) if kind == "postgresql" else _copy_sqlite(staging)
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.copytree(media, staging / MEDIA, symlinks=False)
        else:
            (staging / MEDIA).mkdir()
        key = _public_key(state["last_checkpoint"] is not None)
        if key is not None:
            (staging / PUBLIC_KEY).parent.mkdir(parents=True)
            # Written from the parsed public key: whatever the file held, only the public
            # half can come out.
            (staging / PUBLIC_KEY).write_text(signing.public_pem(key))
        manifest = {
            "format": FORMAT,
            "created_at": chain.timestamp(started),
            "laurel": _laurel(),
            "database": {
                "engine": kind,
                "name": str(connection.settings_dict["NAME"]),
                "file": ENGINES[kind],
            },
            "chain": state,
            "public_key": (
                {"file": PUBLIC_KEY, "key_id": signing.key_id(key)} if key is not None else None
            ),
            "media": MEDIA,
            "files": {name: sha256(staging / name) for name in _files(staging)},
        }
        (staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        if dest.exists():
            dest.rmdir()
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


# --- restore --------------------------------------------------------------------------------


@dataclass
class Restored:
    manifest: dict
    files: int
    evidence: int
    result: Result
    whole: bool
    verdict: str


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupProblem(f"{source} holds no {MANIFEST}: not a Laurel backup") from None
    except (OSError, ValueError) as exc:
        raise BackupProblem(f"{path} cannot be read: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupProblem(f"{path} is not a {FORMAT} manifest")
    if not isinstance(manifest.get("files"), dict):
        raise BackupProblem(f"{path} lists no files")
    return manifest


def check_files(source: Path, manifest: dict) -> int:
    """Every file the manifest lists is there with its SHA-256, and there is no other."""
    listed = manifest["files"]
    root = source.resolve()
    for name, digest in listed.items():
        path = (source / name).resolve()
        if not path.is_relative_to(root) or name == MANIFEST:
            raise BackupProblem(f"the manifest names {name}, outside the backup")
        if not path.is_file():
            raise BackupProblem(f"{name} is missing from the backup; refusing to restore")
        if sha256(path) != digest:
            raise BackupProblem(
                f"{name} has changed since the backup (its SHA-256 is not the manifest's); "
                "refusing to restore"
            )
    for name in _files(source):
        if name not in listed:
            raise BackupProblem(f"{name} is not in the manifest; refusing to restore")
    return len(listed)


def _backup_key(source: Path, manifest: dict, trusted_path):
    entry = manifest.get("public_key")
    key = None
    if entry:
        try:
            key = signing.load_public_key(source / PUBLIC_KEY)
        except signing.KeyFileError as exc:
            raise BackupProblem(f"the backup's public key cannot be read: {exc}") from None
    if trusted_path:
        try:
            trusted = signing.load_public_key(trusted_path)
        except signing.KeyFileError as exc:
            raise BackupProblem(str(exc)) from None
        if key is None or signing.raw(key) != signing.raw(trusted):
            found = signing.key_id(key) if key is not None else "none"
            raise BackupProblem(
                f"the backup's public key ({found}) is not the key you trust "
                f"({signing.key_id(trusted)}); refusing to restore"
            )
    return key


def _check_targets(kind: str, key) -> None:
    media = Path(settings.MEDIA_ROOT)
    if _has_files(media):
        raise BackupProblem(f"MEDIA_ROOT {media} already holds files; restore into an empty one")
    public = Path(settings.LAUREL_AUDIT_PUBLIC_KEY)
    if key is not None and public.exists():
        try:
            present = signing.load_public_key(public)
        except signing.KeyFileError as exc:
            raise BackupProblem(str(exc)) from None
        if signing.raw(present) != signing.raw(key):
            raise BackupProblem(
                f"the public key file {public} holds key {signing.key_id(present)}, not the "
                f"backup's {signing.key_id(key)}; move it aside first"
            )
    name = connection.settings_dict["NAME"]
    if kind == "postgresql":
        try:
            tables = connection.introspection.table_names()
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BackupProblem(f"cannot open the database {name}: {reason}") from None
        if tables:
            raise BackupProblem(
                f"the database {name} is not empty ({len(tables)} tables); restore into an "
                "empty database"
            )
    else:
        path = Path(str(name))
        if str(name) == ":memory:" or "mode=memory" in str(name):
            raise BackupProblem("the database is in memory; set DATABASE_URL to a file")
        if path.exists() and path.stat().st_size > 0:
            raise BackupProblem(f"the database file {path} already exists; restore into a new file")


def _restore_postgresql(source: Path) -> None:
    """pg_restore in one transaction: on any error nothing is left in the database."""
    _run(
        [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source / PG_DUMP),
        ],
        "pg_restore",
    )


def _restore_sqlite(source: Path) -> None:
    """Copied under a temporary name beside the target, checked, then renamed into place."""
    target = Path(str(connection.settings_dict["NAME"])).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _staging(target, "restoring")
    try:
        shutil.copyfile(source / SQLITE_COPY, temporary)
        check = sqlite3.connect(temporary)
        try:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
        if verdict != "ok":
            raise BackupProblem(f"the SQLite copy fails its integrity check: {verdict}")
        connection.close()
        os.replace(temporary, target)
    except sqlite3.Error as exc:
        raise BackupProblem(f"the SQLite copy cannot be opened: {exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _verify(manifest: dict, key) -> tuple[Result, bool, str]:
    """Verify the restored chain with the backup's key, against the backup's last checkpoint
    (which must still be reached and still be in the database), then that it ends where the
    backup said."""
    state = manifest.get("chain") or {}
    outside = []
    if state.get("last_checkpoint"):
        try:
            outside.append(outside_checkpoint(state["last_checkpoint"], "the backup's manifest"))
        except CheckpointFileError as exc:
            raise BackupProblem(str(exc)) from None
    try:
        result, _ = run_verification(triggered_by="manage.py restore", outside=outside, key=key)
    except IntegrityProblem as exc:
        raise BackupProblem(f"cannot verify: {exc}") from None
    if not result.ok:
        return result, False, "the copy is NOT whole: " + result.line()
    head = state.get("head") or {}
    if (result.head_seq, result.head_hash) != (head.get("seq"), head.get("hash")):
        return (
            result,
            False,
            f"the copy is NOT whole: the restored chain ends at #{result.head_seq} "
            f"{result.head_hash}, the backup recorded #{head.get('seq')} {head.get('hash')}",
        )
    if outside:
        cp = outside[0]
        proof = (
            f"through checkpoint #{cp.seq} signed at {cp.signed_at} by key {cp.key_id}, "
            f"checked with the backup's public key"
        )
    else:
        proof = "with no signed checkpoint to prove it against (run audit_checkpoint first)"
    return (
        result,
        True,
        f"the copy is whole: {result.events} events chained to head #{result.head_seq} "
        f"{result.head_hash}, {proof}",
    )


def restore(source, *, trusted_key=None) -> Restored:
    """Restore the backup in `source` into the configured (empty) database, MEDIA_ROOT (empty)
    and public key file (absent, or the same key); then verify the chain."""
    source = Path(source).absolute()
    if not source.is_dir():
        raise BackupProblem(f"{source} is not a directory")
    manifest = read_manifest(source)
    files = check_files(source, manifest)
    kind = engine()
    recorded = (manifest.get("database") or {}).get("engine")
    if recorded != kind:
        raise BackupProblem(
            f"this is a backup of a {recorded} database; the database configured is {kind}"
        )
    if ENGINES[kind] not in manifest["files"]:
        raise BackupProblem(f"the backup holds no {ENGINES[kind]}")
    key = _backup_key(source, manifest, trusted_key)
    _check_targets(kind, key)

    media = Path(settings.MEDIA_ROOT).absolute()
    media.parent.mkdir(parents=True, exist_ok=True)
    staged = _staging(media, "restoring")
    if (source / MEDIA).is_dir():
        shutil.copytree(source / MEDIA, staged)
    else:  # no evidence at all: its empty folder need not have survived the copying
        staged.mkdir()
    try:
        if kind == "postgresql":
            _restore_postgresql(source)
        else:
            _restore_sqlite(source)
        if media.exists():
            shutil.rmtree(media)  # empty (checked above): at most empty folders
        staged.rename(media)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    public = Path(settings.LAUREL_AUDIT_PUBLIC_KEY)
    if key is not None and not public.exists():
        public.parent.mkdir(parents=True, exist_ok=True)
        public.write_text(signing.public_pem(key))
    evidence = len([p for p in media.rglob("*") if p.is_file()])
    result, whole, verdict = _verify(manifest, key)
    return Restored(manifest, files, evidence, result, whole, verdict)
