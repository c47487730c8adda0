"""The integrity commands as cron and an operator run them: exit codes and one-line answers."""

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent, ChainHead, Checkpoint, VerificationRun


def run(capsys, *args):
    """(exit code, stdout) of a management command."""
    try:
        call_command(*args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out.strip()


def test_audit_verify_on_an_intact_chain_exits_0_with_the_count_and_head(capsys, history):
    head = ChainHead.objects.get(pk=1)
    code, out = run(capsys, "audit_verify")
    assert code == 0
    assert (
        out
        == f"OK: {head.seq} events verified, head #{head.seq} {head.hash}, 0 checkpoints verified"
    )
    assert VerificationRun.objects.get().ok


def test_audit_verify_on_an_edited_chain_exits_1_naming_the_event(capsys, history, rogue):
    rogue.execute("UPDATE audit_auditevent SET actor_label = 'Người khác' WHERE seq = 6")
    code, out = run(capsys, "audit_verify")
    assert code == 1
    assert out.startswith("BROKEN: event #6: edited")
    assert "\n" not in out
    assert VerificationRun.objects.get().broken_seq == 6


def test_audit_checkpoint_signs_the_head_and_verify_checks_it(capsys, history, audit_keys):
    code, out = run(capsys, "audit_checkpoint")
    cp = Checkpoint.objects.get()
    assert code == 0 and out.startswith(f"checkpoint #{cp.seq} {cp.hash}")
    assert cp.seq == ChainHead.objects.get(pk=1).seq
    code, out = run(capsys, "audit_verify")
    assert code == 0 and out.endswith("1 checkpoints verified")


def test_the_private_key_never_enters_the_database(history, audit_keys):
    call_command("audit_checkpoint")
    pem = audit_keys.LAUREL_AUDIT_SIGNING_KEY.read_text()
    secret_line = pem.splitlines()[1]
    assert not any(secret_line in str(v) for v in Checkpoint.objects.values_list())


def test_a_missing_key_file_is_one_plain_line(history, settings, tmp_path):
    settings.LAUREL_AUDIT_SIGNING_KEY = tmp_path / "nowhere.pem"
    with pytest.raises(CommandError, match=r"cannot checkpoint: the private key file .* does not"):
        call_command("audit_checkpoint")


def test_verify_refuses_to_pass_checkpoints_it_cannot_check(history, audit_keys, tmp_path):
    call_command("audit_checkpoint")
    audit_keys.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "lost.pem"
    with pytest.raises(CommandError, match="cannot verify: the public key file"):
        call_command("audit_verify")


def test_keygen_if_missing_makes_a_pair_once_and_keeps_it(settings, tmp_path, capsys):
    settings.LAUREL_AUDIT_SIGNING_KEY = tmp_path / "k" / "s.pem"
    settings.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "k" / "p.pem"
    call_command("audit_keygen", "--if-missing")
    first = settings.LAUREL_AUDIT_PUBLIC_KEY.read_text()
    assert (settings.LAUREL_AUDIT_SIGNING_KEY.stat().st_mode & 0o777) == 0o600
    call_command("audit_keygen", "--if-missing")
    assert settings.LAUREL_AUDIT_PUBLIC_KEY.read_text() == first
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("audit_keygen")


def test_checkpoint_of_an_empty_chain_is_refused(db, audit_keys):
    assert not AuditEvent.objects.exists()
    with pytest.raises(CommandError, match="the audit chain is empty"):
        call_command("audit_checkpoint")
