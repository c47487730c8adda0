"""Requests to the higher level through the API: read-only, for the council's readers."""

import datetime

from django.urls import reverse
from django.utils import timezone

from approvals import forwarding
from approvals.models import ForwardEntry
from tests.factories import AwardTypeFactory


def _signed(world, at_council, walk):
    award = AwardTypeFactory(decided_at_higher_level=True, higher_authority_vi="Thủ tướng")
    chosen = [walk(at_council(award), "council_approve") for _ in range(2)]
    request = forwarding.prepare_request(
        actor=world.secretary, agency=world.agency, nominations=chosen, title="Tờ trình"
    )
    request = forwarding.sign_request(request, actor=world.signer)
    first = request.entries.order_by("position").first()
    forwarding.record_outcome(
        first,
        actor=world.secretary,
        outcome=ForwardEntry.Outcome.CONFERRED,
        decision_number="1234/QĐ-TTg",
        decided_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return request


def test_the_council_reads_requests_and_their_outcomes(api, world, at_council, walk):
    request = _signed(world, at_council, walk)

    listing = api(world.member).get(reverse("api_forward_requests"))
    assert listing.status_code == 200
    (row,) = listing.json()["results"]
    assert row["reference"] == request.reference and row["status"] == "signed"

    detail = api(world.signer).get(reverse("api_forward_request", args=[request.pk]))
    assert detail.status_code == 200
    entries = detail.json()["entries"]
    assert [e["outcome"] for e in entries] == ["conferred", "pending"]
    assert entries[0]["higher_decision_number"] == "1234/QĐ-TTg"


def test_other_roles_see_no_request(api, world, at_council, walk):
    request = _signed(world, at_council, walk)
    client = api(world.proposer)
    assert client.get(reverse("api_forward_requests")).json()["results"] == []
    assert client.get(reverse("api_forward_request", args=[request.pk])).status_code == 404
