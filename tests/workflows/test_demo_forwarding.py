"""The demo's request to the higher level (demo/forwarding.py): the Prime Minister's Certificate
of Merit forwarded in one signed request after the council, with mixed outcomes recorded — and
the nominees' records and pages showing them."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from approvals.models import ForwardEntry, ForwardRequest
from audit.events import Event
from audit.models import AuditEvent
from demo import forwarding as demo_forwarding
from nominations.models import ConferredAward, Nomination, RecordSource
from nominations.stages import Status


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_forwards_one_request_with_mixed_outcomes(seeded, client):
    request = ForwardRequest.objects.get()
    assert request.status == ForwardRequest.Status.SIGNED  # one nominee still awaited
    assert request.reference.endswith("/TTr-VPQH")
    assert request.addressed_to == "Thủ tướng Chính phủ"
    assert request.letter_sha256 and request.letter_name.endswith(".docx")
    outcomes = {
        e.nomination.nominee_person.username: e
        for e in request.entries.select_related("nomination__nominee_person")
    }
    assert {u: e.outcome for u, e in outcomes.items()} == {
        "lannt": ForwardEntry.Outcome.CONFERRED,
        "hapt": ForwardEntry.Outcome.NOT_CONFERRED,
        "longdv": ForwardEntry.Outcome.RETURNED,
        "huongntt": ForwardEntry.Outcome.PENDING,
    }
    statuses = {u: Nomination.objects.get(pk=e.nomination_id).status for u, e in outcomes.items()}
    assert statuses == {
        "lannt": Status.AWARDED,
        "hapt": Status.NOT_CONFERRED,
        "longdv": Status.RETURNED,
        "huongntt": Status.FORWARDED,
    }
    award = ConferredAward.objects.get(nomination_id=outcomes["lannt"].nomination_id)
    assert award.source == RecordSource.HIGHER_LEVEL
    assert award.decision_number == demo_forwarding.CONFERRED[1]
    assert outcomes["hapt"].reasons == demo_forwarding.NOT_CONFERRED[1]
    assert AuditEvent.objects.filter(action=Event.REQUEST_SIGNED).count() == 1
    assert AuditEvent.objects.filter(action=Event.FORWARDED).count() == 4

    # What a user sees: the office's list and request, and the nominee's page.
    secretary = get_user_model().objects.get(username="secretary")
    client.force_login(secretary)
    listing = client.get(reverse("forward_requests"))
    assert request.reference in listing.text
    page = client.get(reverse("forward_request", args=[request.pk]))
    assert demo_forwarding.CONFERRED[1] in page.text
    nominee_page = client.get(reverse("nomination_detail", args=[outcomes["lannt"].nomination_id]))
    assert request.reference in nominee_page.text
    assert demo_forwarding.CONFERRED[1] in nominee_page.text
