"""Querysets compiled once per connection: the action path's reads without the ORM's cost.

An action reads the same few querysets every time, differing only in an id or a date. Django
builds and compiles each one afresh — filters resolved, joins set up, SQL written — which was
most of an action's Python time (issue 11). A `Compiled` query is written as an ordinary
queryset (its one home), compiled the first time a connection runs it, and from then on only
its parameters change: the SQL is the ORM's own. Inside `prepared()` (an action, on PostgreSQL)
the statement is also prepared, and PostgreSQL plans it once per connection too.

The queryset's arguments are found in the compiled parameters by compiling it with sample
values that cannot occur in data (`_sample`): every parameter equal to one is that argument.
Only scalar arguments (ids, strings, dates) are supported, and never None: a list, or a None
that the ORM writes as `IS NULL`, would change the SQL's shape.
"""

import datetime
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

# Values no argument takes in real data: negative ids, a date in year 1, a string with a NUL.
_SAMPLE_INT = -982_451_653
_SAMPLE_DATE = datetime.date(1, 1, 1)


def _sample(kind: type, index: int):
    if kind is int:
        return _SAMPLE_INT - index
    if kind is datetime.date:
        return _SAMPLE_DATE + datetime.timedelta(days=index)
    if kind is str:
        return f"\x00compiled-argument-{index}"
    raise TypeError(f"a compiled query takes ids, strings or dates, not {kind.__name__}")


class _Plan:
    """One queryset's SQL for one connection, with where each argument goes."""

    def __init__(self, queryset: QuerySet, samples: dict[str, Any], alias: str):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, list(params)
        self.slots: list[tuple[int, str, bool]] = []  # (position, argument, as text)
        found = set()
        for position, value in enumerate(self.params):
            for name, sample in samples.items():
                if value == sample or (isinstance(value, str) and value == str(sample)):
                    # SQLite binds dates as text: so does the plan, for that argument
                    self.slots.append((position, name, isinstance(value, str)))
                    found.add(name)
        missing = set(samples) - found
        if missing:
            raise ValueError(f"the compiled query does not use {', '.join(sorted(missing))}")
        self.compiler = compiler
        self.for_update = queryset.query.select_for_update
        iterable = queryset._iterable_class
        if getattr(queryset, "_coerced", False) or not (
            issubclass(iterable, ModelIterable) or iterable is ValuesListIterable
        ):
            raise TypeError("a compiled query yields model instances or values_list tuples")
        self.models = issubclass(iterable, ModelIterable)
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        if self.models:
            klass_info = compiler.klass_info
            select = compiler.select
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.model = klass_info["model"]
            self.span = (start, end)
            self.init_list = [f[0].target.attname for f in select[start:end]]
            self.populators = get_related_populators(klass_info, select, alias)
            self.annotations = dict(compiler.annotation_col_map or {})

    def rows(self, connection, arguments: dict) -> list:
        if self.for_update and connection.get_autocommit():
            # as the ORM refuses it: a lock outside a transaction is released at once
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(self.params)
        for position, name, as_text in self.slots:
            value = arguments[name]
            params[position] = str(value) if as_text else value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        compiler = self.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if self.converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, self.converters)]
        return rows

    def instances(self, alias: str, rows: list) -> list[Model]:
        start, end = self.span
        out = []
        for row in rows:
            obj = self.model.from_db(alias, self.init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out


class Compiled:
    """A queryset of `model` built by `build(**arguments)`, compiled once per connection.

    `all(**arguments)` returns what iterating the queryset would: model instances (with their
    `select_related` objects and annotations) or, for `values_list`, tuples. Arguments are
    passed by name, with their kinds declared (`pk=int`); each must be used by the queryset."""

    def __init__(self, model: type[Model] | str, build: Callable[..., QuerySet], **kinds: type):
        self.model = model
        self.build = build
        self.kinds = kinds
        # connection → plan; a connection belongs to one thread, and the plan to it
        self._plans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _plan(self, connection, alias: str) -> _Plan:
        plan = self._plans.get(connection)
        if plan is None:
            samples = {name: _sample(kind, i) for i, (name, kind) in enumerate(self.kinds.items())}
            plan = _Plan(self.build(**samples), samples, alias)
            with self._lock:
                self._plans[connection] = plan
        return plan

    def all(self, **arguments) -> list:
        if set(arguments) != set(self.kinds):
            raise TypeError(f"expected the arguments {sorted(self.kinds)}, got {sorted(arguments)}")
        if any(value is None for value in arguments.values()):
            raise TypeError("a compiled query's arguments cannot be None")
        if isinstance(self.model, str):  # "app.Model": a model module's own query
            self.model = apps.get_model(self.model)
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        plan = self._plan(connection, alias)
        rows = plan.rows(connection, arguments)
        return plan.instances(alias, rows) if plan.models else rows

    def first(self, **arguments):
        found = self.all(**arguments)
        return found[0] if found else None


@contextmanager
def prepared(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the block, every statement sent on the connection is prepared by psycopg (on
    PostgreSQL with server-side binding, `DATABASE_PREPARED_STATEMENTS`), so that PostgreSQL
    plans it once per connection: for the actions' statements, which look rows up by key and
    whose plan does not depend on the values. Outside, nothing is prepared (psycopg's threshold
    stays None, Django's default)."""
    db = connections[alias]
    if db.vendor != "postgresql" or not db.settings_dict["OPTIONS"].get("server_side_binding"):
        yield
        return
    db.ensure_connection()
    raw = db.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = 0
    try:
        yield
    finally:
        raw.prepare_threshold = before
