"""Races over requests to the higher level, on PostgreSQL with real row locks: two requests
signed at once take distinct, consecutive numbers; one request signed twice at once is signed
once, its nominations forwarded once."""

import time

import pytest

from approvals import forwarding
from approvals.models import ForwardRequest, RequestCounter
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import TransitionRefused
from nominations.models import Nomination
from nominations.stages import Status
from tests.factories import AwardTypeFactory
from tests.workflows.test_council_concurrency import HOLD_SECONDS, race

pytestmark = pytest.mark.postgres


@pytest.fixture
def committed_world(transactional_db, world):
    return world


@pytest.fixture
def slow_signing(monkeypatch):
    """Whoever holds the counter writes the request's event slowly, inside its transaction."""
    real = forwarding.events.request_signed

    def slow(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(forwarding.events, "request_signed", slow)


@pytest.fixture
def draft_request(committed_world, at_council, walk):
    award = AwardTypeFactory(decided_at_higher_level=True, higher_authority_vi="Thủ tướng")

    def _make():
        n = walk(at_council(award), "council_approve")
        return forwarding.prepare_request(
            actor=committed_world.secretary,
            agency=committed_world.agency,
            campaign=committed_world.campaign,
            nominations=[n],
            title="Tờ trình",
        )

    return _make


def test_two_requests_signed_at_once_take_distinct_consecutive_numbers(
    committed_world, draft_request, slow_signing
):
    first, second = draft_request(), draft_request()

    results = race(
        lambda: forwarding.sign_request(first, actor=committed_world.signer),
        lambda: forwarding.sign_request(second, actor=committed_world.signer),
    )

    assert not any(isinstance(r, Exception) for r in results), results
    numbers = sorted(ForwardRequest.objects.values_list("number", flat=True))
    assert numbers == [1, 2]
    assert RequestCounter.objects.get().last_number == 2


def test_one_request_signed_twice_at_once_is_signed_once(
    committed_world, draft_request, slow_signing
):
    request = draft_request()

    results = race(
        lambda: forwarding.sign_request(request, actor=committed_world.signer),
        lambda: forwarding.sign_request(request, actor=committed_world.signer),
    )

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], TransitionRefused), results
    assert "no longer changes" in refused[0].message
    assert RequestCounter.objects.get().last_number == 1
    assert AuditEvent.objects.filter(action=Event.REQUEST_SIGNED).count() == 1
    assert AuditEvent.objects.filter(action=Event.FORWARDED).count() == 1
    assert set(Nomination.objects.values_list("status", flat=True)) == {Status.FORWARDED}
