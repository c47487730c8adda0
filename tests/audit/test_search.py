"""The inspectors' search as a selector: days are whole local days, the actions offered are
exactly those in the chain, and a count can stop early."""

import datetime

from django.utils import timezone

from audit import selectors as trail
from audit.models import AuditEvent


def test_a_day_holds_the_events_of_that_local_day_only(history):
    today = timezone.localdate()
    events = AuditEvent.objects.count()
    assert trail.search_events(since=today, until=today).count() == events
    assert trail.search_events(until=today - datetime.timedelta(days=1)).count() == 0
    assert trail.search_events(since=today + datetime.timedelta(days=1)).count() == 0


def test_the_actions_offered_are_the_distinct_actions_in_order(history):
    expected = sorted(set(AuditEvent.objects.values_list("action", flat=True)))
    assert trail.actions() == expected


def test_a_capped_count_stops_one_past_the_cap(history):
    events = AuditEvent.objects.count()
    assert trail.capped_count(trail.search_events()) == events
    assert trail.capped_count(trail.search_events(), cap=3) == 4
