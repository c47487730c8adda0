"""An action's cost in statements, so that the write path stays lean (see bench/ for timings).

Approving writes: the nomination, its stage decision, the task completed and the next one
created (with its link), the audit event and the chain head; reads: the row lock, the route,
the actor's roles and delegations, the separation-of-duties check, the open task (the holidays
for the due date come from the process's copy, `nominations.calendar`), the award type's
eligibility criteria in force (one query: submitting, resubmitting and approving judge the nominee
by them, `workflows.services._check_eligibility`; the record each criterion reads adds one query
per kind of record, none when the award type has no criteria, as here) and — the unit head's
confirmation only — the quotas of the unit and the units above it, with their counts, in one
query (`nominations.quotas.check_confirmation`). Submitting writes the process and its start task
instead of completing one, and reads no open task (a draft has none).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEvent
from audit.verify import verify_database
from nominations.calendar import add_working_days
from nominations.models import EmulationRegistration
from workflows import services

# +1 for each budget below since issue 12: the criteria in force are read before the transition.
ELIGIBILITY_CRITERIA_READ = 1
# +1 at the unit head's confirmation since issue 12: the quotas and their counts.
QUOTAS_READ = 1


def _statements(ctx) -> list[str]:
    # The action's transaction is a savepoint inside the test's: those two are not its cost.
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_approving_costs_at_most_fifteen_statements(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    # 13, one for the criteria in force and one for the quotas at the unit head's confirmation.
    assert len(statements) <= 13 + ELIGIBILITY_CRITERIA_READ + QUOTAS_READ, "\n".join(
        s[:100] for s in statements
    )
    # No gateway task is written: the only task row inserted is the next waiting task.
    inserts = [s for s in statements if s.startswith('INSERT INTO "workflows_nominationtask"')]
    assert len(inserts) == 1


def test_submitting_costs_at_most_twelve_statements(draft, world):
    # A running server has read the holidays already (the first action of a process reads them
    # once more: one statement).
    add_working_days(timezone.localdate(), 1)
    with CaptureQueriesContext(connection) as ctx:
        services.submit(draft, actor=world.proposer)
    statements = _statements(ctx)
    # 11 since a draft's open task is no longer looked for (it has no process yet).
    assert len(statements) <= 11 + ELIGIBILITY_CRITERIA_READ, "\n".join(s[:100] for s in statements)
    assert not any(
        s.startswith("SELECT") and 'FROM "workflows_nominationtask"' in s for s in statements
    )


@pytest.mark.postgres
def test_on_postgresql_the_audit_append_is_one_statement(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    assert len(statements) <= 11 + ELIGIBILITY_CRITERIA_READ + QUOTAS_READ, "\n".join(
        s[:100] for s in statements
    )
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
    add_working_days(timezone.localdate(), 1)  # as in the test above
    with CaptureQueriesContext(connection) as ctx:
        services.submit(draft, actor=world.proposer)
    statements = _statements(ctx)
    assert len(statements) <= 11 + ELIGIBILITY_CRITERIA_READ + 1, "\n".join(
        s[:100] for s in statements
    )
    assert sum('"nominations_emulationregistration"' in s for s in statements) == 1
