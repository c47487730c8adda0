"""The actions beside the main journey, through the API: holds, taking and releasing a task,
the council's deferral and the objections of the public notice; and the browser's session,
which acts only with its CSRF token."""

from decimal import Decimal

from django.test import Client

from approvals.models import AgendaItem, Objection
from nominations.models import Nomination
from nominations.stages import Status
from workflows.models import NominationTask

from .conftest import client_for


def _version(pk):
    return Nomination.objects.get(pk=pk).version


def test_a_hold_is_placed_and_lifted_through_the_api(world, draft, walk):
    walk(draft, "submit")
    head = client_for(world.unit_head)

    held = head.post(
        f"/api/nominations/{draft.pk}/hold/",
        {"version": _version(draft.pk), "kind": "investigation", "reason": "Đang xác minh."},
        format="json",
    )
    assert held.status_code == 200, held.content
    assert held.json()["status"] == Status.ON_HOLD

    # Nothing but lifting moves it now, and lifting needs a resolution.
    refused = head.post(
        f"/api/nominations/{draft.pk}/lift_hold/", {"version": _version(draft.pk)}, format="json"
    )
    assert refused.status_code == 400 and "resolution" in refused.json()["errors"]
    lifted = head.post(
        f"/api/nominations/{draft.pk}/lift_hold/",
        {"version": _version(draft.pk), "resolution": "Đã xác minh, không vi phạm."},
        format="json",
    )
    assert lifted.status_code == 200 and lifted.json()["status"] == Status.UNIT_REVIEW


def test_a_task_is_taken_and_released_through_the_api(world, draft, walk):
    walk(draft, "submit")
    head = client_for(world.unit_head)

    taken = head.post(
        f"/api/nominations/{draft.pk}/take/", {"version": _version(draft.pk)}, format="json"
    )
    assert taken.status_code == 200 and taken.json()["owner"]["id"] == world.unit_head.pk
    assert NominationTask.objects.open_for(draft).owner == world.unit_head

    # The proposer cannot release what the head took.
    other = client_for(world.proposer).post(
        f"/api/nominations/{draft.pk}/release/", {"version": _version(draft.pk)}, format="json"
    )
    assert other.status_code == 403
    released = head.post(
        f"/api/nominations/{draft.pk}/release/", {"version": _version(draft.pk)}, format="json"
    )
    assert released.status_code == 200 and released.json()["owner"] is None


def test_the_secretary_defers_an_item_through_the_api(world, at_council, plan):
    nomination = at_council()
    session = plan()
    item = session.items.get()

    response = client_for(world.secretary).post(
        f"/api/council/sessions/{session.pk}/items/{item.pk}/defer/",
        {"reasons": "Chờ bổ sung hồ sơ."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItem.Status.DEFERRED
    assert Nomination.objects.get(pk=nomination.pk).status == Status.COUNCIL_REVIEW


def test_an_objection_is_filed_and_dismissed_through_the_api(
    world, members, at_council, opened, vote, award
):
    nomination = at_council(award(vote_threshold_percent=Decimal("50"), public_notice_days=5))
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members})
    client_for(world.secretary).post(f"/api/council/sessions/{session.pk}/close/")
    assert Nomination.objects.get(pk=nomination.pk).status == Status.COUNCIL_APPROVED

    filed = client_for(world.staff).post(
        f"/api/council/notice/{nomination.pk}/object/",
        {"reasons": "Thành tích chưa đúng thực tế."},
        format="json",
    )
    assert filed.status_code == 201, filed.content
    listed = client_for(world.staff).get("/api/council/objections/").json()["results"]
    assert [o["id"] for o in listed] == [filed.json()["id"]]

    refused = client_for(world.staff).post(
        f"/api/council/objections/{filed.json()['id']}/resolve/",
        {"resolution": "dismiss", "reasons": "Không có căn cứ."},
        format="json",
    )
    assert refused.status_code == 403
    dismissed = client_for(world.secretary).post(
        f"/api/council/objections/{filed.json()['id']}/resolve/",
        {"resolution": "dismiss", "reasons": "Không có căn cứ."},
        format="json",
    )
    assert dismissed.status_code == 200, dismissed.content
    assert Objection.objects.get().status == Objection.Status.DISMISSED


def test_the_browsers_session_acts_only_with_its_csrf_token(world, draft):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.proposer)
    url = f"/api/nominations/{draft.pk}/submit/"

    forged = browser.post(url, {"version": draft.version}, content_type="application/json")
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["detail"]
    assert Nomination.objects.get(pk=draft.pk).status == Status.DRAFT

    browser.get("/nominations/new/")  # a form page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    done = browser.post(
        url, {"version": draft.version}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == Status.UNIT_REVIEW


def test_reads_need_no_more_than_a_session(world, client):
    client.force_login(world.proposer)
    assert client.get("/api/units/").status_code == 200
    client.logout()
    assert client.get("/api/units/").status_code == 401


def test_editing_the_dossier_changes_only_the_fields_given(world, draft):
    proposer = client_for(world.proposer)

    edited = proposer.patch(
        f"/api/nominations/{draft.pk}/", {"initiatives": "Sáng kiến cấp cơ sở."}, format="json"
    )

    assert edited.status_code == 200, edited.content
    saved = Nomination.objects.get(pk=draft.pk)
    assert saved.initiatives == "Sáng kiến cấp cơ sở."
    assert saved.achievements == draft.achievements
    assert saved.nominee_person == world.staff and saved.version == draft.version + 1

    # Naming a collective for an individual award is refused by the form, in its words.
    refused = proposer.patch(
        f"/api/nominations/{draft.pk}/",
        {"nominee_person": None, "nominee_unit": world.unit.pk},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["nominee_unit"] == ["This award is for individuals."]


def test_the_secretary_records_an_absent_members_written_opinion(
    world, members, at_council, opened
):
    at_council()
    absent = members[-1]
    session = opened(present=members[:-1])
    item = session.items.get()
    secretary = client_for(world.secretary)
    url = f"/api/council/sessions/{session.pk}/items/{item.pk}/written-opinion/"

    present = secretary.post(url, {"member": members[0].pk, "choice": "approve"}, format="json")
    assert present.status_code == 400 and "member" in present.json()["errors"]
    recorded = secretary.post(url, {"member": absent.pk, "choice": "approve"}, format="json")
    assert recorded.status_code == 200, recorded.content
    again = secretary.post(url, {"member": absent.pk, "choice": "abstain"}, format="json")
    assert again.status_code == 409
    assert again.json()["title"] == "This member's opinion on this item is already recorded."
