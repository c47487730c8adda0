"""Schemathesis against the live schema, through the WSGI application: for an authorised caller
(a proposer with every scope, and an inspector) and an unauthenticated one, every operation gets
a bounded number of generated requests; none may answer with a server error or with a response
the schema does not describe. Derandomised, so a run is repeatable and bounded in time."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from nominations import services as dossier
from tests.factories import person

from .conftest import client_for

# Examples per operation and caller: the whole run stays well under a minute.
EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def schema(world):
    """The live schema, read through the WSGI application as any client reads it. Like Django's
    test client, the requests keep the test's connection (and its transaction) open: a real
    request's end would close it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def draft(world):
    """Something real to find: a draft of the proposer's."""
    return dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=person(world.unit),
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )


def _fuzz(schema, headers: dict, path_parameters: dict | None = None) -> int:
    """Run every operation's examples; the number of operations run."""
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        strategy = operation.as_strategy(path_parameters=path_parameters)

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
    return len(operations)


def test_the_api_answers_an_authorised_proposer_within_its_schema(schema, world, draft):
    proposer = client_for(world.proposer)
    headers = {"Authorization": f"Bearer {proposer.secret}"}
    assert _fuzz(schema, headers) > 20
    # And on a nomination that exists, so that the actions reach the services.
    _fuzz(schema, headers, path_parameters={"id": draft.pk})


def test_the_api_answers_an_inspector_within_its_schema(schema, world, draft):
    inspector = client_for(world.inspector, scopes=["read", "inspect"])
    _fuzz(schema, {"Authorization": f"Bearer {inspector.secret}"})


def test_the_api_answers_the_unauthenticated_within_its_schema(schema, world):
    _fuzz(schema, {})
