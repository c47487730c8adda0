"""Backups that restore: `manage.py backup` then `manage.py restore` into a fresh database (a
new SQLite file, or a new PostgreSQL database made for the test and dropped after it), run
as an operator runs them; the restored chain verifies against the backup's last signed
checkpoint, and the evidence comes back byte for byte. A changed backup and a non-empty
target are refused in one line."""

import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from audit import signing
from audit.models import ChainHead, Checkpoint
from nominations import services as dossier
from nominations.models import Evidence

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def keys(settings, tmp_path):
    settings.LAUREL_AUDIT_SIGNING_KEY = tmp_path / "keys" / "signing.pem"
    settings.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "keys" / "public.pem"
    settings.LAUREL_CHECKPOINT_FILE = None
    signing.generate_key_pair(settings.LAUREL_AUDIT_SIGNING_KEY, settings.LAUREL_AUDIT_PUBLIC_KEY)
    return settings


@pytest.fixture
def committed(transactional_db, world, draft, walk, keys):
    """A committed nomination with two evidence files, walked two steps, and a checkpoint
    signed over the chain's head (committed data: pg_dump reads from its own connection)."""
    for name, content in [("báo cáo.pdf", b"%PDF-1.4 one"), ("quyết định.pdf", b"%PDF-1.4 two")]:
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        dossier.add_evidence(
            draft, actor=world.proposer, kind=Evidence.Kind.ACHIEVEMENT_REPORT, upload=upload
        )
        draft.refresh_from_db()
    walk(draft, "submit", "approve")
    call_command("audit_checkpoint")
    return keys


def run_manage(*args, database_url, media, public_key, **env):
    """`python manage.py …` in a process of its own, configured as a new machine would be."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "LAUREL_CHECKPOINT_FILE") and not k.startswith("PYTEST")
    }
    environment.update(
        DATABASE_URL=database_url,
        LAUREL_MEDIA_ROOT=str(media),
        LAUREL_AUDIT_PUBLIC_KEY=str(public_key),
        LAUREL_AUDIT_SIGNING_KEY=str(Path(public_key).parent / "no-private-key-here.pem"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def fresh_database(tmp_path):
    """The DATABASE_URL of an empty database of the engine under test: a new SQLite file, or a
    new PostgreSQL database `laurel_backup_restore_<random>`, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'laurel.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"laurel_backup_restore_{secrets.token_hex(4)}"
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = db["USER"] or "postgres"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_and_proves_the_copy_whole(
    committed, fresh_database, tmp_path
):
    head = ChainHead.objects.get(pk=1)
    checkpoint = Checkpoint.objects.get()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["chain"]["head"] == {"seq": head.seq, "hash": head.hash}
    assert manifest["chain"]["last_checkpoint"]["signature"] == checkpoint.signature

    media, public = tmp_path / "restored-media", tmp_path / "restored-keys" / "public.pem"
    done = run_manage(
        "restore", str(backup), database_url=fresh_database, media=media, public_key=public
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].endswith(f"{len(manifest['files'])} files match the manifest")
    assert lines[1] == f"restored the {connection.vendor} database and 2 evidence files"
    assert lines[-1] == (
        f"the copy is whole: {head.seq} events chained to head #{head.seq} {head.hash}, "
        f"through checkpoint #{checkpoint.seq} signed at "
        f"{manifest['chain']['last_checkpoint']['signed_at']} by key {checkpoint.key_id}, "
        "checked with the backup's public key"
    )
    # The evidence comes back byte for byte, where the restored records name it.
    stored = list(Evidence.objects.values_list("file", flat=True))
    assert len(stored) == 2
    for name in stored:
        original = Path(committed.MEDIA_ROOT) / name
        assert (media / name).read_bytes() == original.read_bytes()
    assert public.read_text() == committed.LAUREL_AUDIT_PUBLIC_KEY.read_text()

    # The restored instance verifies on its own, as an inspector would check it later.
    verified = run_manage(
        "audit_verify", database_url=fresh_database, media=media, public_key=public
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"OK: {head.seq} events verified, head #{head.seq}")

    # A second restore into the same, now non-empty, target is refused in one line.
    again = run_manage(
        "restore",
        str(backup),
        database_url=fresh_database,
        media=tmp_path / "other-media",
        public_key=public,
    )
    assert again.returncode != 0
    assert again.stdout == ""
    message = again.stderr.strip()
    assert "\n" not in message
    assert message.startswith("CommandError: cannot restore: the database")
    assert "not empty" in message or "already exists" in message


def test_the_backup_holds_the_public_key_and_never_the_private_one(committed, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    secret = committed.LAUREL_AUDIT_SIGNING_KEY.read_text()
    body = "".join(secret.splitlines()[1:-1])
    for path in (tmp_path / "backup").rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert body.encode() not in content, path
            assert b"PRIVATE KEY" not in content, path
    pem = (tmp_path / "backup" / "keys" / "audit-public.pem").read_text()
    assert pem == committed.LAUREL_AUDIT_PUBLIC_KEY.read_text()


@pytest.mark.parametrize("what", ["database", "evidence"])
def test_a_changed_backup_file_is_refused_naming_it(committed, tmp_path, what):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    name = (
        manifest["database"]["file"]
        if what == "database"
        else next(n for n in manifest["files"] if n.startswith("media/evidence/"))
    )
    with open(backup / name, "ab") as f:
        f.write(b"\0")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup))
    assert str(refused.value) == (
        f"cannot restore: {name} has changed since the backup (its SHA-256 is not the "
        "manifest's); refusing to restore"
    )


def test_a_file_slipped_into_the_backup_is_refused(committed, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    (backup / "media" / "evidence" / "extra.pdf").write_bytes(b"%PDF-1.4 forged")
    with pytest.raises(CommandError, match=r"media/evidence/extra\.pdf is not in the manifest"):
        call_command("restore", str(backup))


def test_a_backup_whose_key_is_not_the_trusted_one_is_refused(committed, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    other = signing.generate_key_pair(tmp_path / "o" / "s.pem", tmp_path / "o" / "p.pem")
    with pytest.raises(CommandError, match=rf"is not the key you trust \({signing.key_id(other)}"):
        call_command("restore", str(backup), "--public-key", str(tmp_path / "o" / "p.pem"))


def test_a_backup_that_cannot_be_verifiable_is_not_written_at_all(committed, tmp_path):
    committed.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "lost.pem"
    with pytest.raises(CommandError, match=r"cannot back up: the public key file .*lost\.pem"):
        call_command("backup", str(tmp_path / "backup"))
    assert list(tmp_path.glob("*backup*")) == []


def test_backup_refuses_a_directory_that_holds_files(committed, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old").write_text("x")
    with pytest.raises(CommandError, match="already exists and is not an empty directory"):
        call_command("backup", str(tmp_path / "backup"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="edits the SQLite copy in place")
def test_a_forged_backup_with_a_matching_manifest_restores_but_is_not_whole(committed, tmp_path):
    """Someone edits an event in the backup's database and rewrites the manifest's hash to
    match: the files pass, the chain does not."""
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    copy = sqlite3.connect(backup / "database.sqlite3")
    for (trigger,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        copy.execute(f'DROP TRIGGER "{trigger}"')
    copy.execute("UPDATE audit_auditevent SET comment = 'sửa lén' WHERE seq = 2")
    copy.commit()
    copy.close()
    manifest = json.loads((backup / "manifest.json").read_text())
    forged = (backup / "database.sqlite3").read_bytes()
    manifest["files"]["database.sqlite3"] = hashlib.sha256(forged).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    done = run_manage(
        "restore",
        str(backup),
        database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        media=tmp_path / "m",
        public_key=tmp_path / "k" / "public.pem",
    )
    assert done.returncode == 1
    assert (
        done.stdout.strip()
        .splitlines()[-1]
        .startswith("the copy is NOT whole: BROKEN: event #2: edited")
    )


def test_a_restore_that_fails_half_way_leaves_nothing_behind(committed, fresh_database, tmp_path):
    """The database file is cut short (and the manifest made to match): the restore stops
    with one line, the target database is as empty as before and MEDIA_ROOT was not made."""
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    dump = backup / manifest["database"]["file"]
    content = dump.read_bytes()
    dump.write_bytes(content[: len(content) * 3 // 5])
    manifest["files"][dump.name] = hashlib.sha256(dump.read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    media = tmp_path / "restored-media"
    done = run_manage(
        "restore",
        str(backup),
        database_url=fresh_database,
        media=media,
        public_key=tmp_path / "k" / "public.pem",
    )
    assert done.returncode == 1
    message = done.stderr.strip()
    assert "\n" not in message and message.startswith("CommandError: cannot restore: "), message
    assert not media.exists()
    assert list(media.parent.glob(".restored-media*")) == []
    if connection.vendor == "sqlite":
        target = Path(fresh_database.removeprefix("sqlite:///"))
        assert "SQLite copy" in message
        assert not target.exists() or target.stat().st_size == 0
        # Nor is the temporary copy left beside it.
        assert not target.parent.exists() or list(target.parent.glob(".*")) == []
    else:
        assert "pg_restore failed" in message
        with psycopg.connect(fresh_database) as restored:
            tables = restored.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()[0]
        assert tables == 0
