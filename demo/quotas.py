"""The demo's coded reasons and its quotas (`seed_quotas`, called by `seed_demo` once the
nominations have made their journeys).

The quota is the rule that Grassroots Emulation Fighters be at most 15% of the unit's Advanced
Workers. The ceiling is attested in Decree 91/2017/NĐ-CP, Art. 9(3) ("không quá 15% tổng số cá
nhân đạt danh hiệu Lao động tiên tiến"); its article in Decree 152/2025/NĐ-CP, which the demo
cites, was not verified, so the article is left blank. It is set after the unit heads confirmed
the demo's nominations — as a quota set or lowered mid-campaign would be — so the General
Affairs Department's Synthesis Division (phong-tong-hop) is over it: 2 confirmed against a limit
of 0 (15% of its 5 Advanced Worker nominees is 0.75). The Department of Administration has a
fixed quota it has reached exactly. Both show on the quota report and the council's agenda.
"""

from decimal import Decimal

from nominations.models import AwardType, Campaign, Quota, QuotaBase, ReasonCode, Unit

from . import data as demo

# (code, Vietnamese, English, for return, for reject, for "not commended", needs text)
REASON_CODES = [
    ("sai-doi-tuong", "Không đúng đối tượng", "Wrong person", True, True, True, False),
    ("chua-dat-tieu-chuan", "Chưa đạt tiêu chuẩn", "Below standard", True, True, True, False),
    ("ho-so-chua-day-du", "Hồ sơ chưa đầy đủ", "Dossier incomplete", True, False, False, False),
    ("vi-pham", "Có vi phạm", "Violation", False, True, True, False),
    ("ly-do-khac", "Lý do khác", "Other", True, True, True, True),
]

DECREE = "Nghị định 152/2025/NĐ-CP"


def seed_quotas(campaign: Campaign, count=lambda what, outcome: None) -> None:
    """The coded reasons and the quotas, matched on their codes and units (running it again
    changes nothing). `count(what, outcome)` is the seed's bookkeeping."""
    for position, (code, vi, en, ret, rej, not_commended, needs_text) in enumerate(REASON_CODES):
        _, created = ReasonCode.objects.update_or_create(
            code=code,
            defaults={
                "label_vi": vi,
                "label_en": en,
                "for_return": ret,
                "for_reject": rej,
                "for_not_commended": not_commended,
                "needs_text": needs_text,
                "position": (position + 1) * 10,
            },
        )
        count("reason code", "created" if created else "unchanged")
    awards = {a.code: a for a in AwardType.objects.filter(code__in=[demo.CSTD, demo.LDTT])}
    units = {u.code: u for u in Unit.objects.filter(code__in=["phong-tong-hop", "vu-hanh-chinh"])}
    quotas = [
        (
            units["phong-tong-hop"],
            {
                "base": QuotaBase.TITLE_HOLDERS,
                "base_title": awards[demo.LDTT],
                "share_percent": Decimal("15"),
                "max_count": None,
                "instrument": DECREE,
                "article": "",
            },
        ),
        (
            units["vu-hanh-chinh"],
            {
                "base": QuotaBase.FIXED,
                "base_title": None,
                "share_percent": None,
                "max_count": 3,
                "instrument": "Quy chế thi đua, khen thưởng của Văn phòng",
                "article": "",
            },
        ),
    ]
    for unit, values in quotas:
        quota = Quota(award_type=awards[demo.CSTD], unit=unit, campaign=campaign, **values)
        quota.full_clean(validate_unique=False, validate_constraints=False)
        _, created = Quota.objects.update_or_create(
            award_type=awards[demo.CSTD], unit=unit, campaign=campaign, defaults=values
        )
        count("quota", "created" if created else "unchanged")
