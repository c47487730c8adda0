"""The achievement report (báo cáo thành tích) as PDF and DOCX, drawn from the dossier: for
whoever may see the nomination (it is not public), in Vietnamese, with the nominee, the
achievements and the awards already on the nominee's record."""

import io
import unicodedata

import pypdf
from django.urls import reverse
from django.utils import timezone

from approvals.models import DocumentTemplate
from nominations import services as dossier
from nominations.models import ConferredAward, RecordSource
from tests.approvals.test_drafting import DOCX, _template, assert_filled, text_of
from tests.factories import person


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _nomination(world, award_type=None):
    nominee = person(world.unit, first_name="Trần Văn", last_name="Đức")
    nominee.profile.position = "Chuyên viên chính"
    nominee.profile.save()
    ConferredAward.objects.create(
        award_type=world.short,
        year=2023,
        person=nominee,
        decision_number="45/QĐ-VP",
        conferred_on=timezone.localdate().replace(year=2023),
        source=RecordSource.IMPORTED,
    )
    return dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=award_type or world.full,
        proposing_unit=world.unit,
        nominee_person=nominee,
        achievements="Chủ trì xây dựng phần mềm quản lý hồ sơ khen thưởng của đơn vị.",
        contributions="Hướng dẫn nghiệp vụ cho 12 đồng nghiệp mới.",
        initiatives="Sáng kiến số hóa biên bản họp Hội đồng.",
    )


def test_the_proposer_downloads_the_report_from_the_dossier(client, world):
    nomination = _nomination(world)
    client.force_login(world.proposer)
    detail = client.get(reverse("nomination_detail", args=[nomination.pk])).content.decode()
    url = reverse("achievement_report_pdf", args=[nomination.pk])
    assert url in detail

    text = _text(client.get(url))

    for words in (
        "Trần Văn Đức",
        "Chuyên viên chính",
        "Chủ trì xây dựng phần mềm quản lý hồ sơ khen thưởng của đơn vị.",
        "Hướng dẫn nghiệp vụ cho 12 đồng nghiệp mới.",
        "Sáng kiến số hóa biên bản họp Hội đồng.",
        world.full.name_vi,
        "45/QĐ-VP",  # an award already on the record (imported: the proposer reads the record)
    ):
        assert words in text


def test_the_report_is_not_public(client, world):
    nomination = _nomination(world)
    url = reverse("achievement_report_pdf", args=[nomination.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(world.other_proposer)  # another unit's: may not see the nomination
    assert client.get(url).status_code == 404


def test_a_reader_who_may_not_read_the_record_sees_only_published_awards(client, world, walk):
    nomination = walk(_nomination(world, world.short), "submit", "approve", "approve")
    ConferredAward.objects.create(  # as a signed decision of Laurel's leaves it: published
        award_type=world.full,
        year=2024,
        person=nomination.nominee_person,
        decision_id=7,
        decision_number="007/2024/QĐ-AGENCY",
        conferred_on=timezone.localdate().replace(year=2024),
    )
    client.force_login(world.signer)  # sees it awaiting the decision, not the nominee's record
    text = _text(client.get(reverse("achievement_report_pdf", args=[nomination.pk])))
    assert "Trần Văn Đức" in text
    assert "007/2024/QĐ-AGENCY" in text
    assert "45/QĐ-VP" not in text


# --- the same report as DOCX, from the template of the decree's form --------------------------


def _docx_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    text = text_of(response.content)
    assert_filled(text)
    return text


def test_the_report_as_docx_for_an_individual(client, world):
    nomination = _nomination(world)
    client.force_login(world.proposer)
    detail = client.get(reverse("nomination_detail", args=[nomination.pk])).content.decode()
    url = reverse("achievement_report_docx", args=[nomination.pk])
    assert url in detail  # beside the PDF

    text = _docx_text(client.get(url))

    for words in (
        "BÁO CÁO THÀNH TÍCH",
        "I. SƠ LƯỢC LÝ LỊCH",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
        "Theo mẫu tại Phụ lục của Nghị định 152/2025/NĐ-CP",
        "Trần Văn Đức",
        "Chuyên viên chính",
        "Chủ trì xây dựng phần mềm quản lý hồ sơ khen thưởng của đơn vị.",
        "Hướng dẫn nghiệp vụ cho 12 đồng nghiệp mới.",
        "Sáng kiến số hóa biên bản họp Hội đồng.",
        world.full.name_vi.upper(),
        "45/QĐ-VP",
    ):
        assert words in text


def test_the_report_as_docx_for_a_collective(client, world):
    world.unit.name_vi = "Phòng Kế hoạch – Tài chính"
    world.unit.save()
    nomination = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.collective,
        proposing_unit=world.unit,
        nominee_unit=world.unit,
        achievements="Tập thể hoàn thành xuất sắc nhiệm vụ;\nkhông có cá nhân vi phạm kỷ luật.",
    )
    client.force_login(world.proposer)

    text = _docx_text(client.get(reverse("achievement_report_docx", args=[nomination.pk])))

    assert "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ CẤP TRÊN TRỰC TIẾP" in text
    assert "Tên tập thể: Phòng Kế hoạch – Tài chính" in text
    assert "Tập thể hoàn thành xuất sắc nhiệm vụ;" in text
    assert "không có cá nhân vi phạm kỷ luật." in text
    assert "SƠ LƯỢC LÝ LỊCH" not in text


def test_the_docx_report_is_not_public(client, plain_client, world):
    nomination = _nomination(world)
    url = reverse("achievement_report_docx", args=[nomination.pk])
    assert plain_client.get(url).status_code == 302
    client.force_login(world.other_proposer)
    assert client.get(url).status_code == 404


def test_an_award_types_own_template_is_used_for_its_reports(client, world):
    nomination = _nomination(world)
    DocumentTemplate.objects.create(
        kind="report_person",
        award_type=world.full,
        file=_template("Mẫu riêng cho {{ award }}: {{ nominee.name }}"),
        active_from="2020-01-01",
    )
    DocumentTemplate.objects.create(  # for every award type: the specific one comes first
        kind="report_person",
        file=_template("Mẫu chung: {{ nominee.name }}"),
        active_from="2020-01-01",
    )
    client.force_login(world.proposer)
    text = _docx_text(client.get(reverse("achievement_report_docx", args=[nomination.pk])))
    assert text.strip() == f"Mẫu riêng cho {world.full.name_vi}: Trần Văn Đức"
