"""Deadlines that act (`workflows.deadlines`, run by `run_timers`): a reminder some working days
before a task's due date and one on it, escalation to the role above once it is overdue, and
the reassignment the one escalated to may make. Each is done once, with a controlled clock.

The calendar of these tests (December 2026): a nomination submitted on Wednesday the 9th waits
on its unit head for 5 working days. Tuesday the 15th is a holiday, so the task is due on
Thursday the 17th (not Wednesday the 16th): Thursday, Friday, (the weekend), Monday, (the
holiday), Wednesday, Thursday.
"""

import datetime
import io
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.calendar import forget_holidays
from nominations.exceptions import NotAllowed
from nominations.models import HoldKind, Holiday, Nomination, RoleAssignment, RouteStage
from nominations.roles import Role
from notifications.models import Kind, Notification
from notifications.sentences import sentence
from notifications.services import notify_until_caught_up
from tests.factories import person
from workflows import deadlines, events, services
from workflows.models import NominationTask

WED_9, FRI_11, MON_14, TUE_15, WED_16, THU_17, FRI_18, MON_21, TUE_22 = (
    datetime.date(2026, 12, d) for d in (9, 11, 14, 15, 16, 17, 18, 21, 22)
)


def on(day: datetime.date, hour: int = 9):
    """The clock stopped at `hour` o'clock, local time, on `day`."""
    moment = datetime.datetime.combine(day, datetime.time(hour), ZoneInfo(settings.TIME_ZONE))
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def holiday(db):
    Holiday.objects.create(date=TUE_15, name="Ngày nghỉ bù")
    forget_holidays()


@pytest.fixture
def submitted(world, holiday):
    """submitted(): a fresh nomination (a new colleague as its nominee: one achievement, one
    award), submitted on Wednesday the 9th, waiting on the unit head."""

    def _submitted(award_type=None) -> Nomination:
        with on(WED_9):
            draft = dossier.create_draft(
                actor=world.proposer,
                campaign=world.campaign,
                award_type=award_type or world.full,
                proposing_unit=world.unit,
                nominee_person=person(world.unit),
                achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            )
            return services.submit(draft, actor=world.proposer)

    return _submitted


def task_of(nomination) -> NominationTask:
    return NominationTask.objects.open_for(nomination)


def run_on(day: datetime.date) -> deadlines.Done:
    with on(day):
        return deadlines.run()


def recorded(action=None):
    found = AuditEvent.objects.filter(action__in=[Event.TASK_REMINDED, Event.TASK_ESCALATED])
    return list(found.filter(action=action) if action else found)


def told(nomination) -> set[tuple[str, str]]:
    notify_until_caught_up()
    return set(
        Notification.objects.filter(
            nomination=nomination, kind__in=[Kind.REMINDER, Kind.ESCALATED]
        ).values_list("recipient__username", "kind")
    )


def test_the_due_date_counts_working_days_past_the_weekend_and_the_holiday(submitted):
    assert task_of(submitted()).due_on == THU_17


def test_reminded_two_working_days_before_and_on_the_due_date_not_on_other_days(world, submitted):
    n = submitted()
    # Friday: Monday, Wednesday and Thursday are left (the weekend and the holiday are not).
    assert run_on(FRI_11) == deadlines.Done(0, 0)
    assert run_on(MON_14) == deadlines.Done(1, 0)
    (before,) = recorded()
    assert before.data["reminder"] == "before"
    assert before.data["due_on"] == "2026-12-17"
    assert (before.data["task"], before.data["stage"]) == (task_of(n).pk, "unit_review")
    assert before.nomination_id == n.pk and before.actor is None
    # Nobody has taken the task: every holder of its role over the unit is told.
    assert told(n) == {("head", Kind.REMINDER)}

    for quiet in (TUE_15, WED_16):  # the holiday, then the day the holiday pushed the date past
        assert run_on(quiet) == deadlines.Done(0, 0)
    assert run_on(THU_17) == deadlines.Done(1, 0)
    assert [e.data["reminder"] for e in recorded()] == ["before", "due"]
    assert run_on(FRI_18) == deadlines.Done(0, 0)

    task = task_of(n)
    assert task.reminded_before_at and task.reminded_due_at and not task.escalated_at
    assert told(n) == {("head", Kind.REMINDER)}
    notes = Notification.objects.filter(nomination=n, kind=Kind.REMINDER).order_by("event_seq")
    assert [sentence(x).split(" (")[0] for x in notes] == [f"Reminder: {n.reference}"] * 2
    assert "due 17 Dec 2026" in sentence(notes[0])
    assert sentence(notes[1]).endswith("and is due today.")


def test_an_active_delegate_of_the_unit_head_is_reminded_with_them(world, submitted):
    deputy = person(world.unit, username="deputy")
    with on(WED_9):
        dossier.grant_delegation(
            principal=world.unit_head,
            delegate=deputy,
            role=Role.UNIT_HEAD,
            unit=world.unit,
            starts_on=WED_9,
            ends_on=FRI_18,
        )
    n = submitted()
    with on(MON_14):  # as run_timers: the job, then the chain's reader, the same day
        deadlines.run()
        assert told(n) == {("head", Kind.REMINDER), ("deputy", Kind.REMINDER)}


def test_a_task_taken_reminds_its_owner_alone(world, submitted):
    n = submitted()
    colleague = person(world.unit, Role.UNIT_HEAD, username="head2")
    with on(WED_9):
        services.take_task(task_of(n), actor=world.unit_head)
    run_on(MON_14)
    assert told(n) == {("head", Kind.REMINDER)}
    assert not colleague.notifications.filter(kind=Kind.REMINDER).exists()


def test_a_missed_due_date_is_reminded_late_and_the_before_reminder_not_at_all(world, submitted):
    n = submitted()
    assert run_on(FRI_18) == deadlines.Done(1, 0)  # nothing ran from the 9th to the 18th
    (late,) = recorded()
    assert late.data["reminder"] == "due"
    task = task_of(n)
    assert task.reminded_due_at and task.reminded_before_at is None
    notify_until_caught_up()
    note = Notification.objects.get(nomination=n, kind=Kind.REMINDER)
    assert sentence(note).endswith("it was due 17 Dec 2026.")


def test_a_stage_reminding_0_days_before_reminds_only_on_the_due_date(world, submitted):
    RouteStage.objects.filter(award_type=world.full, stage="unit_review").update(
        remind_days_before=0
    )
    submitted()
    assert [run_on(d).reminders for d in (FRI_11, MON_14, WED_16, THU_17)] == [0, 0, 0, 1]


def test_nothing_is_reminded_twice_and_run_timers_says_so(world, submitted):
    submitted(), submitted()
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        with on(MON_14):
            call_command("run_timers", stdout=out)
        outputs.append(out.getvalue())
    assert "2 reminders, 0 escalations" in outputs[0]
    # The reminders are told in the same run that records them.
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 2
    assert outputs[1].startswith("run_timers: 0 events read, 0 notifications written; ")
    assert "0 reminders, 0 escalations" in outputs[1]
    assert len(recorded(Event.TASK_REMINDED)) == 2


def test_escalated_after_3_working_days_overdue_to_the_role_above_and_the_owner(world, submitted):
    n = submitted()
    with on(WED_9):
        services.take_task(task_of(n), actor=world.unit_head)
    for day in (MON_14, THU_17):
        run_on(day)
    # Overdue: Thursday (1), Friday (2), Monday (3) — escalated from Tuesday on, once.
    assert run_on(MON_21) == deadlines.Done(0, 0)
    assert run_on(TUE_22) == deadlines.Done(0, 1)
    assert run_on(TUE_22 + datetime.timedelta(days=1)) == deadlines.Done(0, 0)
    (escalated,) = recorded(Event.TASK_ESCALATED)
    assert escalated.data["escalated_to"] == Role.LEADERSHIP_REVIEWER
    assert escalated.data["overdue_days"] == 3
    assert escalated.data["owner"] == world.unit_head.pk
    # The unit head's leader, and the unit head who has the task; nobody else.
    assert told(n) == {
        ("head", Kind.REMINDER),
        ("head", Kind.ESCALATED),
        ("leader", Kind.ESCALATED),
    }
    note = Notification.objects.get(nomination=n, kind=Kind.ESCALATED, recipient=world.leader)
    assert "is overdue (Unit head confirmation, due 17 Dec 2026)" in sentence(note)


def test_an_escalation_skips_the_late_reminder_and_a_stage_may_never_escalate(world, submitted):
    n = submitted()
    assert run_on(TUE_22) == deadlines.Done(0, 1)  # the due reminder is moot by then
    assert task_of(n).reminded_due_at is None
    RouteStage.objects.filter(award_type=world.full, stage="unit_review").update(
        escalate_after_days=None
    )
    other = submitted()
    assert run_on(TUE_22) == deadlines.Done(1, 0)
    assert task_of(other).escalated_at is None


def test_the_one_escalated_to_reassigns_the_task_to_another_holder_of_its_role(world, submitted):
    n = submitted()
    colleague = person(world.unit, Role.UNIT_HEAD, username="head2")
    run_on(TUE_22)
    notify_until_caught_up()
    with on(TUE_22):
        task = services.reassign_task(task_of(n), new_owner=colleague, actor=world.leader)
    assert task_of(n).owner == colleague
    event = AuditEvent.objects.get(action=Event.TASK_REASSIGNED)
    assert (event.actor, event.role, event.data["owner"]) == (
        world.leader,
        Role.LEADERSHIP_REVIEWER,
        colleague.pk,
    )
    notify_until_caught_up()
    assert set(
        Notification.objects.filter(event_seq=event.seq).values_list("recipient__username", "kind")
    ) == {("head2", Kind.TASK)}
    # The new owner acts on it; the first unit head no longer can.
    with pytest.raises(NotAllowed):
        services.approve(Nomination.objects.get(pk=n.pk), actor=world.unit_head)
    assert services.approve(Nomination.objects.get(pk=n.pk), actor=colleague).status == (
        "party_committee_review"
    )
    assert task.pk != task_of(n).pk


def test_reassignment_is_refused_with_a_reason_to_anyone_else(world, submitted):
    n = submitted()
    colleague = person(world.unit, Role.UNIT_HEAD, username="head2")

    def refused(actor, new_owner):
        with pytest.raises(NotAllowed) as caught:
            services.reassign_task(task_of(n), new_owner=new_owner, actor=actor)
        return str(caught.value)

    assert "not overdue enough" in refused(world.leader, colleague)
    run_on(TUE_22)
    for stranger in (world.unit_head, world.party_reviewer, world.proposer, world.inspector):
        assert "Only whoever this task is escalated to (“Leadership reviewer”" in refused(
            stranger, colleague
        )
    assert "does not hold the role “Unit head”" in refused(world.leader, world.staff)
    # Nobody is given what names them.
    nominee = Nomination.objects.get(pk=n.pk).nominee_person
    RoleAssignment.objects.create(user=nominee, role=Role.UNIT_HEAD, unit=world.unit)
    assert "You are the nominee." in refused(world.leader, nominee)
    assert task_of(n).owner is None
    assert not AuditEvent.objects.filter(action=Event.TASK_REASSIGNED).exists()


def test_a_held_nomination_is_neither_reminded_nor_escalated(world, submitted):
    n = submitted()
    with on(WED_9):
        services.place_hold(
            n, actor=world.secretary, kind=HoldKind.COMPLAINT, reason="Đơn khiếu nại."
        )
    for day in (MON_14, THU_17, TUE_22):
        assert run_on(day) == deadlines.Done(0, 0)
    with on(TUE_22):
        services.lift_hold(
            Nomination.objects.get(pk=n.pk), actor=world.secretary, resolution="Đã giải quyết."
        )
    assert run_on(TUE_22) == deadlines.Done(0, 1)


def test_a_run_failing_half_way_writes_nothing_and_the_next_run_completes_it(
    world, submitted, monkeypatch
):
    first, second = submitted(), submitted()
    real = events.task_reminded
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(events, "task_reminded", failing)
    with pytest.raises(RuntimeError):
        run_on(MON_14)
    assert recorded() == []
    assert not NominationTask.objects.filter(reminded_before_at__isnull=False).exists()
    monkeypatch.undo()
    assert run_on(MON_14) == deadlines.Done(2, 0)
    assert {e.nomination_id for e in recorded()} == {first.pk, second.pk}
    assert run_on(MON_14) == deadlines.Done(0, 0)


def test_batches_remind_every_task_once(world, submitted):
    made = [submitted() for _ in range(5)]
    with on(MON_14):
        assert deadlines.run(batch=2) == deadlines.Done(5, 0)
    assert sorted(e.nomination_id for e in recorded()) == sorted(n.pk for n in made)


# --- two runs at once (PostgreSQL: real row locks) ------------------------------------------


def together(*calls):
    """Run each call in its own thread and database connection, all starting at once."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.postgres
def test_two_runs_at_once_record_each_reminder_exactly_once(
    transactional_db, world, submitted, monkeypatch
):
    made = [submitted() for _ in range(6)]
    real = events.task_reminded

    def slow(*args, **kwargs):
        time.sleep(0.05)  # the other run arrives while this one holds its batch
        return real(*args, **kwargs)

    monkeypatch.setattr(events, "task_reminded", slow)
    with on(MON_14):  # the clock is the process's: both threads read it
        runs = together(lambda: deadlines.run(batch=2), lambda: deadlines.run(batch=2))
    assert not [r for r in runs if isinstance(r, Exception)], runs
    assert sum(r.reminders for r in runs) == 6
    assert sorted(e.nomination_id for e in recorded()) == sorted(n.pk for n in made)
    assert run_on(MON_14) == deadlines.Done(0, 0)


# --- the pages ------------------------------------------------------------------------------


def test_the_inbox_and_the_nomination_page_show_reminded_and_escalated(world, submitted, client):
    reminded, escalated = submitted(), submitted()
    with on(WED_9):
        services.take_task(task_of(escalated), actor=world.unit_head)
    run_on(MON_14)  # both reminded before their due date
    # The second was due on the 9th: three working days overdue on the 14th, escalated.
    NominationTask.objects.filter(pk=task_of(escalated).pk).update(due_on=WED_9)
    assert run_on(MON_14) == deadlines.Done(0, 1)
    with on(MON_14):  # the session is opened on the day it is used
        client.force_login(world.unit_head)
        inbox = client.get("/inbox/").content.decode()
        page = client.get(f"/nominations/{escalated.pk}/").content.decode()
    rows = {
        n.reference: row
        for n in (reminded, escalated)
        for row in inbox.split("<tr")
        if n.reference in row
    }
    assert "reminded-badge" in rows[reminded.reference]
    assert "escalated-badge" in rows[escalated.reference]
    assert "escalated-badge" not in rows[reminded.reference]

    assert "Reminder of the task&#x27;s due date" in page
    assert "Overdue task escalated" in page
    assert "escalated to the Leadership reviewer" in page
    assert "Due on 09 Dec 2026, 3 working days overdue" in page  # the reader's date format
    assert "reassign-form" not in page  # the unit head is who the task waits on, not above it


def test_the_one_escalated_to_reassigns_on_the_page_and_anyone_else_is_refused(
    world, submitted, client
):
    n = submitted()
    colleague = person(world.unit, Role.UNIT_HEAD, username="head2", last_name="Trần")
    run_on(TUE_22)
    with on(TUE_22):  # the session is opened on the day it is used
        client.force_login(world.leader)
        page = client.get(f"/nominations/{n.pk}/").content.decode()
    assert "reassign-form" in page and "Trần" in page
    url = f"/tasks/{task_of(n).pk}/reassign/"
    post = {"owner": colleague.pk, "version": Nomination.objects.get(pk=n.pk).version}

    with on(TUE_22):
        client.force_login(world.unit_head)
        refused = client.post(url, post)
    assert refused.status_code == 403
    assert "Only whoever this task is escalated to" in refused.content.decode()
    assert task_of(n).owner is None

    with on(TUE_22):
        client.force_login(world.leader)
        response = client.post(url, post)
    assert response.status_code == 302
    assert task_of(n).owner == colleague
    with on(TUE_22):
        page = client.get(f"/nominations/{n.pk}/").content.decode()
    assert "Task reassigned" in page and "Given to" in page


def test_the_admin_edits_each_route_stages_reminder_and_escalation(world, client):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get(reverse("admin:nominations_awardtype_change", args=[world.full.pk]))
    html = page.content.decode()
    for position in range(4):
        assert f'name="route-{position}-remind_days_before" value="2"' in html
        assert f'name="route-{position}-escalate_after_days" value="3"' in html
