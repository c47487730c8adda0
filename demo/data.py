"""What the demo contains: the agency, its people, award types, and the journey of each demo
nomination. `seed_demo` puts it in place through the services; nothing here touches the database.

(A module whose name starts with an underscore is not a management command.)
"""

import datetime
from dataclasses import dataclass

from nominations.models import AwardLevel, Evidence, NomineeKind, Unit, VoteBase
from nominations.roles import Role
from nominations.stages import Stage

# --- the agency ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name_vi: str
    name_en: str
    kind: str
    parent: str | None


AGENCY = "vpqh"

# Parents before children.
UNITS = [
    UnitSpec(
        AGENCY, "Văn phòng Quốc hội", "Office of the National Assembly", Unit.Kind.AGENCY, None
    ),
    UnitSpec(
        "vu-to-chuc-can-bo",
        "Vụ Tổ chức – Cán bộ",
        "Department of Organisation and Personnel",
        Unit.Kind.DEPARTMENT,
        AGENCY,
    ),
    UnitSpec(
        "vu-tong-hop", "Vụ Tổng hợp", "General Affairs Department", Unit.Kind.DEPARTMENT, AGENCY
    ),
    UnitSpec(
        "vu-hanh-chinh",
        "Vụ Hành chính",
        "Department of Administration",
        Unit.Kind.DEPARTMENT,
        AGENCY,
    ),
    UnitSpec(
        "phong-thi-dua-khen-thuong",
        "Phòng Thi đua – Khen thưởng",
        "Emulation and Commendation Division",
        Unit.Kind.UNIT,
        "vu-to-chuc-can-bo",
    ),
    UnitSpec(
        "phong-tong-hop", "Phòng Tổng hợp", "Synthesis Division", Unit.Kind.UNIT, "vu-tong-hop"
    ),
    UnitSpec(
        "phong-thu-ky-bien-tap",
        "Phòng Thư ký – Biên tập",
        "Secretariat and Editing Division",
        Unit.Kind.UNIT,
        "vu-tong-hop",
    ),
    UnitSpec(
        "phong-van-thu-luu-tru",
        "Phòng Văn thư – Lưu trữ",
        "Records and Archives Division",
        Unit.Kind.UNIT,
        "vu-hanh-chinh",
    ),
    UnitSpec(
        "phong-quan-tri",
        "Phòng Quản trị",
        "Facilities Management Division",
        Unit.Kind.UNIT,
        "vu-hanh-chinh",
    ),
]

# --- holidays ------------------------------------------------------------------------------

FIXED_HOLIDAYS = [
    (1, 1, "Tết Dương lịch"),
    (4, 30, "Ngày Chiến thắng (30/4)"),
    (5, 1, "Ngày Quốc tế Lao động"),
    (9, 2, "Quốc khánh"),
]

# Lunar holidays move every year; these are the published dates. A year missing here gets only
# the fixed holidays (the command says so): add its dates when they are known.
LUNAR_NEW_YEAR = {
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3),
}
HUNG_KINGS_DAY = {
    2024: datetime.date(2024, 4, 18),
    2025: datetime.date(2025, 4, 7),
    2026: datetime.date(2026, 4, 26),
    2027: datetime.date(2027, 4, 16),
}
TET_DAYS = ["ngày cuối năm", "mùng 1", "mùng 2", "mùng 3", "mùng 4"]

# --- people --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    username: str
    # Family and middle names go in `first_name` and the given name in `last_name`, so that
    # get_full_name() — used by audit labels and every page — reads in Vietnamese order, and
    # sorting by last_name sorts by given name, as Vietnamese lists do.
    family_names: str
    given_name: str
    unit: str
    position: str
    roles: tuple[tuple[str, str], ...] = ()  # (role, scope unit code)
    superuser: bool = False


def _agency(role):
    return ((role, AGENCY),)


PEOPLE = [
    # The first proposing unit: a division, for individual nominations.
    PersonSpec(
        "proposer",
        "Nguyễn Thị Thu",
        "Trang",
        "phong-tong-hop",
        "Chuyên viên, phụ trách công tác thi đua",
        ((Role.UNIT_PROPOSER, "phong-tong-hop"),),
    ),
    PersonSpec(
        "unithead",
        "Trần Quốc",
        "Bảo",
        "phong-tong-hop",
        "Trưởng phòng Tổng hợp",
        ((Role.UNIT_HEAD, "phong-tong-hop"),),
    ),
    # The second proposing unit is a department, so that it can propose its divisions as
    # collectives: a head may not confirm a nomination of their own unit (conflict of interest).
    PersonSpec(
        "proposer2",
        "Lý Thị Ngọc",
        "Anh",
        "vu-hanh-chinh",
        "Chuyên viên Vụ Hành chính, phụ trách công tác thi đua",
        ((Role.UNIT_PROPOSER, "vu-hanh-chinh"),),
    ),
    PersonSpec(
        "unithead2",
        "Phan Văn",
        "Đức",
        "vu-hanh-chinh",
        "Vụ trưởng Vụ Hành chính",
        ((Role.UNIT_HEAD, "vu-hanh-chinh"),),
    ),
    PersonSpec(
        "party",
        "Đinh Thị",
        "Phương",
        AGENCY,
        "Phó Bí thư Thường trực Đảng ủy",
        _agency(Role.PARTY_COMMITTEE_REVIEWER),
    ),
    PersonSpec(
        "leader",
        "Võ Thành",
        "Trung",
        AGENCY,
        "Phó Chủ nhiệm Văn phòng Quốc hội",
        _agency(Role.LEADERSHIP_REVIEWER),
    ),
    PersonSpec(
        "secretary",
        "Mai Thị",
        "Hạnh",
        "phong-thi-dua-khen-thuong",
        "Trưởng phòng Thi đua – Khen thưởng, Thư ký Hội đồng",
        _agency(Role.COUNCIL_SECRETARY),
    ),
    PersonSpec(
        "member1",
        "Lương Văn",
        "Thịnh",
        AGENCY,
        "Phó Chủ nhiệm Văn phòng Quốc hội, Phó Chủ tịch Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "member2",
        "Tạ Thị Bích",
        "Ngọc",
        "vu-to-chuc-can-bo",
        "Vụ trưởng Vụ Tổ chức – Cán bộ, Phó Chủ tịch thường trực Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "member3",
        "Kiều Văn",
        "Sơn",
        AGENCY,
        "Chủ tịch Công đoàn cơ quan, Ủy viên Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "member4",
        "Lâm Thị",
        "Yến",
        AGENCY,
        "Bí thư Đoàn Thanh niên cơ quan, Ủy viên Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "member5",
        "Quách Minh",
        "Khôi",
        "vu-tong-hop",
        "Phó Vụ trưởng Vụ Tổng hợp, Ủy viên Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "member6",
        "Hồ Thị Kim",
        "Oanh",
        "vu-hanh-chinh",
        "Phó Vụ trưởng Vụ Hành chính, Ủy viên Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "member7",
        "Chu Văn",
        "Tài",
        AGENCY,
        "Chủ tịch Hội Cựu chiến binh cơ quan, Ủy viên Hội đồng",
        _agency(Role.COUNCIL_MEMBER),
    ),
    PersonSpec(
        "signer",
        "Hà Quang",
        "Vinh",
        AGENCY,
        "Chủ nhiệm Văn phòng Quốc hội",
        _agency(Role.DECISION_SIGNER),
    ),
    PersonSpec(
        "inspector",
        "Dương Văn",
        "Khoa",
        AGENCY,
        "Thanh tra viên chính",
        _agency(Role.INSPECTOR),
    ),
    PersonSpec(
        "admin",
        "Cao Thị Thùy",
        "Linh",
        "phong-thi-dua-khen-thuong",
        "Chuyên viên Phòng Thi đua – Khen thưởng, quản trị hệ thống",
        _agency(Role.ADMINISTRATOR),
        superuser=True,
    ),
    # Staff: the people the units nominate. Usernames follow the usual given name + initials.
    PersonSpec("lannt", "Nguyễn Thị", "Lan", "phong-tong-hop", "Phó Trưởng phòng Tổng hợp"),
    PersonSpec("quanlm", "Lê Minh", "Quân", "phong-tong-hop", "Chuyên viên chính"),
    PersonSpec("hapt", "Phạm Thu", "Hà", "phong-tong-hop", "Chuyên viên"),
    PersonSpec("thanghd", "Hoàng Đức", "Thắng", "phong-tong-hop", "Chuyên viên"),
    PersonSpec("maivt", "Vũ Thị", "Mai", "phong-tong-hop", "Chuyên viên"),
    PersonSpec(
        "longdv", "Đặng Văn", "Long", "phong-van-thu-luu-tru", "Trưởng phòng Văn thư – Lưu trữ"
    ),
    PersonSpec("hongbt", "Bùi Thị", "Hồng", "phong-van-thu-luu-tru", "Chuyên viên"),
    PersonSpec("huydq", "Đỗ Quang", "Huy", "phong-van-thu-luu-tru", "Lưu trữ viên"),
    PersonSpec("huongntt", "Ngô Thị Thanh", "Hương", "phong-quan-tri", "Phó Trưởng phòng Quản trị"),
    PersonSpec("namtv", "Trịnh Văn", "Nam", "phong-quan-tri", "Kỹ sư"),
    # Two more of the Facilities division, so that its share of Advanced Workers can reach 70%
    # when one colleague's title is rejected (demo/eligibility.py).
    PersonSpec("tuanpa", "Phạm Anh", "Tuấn", "phong-quan-tri", "Kỹ thuật viên"),
    PersonSpec("linhdt", "Đỗ Thùy", "Linh", "phong-quan-tri", "Chuyên viên"),
]

# --- award types ---------------------------------------------------------------------------

# The legal basis in both languages, as every award type carries it: the Law of 2022 and the
# decree detailing it on the campaign's rules date — Decree 98/2023/NĐ-CP from 1 January 2024,
# Decree 152/2025/NĐ-CP (which repeals it) from 1 July 2025.
LEGAL_BASIS_VI = "Luật Thi đua, Khen thưởng 2022; Nghị định 98/2023/NĐ-CP"
LEGAL_BASIS_EN = "Law on Emulation and Commendation 2022; Decree No. 98/2023/ND-CP"
IN_FORCE_FROM = datetime.date(2024, 1, 1)
LEGAL_BASIS_152_VI = "Luật Thi đua, Khen thưởng 2022; Nghị định 152/2025/NĐ-CP"
LEGAL_BASIS_152_EN = "Law on Emulation and Commendation 2022; Decree No. 152/2025/ND-CP"
IN_FORCE_152 = datetime.date(2025, 7, 1)


def legal_basis_on(day: datetime.date) -> tuple[str, str, datetime.date]:
    """The award types' legal basis (Vietnamese, English) and its first day, on `day`."""
    if day >= IN_FORCE_152:
        return LEGAL_BASIS_152_VI, LEGAL_BASIS_152_EN, IN_FORCE_152
    return LEGAL_BASIS_VI, LEGAL_BASIS_EN, IN_FORCE_FROM


FULL_ROUTE = (
    (Stage.UNIT_REVIEW, 5),
    (Stage.PARTY_COMMITTEE_REVIEW, 5),
    (Stage.LEADERSHIP_REVIEW, 7),
    (Stage.COUNCIL_REVIEW, 10),
)
SHORT_ROUTE = ((Stage.UNIT_REVIEW, 5), (Stage.LEADERSHIP_REVIEW, 7))

LDTT = "lao-dong-tien-tien"
CSTD = "chien-si-thi-dua-co-so"
TTTT = "tap-the-lao-dong-tien-tien"
TTXS = "tap-the-lao-dong-xuat-sac"
BK = "bang-khen"

# The documents each dossier must include before it is submitted: the unit's request letter
# (tờ trình) and the achievement report for everyone; the Grassroots Emulation Fighter also needs
# its initiative certified; a collective's dossier also carries the minutes of the unit's meeting.
KIND = Evidence.Kind
INDIVIDUAL_DOCUMENTS = [KIND.REQUEST_LETTER.value, KIND.ACHIEVEMENT_REPORT.value]
FIGHTER_DOCUMENTS = [*INDIVIDUAL_DOCUMENTS, KIND.INITIATIVE_CERTIFICATE.value]
COLLECTIVE_DOCUMENTS = [*INDIVIDUAL_DOCUMENTS, KIND.MEETING_MINUTES.value]

# The demo's documents, by kind: (file name prefix, title line of the PDF).
DOCUMENTS = {
    KIND.REQUEST_LETTER: ("to-trinh", "To trinh de nghi khen thuong"),
    KIND.ACHIEVEMENT_REPORT: ("bao-cao-thanh-tich", "Bao cao thanh tich"),
    KIND.INITIATIVE_CERTIFICATE: ("xac-nhan-sang-kien", "Giay chung nhan sang kien"),
    KIND.MEETING_MINUTES: ("bien-ban-hop-xet", "Bien ban hop xet thi dua"),
    KIND.BALLOT_MINUTES: ("bien-ban-kiem-phieu", "Bien ban kiem phieu"),
}

# Council rules follow the demo defaults of docs/DOMAIN.md; a route without the council never votes.
AWARD_TYPES = [
    {
        "code": LDTT,
        "name_vi": "Lao động tiên tiến",
        "name_en": "Advanced Worker",
        "nominee_kind": NomineeKind.INDIVIDUAL,
        "level": AwardLevel.UNIT,
        "secret_ballot": False,
        "vote_threshold_percent": 50,
        "vote_base": VoteBase.PRESENT,
        "public_notice_days": 0,
        "route": SHORT_ROUTE,
        "required_documents": INDIVIDUAL_DOCUMENTS,
    },
    {
        "code": CSTD,
        # An emulation title: only those registered for the year are proposed (see DOMAIN.md).
        "requires_registration": True,
        "name_vi": "Chiến sĩ thi đua cơ sở",
        "name_en": "Grassroots Emulation Fighter",
        "nominee_kind": NomineeKind.INDIVIDUAL,
        "level": AwardLevel.AGENCY,
        "secret_ballot": True,
        "vote_threshold_percent": 70,
        "vote_base": VoteBase.MEMBERS,
        "public_notice_days": 5,
        "route": FULL_ROUTE,
        "required_documents": FIGHTER_DOCUMENTS,
    },
    {
        "code": TTTT,
        # An emulation title: only those registered for the year are proposed (see DOMAIN.md).
        "requires_registration": True,
        "name_vi": "Tập thể lao động tiên tiến",
        "name_en": "Advanced Labour Collective",
        "nominee_kind": NomineeKind.COLLECTIVE,
        "level": AwardLevel.UNIT,
        "secret_ballot": False,
        "vote_threshold_percent": 50,
        "vote_base": VoteBase.PRESENT,
        "public_notice_days": 0,
        "route": SHORT_ROUTE,
        "required_documents": COLLECTIVE_DOCUMENTS,
    },
    {
        "code": TTXS,
        # An emulation title: only those registered for the year are proposed (see DOMAIN.md).
        "requires_registration": True,
        "name_vi": "Tập thể lao động xuất sắc",
        "name_en": "Excellent Labour Collective",
        "nominee_kind": NomineeKind.COLLECTIVE,
        "level": AwardLevel.AGENCY,
        "secret_ballot": False,
        "vote_threshold_percent": 50,
        "vote_base": VoteBase.PRESENT,
        "public_notice_days": 5,
        "route": FULL_ROUTE,
        "required_documents": COLLECTIVE_DOCUMENTS,
    },
    {
        "code": BK,
        "name_vi": "Bằng khen của Chủ nhiệm Văn phòng Quốc hội",
        "name_en": "Certificate of Merit of the Chairman of the Office",
        "nominee_kind": NomineeKind.EITHER,
        "level": AwardLevel.AGENCY,
        "secret_ballot": True,
        "vote_threshold_percent": 70,
        "vote_base": VoteBase.MEMBERS,
        # No notice in the demo (5 working days in the regulation's default), so that a newcomer
        # can run a council session and sign the decision at once; the other council titles
        # keep their notice and show the notice page at work.
        "public_notice_days": 0,
        "route": FULL_ROUTE,
        "required_documents": INDIVIDUAL_DOCUMENTS,
    },
]

# --- nominations ---------------------------------------------------------------------------


# The units that propose: (unit, its proposer, its head), by the key plans use.
PROPOSING_UNITS = {
    "a": ("phong-tong-hop", "proposer", "unithead"),
    "b": ("vu-hanh-chinh", "proposer2", "unithead2"),
}


@dataclass(frozen=True)
class Plan:
    """One demo nomination: which unit proposes it (a key of PROPOSING_UNITS), for whom (a
    username or a unit code), for which award, and the steps of its journey after the draft:
    submit, approve, return, revise (edit the dossier and add the missing minutes), resubmit,
    reject, withdraw, council_approve, council_reject (the outcome the demo council session's
    vote gives it), confer (in the demo's signed decision)."""

    unit: str
    nominee: str
    award: str
    steps: str
    complete: bool = True  # False: a dossier just started, nothing written or attached yet


# Advanced Worker titles come first: the higher titles build on them.
PLANS = [
    Plan("a", "lannt", LDTT, "submit approve approve confer"),
    Plan("a", "quanlm", LDTT, "submit approve approve confer"),
    Plan("a", "hapt", LDTT, "submit approve approve"),
    Plan("a", "thanghd", LDTT, "submit approve"),
    Plan("a", "maivt", LDTT, "submit"),
    Plan("b", "longdv", LDTT, "submit approve approve confer"),
    Plan("b", "hongbt", LDTT, "submit approve return revise resubmit approve approve"),
    Plan("b", "huydq", LDTT, ""),
    Plan("b", "huongntt", LDTT, "submit approve approve confer"),
    Plan("b", "namtv", LDTT, "submit approve reject"),
    Plan("b", "tuanpa", LDTT, "submit approve approve confer"),
    Plan("b", "linhdt", LDTT, "submit approve approve"),
    Plan("a", "lannt", CSTD, "submit approve approve approve council_approve"),
    Plan(
        "a",
        "quanlm",
        CSTD,
        "submit approve return revise resubmit approve approve approve council_approve",
    ),
    Plan("a", "hapt", CSTD, "submit approve approve approve council_reject"),
    Plan("a", "thanghd", CSTD, "submit approve reject"),
    Plan("a", "maivt", CSTD, ""),
    Plan("b", "longdv", CSTD, "submit approve approve approve"),
    Plan("b", "hongbt", CSTD, "submit approve"),
    Plan("b", "huongntt", CSTD, "submit approve approve"),
    Plan("b", "phong-van-thu-luu-tru", TTTT, "submit approve approve confer"),
    Plan("b", "phong-quan-tri", TTTT, "submit approve approve"),
    Plan("b", "phong-van-thu-luu-tru", TTXS, "submit approve approve approve"),
    Plan(
        "b",
        "phong-quan-tri",
        TTXS,
        "submit approve approve return revise resubmit approve approve approve council_approve",
    ),
    Plan("a", "thanghd", BK, "submit return"),
    Plan("a", "maivt", BK, "submit approve approve return"),
    Plan("a", "hapt", BK, "", complete=False),
    Plan("a", "lannt", BK, "submit approve approve approve"),
    Plan("b", "hongbt", BK, "submit"),
    Plan("b", "phong-quan-tri", BK, "submit approve return"),
    Plan("b", "longdv", BK, "submit withdraw"),
    Plan("b", "huydq", BK, "submit approve return withdraw"),
    Plan("b", "namtv", BK, "submit return revise resubmit approve"),
    Plan("b", "huongntt", BK, "submit approve approve approve council_reject"),
    Plan("b", "phong-van-thu-luu-tru", BK, "submit approve approve approve council_approve confer"),
]

INDIVIDUAL_ACHIEVEMENTS = [
    "Hoàn thành xuất sắc nhiệm vụ năm {year}: chủ trì xây dựng {a} báo cáo tổng hợp phục vụ "
    "phiên họp của Ủy ban Thường vụ Quốc hội, tất cả đúng hạn và được lãnh đạo Văn phòng đánh "
    "giá cao.",
    "Tham gia biên tập, hoàn thiện hồ sơ {a} dự án luật trình Quốc hội; tổng hợp {b} lượt ý kiến "
    "đại biểu Quốc hội bảo đảm chính xác, kịp thời.",
    "Số hóa {b}0 hồ sơ lưu trữ, rút ngắn thời gian tra cứu tài liệu từ hai ngày xuống dưới hai "
    "giờ; chấp hành nghiêm quy chế bảo vệ bí mật nhà nước.",
    "Bảo đảm hậu cần cho {a} hội nghị, hội thảo của cơ quan an toàn, chu đáo; tiết kiệm {pct}% "
    "kinh phí so với dự toán được giao.",
    "Hoàn thành tốt nhiệm vụ được giao với chất lượng cao; chủ động đề xuất cải tiến quy trình "
    "trình ký văn bản, giảm {pct}% thời gian xử lý so với năm trước.",
]
CONTRIBUTIONS = [
    "Tích cực tham gia phong trào thi đua của cơ quan; hướng dẫn {a} đồng nghiệp mới sử dụng "
    "phần mềm quản lý văn bản và hồ sơ công việc.",
    "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tham gia tích "
    "cực hoạt động công đoàn, đoàn thanh niên của cơ quan.",
    "Tham gia tổ biên tập Kỷ yếu hoạt động của cơ quan năm {year}; nhiệt tình hỗ trợ các đơn vị "
    "bạn trong các đợt cao điểm phục vụ kỳ họp.",
]
INITIATIVES = [
    "Sáng kiến “Quy trình tổng hợp ý kiến đại biểu Quốc hội trên nền tảng số”, được Hội đồng "
    "sáng kiến cơ quan công nhận, áp dụng từ quý II/{year}.",
    "Sáng kiến “Bộ mẫu biểu điện tử cho hồ sơ trình ký”, được Hội đồng sáng kiến cơ quan công "
    "nhận, áp dụng tại {a} đơn vị.",
    "Sáng kiến “Lập chỉ mục và tra cứu hồ sơ lưu trữ theo từ khóa”, được Hội đồng sáng kiến cơ "
    "quan công nhận năm {year}.",
]
COLLECTIVE_ACHIEVEMENTS = [
    "Tập thể hoàn thành vượt mức kế hoạch công tác năm {year}; 100% công chức hoàn thành tốt "
    "nhiệm vụ, {pct}% đạt danh hiệu Lao động tiên tiến; không có cá nhân bị kỷ luật.",
    "Đơn vị phục vụ chu đáo {a} phiên họp, hội nghị lớn của cơ quan; triển khai hiệu quả chuyển "
    "đổi số trong công tác văn thư, lưu trữ; nội bộ đoàn kết, thống nhất.",
]
COLLECTIVE_CONTRIBUTIONS = (
    "Đơn vị tổ chức tốt phong trào thi đua, có {a} sáng kiến cải tiến được áp dụng trong "
    "năm {year}."
)
REVISION = (
    "\n\nBổ sung theo yêu cầu: kết quả định lượng đã được thủ trưởng đơn vị xác nhận; kèm biên "
    "bản họp xét thi đua của đơn vị."
)

APPROVAL_NOTES = {
    Stage.UNIT_REVIEW: "Đơn vị đã họp xét, nhất trí đề nghị.",
    Stage.PARTY_COMMITTEE_REVIEW: "Đảng ủy nhất trí: chấp hành tốt chủ trương, đường lối của Đảng.",
    Stage.LEADERSHIP_REVIEW: "Hồ sơ đầy đủ, đúng tiêu chuẩn.",
}
RETURN_REASONS = [
    "Hồ sơ chưa đầy đủ: thiếu biên bản họp xét thi đua của đơn vị; thiếu biên bản kiểm phiếu.",
    "Báo cáo thành tích chưa nêu kết quả định lượng; đề nghị bổ sung số liệu cụ thể có xác nhận "
    "của thủ trưởng đơn vị.",
    "Chưa có bản xác nhận sáng kiến của Hội đồng sáng kiến cơ quan; đề nghị bổ sung.",
]
REJECT_REASONS = [
    "Chưa đạt tiêu chuẩn: kết quả đánh giá, xếp loại công chức năm chỉ ở mức hoàn thành nhiệm vụ.",
    "Chưa đạt tiêu chuẩn: chưa có sáng kiến được Hội đồng sáng kiến cơ quan công nhận.",
]
WITHDRAW_REASONS = [
    "Đơn vị rút hồ sơ để đề nghị hình thức khen thưởng phù hợp hơn.",
    "Cá nhân chuyển công tác khỏi đơn vị; đơn vị rút hồ sơ.",
]

# --- the council ---------------------------------------------------------------------------

SECRETARY = "secretary"
COUNCIL_CHAIR = "member1"
COUNCIL_MEMBERS = [f"member{i}" for i in range(1, 8)]
ABSENT_MEMBERS = {"member7"}  # 6 of 7 present: the quorum (5) is met
# The ballots of the members present, in order, for an item the council approves (5 of the 7
# members: over 70% of all members, and over half of those present) and for one it does not.
BALLOTS_FOR = ["approve"] * 5 + ["abstain"]
BALLOTS_AGAINST = ["approve", "approve", "approve", "disapprove", "disapprove", "abstain"]
DEFERRAL_REASONS = (
    "Hồ sơ đến sau khi chương trình phiên họp đã gửi các thành viên; xét ở phiên sau."
)
DECISION_TITLE = "Quyết định về việc tặng danh hiệu thi đua và hình thức khen thưởng năm {year}"
DECISION_GROUNDS = (
    "Căn cứ Luật Thi đua, Khen thưởng 2022; xét đề nghị của Hội đồng Thi đua – Khen thưởng."
)
# The secretary's edit to the drafted minutes before the decision (approvals.drafting): the
# discussion, which the template cannot know, added to the generated file and uploaded.
MINUTES_DISCUSSION = (
    "Ý kiến thảo luận: các thành viên thống nhất đánh giá cao sáng kiến số hóa hồ sơ; "
    "đề nghị Thư ký bổ sung bảng tổng hợp vào hồ sơ trình ký."
)
# (nominee on public notice, staff member objecting, reasons)
OBJECTION = (
    "quanlm",
    "thanghd",
    "Đề nghị làm rõ: sáng kiến nêu trong hồ sơ do tập thể phòng thực hiện, không phải cá nhân.",
)

# --- a revoked award -----------------------------------------------------------------------


@dataclass(frozen=True)
class RevocationSpec:
    """One award of the demo's decision revoked through its route: who proposes it, on what
    ground, the council's vote (members, present, for, against, abstaining) and what was
    recovered (the certificate returned; the bonus paid with the title, in VND)."""

    nominee: str
    award: str
    proposer: str
    ground: str
    grounds: str
    documents: str
    council: tuple[int, int, int, int, int]
    money: int


REVOCATION = RevocationSpec(
    nominee="tuanpa",
    award=LDTT,
    proposer="inspector",
    ground="false_dossier",
    grounds=(
        "Thanh tra xác định báo cáo thành tích kê khai số liệu sửa chữa, bảo trì thiết bị "
        "không đúng thực tế; đề nghị hủy bỏ quyết định khen thưởng đối với cá nhân."
    ),
    documents="Kết luận thanh tra số 07/KL-TTr của Thanh tra Văn phòng Quốc hội.",
    council=(7, 6, 5, 1, 0),
    money=702_000,
)
