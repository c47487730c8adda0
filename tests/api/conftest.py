"""API clients: each person of the shared world calls the API with a personal token of their
own (issued through `api.tokens`, as the tokens page issues them)."""

import pytest
from rest_framework.test import APIClient

from api import tokens

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
