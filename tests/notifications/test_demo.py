"""The demo's people find their notifications on arrival, and the demo is read only once."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from audit.events import Event
from audit.models import AuditEvent
from nominations.roles import Role
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


def test_the_demo_has_reminded_and_escalated_its_late_work_and_told_the_right_people(db, client):
    run_seed()
    # The timers ran before each round of the demo's weeks (every few days, as if from cron):
    # work was reminded before its due date and on it, and what stayed waiting was escalated.
    reminded = list(AuditEvent.objects.filter(action=Event.TASK_REMINDED))
    assert {e.data["reminder"] for e in reminded} == {"before", "due"}
    escalated = AuditEvent.objects.filter(
        action=Event.TASK_ESCALATED, data__stage="unit_review"
    ).first()
    assert escalated is not None, "no unit head's confirmation was escalated in the demo"
    assert escalated.data["escalated_to"] == Role.LEADERSHIP_REVIEWER
    assert any(e.data["task"] == escalated.data["task"] for e in reminded)
    # Told: the unit heads of the proposing unit, reminded and then escalated; the leader,
    # escalated to; nobody else.
    told = set(
        Notification.objects.filter(event_seq=escalated.seq).values_list(
            "recipient__username", "kind"
        )
    )
    heads = ["unithead", "unithead2"]
    head = set(heads) & {name for name, _kind in told}
    assert len(head) == 1
    assert told == {(head.pop(), Kind.ESCALATED), ("leader", Kind.ESCALATED)}
    # Each reminder of the escalated task reached the unit head once. How many there were (the
    # one before the due date, the one on it) depends on the weekday the demo is seeded on: its
    # rounds fall on days counted back from today.
    reminders = [e for e in reminded if e.data["task"] == escalated.data["task"]]
    assert (
        Notification.objects.filter(
            kind=Kind.REMINDER,
            nomination_id=escalated.nomination_id,
            recipient__username__in=["unithead", "unithead2"],
        ).count()
        == len(reminders)
        >= 1
    )
    # On the leader's notifications page, and on the nomination's timeline.
    client.force_login(get_user_model().objects.get(username="leader"))
    listed = client.get("/notifications/").content.decode()
    assert "has been escalated to the role above" in listed
    page = client.get(f"/nominations/{escalated.nomination_id}/").content.decode()
    assert "Overdue task escalated" in page and "Reminder of the task&#x27;s due date" in page
    assert "reassign-form" in page
