"""API clients: each person of the shared world calls the API with a personal token of their
own (issued through `api.tokens`, as the tokens page issues them)."""

import pytest
from rest_framework.test import APIClient

from api import tokens
from tests.approvals import conftest as council_fixtures

# The council's fixtures (members, a nomination at council, a session planned or opened, votes).
members = council_fixtures.members
award = council_fixtures.award
at_council = council_fixtures.at_council
plan = council_fixtures.plan
opened = council_fixtures.opened
vote = council_fixtures.vote

ALL_SCOPES = ["read", "act", "inspect"]


def client_for(user, scopes=ALL_SCOPES, days=30) -> APIClient:
    _token, secret = tokens.issue(user=user, name="Test system", scopes=scopes, days=days)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.secret = secret
    return client


@pytest.fixture
def api(world):
    """api(user, scopes=all): an API client authenticated with a fresh token of the user's."""
    return client_for
