"""What the inspectors' workspace shows: the chain's state as a clear alert, the event search
with its filters in a card, tabs and breadcrumbs marking where one is; and the shared login and
refused pages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import outcomes
from audit.events import Event
from audit.models import AuditEvent, VerificationRun
from nominations import services as dossier
from tests.factories import person
from tests.web.pages import assert_breadcrumb


def _text(response) -> str:
    return response.content.decode()


def _tab(page: str) -> str:
    """The label of the inspection tab marked as the current page."""
    tabs = re.search(r'<nav aria-label="Inspection".*?</nav>', page, re.S).group(0)
    current = re.findall(r'<a class="nav-link active" aria-current="page" [^>]*>([^<]+)</a>', tabs)
    assert len(current) == 1, tabs
    return current[0]


@pytest.fixture
def inspector(client, world):
    client.force_login(world.inspector)
    return client


def _alert(page: str) -> str:
    return re.search(r'<div class="alert [^"]*"[^>]*data-testid="verification">', page).group(0)


def test_home_says_plainly_when_the_chain_was_never_verified(inspector):
    page = _text(inspector.get(reverse("inspector_home")))
    assert "alert-warning" in _alert(page) and "Never run." in page
    assert "Run verification now" in page
    assert_breadcrumb(page, "Inspection")
    assert _tab(page) == "Integrity"


def test_verify_now_turns_the_alert_green_with_the_runs_message(inspector, world, draft):
    response = inspector.post(reverse("inspector_verify"), follow=True)
    page = _text(response)
    run = VerificationRun.objects.get()
    alert = _alert(page)
    assert "alert-success" in alert and 'role="status"' in alert
    assert "Audit trail verified" in page and "Intact" in page and run.message in page


def test_a_broken_chain_is_a_red_alert(inspector):
    now = timezone.now()
    VerificationRun.objects.create(
        started_at=now, finished_at=now, ok=False, events=9, broken_seq=6, message="Event 6 hash"
    )
    page = _text(inspector.get(reverse("inspector_home")))
    alert = _alert(page)
    assert "alert-danger" in alert and 'role="alert"' in alert
    assert "Broken" in page and "Event 6 hash" in page


def test_the_search_filters_sit_in_a_card_with_labels_and_narrow_the_results(
    inspector, world, draft, walk
):
    walk(draft, "submit", "return_for_revision")
    url = reverse("inspector_events")
    everything = _text(inspector.get(url))
    assert 'id="filters-title"' in everything
    for name in ["actor", "unit", "action", "award_type", "campaign", "since", "until"]:
        assert f'for="id_{name}"' in everything
    assert 'type="date" name="since"' in everything
    total = AuditEvent.objects.count()
    assert f"{total} events" in everything
    assert_breadcrumb(everything, "Search events")
    assert _tab(everything) == "Search events"

    returned = AuditEvent.objects.get(action=Event.RETURNED)
    filtered = _text(inspector.get(url, {"action": Event.RETURNED}))
    assert "1 event<" in filtered
    body = re.search(r"<tbody>(.*?)</tbody>", filtered, re.S).group(1)
    assert body.count("<tr>") == 1 and f"#{returned.seq}<" in body
    assert f'value="{Event.RETURNED}" selected' in filtered  # the filter stays chosen
    assert "export=csv" in filtered and "action=nomination.returned" in filtered

    none = _text(inspector.get(url, {"until": "2000-01-01"}))
    assert "0 events" in none and "No event matches these filters." in none
    assert 'value="2000-01-01"' in none


def test_a_bad_filter_is_a_form_error_not_a_crash(inspector):
    response = inspector.get(reverse("inspector_events"), {"since": "not a date"})
    assert response.status_code == 400
    assert "is-invalid" in _text(response)


def test_the_timeline_and_reports_carry_breadcrumbs(inspector, world, draft, walk):
    walk(draft, "submit")
    page = _text(inspector.get(reverse("inspector_timeline", args=[draft.pk])))
    assert_breadcrumb(page, f"{draft.reference} — Timeline")
    assert reverse("nomination_detail", args=[draft.pk]) in page

    page = _text(inspector.get(reverse("inspector_reports")))
    assert_breadcrumb(page, "Supervision reports")
    assert _tab(page) == "Supervision reports"


def test_a_refused_page_is_an_alert_with_its_reason_and_a_way_back(client, world):
    client.force_login(world.party_reviewer)
    response = client.get(reverse("inspector_home"), HTTP_REFERER="/inbox/")
    assert response.status_code == 403
    page = _text(response)
    assert re.search(r'<section class="alert alert-danger refused" role="alert"', page)
    assert "This workspace is for inspectors." in page
    assert '<a class="btn btn-outline-secondary" href="/inbox/">' in page
    assert_breadcrumb(page, "Not done")


def test_the_login_page_is_a_labelled_card_and_shows_errors_as_an_alert(client, world):
    page = _text(client.get(reverse("login")))
    assert "laurel-mark" in page and '<section class="card' in page
    assert '<label class="form-label" for="id_username">' in page
    assert '<label class="form-label" for="id_password">' in page

    page = _text(client.post(reverse("login"), {"username": "proposer", "password": "nope"}))
    assert '<div class="alert alert-danger" role="alert">' in page


def test_the_search_finds_one_nominations_events_by_its_reference(inspector, world, walk, draft):
    other = walk(draft, "submit")
    mine = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=person(world.unit),
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
    )
    for written in (mine.reference, mine.reference.lower().replace("-", ""), str(mine.pk)):
        response = inspector.get(reverse("inspector_events"), {"nomination": written})
        page = _text(response)
        assert response.status_code == 200
        assert "1 event" in page and "Draft created" in page
        assert f"N-{other.pk:05d}" not in page


def test_a_reference_that_names_no_nomination_is_a_form_error(inspector):
    response = inspector.get(reverse("inspector_events"), {"nomination": "abc"})
    assert response.status_code == 400
    assert "Not a nomination reference: abc" in _text(response)


def test_the_timelines_name_the_decision_that_conferred_the_award(client, world, walk, draft):
    approved = walk(draft, "submit", "approve", "approve", "approve", "council_approve")
    decision = outcomes.sign_decision(
        actor=world.signer, agency=world.agency, nominations=[approved], title="Quyết định"
    )
    awarded, number = approved, decision.reference
    client.force_login(world.inspector)
    for url in (
        reverse("nomination_detail", args=[awarded.pk]),
        reverse("inspector_timeline", args=[awarded.pk]),
    ):
        assert f"By decision {number}" in _text(client.get(url))


def test_the_search_and_the_timeline_show_what_a_dossier_edit_changed(inspector, world, draft):
    draft = dossier.update_dossier(
        draft, actor=world.proposer, changes={"initiatives": "Sáng kiến số hoá hồ sơ."}
    )
    change = "<li>initiatives: <del>(empty)</del> → <ins>Sáng kiến số hoá hồ sơ.</ins></li>"
    found = inspector.get(reverse("inspector_events"), {"action": Event.DOSSIER_EDITED})
    assert change in _text(found)
    assert change in _text(inspector.get(reverse("inspector_timeline", args=[draft.pk])))
