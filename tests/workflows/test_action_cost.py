"""An action's cost in statements, so that the write path stays lean (see bench/ for timings).

Approving writes: the nomination, its stage decision, the task completed and the next one created
(with its link), the audit event and the chain head; reads: the row lock (with the award type's
route in the same statement, `Nomination.objects.lock`), the actor's roles and delegations, the
separation-of-duties check, the open task (the holidays for the due date come from the process's
copy, `nominations.calendar`), the award type's eligibility criteria in force (one query:
submitting, resubmitting and approving judge the nominee by them,
`workflows.services._check_eligibility`; the record each criterion reads adds one query per kind of
record, none when the award type has no criteria, as here) and — the unit head's confirmation only
— the quotas of the unit and the units above it, with their counts, in one query
(`nominations.quotas.check_confirmation`). Submitting writes the process and its start task instead
of completing one, and reads no open task (a draft has none).
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.events import Event
from audit.models import AuditEvent
from audit.verify import verify_database
from nominations.calendar import add_working_days
from nominations.models import EmulationRegistration, Nomination, RouteStage
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


def test_approving_costs_at_most_fourteen_statements(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    # 12, one for the criteria in force and one for the quotas at the unit head's confirmation
    # (the route is read with the row lock since issue 11).
    assert len(statements) <= 12 + ELIGIBILITY_CRITERIA_READ + QUOTAS_READ, "\n".join(
        s[:100] for s in statements
    )
    # No gateway task is written: the only task row inserted is the next waiting task.
    inserts = [s for s in statements if s.startswith('INSERT INTO "workflows_nominationtask"')]
    assert len(inserts) == 1
    assert not any('FROM "nominations_routestage"' in s for s in statements[1:])


def test_submitting_costs_at_most_eleven_statements(draft, world):
    # A running server has read the holidays already (the first action of a process reads them
    # once more: one statement).
    add_working_days(timezone.localdate(), 1)
    with CaptureQueriesContext(connection) as ctx:
        services.submit(draft, actor=world.proposer)
    statements = _statements(ctx)
    # 10: a draft's open task is not looked for (it has no process yet), and the route is read
    # with the row lock.
    assert len(statements) <= 10 + ELIGIBILITY_CRITERIA_READ, "\n".join(s[:100] for s in statements)
    assert not any(
        s.startswith("SELECT") and 'FROM "workflows_nominationtask"' in s for s in statements
    )


@pytest.mark.postgres
def test_on_postgresql_the_audit_append_is_one_statement(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    assert len(statements) <= 10 + ELIGIBILITY_CRITERIA_READ + QUOTAS_READ, "\n".join(
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
    assert len(statements) <= 10 + ELIGIBILITY_CRITERIA_READ + 1, "\n".join(
        s[:100] for s in statements
    )
    assert sum('"nominations_emulationregistration"' in s for s in statements) == 1


def test_the_route_read_with_the_row_lock_is_the_route_as_stored(draft, world):
    """The route comes with the locked row (one JSON column), never from a copy: a stage
    changed a moment ago is what the next action sees."""
    stage = RouteStage.objects.filter(award_type=draft.award_type).order_by("position").first()
    stage.deadline_working_days, stage.escalate_after_days = 9, None
    stage.save()
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        locked = Nomination.objects.lock(draft)
        many = Nomination.objects.lock_many([draft.pk])[draft.pk]
        stages = [locked.award_type.stages, many.award_type.stages]
    assert len(ctx.captured_queries) == 2
    stored = list(RouteStage.objects.filter(award_type=draft.award_type).order_by("position"))
    fields = [f.attname for f in RouteStage._meta.concrete_fields]
    for read in stages:
        assert [[getattr(s, f) for f in fields] for s in read] == [
            [getattr(s, f) for f in fields] for s in stored
        ]
        assert read[0].deadline_working_days == 9 and read[0].escalate_after_days is None
        assert all(
            s.award_type is locked.award_type or s.award_type is many.award_type for s in read
        )
