"""The faults that can happen inside one request, as the fault run (`make faults`) provokes them
against a live server: the database connection dropped in the middle of an action, and the
evidence storage refusing writes. Either way nothing is half-written, the user is told, and
doing it again once things are back works exactly once."""

import io

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.exceptions import InvalidInput
from nominations.models import Evidence, Nomination, StageDecision
from nominations.stages import Status
from workflows import services
from workflows.models import OPEN, NominationTask


def _trace(pk) -> dict:
    """Everything an inspector could see of the nomination, as stored."""
    return {
        "row": Nomination.objects.values_list("status", "version").get(pk=pk),
        "decisions": list(StageDecision.objects.filter(nomination_id=pk).values_list("id")),
        "events": list(AuditEvent.objects.filter(nomination_id=pk).values_list("id", "action")),
        "tasks": list(
            NominationTask.objects.filter(process__nomination_id=pk)
            .order_by("id")
            .values_list("id", "status", "stage")
        ),
        "evidence": list(Evidence.objects.filter(nomination_id=pk).values_list("id")),
    }


def _chain_verifies() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # exits non-zero (SystemExit) on a broken chain
    return out.getvalue()


# --- the database connection dropped mid-transaction (PostgreSQL) -----------------------------


def _dsn() -> str:
    s = connection.settings_dict
    parts = {"dbname": s["NAME"], "user": s["USER"], "host": s["HOST"], "port": s["PORT"]}
    if s.get("PASSWORD"):
        parts["password"] = s["PASSWORD"]
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


@pytest.mark.postgres
def test_an_approval_whose_connection_is_killed_before_commit_leaves_nothing_and_a_retry_wins_once(
    transactional_db, world, draft, monkeypatch
):
    submitted = services.submit(draft, actor=world.proposer)
    before = _trace(submitted.pk)
    real_took = services.audit.Appending.took
    killed = []

    def kill_then_take(appending, row):
        # The action holds the nomination's row lock and its one statement has written the
        # status, the decision, the tasks and the event; now its connection dies, as when
        # PostgreSQL restarts or the network drops, before the commit.
        pid = connection.connection.info.backend_pid
        with psycopg.connect(_dsn(), autocommit=True) as other:
            killed.append(other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0])
        return real_took(appending, row)

    monkeypatch.setattr(services.audit.Appending, "took", kill_then_take)
    with pytest.raises(OperationalError):
        services.approve(submitted, actor=world.unit_head)
    assert killed == [True]
    monkeypatch.setattr(services.audit.Appending, "took", real_took)
    connection.close()  # what Django does at the end of the failed request

    assert _trace(submitted.pk) == before  # nothing half-written

    # The user tries again, on the page as it was: it works, once.
    services.approve(submitted, actor=world.unit_head)
    after = Nomination.objects.get(pk=submitted.pk)
    assert after.status == Status.PARTY_COMMITTEE_REVIEW
    assert after.version == before["row"][1] + 1
    decisions = StageDecision.objects.filter(nomination_id=submitted.pk)
    assert decisions.filter(outcome=StageDecision.Outcome.APPROVED).count() == 1
    approvals = AuditEvent.objects.filter(nomination_id=submitted.pk, action=Event.APPROVED)
    assert approvals.count() == 1
    open_tasks = NominationTask.objects.filter(nomination_id=submitted.pk, status__in=OPEN)
    assert list(open_tasks.values_list("stage", flat=True)) == [Status.PARTY_COMMITTEE_REVIEW]
    assert _chain_verifies().startswith("OK")


# --- the evidence storage refusing writes (SQLite and PostgreSQL) -----------------------------


@pytest.fixture
def refusing_storage(settings, tmp_path):
    """The evidence directory cannot be written: its place is taken by a file (a read-only or
    full disk gives the storage the same OSError; a read-only directory would not stop root)."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker / "media"
    return settings


def pdf(content=b"%PDF-1.4 fault run"):
    return SimpleUploadedFile("báo cáo.pdf", content, content_type="application/pdf")


def test_the_service_refuses_an_upload_the_storage_cannot_write_and_records_nothing(
    world, draft, refusing_storage
):
    before = _trace(draft.pk)

    with pytest.raises(InvalidInput, match="could not be stored"):
        dossier.add_evidence(draft, actor=world.proposer, kind="other", upload=pdf())

    assert _trace(draft.pk) == before
    assert not AuditEvent.objects.filter(action=Event.EVIDENCE_ADDED).exists()


def test_the_upload_form_tells_the_proposer_the_storage_refused_and_a_retry_attaches_once(
    client, world, draft, refusing_storage, tmp_path
):
    client.force_login(world.proposer)
    url = reverse("evidence_add", args=[draft.pk])
    before = _trace(draft.pk)

    response = client.post(url, {"kind": "other", "file": pdf()})

    assert response.status_code == 400
    assert "could not be stored" in response.content.decode()
    assert _trace(draft.pk) == before

    refused = client.post(
        url, {"kind": "other", "file": pdf()}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert refused.status_code == 400
    assert refused.json()["ok"] is False
    assert "could not be stored" in refused.json()["errors"][0]
    assert _trace(draft.pk) == before

    # The storage is back: the same upload attaches the document, once.
    refusing_storage.MEDIA_ROOT = tmp_path / "media-back"
    response = client.post(url, {"kind": "other", "file": pdf()})
    assert response.status_code == 302
    assert Evidence.objects.filter(nomination_id=draft.pk).count() == 1
    assert (
        AuditEvent.objects.filter(nomination_id=draft.pk, action=Event.EVIDENCE_ADDED).count() == 1
    )
    assert _chain_verifies().startswith("OK")
