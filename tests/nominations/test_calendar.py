"""Working days: what is left of a period is counted as the period itself is."""

import datetime
import re
import time

from django.urls import reverse

from nominations import calendar
from nominations.calendar import (
    Calendar,
    add_working_days,
    is_working_day,
    working_days_between,
    working_days_overdue,
)
from nominations.models import DayKind, Holiday

# A week with no public holiday (the shipped calendar has none in December 2026).
MONDAY = datetime.date(2026, 12, 7)


def test_what_is_left_of_a_period_skips_weekends_and_holidays():
    friday = MONDAY + datetime.timedelta(days=4)
    next_monday = MONDAY + datetime.timedelta(days=7)
    assert working_days_between(friday, next_monday, holidays=()) == 1
    assert working_days_between(MONDAY, next_monday, holidays=()) == 5
    tuesday = MONDAY + datetime.timedelta(days=1)
    assert working_days_between(MONDAY, next_monday, holidays={tuesday}) == 4


def test_nothing_is_left_on_or_after_the_last_day():
    assert working_days_between(MONDAY, MONDAY, holidays=()) == 0
    assert working_days_between(MONDAY, MONDAY - datetime.timedelta(days=3), holidays=()) == 0


def test_counting_back_the_days_added_gives_the_period(db):
    for days in range(0, 15):
        end = add_working_days(MONDAY, days)
        assert working_days_between(MONDAY, end) == days


def test_days_overdue_count_from_the_due_day_up_to_today_today_excluded():
    tuesday = MONDAY + datetime.timedelta(days=1)
    friday = MONDAY + datetime.timedelta(days=4)
    saturday = MONDAY + datetime.timedelta(days=5)
    next_monday = MONDAY + datetime.timedelta(days=7)
    assert working_days_overdue(MONDAY, tuesday, holidays=()) == 1
    assert working_days_overdue(friday, next_monday, holidays=()) == 1  # the weekend is not
    assert working_days_overdue(MONDAY, next_monday, holidays=()) == 5
    assert working_days_overdue(MONDAY, next_monday, holidays={tuesday}) == 4
    assert working_days_overdue(saturday, next_monday, holidays=()) == 0  # due on a day off


def test_a_deadline_not_yet_past_is_not_overdue():
    assert working_days_overdue(MONDAY, MONDAY, holidays=()) == 0
    assert working_days_overdue(MONDAY + datetime.timedelta(days=3), MONDAY, holidays=()) == 0


def test_days_overdue_read_the_holidays_when_not_given(db):
    wednesday = MONDAY + datetime.timedelta(days=2)
    Holiday.objects.create(date=wednesday, name="Ngày nghỉ")
    assert working_days_overdue(MONDAY, MONDAY + datetime.timedelta(days=7)) == 4


def test_a_holiday_added_or_removed_counts_at_once_in_this_process(db, django_assert_num_queries):
    friday = MONDAY + datetime.timedelta(days=4)
    assert add_working_days(MONDAY, 4) == friday
    with django_assert_num_queries(0):  # the process's copy, read by the call above
        assert add_working_days(MONDAY, 4) == friday
    holiday = Holiday.objects.create(date=MONDAY + datetime.timedelta(days=2), name="Ngày nghỉ")
    assert add_working_days(MONDAY, 4) == MONDAY + datetime.timedelta(days=7)
    holiday.delete()
    assert add_working_days(MONDAY, 4) == friday


def test_another_process_s_change_is_read_within_the_time_kept(db, monkeypatch):
    friday = MONDAY + datetime.timedelta(days=4)
    assert add_working_days(MONDAY, 4) == friday
    # Written as another process would: no signal reaches this one.
    Holiday.objects.bulk_create([Holiday(date=MONDAY + datetime.timedelta(days=1), name="Bù")])
    assert add_working_days(MONDAY, 4) == friday  # still the copy
    later = time.monotonic() + calendar.HOLIDAYS_KEPT_SECONDS + 1
    monkeypatch.setattr(calendar.time, "monotonic", lambda: later)
    assert add_working_days(MONDAY, 4) == MONDAY + datetime.timedelta(days=7)


# --- the calendar's kinds of day, and the shipped public holidays ---------------------------


def test_a_weekend_day_worked_counts_and_a_day_off_does_not(db):
    friday = MONDAY + datetime.timedelta(days=4)
    saturday = friday + datetime.timedelta(days=1)
    next_monday = MONDAY + datetime.timedelta(days=7)
    assert add_working_days(friday, 1) == next_monday
    Holiday.objects.create(date=saturday, name="Làm bù", kind=DayKind.WORKING_DAY)
    assert add_working_days(friday, 1) == saturday  # the Saturday worked counts
    assert working_days_between(friday, next_monday) == 2
    assert working_days_overdue(friday, next_monday) == 2  # Friday and the Saturday worked
    Holiday.objects.create(date=next_monday, name="Nghỉ bù", kind=DayKind.DAY_OFF)
    assert add_working_days(friday, 2) == next_monday + datetime.timedelta(days=1)
    assert working_days_between(friday, next_monday + datetime.timedelta(days=1)) == 2


def test_a_calendar_of_a_span_answers_as_the_table_does_without_a_query(
    db, django_assert_num_queries
):
    friday = MONDAY + datetime.timedelta(days=4)
    saturday = friday + datetime.timedelta(days=1)
    Holiday.objects.create(date=saturday, name="Làm bù", kind=DayKind.WORKING_DAY)
    Holiday.objects.create(date=MONDAY, name="Nghỉ bù", kind=DayKind.DAY_OFF)
    span = calendar.calendar_between(MONDAY, MONDAY + datetime.timedelta(days=14))
    assert span == Calendar(frozenset({MONDAY}), frozenset({saturday}))
    assert calendar.holidays_between(MONDAY, saturday) == {MONDAY}  # the days not worked
    with django_assert_num_queries(0):
        assert add_working_days(MONDAY, 5, span) == saturday
        assert working_days_between(MONDAY, saturday, span) == 5
    # The old form, a collection of days off, still counts weekends as not worked.
    assert add_working_days(MONDAY, 5, {MONDAY}) == MONDAY + datetime.timedelta(days=7)


# (year, the days of Tết not worked on weekdays, National Day and the day beside it)
SHIPPED = {
    2025: (5, [datetime.date(2025, 9, 1), datetime.date(2025, 9, 2)]),
    2026: (5, [datetime.date(2026, 9, 1), datetime.date(2026, 9, 2)]),
    2027: (5, [datetime.date(2027, 9, 2), datetime.date(2027, 9, 3)]),
    2028: (5, [datetime.date(2028, 9, 1), datetime.date(2028, 9, 2)]),
    2029: (5, [datetime.date(2029, 9, 2), datetime.date(2029, 9, 3)]),
    2030: (5, [datetime.date(2030, 9, 2), datetime.date(2030, 9, 3)]),
}


def test_vietnam_s_public_holidays_ship_for_2025_to_2030_with_their_source(db):
    for year, (tet_weekdays, national_day) in SHIPPED.items():
        rows = Holiday.objects.filter(date__year=year)
        assert all(h.source for h in rows), year
        days = {h.date: h for h in rows}
        assert datetime.date(year, 1, 1) in days, year  # New Year
        assert {datetime.date(year, 4, 30), datetime.date(year, 5, 1)} <= set(days), year
        assert set(national_day) <= set(days), year
        assert any("Hùng Vương" in h.name for h in rows), year
        # Tết: five statutory days, and on weekdays at least five days not worked.
        tet = [h for h in rows if "Tết Nguyên" in h.name or h.name == "29 Tết"]
        assert sum(1 for h in tet if h.kind == DayKind.HOLIDAY) == 5, year
        assert sum(1 for h in tet if h.date.weekday() < 5) >= tet_weekdays, year
        assert not any(is_working_day(h.date) for h in tet), year
    # The days the Government proclaimed, and the working Saturdays that paid for them.
    assert not is_working_day(datetime.date(2026, 2, 16))  # Tết Bính Ngọ begins (Monday)
    assert is_working_day(datetime.date(2026, 2, 23))  # back to work after 22/2
    assert not is_working_day(datetime.date(2026, 8, 31))  # swapped for Saturday 22/8
    assert is_working_day(datetime.date(2026, 8, 22))
    assert is_working_day(datetime.date(2025, 4, 26))  # worked for Friday 2/5/2025
    assert not is_working_day(datetime.date(2025, 5, 2))
    # Lunar dates: Hùng Kings' day on 10/3 and Tết on the Vietnamese calendar (2030: 2 Feb).
    assert Holiday.objects.get(date=datetime.date(2030, 2, 2)).name == "Tết Nguyên Đán"
    assert "Hùng Vương" in Holiday.objects.get(date=datetime.date(2028, 4, 4)).name
    computed = Holiday.objects.get(date=datetime.date(2027, 2, 6))
    assert computed.source.startswith("Tính toán, chưa công bố")
    proclaimed = Holiday.objects.get(date=datetime.date(2026, 2, 17))
    assert "Bộ Nội vụ" in proclaimed.source


def test_a_deadline_across_tet_counts_the_working_saturday_and_skips_the_days_off(db):
    # Task created Friday 6 February 2026, five working days: Tết is 14–22 February.
    assert add_working_days(datetime.date(2026, 2, 6), 5) == datetime.date(2026, 2, 13)
    assert add_working_days(datetime.date(2026, 2, 12), 3) == datetime.date(2026, 2, 24)
    # New Year 2026: Friday 2/1 off, Saturday 10/1 worked.
    assert add_working_days(datetime.date(2025, 12, 31), 1) == datetime.date(2026, 1, 5)
    assert add_working_days(datetime.date(2026, 1, 9), 1) == datetime.date(2026, 1, 10)


def _listed(page: str) -> set[str]:
    """The dates (ISO) of the rows of an admin change list of holidays."""
    return set(re.findall(r"Select this object for an action - (\d{4}-\d{2}-\d{2}):", page))


def test_an_administrator_lists_the_days_by_kind_and_year_and_adds_a_working_saturday(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    url = reverse("admin:nominations_holiday_changelist")
    working = client.get(url, {"kind__exact": DayKind.WORKING_DAY}).content.decode()
    assert _listed(working) == {"2025-04-26", "2026-01-10", "2026-08-22"}
    in_2027 = _listed(client.get(url, {"date__year": "2027"}).content.decode())
    assert in_2027 and all(day.startswith("2027-") for day in in_2027)
    assert "2027-04-16" in in_2027  # Hùng Kings' day, 10/3 lunar

    saturday = datetime.date(2026, 12, 12)
    friday = saturday - datetime.timedelta(days=1)
    assert add_working_days(friday, 1) == saturday + datetime.timedelta(days=2)
    response = client.post(
        reverse("admin:nominations_holiday_add"),
        {
            "date": "2026-12-12",
            "name": "Làm bù cho thứ Hai 28/12",
            "kind": DayKind.WORKING_DAY,
            "source": "Công văn của cơ quan (ví dụ)",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert add_working_days(friday, 1) == saturday  # at once, in this process
