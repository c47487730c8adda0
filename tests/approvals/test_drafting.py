"""Drafted documents (issue 16): the council's minutes and the draft decision of a closed
session as Word files from templates with merge fields, the edited draft the secretary uploads
before signing (audited, kept by the signed decision), and the administrators' templates,
refused when they use a field Laurel does not fill."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from approvals import drafting, outcomes
from approvals.models import DocumentKind, DocumentTemplate, DraftDocument
from audit.events import Event
from audit.models import AuditEvent
from nominations.models import Nomination
from tests.factories import person

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, as python-docx reads it."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def assert_filled(text: str) -> None:
    for tag in ("{{", "}}", "{%", "%}"):
        assert tag not in text


@pytest.fixture
def closed(world, members, at_council, opened, vote, award):
    """closed(count): a closed session of `count` items, every other one approved (the first
    by Nguyễn Thị Hương, the second rejected, by Phạm Văn Đồng), open ballot, no notice."""

    def _make(count=2):
        rule = award(
            vote_threshold_percent=Decimal("50"), secret_ballot=False, public_notice_days=0
        )
        names = [("Nguyễn Thị", "Hương"), ("Phạm Văn", "Đồng")]
        for i in range(count):
            first, last = names[i] if i < 2 else ("Lê Văn", f"Số {i}")
            at_council(rule, nominee=person(world.unit, first_name=first, last_name=last))
        session = opened()
        for item in session.items.order_by("position"):
            choice = "approve" if item.position % 2 else "disapprove"
            vote(item, {m: choice for m in members})
        outcomes.close_voting(session, actor=world.secretary)
        return session

    return _make


def test_built_in_templates_fill_every_field_of_their_samples():
    for kind in DocumentKind.values:
        text = text_of(drafting.render(drafting.BUILT_IN / f"{kind}.docx", drafting.SAMPLES[kind]))
        assert_filled(text)
        assert "Nguyễn Thị Hương" in text or "Phòng Tổ chức" in text


def test_minutes_as_docx_with_attendance_tallies_and_results(client, world, closed, members):
    session = closed(2)
    client.force_login(world.secretary)
    page = client.get(reverse("council_session", args=[session.pk])).content.decode()
    url = reverse("council_draft", args=[session.pk, "minutes"])
    assert url in page

    response = client.get(url)

    assert response.status_code == 200 and response["Content-Type"] == DOCX
    text = text_of(response.content)
    assert_filled(text)
    for words in (
        "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        world.agency.name_vi.upper(),
        "Nguyễn Thị Hương",
        "Phạm Văn Đồng",
        "Tán thành",
        "Không tán thành",
        f"có mặt: {len(members)}",
        "Hội đồng thống nhất đề nghị 1 trường hợp.",
    ):
        assert words in text


def test_draft_decision_lists_the_approved_awardees_with_the_number_left_blank(
    client, world, closed
):
    session = closed(2)
    client.force_login(world.signer)  # a council reader: the head of agency reads the draft
    response = client.get(reverse("council_draft", args=[session.pk, "draft_decision"]))

    assert response.status_code == 200
    text = text_of(response.content)
    assert_filled(text)
    assert "DỰ THẢO" in text and "QUYẾT ĐỊNH" in text
    assert "Số: ……/" in text  # the number is the signed decision's, not the draft's
    assert "Nguyễn Thị Hương" in text
    assert "Phạm Văn Đồng" not in text  # not approved by the council
    assert "Khen thưởng 1 trường hợp" in text


def test_who_may_download_the_drafts(client, plain_client, world, closed):
    session = closed(2)
    url = reverse("council_draft", args=[session.pk, "minutes"])
    assert plain_client.get(url).status_code == 302  # signed in only
    for reader in (world.secretary, world.member, world.signer, world.inspector):
        client.force_login(reader)
        assert client.get(url).status_code == 200, reader
    for outsider in (world.proposer, world.staff, world.unit_head):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
    client.force_login(world.secretary)
    assert client.get(reverse("council_draft", args=[session.pk, "nonsense"])).status_code == 404


def test_no_draft_before_voting_closes(client, world, at_council, opened):
    at_council()
    session = opened()
    client.force_login(world.secretary)
    assert client.get(reverse("council_draft", args=[session.pk, "minutes"])).status_code == 404


def _edited(text: str) -> SimpleUploadedFile:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("bien-ban-da-sua.docx", out.getvalue(), DOCX)


def test_the_secretary_uploads_an_edited_draft_audited_and_the_signed_decision_keeps_it(
    client, world, closed
):
    session = closed(2)
    client.force_login(world.secretary)
    upload = reverse("council_draft_upload", args=[session.pk, "draft_decision"])

    response = client.post(
        upload, {"draft_decision-file": _edited("Dự thảo đã chỉnh sửa: Điều 1.")}
    )

    assert response.status_code == 302
    draft = DraftDocument.objects.get(session=session)
    assert draft.kind == "draft_decision" and draft.uploaded_by == world.secretary
    event = AuditEvent.objects.get(action=Event.DRAFT_UPLOADED)
    assert event.subject_type == "council_session" and event.subject_id == str(session.pk)
    assert event.data["sha256"] == draft.sha256 and event.data["file"] == "bien-ban-da-sua.docx"
    page = client.get(reverse("council_session", args=[session.pk])).content.decode()
    file_url = reverse("council_draft_file", args=[session.pk, draft.pk])
    assert file_url in page
    client.force_login(world.member)
    downloaded = b"".join(client.get(file_url).streaming_content)
    assert "Dự thảo đã chỉnh sửa: Điều 1." in text_of(downloaded)

    approved = Nomination.objects.filter(agenda_items__session=session, status="council_approved")
    decision = outcomes.sign_decision(
        actor=world.signer,
        agency=world.agency,
        nominations=list(approved),
        title="Quyết định khen thưởng",
    )
    draft.refresh_from_db()
    assert draft.decision == decision  # the final file of the signed decision
    client.force_login(world.signer)
    shown = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert file_url in shown  # the decision lists the final file
    client.force_login(world.staff)  # not a reader of the council: no link to a file it refuses
    assert (
        file_url not in client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    )
    assert client.get(file_url).status_code == 404

    client.force_login(world.secretary)
    refused = client.post(upload, {"draft_decision-file": _edited("Sửa sau khi ký")})
    assert refused.status_code == 409
    assert DraftDocument.objects.filter(session=session).count() == 1


def test_only_the_secretary_uploads_and_only_a_word_file(client, world, closed):
    session = closed(2)
    upload = reverse("council_draft_upload", args=[session.pk, "minutes"])
    for reader in (world.member, world.inspector, world.signer):  # they read, they do not edit
        client.force_login(reader)
        assert client.post(upload, {"minutes-file": _edited("x")}).status_code == 403, reader
    client.force_login(world.secretary)
    bad = SimpleUploadedFile("bien-ban.docx", b"not a word file", DOCX)
    response = client.post(upload, {"minutes-file": bad})
    assert response.status_code == 400
    assert "not a Word document" in response.content.decode()
    assert not DraftDocument.objects.exists()
    assert not AuditEvent.objects.filter(action=Event.DRAFT_UPLOADED).exists()


def _template(body: str) -> SimpleUploadedFile:
    doc = Document()
    doc.add_paragraph(body)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("mau.docx", out.getvalue(), DOCX)


@pytest.fixture
def superuser(world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    return world.admin


def test_the_admin_refuses_a_template_with_an_unknown_field(client, superuser):
    client.force_login(superuser)
    add = reverse("admin:approvals_documenttemplate_add")
    response = client.post(
        add,
        {
            "kind": "minutes",
            "file": _template("Biên bản phiên {{ session_number }}, chủ tọa {{ chủ_tịch_cũ }}"),
            "active_from": "2026-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "merge field Laurel does not fill" in page
    assert "chủ_tịch_cũ" in page and "session_number" in page  # the field, and those known
    assert not DocumentTemplate.objects.exists()

    broken = client.post(
        add,
        {"kind": "minutes", "file": _template("{{ agency "), "active_from": "2026-01-01"},
    )
    assert "not well formed" in broken.content.decode()
    assert not DocumentTemplate.objects.exists()

    escaping = client.post(
        add,
        {
            "kind": "minutes",
            "file": _template("{{ agency.__class__.__mro__[1].__subclasses__() }}"),
            "active_from": "2026-01-01",
        },
    )
    assert "reaches beyond its merge fields" in escaping.content.decode()
    assert not DocumentTemplate.objects.exists()

    accepted = client.post(
        add,
        {
            "kind": "minutes",
            "file": _template("Biên bản của {{ agency }} — phiên số {{ session_number }}"),
            "active_from": "2026-01-01",
        },
    )
    assert accepted.status_code == 302
    assert DocumentTemplate.objects.count() == 1


def test_an_administrators_template_replaces_the_built_in_one(client, world, closed):
    session = closed(2)
    DocumentTemplate.objects.create(
        kind="minutes",
        file=_template("Mẫu riêng của cơ quan: {{ agency }}, {{ items|length }} hồ sơ"),
        active_from="2020-01-01",
    )
    client.force_login(world.secretary)
    text = text_of(client.get(reverse("council_draft", args=[session.pk, "minutes"])).content)
    assert f"Mẫu riêng của cơ quan: {world.agency.name_vi}, 2 hồ sơ" in text


def test_a_template_that_cannot_be_filled_is_refused_in_words(client, world, closed):
    session = closed(2)
    DocumentTemplate.objects.create(  # as if it had slipped past the admin's check
        kind="minutes", file=_template("{{ items[5].nominee }}"), active_from="2020-01-01"
    )
    client.force_login(world.secretary)
    response = client.get(reverse("council_draft", args=[session.pk, "minutes"]))
    assert response.status_code == 409
    assert "an administrator should correct it" in response.content.decode()


@pytest.mark.parametrize("kind", ["minutes", "draft_decision"])
def test_a_long_agenda_costs_no_more_queries(client, world, closed, kind):
    small, large = closed(2), closed(20)
    client.force_login(world.secretary)
    counts = []
    for session in (small, large):
        url = reverse("council_draft", args=[session.pk, kind])
        client.get(url)  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Lê Văn Số 18" in text_of(client.get(url).content)
