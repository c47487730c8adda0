"""The demo's award decided at a higher level (issue 16; `approvals.forwarding`): the Prime
Minister's Certificate of Merit, on the full route with the council. Four nominations pass the
agency's council in its session with the others; the office then gathers them into one request
(tờ trình) to the Prime Minister, edits the drafted letter, the head of agency signs it, and the
higher level's outcomes arrive: one conferred (with the Prime Minister's decision number and
date), one not conferred (with the reason), one returned for more documents (the unit revises
it), and one still awaited."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from approvals import drafting, forwarding
from approvals.models import ForwardEntry
from nominations.models import AwardLevel, Nomination, NomineeKind, VoteBase
from nominations.stages import Status

from .data import FULL_ROUTE, INDIVIDUAL_DOCUMENTS, Plan

CODE = "bang-khen-thu-tuong"

AWARD_TYPE = {
    "code": CODE,
    "name_vi": "Bằng khen của Thủ tướng Chính phủ",
    "name_en": "Prime Minister's Certificate of Merit",
    # Conferred on people and on collectives alike (last year's, in demo.statistics, on both).
    "nominee_kind": NomineeKind.EITHER,
    "level": AwardLevel.STATE,
    "secret_ballot": False,
    "vote_threshold_percent": 50,
    "vote_base": VoteBase.PRESENT,
    "public_notice_days": 0,
    "route": FULL_ROUTE,
    "required_documents": INDIVIDUAL_DOCUMENTS,
    "decided_at_higher_level": True,
    "higher_authority_vi": "Thủ tướng Chính phủ",
    "higher_authority_en": "the Prime Minister",
}

# The four nominees, in the order of the request; each passes the agency's council.
PLANS = [
    Plan("a", "lannt", CODE, "submit approve approve approve council_approve"),
    Plan("a", "hapt", CODE, "submit approve approve approve council_approve"),
    Plan("b", "longdv", CODE, "submit approve approve approve council_approve"),
    Plan("b", "huongntt", CODE, "submit approve approve approve council_approve"),
]

TITLE = "Về việc đề nghị tặng Bằng khen của Thủ tướng Chính phủ năm {year}"
GROUNDS = (
    "Căn cứ Luật Thi đua, khen thưởng năm 2022 và Nghị định số 152/2025/NĐ-CP; căn cứ kết quả "
    "họp Hội đồng Thi đua - Khen thưởng Văn phòng, các cá nhân có tên dưới đây đã đạt thành tích "
    "xuất sắc tiêu biểu, đủ tiêu chuẩn đề nghị Thủ tướng Chính phủ tặng Bằng khen."
)
LETTER_NOTE = (
    "Hồ sơ kèm theo gồm: báo cáo thành tích của từng cá nhân có xác nhận của Thủ trưởng đơn vị; "
    "biên bản họp Hội đồng Thi đua - Khen thưởng."
)

# The higher level's outcomes, by nominee (the fourth is still awaited).
CONFERRED = ("lannt", "1234/QĐ-TTg")
NOT_CONFERRED = (
    "hapt",
    "Chưa đủ thời gian 05 năm kể từ lần được tặng Bằng khen của Thủ tướng Chính phủ gần nhất "
    "(Điều 74 Luật Thi đua, khen thưởng năm 2022).",
)
RETURNED = (
    "longdv",
    "Đề nghị bổ sung xác nhận của cơ quan thuế về việc chấp hành nghĩa vụ thuế và báo cáo "
    "thành tích có xác nhận của cấp trình khen.",
)


def _entry(request, username: str) -> ForwardEntry:
    return request.entries.select_related("request").get(
        nomination__nominee_person__username=username
    )


def seed_forwarding(clock, campaign, count, *, secretary, signer) -> None:
    """After the council: the request prepared, its letter edited, signed, and three outcomes
    recorded, each step at its moment on the council day (`clock.council`)."""
    passed = list(
        Nomination.objects.filter(
            campaign=campaign, award_type__code=CODE, status=Status.COUNCIL_APPROVED
        ).order_by("pk")
    )
    if not passed:
        return
    with clock.council(500):
        request = forwarding.prepare_request(
            actor=secretary,
            agency=campaign.agency,
            campaign=campaign,
            nominations=passed,
            title=TITLE.format(year=campaign.year),
            grounds=GROUNDS,
        )
        count("requests to the higher level", "created")
    with clock.council(510):
        drafted = forwarding.draft_letter(request)
        edited = Document(io.BytesIO(drafted.content))
        edited.add_paragraph(LETTER_NOTE)
        out = io.BytesIO()
        edited.save(out)
        forwarding.upload_letter(
            request,
            actor=secretary,
            upload=SimpleUploadedFile(drafted.name, out.getvalue(), drafting.DOCX),
        )
    with clock.council(520):
        request = forwarding.sign_request(request, actor=signer)
    with clock.council(560):
        nominee, number = CONFERRED
        forwarding.record_outcome(
            _entry(request, nominee),
            actor=secretary,
            outcome=ForwardEntry.Outcome.CONFERRED,
            decision_number=number,
            decided_on=timezone.localdate(),
        )
    with clock.council(570):
        nominee, reasons = NOT_CONFERRED
        forwarding.record_outcome(
            _entry(request, nominee),
            actor=secretary,
            outcome=ForwardEntry.Outcome.NOT_CONFERRED,
            reasons=reasons,
        )
    with clock.council(580):
        nominee, reasons = RETURNED
        forwarding.record_outcome(
            _entry(request, nominee),
            actor=secretary,
            outcome=ForwardEntry.Outcome.RETURNED,
            reasons=reasons,
        )
    count("higher level outcomes", "created")
