"""An action's cost in statements, so that the write path stays lean (see bench/ for timings).

Approving writes: the nomination, its stage decision, the task completed and the next one
created (with its link), the audit event and the chain head; reads: the row lock (with the
award type's route in the same statement, `Nomination.objects.lock`), the actor's roles and
delegations, the separation-of-duties check, the open task (the holidays for the due date come
from the process's copy, `nominations.calendar`), the award type's eligibility criteria in force
(one query: submitting, resubmitting and approving judge the nominee by them,
`workflows.services._check_eligibility`; the record each criterion reads adds one query per kind
of record, none when the award type has no criteria, as here) and — the unit head's
confirmation only — the quotas of the unit and the units above it, with their counts, in one
query (`nominations.quotas.check_confirmation`). Submitting writes the process and its start task
instead of completing one, and reads no open task (a draft has none).

On PostgreSQL the writes — the nomination's row, its decision record, the task finished, the
next one and their link, and last the audit event with the chain head — are one statement of
data-modifying CTEs (`workflows.services._write_transition` with `audit.services.Appending`; at
submission the process's INSERT comes before it).
"""

import pytest
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from psycopg import _queries

from audit import chain
from audit.events import Event
from audit.models import AuditEvent
from audit.verify import verify_database
from nominations.calendar import add_working_days
from nominations.models import EmulationRegistration, Nomination, RouteStage, StageDecision
from nominations.stages import Status
from workflows import services
from workflows.models import OPEN, NominationTask

# +1 for each budget below since issue 12: the criteria in force are read before the transition.
ELIGIBILITY_CRITERIA_READ = 1
# +1 at the unit head's confirmation since issue 12: the quotas and their counts.
QUOTAS_READ = 1


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


# Approving, criteria and quotas aside: 12 statements on SQLite, 5 on PostgreSQL.
APPROVE = {"sqlite": 12, "postgresql": 5}
# Submitting, the criteria aside: 10 statements on SQLite, 3 on PostgreSQL.
SUBMIT = {"sqlite": 10, "postgresql": 3}


def _statements(ctx) -> list[str]:
    # The action's transaction is a savepoint inside the test's: those two are not its cost.
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_approving_costs_at_most_fourteen_statements(draft, walk, world):
    n = walk(draft, "submit")
    first = NominationTask.objects.get(nomination=n, status__in=OPEN)
    tasks_before = NominationTask.objects.filter(process_id=first.process_id).count()
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    budget = APPROVE[connection.vendor] + ELIGIBILITY_CRITERIA_READ + QUOTAS_READ
    assert len(statements) <= budget, "\n".join(s[:100] for s in statements)
    # No gateway task is written: the only task row inserted is the next waiting task, linked
    # to the one finished, which the approver took and finished in one go.
    writes = [s for s in statements if 'INSERT INTO "workflows_nominationtask"' in s]
    assert len(writes) == 1
    assert NominationTask.objects.filter(process_id=first.process_id).count() == tasks_before + 1
    nxt = NominationTask.objects.get(nomination=n, status__in=OPEN)
    assert list(nxt.previous.all()) == [first]
    first.refresh_from_db()
    assert (first.status, first.owner) == ("DONE", world.unit_head)
    assert first.finished is not None and first.started is not None
    assert StageDecision.objects.filter(nomination=n, outcome="approved").count() == 1


def test_submitting_costs_at_most_eleven_statements(draft, world):
    # A running server has read the holidays already (the first action of a process reads them
    # once more: one statement).
    add_working_days(timezone.localdate(), 1)
    with CaptureQueriesContext(connection) as ctx:
        services.submit(draft, actor=world.proposer)
    statements = _statements(ctx)
    budget = SUBMIT[connection.vendor] + ELIGIBILITY_CRITERIA_READ
    assert len(statements) <= budget, "\n".join(s[:100] for s in statements)
    assert not any(
        s.startswith("SELECT") and 'FROM "workflows_nominationtask"' in s for s in statements
    )
    # The process, its start task (done) and the first waiting task, linked to it.
    start, waiting = NominationTask.objects.filter(process__nomination=draft).order_by("pk")
    assert (start.status, start.flow_task.name) == ("DONE", "start")
    assert waiting.status in OPEN and waiting.nomination_id == draft.pk
    assert list(waiting.previous.all()) == [start]


@pytest.mark.postgres
def test_on_postgresql_the_writes_and_the_audit_append_are_one_statement(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        approved = services.approve(n, actor=world.unit_head)
    statements = _statements(ctx)
    assert len(statements) <= 5 + ELIGIBILITY_CRITERIA_READ + QUOTAS_READ, "\n".join(
        s[:100] for s in statements
    )
    writes = [s for s in statements if not s.lstrip("(").startswith("SELECT")]
    assert len(writes) == 1, "\n".join(s[:100] for s in writes)
    assert "laurel_audit_chain_advance(" in writes[0]
    event = AuditEvent.objects.get(nomination_id=n.pk, action=Event.APPROVED)
    assert (event.from_state, event.to_state) == (Status.UNIT_REVIEW, approved.status)
    assert verify_database().ok
    assert event.prev_hash == AuditEvent.objects.get(seq=event.seq - 1).hash


# The tables an action writes, with the operations a BEFORE trigger notes on each.
_WRITES = {
    "nominations_nomination": "UPDATE",
    "nominations_stagedecision": "INSERT",
    "workflows_nominationtask": "INSERT OR UPDATE",
    "workflows_nominationtask_previous": "INSERT",
    "audit_chainhead": "UPDATE",
    "audit_auditevent": "INSERT",
}


@pytest.mark.postgres
@pytest.mark.parametrize("action", ["submit", "approve"])
def test_on_postgresql_the_chains_head_is_moved_only_after_the_actions_other_writes(
    action, draft, walk, world
):
    # Every action queues on the head until it commits: an action's own writes (five tables,
    # their indexes) must be done before it takes the head, not while every other action waits.
    # A BEFORE trigger on each table notes when each row is written, in order.
    n = draft if action == "submit" else walk(draft, "submit")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE written (n serial, tbl text)")
        cursor.execute(
            "CREATE FUNCTION pg_temp.note() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN INSERT INTO written (tbl) VALUES (TG_TABLE_NAME); RETURN NEW; END $$"
        )
        for table, ops in _WRITES.items():
            cursor.execute(
                f"CREATE TRIGGER noted BEFORE {ops} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.note()"
            )
    if action == "submit":
        services.submit(n, actor=world.proposer)
    else:
        services.approve(n, actor=world.unit_head)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM written ORDER BY n")
        order = [tbl for (tbl,) in cursor.fetchall()]
    assert set(order) == set(_WRITES), order
    assert order[-2:] == ["audit_chainhead", "audit_auditevent"], order
    assert order.count("audit_chainhead") == 1


@pytest.mark.postgres
def test_on_postgresql_an_action_on_an_empty_chain_starts_it(draft, world):
    # After a flush the chain has neither events nor its head row: the action's own statement
    # appends nothing, and the event is appended as the chain's first.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: the table can change
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_chainhead")
    submitted = services.submit(draft, actor=world.proposer)
    (event,) = AuditEvent.objects.all()
    assert (event.seq, event.action, event.prev_hash) == (1, Event.SUBMITTED, chain.GENESIS_HASH)
    assert event.nomination_id == submitted.pk
    assert verify_database().ok


@pytest.mark.postgres
def test_on_postgresql_a_warm_approval_compiles_no_sql(draft, new_draft, walk, world, monkeypatch):
    # Its reads are compiled once per connection (`nominations.compiled`), its writes are
    # written from the models' fields: the ORM builds no SQL for an approval once the
    # connection has run one (compiling was most of an action's Python time, issue 11).
    first, second = walk(draft, "submit"), walk(new_draft(), "submit")
    services.approve(first, actor=world.unit_head)  # warms the connection's compiled reads
    compiled = []
    real = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        compiled.append(self.query.model.__name__)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    services.approve(second, actor=world.unit_head)
    assert compiled == []
    assert Nomination.objects.get(pk=second.pk).status == Status.PARTY_COMMITTEE_REVIEW


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
    budget = SUBMIT[connection.vendor] + ELIGIBILITY_CRITERIA_READ + 1
    assert len(statements) <= budget, "\n".join(s[:100] for s in statements)
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


# The tables every action writes: each index of theirs is written by every action (a status
# change is never a HOT update, so a nomination's or a task's update writes them all).
ACTION_TABLES = [
    "nominations_nomination",
    "nominations_stagedecision",
    "workflows_nominationtask",
    "audit_auditevent",
]


@pytest.mark.postgres
@pytest.mark.parametrize("table", ACTION_TABLES)
def test_on_postgresql_no_index_an_action_writes_repeats_the_lead_of_another(db, table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, ix.indisunique, ix.indpred IS NOT NULL, ix.indnkeyatts, "
            "ix.indkey::int2[], ix.indclass::oid[] "
            "FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid "
            "WHERE ix.indrelid = %s::regclass",
            [table],
        )
        indexes = {
            name: (unique, partial, list(zip(keys[:n], classes[:n], strict=True)))
            for name, unique, partial, n, keys, classes in cursor.fetchall()
        }
    repeated = [
        f"{name} leads {other}"
        for name, (unique, partial, key) in indexes.items()
        for other, (_u, other_partial, other_key) in indexes.items()
        if other != name
        and not unique
        and not partial
        and not other_partial
        and other_key[: len(key)] == key
    ]
    assert repeated == []


@pytest.mark.postgres
def test_on_postgresql_an_actions_statements_stay_parsed_by_psycopg(draft, world):
    # psycopg keeps a statement's parsed form only within these limits; past them it parses
    # it again on every action (0.3 ms for the write statement with one parameter per event
    # column, issue 11). The quota read at the unit head's confirmation — once in a
    # nomination's journey — is the one longer statement.
    sent = []

    def spy(execute, sql, params, many, context):
        sent.append((sql, params or []))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        submitted = services.submit(draft, actor=world.proposer)
        services.approve(submitted, actor=world.unit_head)
    statements = [(s, p) for s, p in sent if 'FROM "nominations_quota"' not in s]
    assert sum(sql.startswith("WITH w0") for sql, _p in statements) == 2  # submit, approve
    too_long = [
        sql[:60]
        for sql, params in statements
        if len(params) > _queries.MAX_CACHED_STATEMENT_PARAMS
        or len(sql.encode()) > _queries.MAX_CACHED_STATEMENT_LENGTH
    ]
    assert too_long == []
