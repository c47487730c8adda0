"""One nomination from draft to awarded through the API alone: each stage's actor with their own
token, the council's secretary, members and the signer too. Every write goes through the same
services as the pages, so the same audit trail results."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEvent
from nominations.models import ConferredAward, Nomination
from nominations.stages import Status
from tests.factories import person


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def test_a_nomination_goes_from_draft_to_awarded_through_the_api(world, api):
    nominee = person(world.unit)
    proposer = api(world.proposer)

    draft = _ok(
        proposer.post(
            "/api/nominations/",
            {
                "campaign": world.campaign.pk,
                "award_type": world.full.pk,
                "proposing_unit": world.unit.pk,
                "nominee_person": nominee.pk,
                "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
            },
            format="json",
        ),
        201,
    )
    pk = draft["id"]
    assert draft["status"] == Status.DRAFT and "submit" in draft["actions"]

    edited = _ok(
        proposer.patch(
            f"/api/nominations/{pk}/",
            {
                "award_type": world.full.pk,
                "nominee_person": nominee.pk,
                "achievements": "Hoàn thành xuất sắc nhiệm vụ năm; sáng kiến cấp cơ sở.",
            },
            format="json",
        )
    )
    assert edited["achievements"].endswith("sáng kiến cấp cơ sở.")
    assert edited["version"] > draft["version"]

    evidence = _ok(
        proposer.post(
            f"/api/nominations/{pk}/evidence/",
            {"kind": "achievement_report", "file": SimpleUploadedFile("bc.pdf", b"%PDF-1.4\n")},
            format="multipart",
        ),
        201,
    )
    assert evidence["original_name"] == "bc.pdf"

    def act(client, action, **body):
        version = _ok(client.get(f"/api/nominations/{pk}/"))["version"]
        return _ok(
            client.post(
                f"/api/nominations/{pk}/{action}/", {"version": version, **body}, format="json"
            )
        )

    assert act(proposer, "submit")["status"] == Status.UNIT_REVIEW
    assert act(api(world.unit_head), "approve")["status"] == Status.PARTY_COMMITTEE_REVIEW
    assert act(api(world.party_reviewer), "approve")["status"] == Status.LEADERSHIP_REVIEW
    assert act(api(world.leader), "approve")["status"] == Status.COUNCIL_REVIEW

    # The council: the secretary plans and opens a session, the member votes, the secretary
    # closes the vote.
    secretary = api(world.secretary)
    session = _ok(
        secretary.post(
            "/api/council/sessions/",
            {
                "campaign": world.campaign.pk,
                "scheduled_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
                "chair": world.member.pk,
            },
            format="json",
        ),
        201,
    )
    (item,) = session["items"]
    assert item["nomination"] == pk
    _ok(
        secretary.post(
            f"/api/council/sessions/{session['id']}/open/",
            {"present": [world.member.pk]},
            format="json",
        )
    )
    _ok(
        api(world.member).post(
            f"/api/council/sessions/{session['id']}/items/{item['id']}/vote/",
            {"choice": "approve"},
            format="json",
        )
    )
    closed = _ok(secretary.post(f"/api/council/sessions/{session['id']}/close/"))
    assert closed["status"] == "closed"
    assert Nomination.objects.get(pk=pk).status == Status.COUNCIL_APPROVED

    signer = api(world.signer)
    decision = _ok(
        signer.post(
            "/api/decisions/",
            {"nominations": [pk], "title": "Quyết định khen thưởng năm"},
            format="json",
        ),
        201,
    )
    assert decision["title"] == "Quyết định khen thưởng năm"

    assert _ok(proposer.get(f"/api/nominations/{pk}/"))["status"] == Status.AWARDED
    awards = _ok(proposer.get("/api/awards/"))["results"]
    assert [(a["nomination"], a["decision_number"]) for a in awards] == [
        (pk, ConferredAward.objects.get(nomination_id=pk).decision_number)
    ]
    decisions = _ok(api(world.staff).get(f"/api/decisions/{decision['id']}/"))
    assert decisions["reference"] == decision["reference"]
    # The same trail as through the pages, each step in its actor's name.
    trail = list(
        AuditEvent.objects.filter(nomination_id=pk).order_by("seq").values_list("action", "actor")
    )
    assert (Event.SUBMITTED, world.proposer.pk) in trail
    assert (Event.APPROVED, world.leader.pk) in trail
    assert trail[-1][0] == Event.CONFERRED
    # What each stage decided, as the nomination's decisions say.
    stages = _ok(proposer.get(f"/api/nominations/{pk}/decisions/"))
    assert [d["outcome"] for d in stages][:4] == ["submitted", "approved", "approved", "approved"]
