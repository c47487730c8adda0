"""Vietnam's public holidays 2025-2030, as data (issue 13).

Each row says where its date comes from (`source`). 2025 and 2026 are the days the Government
proclaimed (the year's notices); 2027-2030 are computed from the Labour Code 2019, Art. 112,
and the Vietnamese lunar calendar (UTC+7; computed with python-holidays 0.108 when this
migration was written, not at run time), and marked as computed: the Prime Minister's notice
for each year may move Tết's days, choose the other National Day, and add compensatory days off
and working Saturdays, which an administrator then enters (Holiday admin).

Idempotent: a date already in the table (entered by an administrator, or by an earlier run) is
left as it is. Reversing removes only the rows this migration wrote and nobody changed since.
"""

import datetime

from django.db import migrations

LAW = "Bộ luật Lao động 2019, Điều 112"
TET_2025 = "Thông báo 6150/TB-BLĐTBXH (2024): Tết Ất Tỵ nghỉ 25/1–2/2/2025; " + LAW
APRIL_2025 = (
    "Thủ tướng đồng ý (2025): nghỉ 30/4–4/5/2025, nghỉ thứ Sáu 2/5, làm bù thứ Bảy 26/4; " + LAW
)
SEPT_2025 = "Lịch nghỉ Quốc khánh 2025 cho công chức: nghỉ 30/8–2/9, ngày liền kề 1/9; " + LAW
NEW_YEAR_2026 = (
    "Công văn 12729/VPCP-KGVX (25/12/2025): nghỉ 1/1–4/1/2026, nghỉ thứ Sáu 2/1, "
    "làm bù thứ Bảy 10/1; " + LAW
)
TET_SEPT_2026 = (
    "Thủ tướng đồng ý (10/2025) đề xuất của Bộ Nội vụ: Tết Bính Ngọ nghỉ 14/2–22/2/2026; "
    "Quốc khánh nghỉ 29/8–2/9/2026, nghỉ thứ Hai 31/8, làm bù thứ Bảy 22/8; " + LAW
)
CULTURE_DAY = (
    "Ngày Văn hóa Việt Nam 24/11: Nghị quyết 80-NQ/TW (1/2026), Nghị quyết 30/NQ-CP (2/2026) "
    "giao bổ sung Điều 112(1) Bộ luật Lao động; kiểm tra hiệu lực của sửa đổi"
)
COMPUTED = (
    "Tính toán, chưa công bố: " + LAW + "; âm lịch Việt Nam (UTC+7); Tết = giao thừa và mùng "
    "1–4, ngày trùng cuối tuần dời sang ngày làm việc gần nhất; ngày lễ trùng cuối tuần nghỉ bù "
    "ngày làm việc kế tiếp (khoản 3); Thông báo của Thủ tướng cho năm đó quyết định"
)

COMPUTED_CULTURE_DAY = (
    "Tính toán, chưa công bố: " + CULTURE_DAY + "; trùng cuối tuần thì nghỉ bù ngày làm việc kế "
    "tiếp (Điều 112, khoản 3)"
)

HOLIDAY, DAY_OFF, WORKING_DAY = "holiday", "day_off", "working_day"

# (date, kind, name, source)
PROCLAIMED = [
    ("2025-01-01", HOLIDAY, "Tết Dương lịch", LAW),
    ("2025-01-27", HOLIDAY, "Tết Nguyên đán (28 tháng Chạp)", TET_2025),
    ("2025-01-28", HOLIDAY, "Tết Nguyên đán (giao thừa)", TET_2025),
    ("2025-01-29", HOLIDAY, "Tết Nguyên đán (mùng 1)", TET_2025),
    ("2025-01-30", HOLIDAY, "Tết Nguyên đán (mùng 2)", TET_2025),
    ("2025-01-31", HOLIDAY, "Tết Nguyên đán (mùng 3)", TET_2025),
    ("2025-04-07", HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LAW),
    ("2025-04-26", WORKING_DAY, "Làm bù cho thứ Sáu 2/5", APRIL_2025),
    ("2025-04-30", HOLIDAY, "Ngày Chiến thắng", LAW),
    ("2025-05-01", HOLIDAY, "Ngày Quốc tế Lao động", LAW),
    ("2025-05-02", DAY_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4)", APRIL_2025),
    ("2025-09-01", HOLIDAY, "Quốc khánh (ngày liền kề)", SEPT_2025),
    ("2025-09-02", HOLIDAY, "Quốc khánh", SEPT_2025),
    ("2026-01-01", HOLIDAY, "Tết Dương lịch", NEW_YEAR_2026),
    ("2026-01-02", DAY_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 10/1)", NEW_YEAR_2026),
    ("2026-01-10", WORKING_DAY, "Làm bù cho thứ Sáu 2/1", NEW_YEAR_2026),
    ("2026-02-16", HOLIDAY, "Tết Nguyên đán (giao thừa)", TET_SEPT_2026),
    ("2026-02-17", HOLIDAY, "Tết Nguyên đán (mùng 1)", TET_SEPT_2026),
    ("2026-02-18", HOLIDAY, "Tết Nguyên đán (mùng 2)", TET_SEPT_2026),
    ("2026-02-19", HOLIDAY, "Tết Nguyên đán (mùng 3)", TET_SEPT_2026),
    ("2026-02-20", HOLIDAY, "Tết Nguyên đán (mùng 4)", TET_SEPT_2026),
    ("2026-04-26", HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", LAW),
    ("2026-04-27", DAY_OFF, "Giỗ Tổ Hùng Vương (nghỉ bù)", LAW + ", khoản 3"),
    ("2026-04-30", HOLIDAY, "Ngày Chiến thắng", LAW),
    ("2026-05-01", HOLIDAY, "Ngày Quốc tế Lao động", LAW),
    ("2026-08-22", WORKING_DAY, "Làm bù cho thứ Hai 31/8", TET_SEPT_2026),
    ("2026-08-31", DAY_OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 22/8)", TET_SEPT_2026),
    ("2026-09-01", HOLIDAY, "Quốc khánh (ngày liền kề)", TET_SEPT_2026),
    ("2026-09-02", HOLIDAY, "Quốc khánh", TET_SEPT_2026),
    ("2026-11-24", HOLIDAY, "Ngày Văn hóa Việt Nam", CULTURE_DAY),
]

# (date, kind, name): their source is COMPUTED (Ngày Văn hóa Việt Nam: COMPUTED_CULTURE_DAY).
COMPUTED_ROWS = [
    ("2027-01-01", "holiday", "Tết Dương lịch"),
    ("2027-02-04", "day_off", "29 Tết"),
    ("2027-02-05", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2027-02-06", "holiday", "Tết Nguyên Đán"),
    ("2027-02-07", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2027-02-08", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2027-02-09", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2027-02-10", "day_off", "Mùng năm Tết Nguyên Đán"),
    ("2027-04-16", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2027-04-30", "holiday", "Ngày Chiến thắng"),
    ("2027-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2027-05-03", "day_off", "Ngày Quốc tế Lao động (nghỉ bù)"),
    ("2027-09-02", "holiday", "Quốc khánh"),
    ("2027-09-03", "holiday", "Quốc khánh"),
    ("2027-11-24", "holiday", "Ngày Văn hóa Việt Nam"),
    ("2028-01-01", "holiday", "Tết Dương lịch"),
    ("2028-01-03", "day_off", "Tết Dương lịch (nghỉ bù)"),
    ("2028-01-24", "day_off", "29 Tết"),
    ("2028-01-25", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2028-01-26", "holiday", "Tết Nguyên Đán"),
    ("2028-01-27", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2028-01-28", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2028-01-29", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2028-04-04", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2028-04-30", "holiday", "Ngày Chiến thắng"),
    ("2028-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2028-05-02", "day_off", "Ngày Chiến thắng (nghỉ bù)"),
    ("2028-09-01", "holiday", "Quốc khánh"),
    ("2028-09-02", "holiday", "Quốc khánh"),
    ("2028-09-04", "day_off", "Quốc khánh (nghỉ bù)"),
    ("2028-11-24", "holiday", "Ngày Văn hóa Việt Nam"),
    ("2029-01-01", "holiday", "Tết Dương lịch"),
    ("2029-02-12", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2029-02-13", "holiday", "Tết Nguyên Đán"),
    ("2029-02-14", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2029-02-15", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2029-02-16", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2029-04-23", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2029-04-30", "holiday", "Ngày Chiến thắng"),
    ("2029-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2029-09-02", "holiday", "Quốc khánh"),
    ("2029-09-03", "holiday", "Quốc khánh"),
    ("2029-09-04", "day_off", "Quốc khánh (nghỉ bù)"),
    ("2029-11-24", "holiday", "Ngày Văn hóa Việt Nam"),
    ("2029-11-26", "day_off", "Ngày Văn hóa Việt Nam (nghỉ bù)"),
    ("2030-01-01", "holiday", "Tết Dương lịch"),
    ("2030-01-31", "day_off", "29 Tết"),
    ("2030-02-01", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2030-02-02", "holiday", "Tết Nguyên Đán"),
    ("2030-02-03", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2030-02-04", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2030-02-05", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2030-02-06", "day_off", "Mùng năm Tết Nguyên Đán"),
    ("2030-04-12", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2030-04-30", "holiday", "Ngày Chiến thắng"),
    ("2030-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2030-09-02", "holiday", "Quốc khánh"),
    ("2030-09-03", "holiday", "Quốc khánh"),
    ("2030-11-24", "holiday", "Ngày Văn hóa Việt Nam"),
    ("2030-11-25", "day_off", "Ngày Văn hóa Việt Nam (nghỉ bù)"),
]


def rows():
    for day, kind, name, source in PROCLAIMED:
        yield datetime.date.fromisoformat(day), kind, name, source
    for day, kind, name in COMPUTED_ROWS:
        source = COMPUTED_CULTURE_DAY if "Văn hóa" in name else COMPUTED
        yield datetime.date.fromisoformat(day), kind, name, source


def ship(apps, schema_editor):
    Holiday = apps.get_model("nominations", "Holiday")
    known = set(Holiday.objects.values_list("date", flat=True))
    Holiday.objects.bulk_create(
        [
            Holiday(date=day, kind=kind, name=name, source=source)
            for day, kind, name, source in rows()
            if day not in known
        ]
    )


def unship(apps, schema_editor):
    Holiday = apps.get_model("nominations", "Holiday")
    for day, kind, name, source in rows():
        Holiday.objects.filter(date=day, kind=kind, name=name, source=source).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0009_timers_and_calendar"),
    ]

    operations = [migrations.RunPython(ship, unship)]
