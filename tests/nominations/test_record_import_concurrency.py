"""Two imports of the same awards at once: exactly one writes them, the other finds them on the
record and imports nothing (awards have no unique key of their own: the import's lock on its
scope's unit is what orders the two). Threads with their own connections, so committed data and
real row locks: PostgreSQL."""

import datetime
import threading
import time

import pytest
from django.db import connection

from nominations import record_import
from nominations.models import ConferredAward
from nominations.record_import import RecordRefused

from .test_record_import import workbook

pytestmark = pytest.mark.postgres


def test_two_imports_of_the_same_awards_at_once_write_them_once(
    transactional_db, world, monkeypatch
):
    year = datetime.date.today().year - 2
    data = workbook(
        {
            "awards": [
                {
                    "username": "staff",
                    "award": world.short.code,
                    "year": year,
                    "decision_number": "1/QĐ",
                    "conferred_on": f"20/12/{year}",
                }
            ]
        }
    )
    barrier = threading.Barrier(2)
    results: list = [None, None]
    real_check = record_import.check

    def slow_check(*args, **kwargs):  # each import holds on a while after its check
        checked = real_check(*args, **kwargs)
        time.sleep(0.5)
        return checked

    monkeypatch.setattr(record_import, "check", slow_check)

    def run(i, actor):
        try:
            read = record_import.read(data, "past.xlsx")
            barrier.wait(timeout=10)
            results[i] = record_import.import_rows(read, actor=actor)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(0, world.secretary)),
        threading.Thread(target=run, args=(1, world.admin)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    refused = [r for r in results if isinstance(r, RecordRefused)]
    assert len(refused) == 1, results
    assert [r.errors for r in refused[0].checked.bad_rows] == [["Already on the record."]]
    assert ConferredAward.objects.count() == 1
