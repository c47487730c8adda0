"""A revocation through its pages, and what it shows: the honour roll marks the award revoked
with the revoking decision, the holder's record shows the revocation with its decision and what
was recovered, the nomination's timeline shows every step."""

import html as html_text
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import revocations, verification
from audit.events import Event
from nominations.models import ConferredAward, Revocation, RevocationGround

GROUNDS = "Kê khai thành tích không trung thực."


def _text(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html_text.unescape(page))


@pytest.fixture
def conferred(awarded):
    return awarded(first_name="Văn Bình", last_name="Trần").entries.get().nomination


def _through_the_pages(client, world, nomination):
    """Propose, conclude, sign and record the recovery, each by its person, through HTTP."""
    client.force_login(world.unit_head)
    response = client.post(
        reverse("revocation_propose", args=[nomination.pk]),
        {"ground": RevocationGround.FALSE_DOSSIER, "grounds": GROUNDS, "documents": "KL 12"},
    )
    revocation = Revocation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("revocation_detail", args=[revocation.pk])
    today = timezone.localdate().isoformat()
    client.force_login(world.secretary)
    response = client.post(
        reverse("revocation_council", args=[revocation.pk]),
        {
            "met_on": today,
            "members": 9,
            "present": 7,
            "votes_for": 6,
            "votes_against": 1,
            "votes_abstain": 0,
        },
    )
    assert response.status_code == 302
    client.force_login(world.signer)
    assert client.post(reverse("revocation_sign", args=[revocation.pk])).status_code == 302
    client.force_login(world.secretary)
    response = client.post(
        reverse("revocation_recovery", args=[revocation.pk]),
        {
            "certificate_returned": "on",
            "certificate_returned_on": today,
            "amount_to_recover": 1490000,
            "amount_recovered": 1490000,
            "recovered_on": today,
        },
    )
    assert response.status_code == 302
    return Revocation.objects.get(pk=revocation.pk)


def test_the_route_through_the_pages_and_the_record_shows_it(client, world, conferred):
    revocation = _through_the_pages(client, world, conferred)
    assert revocation.status == Revocation.Status.REVOKED
    assert revocation.certificate_returned and revocation.amount_recovered == 1_490_000

    client.force_login(world.unit_head)
    page = client.get(reverse("revocation_detail", args=[revocation.pk]))
    text = _text(page)
    assert revocation.decision_number in text
    assert "6 for revoking, 1 against" in text
    assert "Money to recover: 1,490,000 VND; recovered: 1,490,000 VND" in text

    record = client.get(reverse("person_record", args=[conferred.nominee_person.pk]))
    html = record.content.decode()
    (block,) = re.findall(r'<div class="revocation.*?</div>', html, re.S)
    assert 'data-status="revoked"' in block
    assert revocation.decision_number in block
    assert "Certificate returned on" in block
    assert "recovered: 1,490,000 VND" in block
    assert reverse("revocation_detail", args=[revocation.pk]) in block
    assert "Propose revoking this award" not in html


def test_the_roll_shows_the_award_revoked_with_the_revoking_decision(client, world, conferred):
    revocation = _through_the_pages(client, world, conferred)
    client.logout()
    html = client.get(reverse("honour_roll")).content.decode()
    (row,) = re.findall(r'<li class="list-group-item honour[^"]*".*?</li>', html, re.S)
    assert "honour-revoked" in row
    assert conferred.nominee_name in row
    assert revocation.decision_number in row
    correction_code = verification.codes_of_ids({revocation.decision_id})[revocation.decision_id]
    assert reverse("honour_verify_code", args=[correction_code]) in row
    assert GROUNDS not in html  # the grounds are not the public roll's


def test_the_nominations_timeline_shows_each_step(client, world, conferred):
    _through_the_pages(client, world, conferred)
    client.force_login(world.inspector)
    page = client.get(reverse("nomination_detail", args=[conferred.pk]))
    text = _text(page)
    for event in (
        Event.REVOCATION_PROPOSED,
        Event.REVOCATION_CONCLUDED,
        Event.AWARD_REVOKED,
        Event.RECOVERY_RECORDED,
    ):
        assert str(event.label) in text, event


def test_the_record_offers_the_proposal_only_to_those_entitled(client, world, conferred):
    record = reverse("person_record", args=[conferred.nominee_person.pk])
    propose = reverse("revocation_propose", args=[conferred.pk])
    for who in ("unit_head", "secretary", "inspector"):
        client.force_login(getattr(world, who))
        assert propose in client.get(record).content.decode(), who
        assert client.get(propose).status_code == 200
    for who in ("proposer", "member"):
        client.force_login(getattr(world, who))
        assert propose not in client.get(record).content.decode(), who
        assert client.get(propose).status_code == 404
        assert client.post(propose, {"ground": "other", "grounds": "x"}).status_code == 404
    assert not Revocation.objects.exists()


def test_refusals_are_pages_with_their_status_never_errors(client, world, conferred):
    client.force_login(world.unit_head)
    propose = reverse("revocation_propose", args=[conferred.pk])
    form = {"ground": RevocationGround.DISCIPLINE, "grounds": GROUNDS}
    assert client.post(propose, {"ground": "nonsense", "grounds": ""}).status_code == 400
    assert client.post(propose, form).status_code == 302
    assert client.post(propose, form).status_code == 409  # one open proposal
    revocation = Revocation.objects.get()
    # Not the secretary: the council's conclusion is refused; nothing is signed before it.
    counts = {"met_on": timezone.localdate().isoformat(), "members": 9, "present": 9}
    counts |= {"votes_for": 9, "votes_against": 0, "votes_abstain": 0}
    assert (
        client.post(reverse("revocation_council", args=[revocation.pk]), counts).status_code == 403
    )
    assert client.post(reverse("revocation_sign", args=[revocation.pk])).status_code == 403
    client.force_login(world.signer)
    assert client.post(reverse("revocation_sign", args=[revocation.pk])).status_code == 409
    client.force_login(world.secretary)
    huge = counts | {"members": 40000, "present": 40000}
    assert client.post(reverse("revocation_council", args=[revocation.pk]), huge).status_code == 400
    bad = counts | {"present": 3, "votes_for": 3}  # no quorum
    assert client.post(reverse("revocation_council", args=[revocation.pk]), bad).status_code == 409
    assert Revocation.objects.get().status == Revocation.Status.PROPOSED
    assert ConferredAward.objects.get(nomination=conferred).revoked_at is None


def test_who_reads_a_revocation(client, world, conferred):
    revocation = revocations.propose_revocation(
        conferred, actor=world.inspector, ground=RevocationGround.OTHER, grounds=GROUNDS
    )
    url = reverse("revocation_detail", args=[revocation.pk])
    for who, status in {
        "inspector": 200,
        "unit_head": 200,
        "secretary": 200,
        "signer": 200,
        "other_proposer": 404,
        "staff": 404,
    }.items():
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == status, who
        listed = client.get(reverse("revocations")).content.decode()
        assert (url in listed) == (status == 200), who
