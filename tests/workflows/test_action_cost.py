"""An action's cost in statements, so that the write path stays lean (see bench/ for timings).

Approving writes: the nomination, the decision, one task completed and the next created (with
its link), the audit event and the chain head; reads: the row lock, the route, the actor's roles
and delegations, the conflict-of-interest check, the open task, the holidays for the due date.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows import services


def test_approving_costs_at_most_twenty_statements(draft, walk, world):
    n = walk(draft, "submit")
    with CaptureQueriesContext(connection) as ctx:
        services.approve(n, actor=world.unit_head)
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) <= 20, "\n".join(s[:100] for s in statements)
    # No gateway task is written: the only task rows inserted are the next waiting task.
    inserts = [s for s in statements if s.startswith('INSERT INTO "workflows_nominationtask"')]
    assert len(inserts) == 1
