"""Hostile input: uploads, scripts, forged requests, guessed ids, password guessing."""

import io
import os
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.models import Evidence, Nomination
from workflows.models import NominationTask

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, nomination, name, content, content_type="application/pdf"):
    return client.post(
        reverse("evidence_add", args=[nomination.pk]),
        {"kind": "achievement_report", "file": SimpleUploadedFile(name, content, content_type)},
    )


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("scan.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("minutes.docx", b"PK\x03\x04 not really a zip"),
        ("tool.pdf", b"MZ\x90\x00\x03 a windows executable"),
        ("archive.pdf", b"PK\x03\x04"),
    ],
    ids=["html-renamed-pdf", "svg-with-script", "broken-zip", "executable", "truncated-zip"],
)
def test_a_file_that_is_not_a_document_is_refused_whatever_its_name(
    client, world, draft, name, content
):
    client.force_login(world.proposer)
    response = upload(client, draft, name, content)
    assert response.status_code == 400
    assert "cannot be attached" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action=Event.EVIDENCE_ADDED).exists()


def test_real_documents_are_accepted_by_their_content(client, world, draft):
    client.force_login(world.proposer)
    assert upload(client, draft, "bao-cao", PDF).status_code == 302  # no extension at all
    assert upload(client, draft, "bien-ban.docx", docx()).status_code == 302
    kinds = sorted(Evidence.objects.values_list("content_type", flat=True))
    assert kinds == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]


def test_an_oversized_file_is_refused(client, world, draft, settings):
    settings.LAUREL_MAX_UPLOAD_BYTES = 1024
    client.force_login(world.proposer)
    response = upload(client, draft, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_path_traversal_name_is_stored_under_a_safe_name(client, world, draft):
    client.force_login(world.proposer)
    assert upload(client, draft, "../../../etc/passwd.pdf", PDF).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "passwd.pdf"
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "evidence")
    assert ".." not in evidence.file.name and "passwd" not in evidence.file.name


def test_a_download_is_an_attachment_that_browsers_will_not_render(client, world, draft):
    client.force_login(world.proposer)
    upload(client, draft, "r.pdf", PDF)
    evidence = Evidence.objects.get()
    response = client.get(reverse("evidence_download", args=[draft.pk, evidence.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()  # the file stays open until the response is closed


def test_evidence_is_never_reachable_from_a_public_url(client, world, draft):
    evidence = dossier.add_evidence(
        draft,
        actor=world.proposer,
        kind="achievement_report",
        upload=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(world.proposer)
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + evidence.file.name).status_code == 404


def test_script_in_a_dossier_is_shown_as_text(client, world, draft):
    dossier.update_dossier(
        draft,
        actor=world.proposer,
        changes={"achievements": '<img src=x onerror="alert(1)">'},
    )
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_detail", args=[draft.pk])).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_a_state_change_without_a_csrf_token_is_refused(world, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "submit"]), {"version": draft.version}
    )
    assert response.status_code == 403
    assert Nomination.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.parametrize("name", ["nomination_act", "evidence_remove", "task_take"])
def test_no_state_changes_on_get(client, world, walk, draft, name):
    n = walk(draft, "submit")
    task = NominationTask.objects.get(nomination=n, status="NEW")
    args = {
        "nomination_act": [n.pk, "withdraw"],
        "evidence_remove": [n.pk, 1],
        "task_take": [task.pk],
    }[name]
    client.force_login(world.unit_head if name == "task_take" else world.proposer)
    events = AuditEvent.objects.count()
    assert client.get(reverse(name, args=args)).status_code == 405
    assert AuditEvent.objects.count() == events
    assert Nomination.objects.get(pk=n.pk).status == "unit_review"


def test_guessing_ids_of_another_units_nomination_shows_nothing(client, world, walk, draft):
    evidence = dossier.add_evidence(
        draft,
        actor=world.proposer,
        kind="achievement_report",
        upload=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
    ).nomination.evidence.get()
    n = walk(Nomination.objects.get(pk=draft.pk), "submit")
    task = NominationTask.objects.get(nomination=n, status="NEW")
    client.force_login(world.other_proposer)
    gets = [
        reverse("nomination_detail", args=[n.pk]),
        reverse("nomination_edit", args=[n.pk]),
        reverse("evidence_download", args=[n.pk, evidence.pk]),
    ]
    posts = [
        reverse("nomination_act", args=[n.pk, "withdraw"]),
        reverse("evidence_add", args=[n.pk]),
        reverse("evidence_remove", args=[n.pk, evidence.pk]),
        reverse("task_take", args=[task.pk]),
        reverse("task_release", args=[task.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"version": n.version}).status_code == 404, url
    listing = client.get(reverse("nomination_list")).content.decode()
    assert n.reference not in listing


def test_repeated_failed_logins_lock_the_account_out(client, world):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "proposer", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(url, {"username": "proposer", "password": "pw"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_pages_carry_security_headers(client, world):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_deploy_check_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.org",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "example.org"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
