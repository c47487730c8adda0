"""The import page (upload, preview, confirm) and the export, over HTTP, for each role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.events import Event
from audit.models import AuditEvent
from exchange.models import ImportedBundle
from nominations.models import Nomination

from ..factories import person
from .conftest import rezip

OTHERS = ["proposer", "unit_head", "party_reviewer", "leader", "member", "inspector", "admin"]


def _upload(client, world, data, name="bundle.zip"):
    return client.post(
        "/exchange/import/",
        {"campaign": world.campaign.pk, "file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_may_not_import_bundles(client, world, who, bundle_bytes, partner):
    client.force_login(getattr(world, who))
    assert client.get("/exchange/import/").status_code == 403
    assert _upload(client, world, bundle_bytes).status_code == 403
    assert client.post("/exchange/import/confirm/", {"token": "x"}).status_code == 403
    assert not AuditEvent.objects.filter(action=Event.BUNDLE_REFUSED).exists()


def test_the_import_page_asks_for_the_file_and_the_campaign(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.secretary)
    with django_assert_max_num_queries(20):
        page = client.get("/exchange/import/")
    assert page.status_code == 200
    assert world.campaign.name_vi in page.content.decode()


def test_the_preview_shows_the_nominees_and_writes_nothing_then_confirm_imports(
    client, world, bundle_bytes, partner
):
    client.force_login(world.secretary)
    count = Nomination.objects.count()
    preview = _upload(client, world, bundle_bytes)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Lan Nguyễn Thị" in text and "Quân Lê Minh" in text
    assert "001/2026/TTr-AGENCY" in text
    assert partner.fingerprint in text
    assert Nomination.objects.count() == count
    confirmed = client.post("/exchange/import/confirm/", {"token": preview.context["token"]})
    assert confirmed.status_code == 302
    assert Nomination.objects.count() == count + 2
    assert ImportedBundle.objects.get().imported_by == world.secretary


def test_a_tampered_bundle_is_refused_on_the_page_naming_the_file(
    client, world, bundle_bytes, partner
):
    client.force_login(world.secretary)
    forged = rezip(bundle_bytes, replace={"evidence/1-meeting_minutes.pdf": b"%PDF-1.4 x"})
    page = _upload(client, world, forged)
    assert page.status_code == 400
    assert "evidence/1-meeting_minutes.pdf was changed after the sender signed." in (
        page.content.decode()
    )
    assert AuditEvent.objects.filter(action=Event.BUNDLE_REFUSED).count() == 1


def test_a_confirmation_of_someone_elses_preview_is_refused(client, world, bundle_bytes, partner):
    client.force_login(world.secretary)
    token = _upload(client, world, bundle_bytes).context["token"]
    other = person(world.agency, "council_secretary", username="secretary2")
    client.force_login(other)
    answer = client.post("/exchange/import/confirm/", {"token": token})
    assert answer.status_code == 400
    assert not ImportedBundle.objects.exists()


@pytest.mark.parametrize("who", ["secretary", "signer"])
def test_the_secretary_or_the_signer_downloads_the_bundle(
    client, world, who, signed_request, agency_key
):
    client.force_login(getattr(world, who))
    answer = client.post(f"/exchange/requests/{signed_request.pk}/bundle/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert answer.content.startswith(b"PK")
    signed_request.refresh_from_db()
    assert signed_request.bundle_sha256


@pytest.mark.parametrize("who", ["proposer", "leader", "inspector", "member"])
def test_other_roles_may_not_export(client, world, who, signed_request, agency_key):
    client.force_login(getattr(world, who))
    assert client.post(f"/exchange/requests/{signed_request.pk}/bundle/").status_code == 403
    assert not AuditEvent.objects.filter(action=Event.BUNDLE_EXPORTED).exists()


def test_the_exchange_page_lists_the_signed_requests_and_the_imported_bundles(
    client, world, bundle_bytes, partner, django_assert_max_num_queries
):
    client.force_login(world.secretary)
    assert _upload(client, world, bundle_bytes).status_code == 200
    token = _upload(client, world, bundle_bytes).context["token"]
    client.post("/exchange/import/confirm/", {"token": token})
    with django_assert_max_num_queries(20):
        page = client.get("/exchange/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "001/2026/TTr-AGENCY" in text
    assert "Văn phòng (Laurel gửi)" in text
    assert 'href="/exchange/import/"' in text


def test_the_signer_sees_the_requests_to_export_but_not_the_import(client, world, signed_request):
    client.force_login(world.signer)
    text = client.get("/exchange/").content.decode()
    assert f"/exchange/requests/{signed_request.pk}/bundle/" in text
    assert 'href="/exchange/import/"' not in text


@pytest.mark.parametrize("who", ["proposer", "leader", "inspector", "member"])
def test_other_roles_do_not_see_the_exchange_page(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get("/exchange/").status_code == 403
