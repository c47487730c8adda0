"""The demo's statutory statistics: last year's awards, entered by the emulation office from its
past records through the record import (one audited event, as the import page does it), so that
the Ministry of Home Affairs' forms of the year before have something in every part: state-level
awards the higher level conferred on the agency's request (the Prime Minister's Certificate of
Merit to a person and to a collective, a Labour Order) on form 0602, the agency's own Certificates
of Merit on form 0603. This year's forms count what the demo's workflow conferred, and the
campaign. Running the seed again changes nothing: the awards are imported once.
"""

import datetime
import io

from openpyxl import Workbook

from nominations import record_import
from nominations.models import AwardLevel, AwardType, ConferredAward, NomineeKind, RouteStage
from nominations.stages import DEFAULT_STAGE_ROLE

from . import data as demo

# State-level awards: proposed by the agency, conferred by the level above (reference data,
# matched on the code; left as they are if another part of the demo made them first).
STATE_AWARD_TYPES = [
    {
        "code": "bang-khen-thu-tuong",
        "name_vi": "Bằng khen của Thủ tướng Chính phủ",
        "name_en": "Prime Minister's Certificate of Merit",
        "nominee_kind": NomineeKind.EITHER,
        "higher_authority_vi": "Thủ tướng Chính phủ",
        "higher_authority_en": "The Prime Minister",
    },
    {
        "code": "huan-chuong-lao-dong-hang-ba",
        "name_vi": "Huân chương Lao động hạng Ba",
        "name_en": "Labour Order, Third Class",
        "nominee_kind": NomineeKind.EITHER,
        "higher_authority_vi": "Chủ tịch nước",
        "higher_authority_en": "The President",
    },
]

# Last year's awards: (person's username or "", collective's unit code or "", award code,
# decision number, month and day of the decision).
PAST_AWARDS = [
    ("lannt", "", "bang-khen-thu-tuong", "1186/QĐ-TTg", (9, 12)),
    ("", "phong-van-thu-luu-tru", "bang-khen-thu-tuong", "1186/QĐ-TTg", (9, 12)),
    ("quanlm", "", "huan-chuong-lao-dong-hang-ba", "1502/QĐ-CTN", (10, 30)),
    ("hongbt", "", demo.BK, "215/QĐ-VPQH", (1, 20)),
    ("huongntt", "", demo.BK, "215/QĐ-VPQH", (1, 20)),
    ("", "phong-quan-tri", demo.BK, "215/QĐ-VPQH", (1, 20)),
]
FILE_NAME = "ho-so-khen-thuong-nam-truoc.xlsx"


def _award_types(count) -> None:
    for spec in STATE_AWARD_TYPES:
        award, created = AwardType.objects.get_or_create(
            code=spec["code"],
            defaults={
                **{k: v for k, v in spec.items() if k != "code"},
                "level": AwardLevel.STATE,
                "decided_at_higher_level": True,
                "secret_ballot": True,
                "vote_threshold_percent": 70,
                "required_documents": demo.INDIVIDUAL_DOCUMENTS,
            },
        )
        count("award types", "created" if created else "unchanged")
        if created:
            for position, (stage, days) in enumerate(demo.FULL_ROUTE, start=1):
                RouteStage.objects.create(
                    award_type=award,
                    position=position,
                    stage=stage,
                    role=DEFAULT_STAGE_ROLE[stage],
                    deadline_working_days=days,
                )


def _workbook(year: int) -> bytes:
    sheet_spec = record_import.SHEET_OF["awards"]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_spec.vi
    sheet.append([c.vi for c in sheet_spec.columns])
    keys = [c.key for c in sheet_spec.columns]
    for username, unit_code, award, number, (month, day) in PAST_AWARDS:
        values = {
            "username": username or None,
            "unit_code": unit_code or None,
            "award": award,
            "year": year,
            "decision_number": number,
            "conferred_on": datetime.date(year, month, day).strftime("%d/%m/%Y"),
        }
        sheet.append([values[k] for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed_statistics(*, office, campaign, count) -> None:
    """Import last year's awards as the office (`office`: the council's secretary)."""
    _award_types(count)
    year = campaign.year - 1
    numbers = {number for *_, number, _date in PAST_AWARDS}
    if ConferredAward.objects.filter(year=year, decision_number__in=numbers).exists():
        count("past awards", "unchanged")
        return
    read = record_import.read(_workbook(year), FILE_NAME)
    checked = record_import.import_rows(read, actor=office)
    for _row in checked.rows:
        count("past awards", "imported")
