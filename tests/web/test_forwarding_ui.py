"""Requests to the higher level through the pages: the office prepares one from the nominations
to forward, the head of agency signs it, the office records each nominee's outcome, and the
nomination's page shows the whole path. Other roles are refused with 403."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from approvals import forwarding
from approvals.models import ForwardEntry, ForwardRequest
from audit import signing
from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.models import Nomination
from nominations.stages import Status
from tests.factories import AwardTypeFactory, person


@pytest.fixture
def pm_award(db):
    return AwardTypeFactory(
        name_en="Prime Minister's Certificate of Merit",
        name_vi="Bằng khen của Thủ tướng Chính phủ",
        decided_at_higher_level=True,
        higher_authority_vi="Thủ tướng Chính phủ",
        higher_authority_en="the Prime Minister",
    )


@pytest.fixture
def passed(world, walk, pm_award):
    def _make(count=1):
        made = []
        for _ in range(count):
            draft = dossier.create_draft(
                actor=world.proposer,
                campaign=world.campaign,
                award_type=pm_award,
                proposing_unit=world.unit,
                nominee_person=person(world.unit),
                achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            )
            made.append(walk(draft, "submit", "approve", "approve", "approve", "council_approve"))
        return made

    return _make


def _prepare(world, nominations):
    return forwarding.prepare_request(
        actor=world.secretary,
        agency=world.agency,
        nominations=nominations,
        title="Đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
    )


def test_the_office_forwards_a_request_and_records_the_outcome_through_the_pages(
    client, world, passed
):
    n = passed()[0]
    client.force_login(world.secretary)
    page = client.get(reverse("forward_requests"))
    assert page.status_code == 200
    assert "Nominations to forward" in page.text and n.reference in page.text

    response = client.post(
        reverse("forward_request_new"),
        {"nominations": [n.pk], "title": "Đề nghị tặng Bằng khen", "addressed_to": ""},
    )
    request = ForwardRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("forward_request", args=[request.pk])
    assert request.addressed_to == "Thủ tướng Chính phủ"
    letter = client.get(reverse("forward_request_letter", args=[request.pk]))
    assert letter.status_code == 200 and letter["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )

    client.force_login(world.signer)
    detail = client.get(reverse("forward_request", args=[request.pk]))
    assert "Sign and forward" in detail.text
    assert client.post(reverse("forward_request_sign", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.reference and Nomination.objects.get(pk=n.pk).status == Status.FORWARDED

    client.force_login(world.secretary)
    entry = request.entries.get()
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("forward_entry_outcome", args=[request.pk, entry.pk]),
        {
            "outcome": "conferred",
            "decision_number": "1234/QĐ-TTg",
            "decided_on": day.isoformat(),
            "document": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    assert Nomination.objects.get(pk=n.pk).status == Status.AWARDED
    detail = client.get(reverse("forward_request", args=[request.pk]))
    assert "1234/QĐ-TTg" in detail.text and 'data-outcome="conferred"' in detail.text
    assert (
        client.get(reverse("forward_entry_document", args=[request.pk, entry.pk])).status_code
        == 200
    )

    # The nomination's page shows the path: the request and the higher level's decision.
    page = client.get(reverse("nomination_detail", args=[n.pk]))
    assert request.reference in page.text
    assert "By the higher level's decision 1234/QĐ-TTg" in page.text
    assert "Higher level" in page.text  # the route's step


def test_an_outcome_without_its_reasons_is_refused_and_writes_nothing(client, world, passed):
    request = forwarding.sign_request(_prepare(world, passed()), actor=world.signer)
    entry = request.entries.get()
    client.force_login(world.secretary)

    response = client.post(
        reverse("forward_entry_outcome", args=[request.pk, entry.pk]),
        {"outcome": "not_conferred", "reasons": ""},
    )

    assert response.status_code == 400
    assert "Write the higher level&#x27;s reasons." in response.text
    assert ForwardEntry.objects.get(pk=entry.pk).outcome == ForwardEntry.Outcome.PENDING
    assert not AuditEvent.objects.filter(action=Event.HIGHER_NOT_CONFERRED).exists()


@pytest.mark.parametrize("who", ["proposer", "staff", "admin", "unit_head", "party_reviewer"])
def test_the_requests_pages_are_refused_to_other_roles(client, world, passed, who):
    request = _prepare(world, passed())
    client.force_login(getattr(world, who))
    for url in (
        reverse("forward_requests"),
        reverse("forward_request", args=[request.pk]),
        reverse("forward_request_letter", args=[request.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("forward_request_sign", args=[request.pk]))
    assert response.status_code == 403
    assert ForwardRequest.objects.get(pk=request.pk).status == ForwardRequest.Status.DRAFT


def test_the_office_cannot_sign_and_the_signer_cannot_record_outcomes(client, world, passed):
    request = _prepare(world, passed())
    client.force_login(world.secretary)
    assert client.post(reverse("forward_request_sign", args=[request.pk])).status_code == 403
    assert ForwardRequest.objects.get(pk=request.pk).number is None

    forwarding.sign_request(request, actor=world.signer)
    entry = request.entries.get()
    client.force_login(world.signer)
    response = client.post(
        reverse("forward_entry_outcome", args=[request.pk, entry.pk]),
        {"outcome": "not_conferred", "reasons": "Không"},
    )
    assert response.status_code == 403
    assert ForwardEntry.objects.get(pk=entry.pk).outcome == ForwardEntry.Outcome.PENDING


def test_a_council_member_reads_requests_but_prepares_none(client, world, passed):
    n = passed()[0]
    request = _prepare(world, [*passed()])
    client.force_login(world.member)
    page = client.get(reverse("forward_requests"))
    assert page.status_code == 200 and "Prepare a request" not in page.text
    assert client.get(reverse("forward_request", args=[request.pk])).status_code == 200
    response = client.post(
        reverse("forward_request_new"), {"nominations": [n.pk], "title": "Tờ trình"}
    )
    assert response.status_code == 403
    assert ForwardRequest.objects.count() == 1


def test_the_decisions_page_lists_higher_level_awards_to_forward_not_to_sign(client, world, passed):
    n = passed()[0]
    client.force_login(world.signer)
    page = client.get(reverse("decisions"))
    assert 'data-testid="to-forward"' in page.text
    assert "Decided by the Prime Minister: forwarded in a request." in page.text
    assert f'value="{n.pk}"' not in page.text  # not offered to the decision's form


def test_the_requests_list_costs_the_same_queries_however_many_requests(
    client, world, passed, django_assert_max_num_queries
):
    _prepare(world, passed())
    passed()  # one to forward
    client.force_login(world.secretary)
    url = reverse("forward_requests")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):
        forwarding.sign_request(_prepare(world, passed(2)), actor=world.signer)
    passed(3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_signed_requests_page_offers_its_exchange_bundle_to_the_office_and_the_signer(
    client, world, passed, settings, tmp_path
):
    settings.LAUREL_AUDIT_SIGNING_KEY = tmp_path / "signing.pem"
    settings.LAUREL_AUDIT_PUBLIC_KEY = tmp_path / "public.pem"
    signing.generate_key_pair(settings.LAUREL_AUDIT_SIGNING_KEY, settings.LAUREL_AUDIT_PUBLIC_KEY)
    request = _prepare(world, passed())
    page = reverse("forward_request", args=[request.pk])
    client.force_login(world.secretary)
    assert "Download the exchange bundle" not in client.get(page).text  # not while a draft

    forwarding.sign_request(request, actor=world.signer)
    client.force_login(world.member)
    assert "Download the exchange bundle" not in client.get(page).text
    for who in (world.secretary, world.signer):
        client.force_login(who)
        assert "Download the exchange bundle" in client.get(page).text
    response = client.post(reverse("exchange_export", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    request.refresh_from_db()
    assert request.bundle_sha256 and request.bundle_sha256 in client.get(page).text


def test_the_request_letter_reads_as_pdf_with_its_nominees_and_number_once_signed(
    client, world, passed
):
    nominations = passed(2)
    request = _prepare(world, nominations)
    url = reverse("forward_request_letter_pdf", args=[request.pk])
    client.force_login(world.proposer)
    assert client.get(url).status_code == 403

    client.force_login(world.secretary)
    assert url in client.get(reverse("forward_request", args=[request.pk])).text
    draft = _pdf_text(client.get(url))
    assert "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ" in draft
    assert "Thủ tướng Chính phủ" in draft and "(bản dự thảo, chưa ký)" in draft
    assert all(n.reference in draft for n in nominations)

    forwarding.sign_request(request, actor=world.signer)
    request.refresh_from_db()
    signed = _pdf_text(client.get(url))
    assert request.reference in signed and "chưa ký" not in signed


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)
