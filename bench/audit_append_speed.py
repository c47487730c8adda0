"""Appends per second to the one audit chain with 1, 4 and 8 concurrent writers (processes,
each with its own connection; each append is its own committed transaction, as in a request).

    DATABASE_URL=postgres://... python bench/audit_append_speed.py [seconds per run]
"""

import multiprocessing
import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from audit import services  # noqa: E402
from audit.events import Event  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from audit.verify import verify_database  # noqa: E402


def writer(seconds, start, counts, index):
    connection.close()
    while time.time() < start:
        time.sleep(0.001)
    n = 0
    deadline = start + seconds
    while time.time() < deadline:
        with transaction.atomic():
            services.record(
                Event.APPROVED,
                actor=None,
                subject_type="bench",
                subject_id=index,
                comment="Đồng ý với đề nghị của đơn vị.",
                data={"stage": "leadership_review", "n": n},
            )
        n += 1
    counts[index] = n
    connection.close()


def run(writers, seconds):
    ctx = multiprocessing.get_context("fork")
    counts = ctx.Array("i", writers)
    start = time.time() + 0.5
    procs = [ctx.Process(target=writer, args=(seconds, start, counts, i)) for i in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return sum(counts) / seconds


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    connection.close()
    for writers in (1, 4, 8):
        rate = run(writers, seconds)
        print(f"{writers} writer(s): {rate:,.0f} appends/s")
    result = verify_database()
    print(result.line())
    print(f"chain length now {AuditEvent.objects.count()}")


if __name__ == "__main__":
    main()
