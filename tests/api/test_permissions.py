"""Who may list, see and act through the API: the pages' policy, table by table. Each row is
checked against the API and, for seeing, against the nomination's page too, so that the API
shows exactly what the pages show."""

import pytest
from django.urls import reverse

from nominations.models import Nomination
from nominations.stages import Status
from tests.factories import person

from .conftest import client_for

# A nomination submitted by unit-a, waiting for its unit head: who lists and sees it, and what
# each may do with it.
SEEING = [
    ("proposer", True, ["withdraw"]),
    ("unit_head", True, ["approve", "return_for_revision", "reject", "hold"]),
    ("inspector", True, []),
    ("party_reviewer", False, None),
    ("leader", False, None),
    ("secretary", False, None),
    ("signer", False, None),
    ("staff", False, None),
    ("other_proposer", False, None),
]


@pytest.mark.parametrize(("who", "sees", "actions"), SEEING)
def test_who_lists_and_sees_a_submitted_nomination(world, draft, walk, client, who, sees, actions):
    walk(draft, "submit")
    user = getattr(world, who)
    api = client_for(user)

    listed = [n["id"] for n in api.get("/api/nominations/").json()["results"]]
    detail = api.get(f"/api/nominations/{draft.pk}/")

    assert (draft.pk in listed) is sees
    assert detail.status_code == (200 if sees else 404)
    client.force_login(user)
    page = client.get(reverse("nomination_detail", args=[draft.pk]))
    assert page.status_code == detail.status_code  # the same scope as the page
    if sees:
        assert detail.json()["actions"] == actions


# Approving the submitted nomination: only its unit head may; the others are refused, each with
# the status the pages give (404 for a nomination out of sight).
APPROVING = [
    ("unit_head", 200),
    ("proposer", 403),
    ("inspector", 403),
    ("party_reviewer", 404),
    ("admin", 404),
    ("staff", 404),
]


@pytest.mark.parametrize(("who", "status"), APPROVING)
def test_who_may_approve(world, draft, walk, who, status):
    nomination = walk(draft, "submit")

    response = client_for(getattr(world, who)).post(
        f"/api/nominations/{draft.pk}/approve/", {"version": nomination.version}, format="json"
    )

    assert response.status_code == status
    moved = Nomination.objects.get(pk=draft.pk).status
    assert moved == (Status.PARTY_COMMITTEE_REVIEW if status == 200 else Status.UNIT_REVIEW)


# A proposer of another unit may propose, but not for unit-a: as on the page, unit-a is not a
# choice its form offers (400, on the field).
@pytest.mark.parametrize(
    ("who", "status"),
    [("proposer", 201), ("other_proposer", 400), ("staff", 403), ("unit_head", 403)],
)
def test_who_may_start_a_draft(world, who, status):
    response = client_for(getattr(world, who)).post(
        "/api/nominations/",
        {
            "campaign": world.campaign.pk,
            "award_type": world.full.pk,
            "proposing_unit": world.unit.pk,
            "nominee_person": person(world.unit).pk,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
        },
        format="json",
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("who", "status"),
    [("inspector", 200), ("proposer", 403), ("admin", 403), ("secretary", 403)],
)
def test_only_inspectors_search_the_audit_trail(world, draft, who, status):
    api = client_for(getattr(world, who))
    assert api.get("/api/audit/events/").status_code == status
    assert api.get("/api/audit/integrity/").status_code == status


def test_the_inspectors_search_takes_the_pages_filters(world, draft, walk):
    walk(draft, "submit")
    api = client_for(world.inspector)

    found = api.get("/api/audit/events/", {"nomination": draft.reference}).json()["results"]
    assert [e["action"] for e in found] == ["nomination.submitted", "nomination.created"]
    assert found[0]["label"] == "Submitted"

    refused = api.get("/api/audit/events/", {"nomination": "nonsense", "since": "yesterday"})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"nomination", "since"}


def test_the_inbox_is_the_callers_tasks(world, draft, walk):
    walk(draft, "submit")
    head = client_for(world.unit_head).get("/api/inbox/").json()["results"]
    assert [(t["nomination"], t["stage"]) for t in head] == [(draft.pk, "unit_review")]
    assert client_for(world.leader).get("/api/inbox/").json()["results"] == []
