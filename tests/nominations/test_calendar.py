"""Working days: what is left of a period is counted as the period itself is."""

import datetime

from nominations.calendar import add_working_days, working_days_between

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
