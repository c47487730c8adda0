"""The inspectors' search as a selector: days are whole local days, the actions offered are
exactly those in the chain, and a count can stop early."""

import datetime
import json

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


def test_shown_data_keeps_what_a_page_shows_and_reads_a_missing_key_as_none():
    event = AuditEvent(
        data={"stage": "unit_review", "choice": "yes", "secret": True, "internal": 1}
    )
    shown = trail.shown_data(event)
    assert shown["stage"] == "unit_review"
    assert "choice" not in shown  # a secret ballot's choice is never shown
    assert "internal" not in shown
    assert shown["decision_number"] is None  # what a template asks of every event
    assert "decision_number" not in shown  # and asking adds nothing
    assert json.loads(json.dumps(shown)) == dict(shown)  # exports write it as it is
