"""Write Laurel's built-in Word templates (the .docx files beside this script) with python-docx.

    .venv/bin/python approvals/docx_templates/build.py

The templates are set in Vietnamese, the language the documents are signed in, whatever the
reader's language (as the PDFs: honours_public/documents.py). Their merge fields are docxtpl's
Jinja tags; the fields each kind may use are `approvals.drafting.SAMPLES`, and
tests/approvals/test_drafting.py renders every built-in template against them. The achievement
reports follow the forms in the annex of Decree 152/2025/NĐ-CP (the form numbers are not
verified: docs/DOMAIN.md, "Drafted documents")."""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def _document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for section in doc.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    return doc


def _para(doc_or_cell, text="", *, bold=False, italic=False, align=None, size=None):
    p = doc_or_cell.add_paragraph()
    run = p.add_run(text)  # one run per paragraph, so no merge field is split across runs
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _heading(doc, left_top: str, left_below: str):
    """The two-column head of an administrative document (Decree 30/2020/NĐ-CP's layout)."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run(left_top).bold = True
    left.paragraphs[0].alignment = CENTER
    if left_below:
        _para(left, left_below, align=CENTER)
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.paragraphs[0].alignment = CENTER
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    _para(
        right,
        "{{ place }}, ngày {{ today.day }} tháng {{ today.month }} năm {{ today.year }}",
        italic=True,
        align=CENTER,
    )


def _loop_table(doc, headers: list[str], loop: str, cells: list[str]):
    """A table whose body row repeats: docxtpl's {%tr %} rows around it."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in " + loop + " %}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return table


def _signatures(doc, left: list[str], right: list[str]):
    table = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].add_run(lines[0]).bold = True
        cell.paragraphs[0].alignment = CENTER
        for line in lines[1:]:
            _para(cell, line, italic=line.startswith("("), align=CENTER)


def minutes() -> Document:
    doc = _document()
    _heading(doc, "{{ agency|upper }}", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG")
    _para(doc, "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", bold=True, align=CENTER, size=14)
    _para(doc, "Phiên họp số {{ session_number }} — {{ campaign }}", bold=True, align=CENTER)
    _para(
        doc,
        "Thời gian: ngày {{ date }}. Mở biểu quyết: {{ opened_at }}; kết thúc: {{ closed_at }}.",
    )
    _para(doc, "Chủ trì: {{ chair }}. Thư ký: {{ secretary }}.")
    _para(doc, "I. THÀNH PHẦN THAM DỰ", bold=True)
    _para(
        doc,
        "Số thành viên Hội đồng: {{ quorum.members }}; có mặt: {{ quorum.present }}"
        " (cần tối thiểu {{ quorum.needed }} theo tỷ lệ {{ quorum.rule }});"
        " {% if quorum.met %}đủ{% else %}không đủ{% endif %} số lượng để tiến hành họp.",
    )
    _para(doc, "Có mặt: {{ members_present|join(', ') or '—' }}.")
    _para(doc, "Vắng mặt: {{ members_absent|join(', ') or '—' }}.")
    _para(doc, "II. KẾT QUẢ BIỂU QUYẾT", bold=True)
    _loop_table(
        doc,
        [
            "TT",
            "Hồ sơ",
            "Người/tập thể được đề nghị",
            "Hình thức",
            "Tán thành",
            "Không tán thành",
            "Không biểu quyết",
            "Kết quả",
        ],
        "items",
        [
            "{{ row.position }}",
            "{{ row.reference }}",
            "{{ row.nominee }}",
            "{{ row.award }}",
            "{{ row.approve }}",
            "{{ row.disapprove }}",
            "{{ row.abstain }}",
            "{{ row.outcome }}",
        ],
    )
    _para(doc, "")
    _para(
        doc,
        "Hội đồng thống nhất đề nghị {{ approved_count }} trường hợp."
        " Biên bản được lập xong hồi {{ closed_at }}, đã thông qua các thành viên dự họp.",
    )
    _signatures(
        doc,
        ["THƯ KÝ", "(Ký, ghi rõ họ tên)", "", "", "{{ secretary }}"],
        ["CHỦ TỊCH HỘI ĐỒNG", "(Ký, ghi rõ họ tên)", "", "", "{{ chair }}"],
    )
    return doc


def draft_decision() -> Document:
    doc = _document()
    _heading(doc, "{{ agency|upper }}", "Số: {{ number }}")
    _para(doc, "DỰ THẢO", bold=True, italic=True, align=CENTER)
    _para(doc, "QUYẾT ĐỊNH", bold=True, align=CENTER, size=14)
    _para(doc, "{{ title }}", bold=True, align=CENTER)
    _para(doc, "{{ signer_title|upper }}", bold=True, align=CENTER)
    _para(doc, "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True)
    _para(
        doc,
        "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành"
        " một số điều của Luật Thi đua, khen thưởng;",
        italic=True,
    )
    _para(
        doc,
        "Căn cứ kết quả họp Hội đồng Thi đua - Khen thưởng ngày {{ session_date }}"
        " (phiên họp số {{ session_number }});",
        italic=True,
    )
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER)
    _para(doc, "Điều 1. Khen thưởng {{ awardees|length }} trường hợp có tên sau ({{ campaign }}):")
    _loop_table(
        doc,
        ["TT", "Người/tập thể", "Đơn vị", "Hình thức khen thưởng"],
        "awardees",
        ["{{ loop.index }}", "{{ row.nominee }}", "{{ row.unit }}", "{{ row.award }}"],
    )
    _para(doc, "")
    _para(doc, "Điều 2. Quyết định có hiệu lực kể từ ngày ký.")
    _para(
        doc,
        "Điều 3. Các đơn vị và cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    )
    _signatures(
        doc,
        ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT."],
        ["{{ signer_title|upper }}", "(Ký, ghi rõ họ tên, đóng dấu)"],
    )
    return doc


def request_letter() -> Document:
    """The request (tờ trình) by which the agency proposes awards decided at a higher level."""
    doc = _document()
    _heading(doc, "{{ agency|upper }}", "Số: {{ number }}")
    _para(doc, "TỜ TRÌNH", bold=True, align=CENTER, size=14)
    _para(doc, "{{ title }}", bold=True, align=CENTER)
    _para(doc, "Kính gửi: {{ addressed_to }}", bold=True, align=CENTER)
    _para(doc, "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True)
    _para(
        doc,
        "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành"
        " một số điều của Luật Thi đua, khen thưởng;",
        italic=True,
    )
    _para(doc, "{{ grounds }}")
    _para(
        doc,
        "{{ agency }} kính trình {{ addressed_to }} xem xét, khen thưởng"
        " {{ nominees|length }} trường hợp có tên sau ({{ campaign }}):",
    )
    _loop_table(
        doc,
        ["TT", "Hồ sơ", "Người/tập thể được đề nghị", "Đơn vị", "Hình thức khen thưởng"],
        "nominees",
        [
            "{{ loop.index }}",
            "{{ row.reference }}",
            "{{ row.nominee }}",
            "{{ row.unit }}",
            "{{ row.award }}",
        ],
    )
    _para(doc, "")
    _para(doc, "(Hồ sơ đề nghị khen thưởng của từng trường hợp kèm theo.)", italic=True)
    _para(doc, "Kính trình {{ addressed_to }} xem xét, quyết định./.")
    _signatures(
        doc,
        ["Nơi nhận:", "- Như trên;", "- Lưu: VT, TĐKT."],
        ["{{ signer_title|upper }}", "(Ký, ghi rõ họ tên, đóng dấu)"],
    )
    return doc


def _report(doc, *, collective: bool):
    _heading(doc, "{{ proposing_unit|upper }}", "")
    _para(doc, "BÁO CÁO THÀNH TÍCH", bold=True, align=CENTER, size=14)
    _para(doc, "ĐỀ NGHỊ TẶNG {{ award|upper }}", bold=True, align=CENTER)
    _para(doc, "({{ campaign }} — hồ sơ {{ reference }})", italic=True, align=CENTER)
    _para(
        doc, "Theo mẫu tại Phụ lục của Nghị định 152/2025/NĐ-CP", italic=True, align=CENTER, size=11
    )
    if collective:
        _para(doc, "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", bold=True)
        _para(doc, "1. Tên tập thể: {{ nominee.name }}")
        _para(doc, "2. Đơn vị cấp trên trực tiếp: {{ nominee.parent }}")
    else:
        _para(doc, "I. SƠ LƯỢC LÝ LỊCH", bold=True)
        _para(doc, "- Họ và tên: {{ nominee.name }}")
        _para(doc, "- Chức vụ: {{ nominee.position }}")
        _para(doc, "- Đơn vị công tác: {{ nominee.unit }}")
        _para(doc, "- Thời gian công tác từ: {{ nominee.service_start }}")
    _para(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True)
    _para(doc, "1. Thành tích đạt được", bold=True)
    _para(doc, "{{ achievements }}")
    _para(doc, "2. Những đóng góp", bold=True)
    _para(doc, "{{ contributions }}")
    _para(doc, "3. Sáng kiến, giải pháp", bold=True)
    _para(doc, "{{ initiatives }}")
    _para(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", bold=True)
    _loop_table(
        doc,
        ["Năm", "Hình thức khen thưởng", "Số, ngày quyết định"],
        "prior_awards",
        ["{{ row.year }}", "{{ row.award }}", "{{ row.decision_number }}"],
    )
    _para(doc, "{% if not prior_awards %}Chưa có.{% endif %}")
    if collective:
        _signatures(
            doc,
            ["THỦ TRƯỞNG ĐƠN VỊ CẤP TRÊN TRỰC TIẾP", "(Xác nhận, ký, đóng dấu)"],
            ["THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu)", "", "", "{{ nominee.name }}"],
        )
    else:
        _signatures(
            doc,
            ["THỦ TRƯỞNG ĐƠN VỊ", "(Xác nhận, ký, đóng dấu)"],
            ["NGƯỜI BÁO CÁO THÀNH TÍCH", "(Ký, ghi rõ họ tên)", "", "", "{{ nominee.name }}"],
        )
    return doc


BUILDERS = {
    "minutes": minutes,
    "draft_decision": draft_decision,
    "request_letter": request_letter,
    "report_person": lambda: _report(_document(), collective=False),
    "report_collective": lambda: _report(_document(), collective=True),
}


if __name__ == "__main__":
    for kind, build in BUILDERS.items():
        build().save(HERE / f"{kind}.docx")
        print(HERE / f"{kind}.docx")
