"""Working days: what is left of a period is counted as the period itself is."""

import datetime
import time

from nominations import calendar
from nominations.calendar import add_working_days, working_days_between, working_days_overdue
from nominations.models import Holiday

MONDAY = datetime.date(2026, 11, 23)


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
