"""Personal API tokens: stored as a digest only, scoped, expiring, revocable, audited; and the
pages where a person issues, lists and revokes their own."""

import datetime
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import NotAllowed

from .conftest import client_for


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_the_secrets_digest_is_stored(world):
    token, secret = tokens.issue(user=world.proposer, name="HR", scopes=["read"], days=30)

    stored = ApiToken.objects.values().get(pk=token.pk)
    assert secret.startswith("lrl_") and len(secret) > 40
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored.values())
    assert stored["prefix"] == secret[:8]


def test_a_token_opens_the_api_as_its_holder_and_notes_its_use(world):
    token, secret = tokens.issue(user=world.proposer, name="HR", scopes=["read"], days=30)
    assert token.last_used_at is None

    response = _bearer(secret).get("/api/nominations/")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def _refused(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    problem = response.json()
    assert problem["status"] == 401 and problem["title"]
    return problem


def test_an_expired_token_is_refused(world):
    _token, secret = tokens.issue(user=world.proposer, name="HR", scopes=["read"], days=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        problem = _refused(_bearer(secret).get("/api/nominations/"))
    assert "expired" in problem["detail"]


def test_a_revoked_token_is_refused_and_the_revocation_audited(world):
    token, secret = tokens.issue(user=world.proposer, name="HR", scopes=["read"], days=30)
    assert _bearer(secret).get("/api/nominations/").status_code == 200

    tokens.revoke(token, actor=world.proposer)

    _refused(_bearer(secret).get("/api/nominations/"))
    issued, revoked = AuditEvent.objects.filter(subject_type="api_token").order_by("seq")
    assert (issued.action, revoked.action) == (Event.API_TOKEN_ISSUED, Event.API_TOKEN_REVOKED)
    assert issued.actor == revoked.actor == world.proposer
    assert issued.data["scopes"] == ["read"] and secret not in str(issued.data)


def test_nobody_else_revokes_a_token(world):
    token, _secret = tokens.issue(user=world.proposer, name="HR", scopes=["read"], days=30)
    with pytest.raises(NotAllowed):
        tokens.revoke(token, actor=world.admin)


@pytest.mark.parametrize("header", ["Bearer lrl_not-a-token", "Bearer", "Bearer a b"])
def test_an_unknown_or_malformed_token_is_refused(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    _refused(client.get("/api/nominations/"))


def test_no_credentials_is_401_as_a_problem(world):
    _refused(APIClient().get("/api/nominations/"))


def test_an_inactive_holders_token_is_refused(world):
    _token, secret = tokens.issue(user=world.proposer, name="HR", scopes=["read"], days=30)
    world.proposer.is_active = False
    world.proposer.save()
    _refused(_bearer(secret).get("/api/nominations/"))


def test_a_read_only_token_may_not_act(world, draft):
    client = client_for(world.proposer, scopes=["read"])

    response = client.post(
        f"/api/nominations/{draft.pk}/submit/", {"version": draft.version}, format="json"
    )

    assert response.status_code == 403
    assert "“act” scope" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_inspectors_token_needs_the_inspect_scope(world):
    assert client_for(world.inspector, ["read"]).get("/api/audit/events/").status_code == 403
    assert client_for(world.inspector, ["inspect"]).get("/api/audit/events/").status_code == 200


# --- the pages --------------------------------------------------------------------------------


def test_the_page_issues_a_token_and_shows_its_secret_once(client, world):
    client.force_login(world.proposer)

    response = client.post(
        reverse("api_tokens"), {"name": "HR system", "scopes": ["read", "act"], "days": 30}
    )

    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=world.proposer)
    assert token.scopes == ["act", "read"] and token.digest == tokens.digest(secret)
    again = client.get(reverse("api_tokens")).content.decode()
    assert secret not in again and "HR system" in again and token.prefix in again


def test_the_page_refuses_a_token_without_a_scope(client, world):
    client.force_login(world.proposer)
    response = client.post(reverse("api_tokens"), {"name": "HR", "days": 30})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_page_revokes_ones_own_token_only(client, world):
    mine, _ = tokens.issue(user=world.proposer, name="Mine", scopes=["read"], days=30)
    theirs, _ = tokens.issue(user=world.staff, name="Theirs", scopes=["read"], days=30)
    client.force_login(world.proposer)

    assert client.post(reverse("api_token_revoke", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("api_token_revoke", args=[mine.pk]))

    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_the_admin_lists_tokens_without_their_digest_and_changes_none(
    client, world, django_user_model
):
    token, secret = tokens.issue(user=world.proposer, name="HR system", scopes=["read"], days=30)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    listing = client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200
    assert "HR system" in listing.content.decode()
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in page and token.digest not in page and secret not in page
    # Revoking goes through the holder's page (audited), not the admin.
    assert client.post(reverse("admin:api_apitoken_delete", args=[token.pk])).status_code == 403
