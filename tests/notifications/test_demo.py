"""The demo's people find their notifications on arrival, and the demo is read only once."""

import io

from django.core.management import call_command

from notifications.models import Kind, Notification
from tests.workflows.test_seed_demo import run_seed
from workflows.models import OPEN, NominationTask


def test_the_demo_tells_each_reviewer_of_the_work_waiting_for_them(db):
    run_seed()
    told = set(
        Notification.objects.filter(kind=Kind.TASK, read_at__isnull=True).values_list(
            "recipient__username", "nomination_id"
        )
    )
    assert {"unithead", "party", "leader", "signer"} <= {name for name, _pk in told}
    # Every nomination waiting at a review stage was announced to someone.
    waiting = set(
        NominationTask.objects.filter(
            status__in=OPEN, stage__in=["unit_review", "leadership_review"]
        ).values_list("nomination_id", flat=True)
    )
    assert waiting and waiting <= {pk for _name, pk in told}
    assert Notification.objects.filter(kind=Kind.RETURNED).exists()

    count = Notification.objects.count()
    run_seed()
    out = io.StringIO()
    call_command("run_timers", stdout=out)
    assert Notification.objects.count() == count
    assert out.getvalue().startswith("run_timers: 0 events read, 0 notifications written;")
