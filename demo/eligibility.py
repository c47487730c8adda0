"""The demo's eligibility rules and the record they read (issue 12, criteria as data).

Criteria on the demo award types exercise every kind, hard and advisory, and one rule in two
versions (the Certificate of Merit's ratings: Decree 98/2023/NĐ-CP until 30 June 2025, Decree
152/2025/NĐ-CP from 1 July 2025), so the version the campaign's date chooses is visible. The
record — ratings for past years and this one, initiatives, dates of entry into service, one
disciplinary measure — lets every demo plan go through (where a rule cannot be judged yet, or an
advisory one is not met, the demo's approvers give their reasons: the override), and leaves two
drafts whose nominees fail a hard rule, for a proposer to see the refusal: Huy's Advanced Worker
(a reprimand within the year, a rating below "good") and Mai's Grassroots Emulation Fighter (her
initiative recognised at unit level only).

The article numbers are the demo's reading of the Law and the decrees, not checked against the
primary texts here (docs/DOMAIN.md says which).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from nominations.models import (
    AnnualRating,
    Criterion,
    CriterionKind,
    DisciplinaryMeasure,
    DisciplineKind,
    Initiative,
    Profile,
    Rating,
    RecognitionLevel,
    RecordSource,
)

from . import data as demo

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"
DECREE_98 = "Nghị định 98/2023/NĐ-CP"
DECREE_152 = "Nghị định 152/2025/NĐ-CP"
DECREE_98_FROM = datetime.date(2024, 1, 1)
DECREE_152_FROM = datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class Rule:
    award: str
    code: str
    kind: str
    article: str
    instrument: str = LAW
    clause: str = ""
    hard: bool = True
    title: str | None = None  # an award type code
    years: int | None = None
    years_end_before: int = 0
    rating: str = ""
    level: str = ""
    discipline: str = ""
    share_percent: str | None = None
    in_force_from: datetime.date | None = DECREE_98_FROM
    in_force_until: datetime.date | None = None
    text_vi: str = ""
    text_en: str = ""


K = CriterionKind
RULES = [
    # Advanced Worker.
    Rule(
        demo.LDTT,
        "ldtt-rating",
        K.RATINGS,
        "24",
        clause="1",
        rating=Rating.GOOD,
        years=1,
        text_vi="Hoàn thành tốt nhiệm vụ trở lên trong năm",
        text_en="Completed tasks well or better in the year",
    ),
    Rule(
        demo.LDTT,
        "ldtt-discipline",
        K.NO_DISCIPLINE,
        "24",
        clause="1",
        years=1,
        text_vi="Không bị kỷ luật trong năm xét tặng",
        text_en="No disciplinary measure in the year",
    ),
    # Grassroots Emulation Fighter: the Advanced Worker title of the year, and an initiative.
    Rule(
        demo.CSTD,
        "cstd-ldtt",
        K.PRIOR_TITLE,
        "23",
        clause="1",
        title=demo.LDTT,
        years=1,
        text_vi="Đạt danh hiệu “Lao động tiên tiến”",
        text_en="Holds the Advanced Worker title",
    ),
    Rule(
        demo.CSTD,
        "cstd-initiative",
        K.INITIATIVE,
        "23",
        clause="2",
        level=RecognitionLevel.AGENCY,
        years=1,
        text_vi="Có sáng kiến được cơ sở công nhận",
        text_en="An initiative recognised by the agency",
    ),
    # Advanced Labour Collective.
    Rule(
        demo.TTTT,
        "tttt-members-ldtt",
        K.MEMBER_SHARE,
        "28",
        title=demo.LDTT,
        share_percent="70",
        text_vi="Ít nhất 70% cá nhân đạt danh hiệu “Lao động tiên tiến”",
        text_en="At least 70% of members Advanced Workers",
    ),
    Rule(
        demo.TTTT,
        "tttt-discipline",
        K.NO_DISCIPLINE,
        "28",
        discipline=DisciplineKind.WARNING,
        years=1,
        text_vi="Không có cá nhân bị kỷ luật từ cảnh cáo trở lên",
        text_en="No member disciplined at warning level or above",
    ),
    Rule(
        demo.TTTT,
        "tttt-rating",
        K.RATINGS,
        "28",
        rating=Rating.GOOD,
        years=1,
        hard=False,
        text_vi="Tập thể hoàn thành tốt nhiệm vụ",
        text_en="The collective completed its tasks well",
    ),
    # Excellent Labour Collective.
    Rule(
        demo.TTXS,
        "ttxs-members-completed",
        K.MEMBER_SHARE,
        "27",
        rating=Rating.COMPLETED,
        share_percent="100",
        text_vi="100% cá nhân hoàn thành nhiệm vụ",
        text_en="Every member completed their tasks",
    ),
    Rule(
        demo.TTXS,
        "ttxs-members-good",
        K.MEMBER_SHARE,
        "27",
        rating=Rating.GOOD,
        share_percent="70",
        hard=False,
        text_vi="Ít nhất 70% cá nhân hoàn thành tốt nhiệm vụ trở lên",
        text_en="At least 70% of members completed their tasks well",
    ),
    Rule(
        demo.TTXS,
        "ttxs-discipline",
        K.NO_DISCIPLINE,
        "27",
        discipline=DisciplineKind.WARNING,
        years=1,
        text_vi="Không có cá nhân bị kỷ luật từ cảnh cáo trở lên",
        text_en="No member disciplined at warning level or above",
    ),
    # Certificate of Merit: two years' ratings, in two versions; no warning or heavier in two
    # years; five years of service (advisory).
    Rule(
        demo.BK,
        "bk-ratings",
        K.RATINGS,
        "39",
        instrument=DECREE_98,
        rating=Rating.EXCELLENT,
        years=2,
        years_end_before=1,
        in_force_until=DECREE_152_FROM - datetime.timedelta(days=1),
        text_vi="Hai năm liên tục hoàn thành xuất sắc nhiệm vụ",
        text_en="Completed tasks excellently two years running",
    ),
    Rule(
        demo.BK,
        "bk-ratings",
        K.RATINGS,
        "37",
        instrument=DECREE_152,
        rating=Rating.GOOD,
        years=2,
        years_end_before=1,
        in_force_from=DECREE_152_FROM,
        text_vi="Hai năm liên tục hoàn thành tốt nhiệm vụ trở lên",
        text_en="Completed tasks well or better two years running",
    ),
    Rule(
        demo.BK,
        "bk-discipline",
        K.NO_DISCIPLINE,
        "74",
        discipline=DisciplineKind.WARNING,
        years=2,
        text_vi="Không bị kỷ luật từ cảnh cáo trở lên trong hai năm",
        text_en="No warning or heavier measure in two years",
    ),
    Rule(
        demo.BK,
        "bk-service",
        K.SERVICE_YEARS,
        "74",
        years=5,
        hard=False,
        text_vi="Có ít nhất 5 năm công tác",
        text_en="At least five years of service",
    ),
]

G, E, C = Rating.GOOD, Rating.EXCELLENT, Rating.COMPLETED
# Ratings by the years before the campaign's (4, 3, 2, 1, 0: this year); None: not recorded.
RATINGS = {
    "lannt": (E, E, E, E, E),
    "quanlm": (G, G, E, G, E),
    "hapt": (G, G, G, G, G),
    "thanghd": (G, C, G, G, G),
    "maivt": (G, G, G, E, G),
    "longdv": (E, G, G, G, G),
    "hongbt": (G, G, E, E, E),
    "huydq": (G, G, G, G, C),
    "huongntt": (G, E, G, E, G),
    "namtv": (None, None, G, G, None),  # this year's assessment not recorded yet
    "tuanpa": (None, G, G, G, G),
    "linhdt": (None, None, G, E, G),
    # The collectives' own.
    "phong-van-thu-luu-tru": (G, G, E, G, G),
    "phong-quan-tri": (G, G, G, E, None),
}

# (person, title, level, years before the campaign's, recognised by)
INITIATIVES = [
    (
        "lannt",
        "Quy trình tổng hợp ý kiến đại biểu Quốc hội trên nền tảng số",
        RecognitionLevel.MINISTRY,
        0,
        "QĐ 45/QĐ-HĐSK",
    ),
    (
        "quanlm",
        "Bộ mẫu biểu điện tử cho hồ sơ trình ký",
        RecognitionLevel.AGENCY,
        0,
        "QĐ 45/QĐ-HĐSK",
    ),
    ("hapt", "Lịch họp dùng chung của Vụ", RecognitionLevel.AGENCY, 0, "QĐ 45/QĐ-HĐSK"),
    ("thanghd", "Sổ tay nghiệp vụ tổng hợp", RecognitionLevel.AGENCY, 0, "QĐ 45/QĐ-HĐSK"),
    (
        "longdv",
        "Lập chỉ mục và tra cứu hồ sơ lưu trữ theo từ khóa",
        RecognitionLevel.AGENCY,
        0,
        "QĐ 45/QĐ-HĐSK",
    ),
    ("hongbt", "Số hóa sổ đăng ký văn bản đến", RecognitionLevel.AGENCY, 0, "QĐ 45/QĐ-HĐSK"),
    ("huongntt", "Quản lý tài sản công bằng mã QR", RecognitionLevel.AGENCY, 0, "QĐ 45/QĐ-HĐSK"),
    # Recognised by her division only: below the agency level the fighter's title asks for.
    ("maivt", "Mẫu báo cáo tuần của Phòng", RecognitionLevel.UNIT, 0, "Biên bản 07/BB-PTH"),
    ("lannt", "Chuẩn hóa quy trình biên tập văn bản", RecognitionLevel.AGENCY, 1, "QĐ 38/QĐ-HĐSK"),
]

# Years of service by the campaign's rules date (None: no date recorded).
SERVICE_YEARS = {
    "lannt": 14,
    "quanlm": 9,
    "hapt": None,
    "thanghd": 6,
    "maivt": 7,
    "longdv": 18,
    "hongbt": 11,
    "huydq": 8,
    "huongntt": 12,
    "namtv": 3,
    "tuanpa": 5,
    "linhdt": 2,
}

# The one disciplinary measure: a reprimand three months before the rules date, for six months.
DISCIPLINE = ("huydq", DisciplineKind.REPRIMAND, 90, 182, "QĐ 21/QĐ-VPQH về việc kỷ luật")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def seed_eligibility(command, campaign, awards, people, units) -> None:
    """The demo's criteria and record, through `command.upsert` (matched on natural keys and
    saved only where they differ: a second run changes nothing)."""
    upsert = command.upsert
    for position, rule in enumerate(RULES, start=1):
        award = awards[rule.award]
        criterion = upsert(
            "criteria",
            Criterion,
            {"award_type": award, "code": rule.code, "in_force_from": rule.in_force_from},
            {
                "position": position,
                "kind": rule.kind,
                "hard": rule.hard,
                "title": awards[rule.title] if rule.title else None,
                "years": rule.years,
                "years_end_before": rule.years_end_before,
                "rating": rule.rating,
                "level": rule.level,
                "discipline": rule.discipline,
                "share_percent": Decimal(rule.share_percent) if rule.share_percent else None,
                "instrument": rule.instrument,
                "article": rule.article,
                "clause": rule.clause,
                "in_force_until": rule.in_force_until,
                "text_vi": rule.text_vi,
                "text_en": rule.text_en,
            },
        )
        criterion.full_clean()  # the demo's rules pass the admin's checks

    year, day = campaign.year, campaign.rules_date
    for holder, ratings in RATINGS.items():
        who = {"unit": units[holder]} if holder in units else {"person": people[holder]}
        for back, rating in zip(range(len(ratings) - 1, -1, -1), ratings, strict=True):
            if rating is None:
                continue
            upsert(
                "annual ratings",
                AnnualRating,
                {**who, "year": year - back},
                {
                    "rating": rating,
                    "source": RecordSource.IMPORTED if back else RecordSource.ENTERED,
                    "reference": f"Biên bản đánh giá, xếp loại năm {year - back}",
                },
            )
    for username, title, level, back, reference in INITIATIVES:
        upsert(
            "initiatives",
            Initiative,
            {"person": people[username], "title": title},
            {"level": level, "year": year - back, "reference": reference},
        )
    for username, years in SERVICE_YEARS.items():
        start = _years_before(day, years) - datetime.timedelta(days=40) if years else None
        upsert("profiles", Profile, {"user": people[username]}, {"service_start": start})
    username, kind, before, lasts, reference = DISCIPLINE
    decided = day - datetime.timedelta(days=before)
    upsert(
        "disciplinary measures",
        DisciplinaryMeasure,
        {"person": people[username], "kind": kind, "reference": reference},
        {"decided_on": decided, "ends_on": decided + datetime.timedelta(days=lasts)},
    )
