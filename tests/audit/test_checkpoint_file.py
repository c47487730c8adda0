"""Checkpoints kept outside the database: `audit_checkpoint --also-to FILE` (or the setting
LAUREL_CHECKPOINT_FILE) appends each one as a JSON line, and `audit_verify --against FILE`
catches a database whose newest checkpoints or events were deleted."""

import json

import pytest
from django.core.management import CommandError, call_command

from audit import chain
from audit.events import Event
from audit.models import ChainHead, Checkpoint
from audit.services import record_inspection


def run(capsys, *args):
    """(exit code, stdout) of a management command."""
    try:
        call_command(*args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out.strip()


def more_events(world, count=2):
    for i in range(count):
        record_inspection(
            Event.INSPECTOR_EXPORTED,
            actor=world.inspector,
            role="inspector",
            subject_type="export",
            subject_id=i,
            data={"n": i},
        )


@pytest.fixture
def two_checkpoints(world, history, audit_keys, tmp_path, django_capture_on_commit_callbacks):
    """Two checkpoints a few events apart, both also written to an outside file."""
    outside = tmp_path / "offsite" / "checkpoints.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit_checkpoint", "--also-to", str(outside))
    more_events(world)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit_checkpoint", "--also-to", str(outside))
    return outside


def test_each_checkpoint_is_appended_to_the_outside_file_as_signed(two_checkpoints, capsys):
    lines = two_checkpoints.read_text().splitlines()
    stored = list(Checkpoint.objects.order_by("seq"))
    assert [json.loads(line) for line in lines] == [
        {
            "seq": cp.seq,
            "hash": cp.hash,
            "signed_at": chain.timestamp(cp.signed_at),
            "key_id": cp.key_id,
            "signature": cp.signature,
        }
        for cp in stored
    ]
    assert stored[1].seq == stored[0].seq + 2


def test_the_setting_names_a_file_every_checkpoint_goes_to(
    history, audit_keys, tmp_path, capsys, django_capture_on_commit_callbacks
):
    audit_keys.LAUREL_CHECKPOINT_FILE = tmp_path / "cp.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        code, out = run(capsys, "audit_checkpoint")
    assert code == 0 and out.endswith(f"copied to {tmp_path / 'cp.jsonl'}")
    cp = Checkpoint.objects.get()
    assert json.loads((tmp_path / "cp.jsonl").read_text())["signature"] == cp.signature


def test_a_checkpoint_rolled_back_is_not_copied_outside(history, audit_keys, tmp_path):
    """The copy is written after the commit: none is written while the transaction (here
    the test's, never committed) is open."""
    call_command("audit_checkpoint", "--also-to", str(tmp_path / "cp.jsonl"))
    assert not (tmp_path / "cp.jsonl").exists()


def test_verify_against_an_intact_database_names_the_checkpoints_matched(two_checkpoints, capsys):
    head = ChainHead.objects.get(pk=1)
    code, out = run(capsys, "audit_verify", "--against", str(two_checkpoints))
    assert code == 0
    assert out == (
        f"OK: {head.seq} events verified, head #{head.seq} {head.hash}, 2 checkpoints "
        "verified, 2 outside checkpoints matched"
    )


def test_deleting_the_newest_checkpoint_is_caught_only_against_the_outside_copy(
    two_checkpoints, rogue, capsys
):
    newest = Checkpoint.objects.order_by("-seq").first()
    rogue.execute("DELETE FROM audit_checkpoint WHERE id = %s", [newest.pk])
    # The database alone still looks whole: the row that proved its length is gone.
    code, out = run(capsys, "audit_verify")
    assert code == 0
    code, out = run(capsys, "audit_verify", "--against", str(two_checkpoints))
    assert code == 1
    assert out == (
        f"BROKEN: checkpoint #{newest.seq} of {two_checkpoints} line 2 "
        f"({chain.timestamp(newest.signed_at)}) is missing from the database: the "
        f"checkpoint signed then for #{newest.seq} was deleted or replaced"
    )


def test_deleting_the_newest_events_with_their_checkpoint_is_caught_and_named(
    two_checkpoints, rogue, capsys
):
    """A rogue removes the last two events, the checkpoint that covered them, and winds the
    head back, so that the database is consistent with itself."""
    newest = Checkpoint.objects.order_by("-seq").first()
    kept = newest.seq - 2
    rogue.execute("DELETE FROM audit_checkpoint WHERE id = %s", [newest.pk])
    rogue.execute("DELETE FROM audit_auditevent WHERE seq > %s", [kept])
    kept_hash = rogue.event(kept).hash
    rogue.execute("UPDATE audit_chainhead SET seq = %s, hash = %s", [kept, kept_hash])
    assert run(capsys, "audit_verify")[0] == 0
    code, out = run(capsys, "audit_verify", "--against", str(two_checkpoints))
    assert code == 1
    assert out.startswith(
        f"BROKEN: event #{kept + 1}: truncated: the chain ends at #{kept}, but checkpoint "
        f"#{newest.seq} of {two_checkpoints} line 2"
    )
    assert out.endswith(f"(events #{kept + 1}–#{newest.seq} removed)")


def test_history_rewritten_after_an_outside_checkpoint_is_named(
    world, two_checkpoints, rogue, capsys
):
    """The newest events are replaced by others and the chain rehashed from there, the
    checkpoints in the database too: the outside copy still holds the hash that was signed."""
    newest = Checkpoint.objects.order_by("-seq").first()
    rogue.execute("DELETE FROM audit_checkpoint WHERE id = %s", [newest.pk])
    rogue.execute("UPDATE audit_auditevent SET comment = 'khác' WHERE seq = %s", [newest.seq])
    rogue.rehash_from(newest.seq)
    code, out = run(capsys, "audit_verify", "--against", str(two_checkpoints))
    assert code == 1
    assert out.startswith(
        f"BROKEN: event #{newest.seq}: checkpoint #{newest.seq} of {two_checkpoints} line 2"
    )
    assert "history rewritten since the checkpoint" in out


def test_an_outside_checkpoint_with_a_forged_signature_is_refused(two_checkpoints, capsys):
    lines = two_checkpoints.read_text().splitlines()
    forged = json.loads(lines[1])
    forged["hash"] = "0" * 64
    two_checkpoints.write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    code, out = run(capsys, "audit_verify", "--against", str(two_checkpoints))
    assert code == 1
    assert f"line 2 ({forged['signed_at']}): the signature does not match" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", r"cp\.jsonl line 1 is not JSON$"),
        ('{"seq": 1}\n', r"cp\.jsonl line 1 is not a checkpoint \(seq, hash, signed_at, "),
    ],
)
def test_an_unreadable_checkpoint_file_is_one_plain_line(
    history, audit_keys, tmp_path, content, message
):
    path = tmp_path / "cp.jsonl"
    path.write_text(content)
    with pytest.raises(CommandError, match=rf"^cannot verify: .*{message}"):
        call_command("audit_verify", "--against", str(path))


def test_a_missing_checkpoint_file_is_one_plain_line(history, audit_keys, tmp_path):
    with pytest.raises(CommandError, match=r"cannot verify: the checkpoint file .* does not exist"):
        call_command("audit_verify", "--against", str(tmp_path / "none.jsonl"))


def test_a_copy_that_cannot_be_written_is_one_plain_line_and_the_checkpoint_kept(
    transactional_db, history, audit_keys, tmp_path
):
    """Run as cron runs it (committed, outside any transaction): the checkpoint is in the
    database, and the operator is told the outside copy failed."""
    (tmp_path / "not-a-folder").write_text("")
    target = tmp_path / "not-a-folder" / "cp.jsonl"
    with pytest.raises(
        CommandError,
        match=rf"^cannot checkpoint: checkpoint #\d+ is stored, but it could not "
        rf"be appended to {target}: ",
    ):
        call_command("audit_checkpoint", "--also-to", str(target))
    assert Checkpoint.objects.count() == 1
