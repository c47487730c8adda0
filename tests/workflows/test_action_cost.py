"""An action's cost in statements, so that the write path stays lean (see bench/ for timings).

Approving writes: the nomination, its stage decision, the task completed and the next one
created (with its link), the audit event and the chain head; reads: the row lock, the route,
the actor's roles and delegations, the separation-of-duties check, the open task, the holidays
for the due date. Submitting writes the process and its start task instead of completing one.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.events import Event
from audit.models import AuditEvent
from audit.verify import verify_database
from nominations.models import EmulationRegistration
from workflows import services


def _statements(ctx) -> list[str]:
    # The action's transaction is a savepoint inside the test's: those two are not its cost.
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_approving_costs_at_most_fourteen_statements(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    assert len(statements) <= 14, "\n".join(s[:100] for s in statements)
    # No gateway task is written: the only task row inserted is the next waiting task.
    inserts = [s for s in statements if s.startswith('INSERT INTO "workflows_nominationtask"')]
    assert len(inserts) == 1


def test_submitting_costs_at_most_thirteen_statements(draft, world):
    with CaptureQueriesContext(connection) as ctx:
        services.submit(draft, actor=world.proposer)
    statements = _statements(ctx)
    assert len(statements) <= 13, "\n".join(s[:100] for s in statements)


@pytest.mark.postgres
def test_on_postgresql_the_audit_append_is_one_statement(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    assert len(statements) <= 12, "\n".join(s[:100] for s in statements)
    appends = [s for s in statements if '"audit_auditevent"' in s or "audit_auditevent" in s]
    assert len(appends) == 1 and "audit_chainhead" in appends[0]
    event = AuditEvent.objects.get(nomination_id=n.pk, action=Event.APPROVED)
    assert verify_database().ok
    assert event.prev_hash == AuditEvent.objects.get(seq=event.seq - 1).hash


def test_submitting_a_title_that_requires_registration_costs_one_statement_more(draft, world):
    # The nominee's registration for the campaign's year is one EXISTS query
    # (`nominations.registration.refusal`); award types that do not require it pay nothing.
    EmulationRegistration.objects.create(
        person=world.staff,
        year=world.campaign.year,
        commitments="Hoàn thành xuất sắc nhiệm vụ.",
        registering_unit=world.unit,
        registered_by=world.proposer,
    )
    world.full.requires_registration = True
    world.full.save()
    with CaptureQueriesContext(connection) as ctx:
        services.submit(draft, actor=world.proposer)
    statements = _statements(ctx)
    assert len(statements) <= 13 + 1, "\n".join(s[:100] for s in statements)
    assert sum('"nominations_emulationregistration"' in s for s in statements) == 1
