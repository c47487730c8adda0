"""Refusals as RFC 9457 problems carrying the pages' sentences, with the status each kind of
domain error has (docs/ARCHITECTURE.md): 400 input, 401, 403, 404, 409 stale or refused."""

import pytest
from django.test import override_settings
from rest_framework.throttling import ScopedRateThrottle

from nominations.models import Nomination
from nominations.stages import Status

from .conftest import client_for

PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://") and body["title"]
    return body


def test_a_stale_version_is_a_409_and_nothing_moves(world, draft):
    proposer = client_for(world.proposer)
    proposer.patch(
        f"/api/nominations/{draft.pk}/",
        {"award_type": world.full.pk, "nominee_person": world.staff.pk, "achievements": "Mới."},
        format="json",
    )

    response = proposer.post(
        f"/api/nominations/{draft.pk}/submit/", {"version": draft.version}, format="json"
    )

    body = _problem(response, 409)
    assert body["type"].endswith("/conflicting-action")
    assert Nomination.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_action_the_status_does_not_allow_is_a_409_in_the_pages_words(world, draft, walk):
    nomination = walk(draft, "submit")

    # Submitted already: submitting again is refused by its status, not by who asks.
    response = client_for(world.proposer).post(
        f"/api/nominations/{draft.pk}/submit/", {"version": nomination.version}, format="json"
    )

    body = _problem(response, 409)
    assert body["type"].endswith("/transition-refused")
    assert body["title"].startswith("You cannot submit a nomination that is")


def test_returning_without_reasons_is_a_400_on_the_reasons_field(world, draft, walk):
    nomination = walk(draft, "submit")

    response = client_for(world.unit_head).post(
        f"/api/nominations/{draft.pk}/return_for_revision/",
        {"version": nomination.version},
        format="json",
    )

    body = _problem(response, 400)
    assert body["errors"]["reasons"] == ["This field is required."]
    assert Nomination.objects.get(pk=draft.pk).status == Status.UNIT_REVIEW


def test_a_body_of_the_wrong_shape_is_a_400_with_field_errors(world, draft):
    response = client_for(world.proposer).post(
        f"/api/nominations/{draft.pk}/submit/", {"version": "seven"}, format="json"
    )
    assert "version" in _problem(response, 400)["errors"]


def test_a_dossier_the_form_refuses_is_a_400_in_the_forms_words(world):
    response = client_for(world.proposer).post(
        "/api/nominations/",
        {
            "campaign": world.campaign.pk,
            "award_type": world.full.pk,
            "proposing_unit": world.unit.pk,
        },
        format="json",
    )
    body = _problem(response, 400)
    assert "Choose either a person or a collective as nominee." in body["errors"]["__all__"]


def test_someone_else_acting_is_a_403_in_the_pages_words(world, draft, walk):
    nomination = walk(draft, "submit")
    response = client_for(world.staff).post(
        f"/api/nominations/{draft.pk}/approve/", {"version": nomination.version}, format="json"
    )
    # The staff member cannot even see the nomination: as on the pages, it is not found.
    _problem(response, 404)
    response = client_for(world.proposer).post(
        f"/api/nominations/{draft.pk}/approve/", {"version": nomination.version}, format="json"
    )
    assert _problem(response, 403)["type"].endswith("/not-allowed")


def test_a_nomination_out_of_sight_is_a_404(world, draft):
    _problem(client_for(world.other_proposer).get(f"/api/nominations/{draft.pk}/"), 404)
    _problem(client_for(world.proposer).get("/api/nominations/999999/"), 404)


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
)
def test_requests_are_throttled_per_person(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-read": "2/minute", "api-write": "2/minute"},
    }
    # DRF reads the rates once, at import: the test sets them on the class for its duration.
    rates = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        client = client_for(world.proposer)
        statuses = [client.get("/api/units/").status_code for _ in range(3)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = rates
    assert statuses[:2] == [200, 200]
    assert statuses[2] == 429


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_its_reference_are_served(client, path):
    assert client.get(path).status_code == 200
