"""Concurrent writers still make one line: every event gets its own number with no gaps, and
each names the event just before it. Threads with their own connections on PostgreSQL."""

import itertools
import threading

import pytest
from django.db import connection, transaction

from audit import services
from audit.events import Event
from audit.models import AuditEvent
from audit.verify import verify_database

pytestmark = pytest.mark.postgres

WRITERS = 8
EACH = 25


def test_concurrent_writers_build_one_linear_chain_and_rollbacks_leave_no_gap(
    transactional_db, django_user_model
):
    actor = django_user_model.objects.create(username="writer")
    barrier = threading.Barrier(WRITERS)
    errors = []

    def write(w):
        try:
            barrier.wait(timeout=10)
            for i in range(EACH):
                try:
                    with transaction.atomic():
                        services.record(
                            Event.TASK_TAKEN,
                            actor=actor,
                            subject_type="writer",
                            subject_id=w,
                            data={"i": i},
                        )
                        if i % 5 == 4:  # every fifth change fails after appending
                            raise RuntimeError("rolled back")
                except RuntimeError:
                    pass
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    kept = WRITERS * EACH * 4 // 5
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in rows] == list(range(1, kept + 1))
    predecessors = [prev for _, prev, _ in rows]
    assert len(set(predecessors)) == kept  # no two events share a predecessor
    assert all(after[1] == before[2] for before, after in itertools.pairwise(rows))
    # Every writer's events are interleaved in the one chain, not in blocks per writer.
    writers_in_first_half = set(
        AuditEvent.objects.filter(seq__lte=kept // 2).values_list("subject_id", flat=True)
    )
    assert len(writers_in_first_half) > 1
    assert verify_database().ok
