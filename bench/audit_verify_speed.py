"""How fast `audit_verify` streams and checks the chain: loads N generated events with the bulk
loader (unless the chain already has them), then times `verify_database`.

    DATABASE_URL=postgres://... python bench/audit_verify_speed.py 200000
"""

import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from audit.events import Event  # noqa: E402
from audit.models import AuditEvent  # noqa: E402
from audit.services import bulk_append  # noqa: E402
from audit.verify import verify_database  # noqa: E402


def generated(n):
    for i in range(n):
        yield AuditEvent(
            action=Event.APPROVED,
            actor_label=f"Nguyễn Văn {i % 97} (user{i % 97})",
            role="leadership_reviewer",
            subject_type="nomination",
            subject_id=str(i % 5000),
            nomination_id=i % 5000,
            unit_path=f"/1/{i % 13}/",
            campaign_id=1,
            award_type_id=1 + i % 4,
            from_state="leadership_review",
            to_state="council_review",
            comment="Đồng ý." if i % 3 else "",
            data={"stage": "leadership_review", "task": i},
            origin_ip="10.0.0.1",
            origin_agent="Mozilla/5.0",
        )


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    have = AuditEvent.objects.count()
    if have < n:
        started = time.perf_counter()
        bulk_append(generated(n - have))
        took = time.perf_counter() - started
        print(f"loaded {n - have} events in {took:.1f}s ({(n - have) / took:,.0f}/s)")
    started = time.perf_counter()
    result = verify_database()
    took = time.perf_counter() - started
    print(result.line())
    print(f"verified {result.events} events in {took:.2f}s: {result.events / took:,.0f} events/s")


if __name__ == "__main__":
    main()
