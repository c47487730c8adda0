"""Export bundles verified offline: intact bundles pass; every alteration, including forged
proofs for events not shown in full, is named."""

import copy
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from audit import chain, signing
from audit import services as audit
from audit.events import Event
from audit.integrity import export_bundle
from audit.models import AuditEvent, Checkpoint
from audit.offline_verify import Tampered, verify_bundle
from nominations import services as dossier

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_nominations(world, history, walk):
    """Events of two nominations interleaved, so a filtered export has gaps to prove across."""
    other = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.short,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        achievements="Khác.",
    )
    walk(other, "submit")
    with transaction.atomic():
        audit.record(
            Event.APPROVED,
            actor=world.leader,
            subject_type="nomination",
            subject_id=history.pk,
            **history.audit_context(),
        )
    return history, other


@pytest.fixture
def bundle(two_nominations, audit_keys):
    nomination, _other = two_nominations
    return export_bundle(nomination_id=nomination.pk)


def verify(bundle, key=None):
    return verify_bundle(json.loads(json.dumps(bundle)), key)


def test_a_bundle_of_one_nomination_verifies(bundle, two_nominations):
    nomination, _ = two_nominations
    shown = [e for e in bundle["chain"] if "event" in e]
    assert [e["seq"] for e in shown] == list(
        AuditEvent.objects.filter(nomination_id=nomination.pk).values_list("seq", flat=True)
    )
    assert any("body_digest" in e for e in bundle["chain"])  # the other nomination, hidden
    line = verify(bundle)
    assert line.startswith(f"OK: {len(shown)} events verified in full")


def test_hidden_events_show_nothing_of_their_content(bundle):
    for entry in bundle["chain"]:
        if "event" not in entry:
            assert set(entry) == {"seq", "prev_hash", "body_digest"}


def test_export_takes_a_checkpoint_when_none_covers_the_selection(two_nominations, audit_keys):
    assert not Checkpoint.objects.exists()
    bundle = export_bundle(nomination_id=two_nominations[1].pk)
    assert Checkpoint.objects.count() == 1
    assert bundle["checkpoints"][0]["seq"] == bundle["chain"][-1]["seq"]


def _shown(bundle, n=0):
    return [e for e in bundle["chain"] if "event" in e][n]


def _hidden(bundle):
    return next(e for e in bundle["chain"] if "event" not in e)


def tampered(bundle, change):
    forged = copy.deepcopy(bundle)
    change(forged)
    with pytest.raises(Tampered) as caught:
        verify(forged)
    return str(caught.value)


def test_an_edited_event_in_a_bundle_is_named(bundle):
    first = _shown(bundle, 1)
    message = tampered(bundle, lambda b: _shown(b, 1)["event"].update(comment="Không"))
    assert message.startswith(f"event #{first['seq']}: edited")


def test_an_edited_event_with_its_hash_recomputed_does_not_reach_the_checkpoint(bundle):
    def forge(b):
        entry = _shown(b, 1)
        entry["event"]["actor_label"] = "Ghost"
        body = [entry["event"][f] for f in chain.BODY_FIELDS]
        entry["hash"] = chain.event_hash(entry["seq"], entry["prev_hash"], body)

    message = tampered(bundle, forge)
    assert "does not follow" in message


def test_a_forged_proof_for_a_hidden_event_is_refused(bundle):
    message = tampered(bundle, lambda b: _hidden(b).update(body_digest="a" * 64))
    assert "does not follow" in message or "does not reach" in message


def test_a_forged_proof_that_rewires_the_links_is_refused(bundle):
    """The forger replaces the whole stretch before the checkpoint with links of their own
    making: the last link would have to hash to the signed value, which it cannot."""

    def forge(b):
        prev = b["chain"][0]["prev_hash"]
        for entry in b["chain"]:
            entry["prev_hash"] = prev
            if "event" in entry:
                entry["event"]["comment"] = "forged"
                body = [entry["event"][f] for f in chain.BODY_FIELDS]
                entry["hash"] = prev = chain.event_hash(entry["seq"], prev, body)
            else:
                prev = chain.link_hash(entry["seq"], prev, entry["body_digest"])

    assert "does not reach the hash signed by checkpoint" in tampered(bundle, forge)


def test_a_removed_event_in_a_bundle_is_named(bundle):
    seq = bundle["chain"][2]["seq"]
    message = tampered(bundle, lambda b: b["chain"].pop(2))
    assert message.startswith(f"event #{seq + 1}: the chain jumps from #{seq - 1}")


def test_a_bundle_cut_short_of_its_checkpoint_is_refused(bundle):
    message = tampered(bundle, lambda b: b["chain"].pop())
    assert "which no checkpoint signs" in message


def test_a_forged_checkpoint_signature_is_refused(bundle):
    def forge(b):
        b["checkpoints"][0]["hash"] = "b" * 64

    assert "signature does not match; forged" in tampered(bundle, forge)


def test_a_bundle_re_signed_with_another_key_fails_against_the_trusted_key(
    bundle, audit_keys, tmp_path
):
    trusted = signing.load_public_key(audit_keys.LAUREL_AUDIT_PUBLIC_KEY)
    forger = signing.generate_key_pair(tmp_path / "f.pem", tmp_path / "f.pub")
    forger_private = signing.load_private_key(tmp_path / "f.pem")
    forged = copy.deepcopy(bundle)
    forged["public_key"] = signing.public_pem(forger)
    for cp in forged["checkpoints"]:
        cp["key_id"] = signing.key_id(forger)
        cp["signature"] = signing.sign_checkpoint(
            forger_private, cp["seq"], cp["hash"], cp["signed_at"]
        )
    assert verify(forged).startswith("OK")  # self-consistent: hence --public-key
    with pytest.raises(Tampered, match=r"is not the trusted key .* \(key swapped\)"):
        verify(forged, trusted)


def _offline(*args):
    code = (
        "import sys, runpy; sys.argv = ['offline_verify', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('audit.offline_verify', run_name='__main__')\n"
        "finally:\n    assert not [m for m in sys.modules if m.startswith(('django', "
        "'nominations', 'workflows', 'approvals', 'config', 'audit.models'))], 'imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    return done.returncode, done.stdout.strip(), done.stderr


def test_the_offline_verifier_runs_without_django_on_an_exported_bundle(
    two_nominations, audit_keys, tmp_path
):
    path = tmp_path / "bundle.json"
    call_command("audit_export", "--nomination", two_nominations[0].pk, "-o", str(path))
    code, out, err = _offline(path, "--public-key", audit_keys.LAUREL_AUDIT_PUBLIC_KEY)
    assert (code, err) == (0, "")
    assert out.startswith("OK: ")

    bundle = json.loads(path.read_text())
    _shown(bundle, 0)["event"]["to_state"] = "awarded"
    path.write_text(json.dumps(bundle))
    code, out, _ = _offline(path)
    assert code == 1
    assert out.startswith(f"TAMPERED: event #{_shown(bundle, 0)['seq']}: edited")


def test_the_offline_verifier_says_plainly_when_it_cannot_read(tmp_path):
    code, out, _ = _offline(tmp_path / "missing.json")
    assert (code, out) == (
        2,
        f"ERROR: cannot read bundle {tmp_path / 'missing.json'}: No such file or directory",
    )
    (tmp_path / "junk.json").write_text("{not json")
    code, out, _ = _offline(tmp_path / "junk.json")
    assert code == 2 and out.startswith("ERROR: bundle") and "\n" not in out


def test_bundles_filter_by_campaign_and_dates(two_nominations, audit_keys, world):
    today = timezone.localdate(AuditEvent.objects.latest("seq").occurred_at)
    whole = export_bundle(campaign_id=world.campaign.pk, since=today, until=today)
    assert all("event" in e for e in whole["chain"])  # every event of the campaign, in full
    assert verify(whole).startswith(f"OK: {len(whole['chain'])} events verified in full")
    before = export_bundle(until=datetime.date(2000, 1, 1))
    assert before["chain"] == [] and verify(before) == "OK: the bundle holds no events"


def test_audit_export_refuses_a_bad_date_in_one_line(db, audit_keys):
    with pytest.raises(CommandError, match="not a date"):
        call_command("audit_export", "--since", "25/11/2026")
