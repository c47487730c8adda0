"""The signed decision and each certificate as PDF: public once signed, set in Vietnamese with
its diacritics (checked in the text extracted from the PDF), carrying the decision's number, the
verification code and the address that verifies it."""

import io
import unicodedata
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from fontTools.ttLib import TTFont

from approvals import outcomes, verification
from honours_public import documents

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


def _pdf_text(response, pages: int = 1) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == pages
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.fixture
def decision(world, awarded):
    world.agency.name_vi = "Sở Giáo dục và Đào tạo"
    world.agency.save()
    world.short.legal_basis_vi = "Nghị định 152/2025/NĐ-CP, Điều 26"
    world.short.save()
    return awarded(
        count=2,
        title="Quyết định tặng danh hiệu Lao động tiên tiến năm học",
        first_name="Nguyễn Thị",
        last_name="Hương",
    )


def test_the_decision_pdf_is_public_and_reads_in_vietnamese(client, decision):
    code = verification.code_of(decision)
    text = _pdf_text(client.get(reverse("honour_decision_pdf", args=[code])))  # no login
    for words in (
        "Quyết định tặng danh hiệu Lao động tiên tiến năm học",  # the title, as signed
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",  # the agency, set in capitals
        "Nghị định 152/2025/NĐ-CP, Điều 26",  # the legal basis
        "Nguyễn Thị Hương",  # the awardees
        decision.reference,
        verification.grouped(code),
        "/honours/verify/" + code,
    ):
        assert words in text
    assert text.count("Nguyễn Thị Hương") == 2


def test_each_certificate_pdf_names_its_holder_award_decision_and_code(client, world, decision):
    code = verification.code_of(decision)
    first, second = [e.nomination for e in decision.entries.order_by("id")]
    for position, nomination in ((1, first), (2, second)):
        text = _pdf_text(client.get(reverse("honour_certificate_pdf", args=[code, position])))
        assert nomination.nominee_name in text
        assert world.short.name_vi.upper() in text.upper()  # documents are in Vietnamese
        assert decision.reference in text
        assert verification.grouped(code) in text
        assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in text
    assert client.get(reverse("honour_certificate_pdf", args=[code, 3])).status_code == 404


def test_a_revoked_awards_certificate_says_so(client, world, decision):
    revoked = decision.entries.order_by("id").first().nomination
    correction = outcomes.sign_correction(
        decision, actor=world.signer, revoke=[revoked], reasons="Sai hồ sơ."
    )
    code = verification.code_of(decision)
    text = _pdf_text(client.get(reverse("honour_certificate_pdf", args=[code, 1])))
    assert correction.reference in text
    # The correction is a decision too, with the awards it revokes.
    text = _pdf_text(
        client.get(reverse("honour_decision_pdf", args=[verification.code_of(correction)]))
    )
    assert correction.reference in text and decision.reference in text
    assert revoked.nominee_name in text


def test_no_pdf_for_an_unknown_code(client, decision):
    assert client.get(reverse("honour_decision_pdf", args=["AAAAABBBBB"])).status_code == 404
    assert client.get(reverse("honour_certificate_pdf", args=["AAAAABBBBB", 1])).status_code == 404


def test_the_documents_font_covers_vietnamese_and_ships_its_licence():
    assert "SIL Open Font License" in (FONTS / "OFL.txt").read_text()
    vietnamese = "ẮẰẲẴẶắằẳẵặẤẦẨẪẬấầẩẫậĐđẾỀỂỄỆếềểễệỐỒỔỖỘốồổỗộỚỜỞỠỢớờởỡợỨỪỬỮỰứừửữựỲỴỶỸỳỵỷỹ"
    for name in ("BeVietnamPro-Regular.ttf", "BeVietnamPro-Bold.ttf", "BeVietnamPro-Italic.ttf"):
        cmap = TTFont(FONTS / name).getBestCmap()
        assert [c for c in vietnamese if ord(c) not in cmap] == []


def test_documents_fetch_nothing_but_their_fonts():
    fetcher = documents._FontsOnly()
    assert fetcher.fetch((FONTS / "BeVietnamPro-Regular.ttf").as_uri())
    for url in ("http://example.org/x.png", (Path(settings.BASE_DIR) / "manage.py").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
