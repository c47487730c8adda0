"""A compiled query (`nominations.compiled`) answers what its queryset answers, binds each call's
own arguments, and is compiled once per connection."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from nominations.compiled import Compiled
from nominations.exceptions import DomainError
from nominations.models import Delegation, Nomination, RoleAssignment, Unit
from nominations.roles import Role
from nominations.selectors import nomination_for
from workflows import services
from workflows.selectors import inbox_for

from ..factories import UnitFactory, person

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_lock_reads_what_the_orm_reads_with_its_related_rows_and_route(world, draft):
    with transaction.atomic():
        locked = Nomination.objects.lock(draft)
        orm = Nomination.objects._for_action().get(pk=draft.pk)
    assert _fields(locked) == _fields(orm)
    for name in ("award_type", "campaign", "proposing_unit", "nominee_person"):
        assert _fields(getattr(locked, name)) == _fields(getattr(orm, name))
    assert locked.nominee_unit is None
    assert [s.stage for s in locked.award_type.stages] == [
        s.stage for s in draft.award_type.route.order_by("position")
    ]


def test_each_call_binds_its_own_arguments():
    units = Compiled(Unit, lambda code: Unit.objects.filter(code=code), code=str)
    first, second = UnitFactory(code="first"), UnitFactory(code="second")
    assert units.all(code="first") == [first]
    assert units.all(code="second") == [second]
    assert units.all(code="neither") == []
    assert units.first(code="neither") is None


def test_it_is_compiled_once_per_connection_and_sends_one_statement_a_call():
    built = []

    def build(code):
        built.append(code)
        return Unit.objects.filter(code=code)

    units = Compiled(Unit, build, code=str)
    UnitFactory(code="a")
    UnitFactory(code="b")
    with CaptureQueriesContext(connection) as queries:
        assert [u.code for u in units.all(code="a")] == ["a"]
        assert [u.code for u in units.all(code="b")] == ["b"]
    assert len(built) == 1  # with a sample, never a real value
    assert len(queries) == 2


def test_dates_and_values_list_rows_as_the_orm_gives_them():
    unit = UnitFactory()
    principal = person(unit, Role.UNIT_HEAD)
    delegate = person(unit)
    Delegation.objects.create(
        principal=principal,
        delegate=delegate,
        role=Role.UNIT_HEAD,
        unit=unit,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
    )

    def received(user, today):
        return (
            Delegation.objects.filter(delegate_id=user, starts_on__lte=today, ends_on__gte=today)
            .order_by()
            .values_list("role", "starts_on")
        )

    delegations = Compiled(Delegation, received, user=int, today=datetime.date)
    during = delegations.all(user=delegate.pk, today=datetime.date(2026, 3, 15))
    assert during == list(received(delegate.pk, datetime.date(2026, 3, 15)))
    assert during == [(Role.UNIT_HEAD, datetime.date(2026, 3, 1))]
    assert delegations.all(user=delegate.pk, today=datetime.date(2026, 4, 1)) == []


def test_annotations_come_back_as_attributes():
    unit = UnitFactory()
    person(unit, Role.UNIT_HEAD, Role.UNIT_PROPOSER)
    counted = Compiled(
        Unit,
        lambda pk: Unit.objects.filter(pk=pk).annotate(
            heads=Count("role_assignments", filter=Q(role_assignments__role=Role.UNIT_HEAD))
        ),
        pk=int,
    )
    (found,) = counted.all(pk=unit.pk)
    assert found.heads == 1


def test_an_argument_the_queryset_does_not_use_is_refused():
    unused = Compiled(Unit, lambda code: Unit.objects.all(), code=str)
    with pytest.raises(ValueError, match="does not use code"):
        unused.all(code="x")


def test_the_wrong_arguments_are_refused():
    units = Compiled(Unit, lambda code: Unit.objects.filter(code=code), code=str)
    with pytest.raises(TypeError):
        units.all(name="x")


def test_a_none_argument_is_refused_rather_than_matching_nothing():
    units = Compiled(Unit, lambda code: Unit.objects.filter(code=code), code=str)
    with pytest.raises(TypeError, match="cannot be None"):
        units.all(code=None)


def test_a_list_argument_is_refused():
    listed = Compiled(
        RoleAssignment, lambda ids: RoleAssignment.objects.filter(pk__in=ids), ids=list
    )
    with pytest.raises(TypeError, match="ids, strings or dates"):
        listed.all(ids=[1])


def test_dicts_are_not_compiled():
    values = Compiled(Unit, lambda code: Unit.objects.filter(code=code).values("pk"), code=str)
    with pytest.raises(TypeError, match="model instances or values_list"):
        values.all(code="x")


@pytest.mark.postgres
def test_a_compiled_lock_outside_a_transaction_is_refused_as_the_orm_refuses_it(
    transactional_db, draft
):  # transactional: autocommit outside the block, as in a request
    with transaction.atomic():
        Nomination.objects.lock(draft)  # compiled, inside a transaction
    with pytest.raises(TransactionManagementError):
        Nomination.objects.lock(draft)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_an_action_prepares_its_statements_and_a_page_s_reads_are_not(world, draft):
    before = set(_prepared_statements())
    submitted = services.submit(draft, actor=world.proposer)
    prepared = set(_prepared_statements()) - before
    assert any("FOR UPDATE" in s and "nominations_nomination" in s for s in prepared)
    assert any("INSERT INTO" in s and "audit_auditevent" in s for s in prepared)
    # a list planned for any parameters can be far slower than one planned for its own
    list(inbox_for(world.unit_head))
    assert set(_prepared_statements()) == before | prepared
    assert connection.connection.prepare_threshold is None
    # and the next action runs the statements prepared by the first
    services.approve(submitted, actor=world.unit_head)
    assert connection.connection.prepare_threshold is None


@pytest.mark.postgres
def test_a_nominations_reads_by_its_id_are_prepared_and_only_those(world, draft):
    before = set(_prepared_statements())
    shown = nomination_for(world.proposer, draft.pk)
    assert shown == draft and list(shown.award_type.route.all())
    prepared = set(_prepared_statements()) - before
    # the nomination with what it names and the user's right to see it, its route, its evidence
    assert any('"nominations_nomination"."id" = $' in s for s in prepared)
    assert any('FROM "nominations_routestage"' in s for s in prepared)
    assert connection.connection.prepare_threshold is None
    with pytest.raises(Nomination.DoesNotExist):  # nor after a nomination not to be seen
        nomination_for(world.other_proposer, draft.pk)
    assert connection.connection.prepare_threshold is None
    list(inbox_for(world.unit_head))  # a list's query still planned for its own parameters
    after = set(_prepared_statements())
    assert not {s for s in after - before if "workflows_nominationtask" in s}


@pytest.mark.postgres
def test_without_server_side_binding_nothing_is_prepared(world, draft, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {})
    before = set(_prepared_statements())
    services.submit(draft, actor=world.proposer)
    assert set(_prepared_statements()) == before


@pytest.mark.postgres
def test_a_refused_action_leaves_the_connection_preparing_nothing(world, draft):
    with pytest.raises(DomainError):
        services.approve(draft, actor=world.unit_head)  # a draft is not approved
    assert connection.connection.prepare_threshold is None
