"""Who is told of each event: the people it concerns, once, and never whoever did it."""

import datetime

import pytest
from django.utils import timezone

from approvals import services as council
from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.roles import Role
from nominations.stages import Stage
from notifications.models import Cursor, Kind, Notification
from notifications.services import CHAIN_CURSOR, notify_new_events, notify_until_caught_up
from tests.factories import person
from workflows import services

from .conftest import record_hold

TASK, RETURNED, REJECTED = Kind.TASK, Kind.RETURNED, Kind.REJECTED
NOT_APPROVED, AWARDED, OBJECTION, HELD = Kind.NOT_APPROVED, Kind.AWARDED, Kind.OBJECTION, Kind.HELD
PROPOSERS = {"proposer", "proposer2"}


def _each(names, kind):
    return {(name, kind) for name in names}


# (walk to here first, the step told of, who is told). The world: proposer (drafts everything)
# and proposer2 at the unit, the unit head, the agency's party reviewer, leader, secretary and
# signer; `staff` is the nominee.
CASES = [
    ("full", [], "submit", {("head", TASK)}),
    ("full", ["submit"], "approve", {("party", TASK)}),
    ("full", ["submit", "approve"], "approve", {("leader", TASK)}),
    ("full", ["submit", "approve", "approve"], "approve", {("secretary", TASK)}),
    ("short", ["submit", "approve"], "approve", {("signer", TASK)}),
    ("full", ["submit"], "return_for_revision", _each(PROPOSERS, RETURNED)),
    ("full", ["submit", "return_for_revision"], "resubmit", {("head", TASK)}),
    ("full", ["submit"], "reject", _each(PROPOSERS | {"staff"}, REJECTED)),
    ("full", ["submit", "approve", "approve", "approve"], "council_approve", {("signer", TASK)}),
    (
        "full",
        ["submit", "approve", "approve", "approve"],
        "council_reject",
        _each(PROPOSERS | {"staff"}, NOT_APPROVED),
    ),
    ("short", ["submit", "approve", "approve"], "confer", _each(PROPOSERS | {"staff"}, AWARDED)),
]


@pytest.mark.parametrize(("route", "before", "step", "expected"), CASES)
def test_each_event_tells_the_people_it_concerns(
    world, proposer2, new, walk, told, route, before, step, expected
):
    nomination = walk(new(getattr(world, route)), *before)
    assert told(lambda: walk(nomination, step)) == expected


def test_a_task_is_not_announced_to_whom_it_concerns(world, new, walk, told):
    """The unit head who drafted it, or is its nominee, may not confirm it: they are not told."""
    world.unit_head.role_assignments.create(role=Role.UNIT_PROPOSER, unit=world.unit)
    mine = dossier.create_draft(
        actor=world.unit_head,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        achievements="Xuất sắc.",
    )
    second_head = person(world.unit, Role.UNIT_HEAD, username="head2")
    assert told(lambda: services.submit(mine, actor=world.unit_head)) == {("head2", TASK)}
    about_head = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=second_head,
        achievements="Xuất sắc.",
    )
    assert told(lambda: services.submit(about_head, actor=world.proposer)) == {("head", TASK)}


def test_an_objection_tells_the_council_secretary(world, proposer2, new, walk, told):
    nomination = walk(new(), "submit", "approve", "approve", "approve", "council_approve")
    objection = told(
        lambda: council.file_objection(nomination, actor=world.other_proposer, reasons="Sai.")
    )
    assert objection == {("secretary", OBJECTION)}


def test_an_upheld_objection_returns_to_the_proposers(world, proposer2, new, walk, told):
    nomination = walk(new(), "submit", "approve", "approve", "approve", "council_approve")
    assert told(
        lambda: services.uphold_objection(
            nomination, actor=world.secretary, remedy="return", reasons="Có căn cứ."
        )
    ) == _each(PROPOSERS, RETURNED)


def test_a_hold_tells_the_proposers_and_its_lifting_the_stage_it_returns_to(
    world, proposer2, new, walk, told
):
    nomination = walk(new(), "submit", "approve", "approve")
    assert told(
        lambda: record_hold(
            nomination, actor=world.leader, event=Event.HOLD_PLACED, to_state="on_hold"
        )
    ) == _each(PROPOSERS, HELD)
    assert told(
        lambda: record_hold(
            nomination,
            actor=world.admin,
            event=Event.HOLD_LIFTED,
            to_state=Stage.LEADERSHIP_REVIEW,
        )
    ) == {("leader", TASK)}


def test_an_active_delegate_is_told_with_the_principal(world, new, told):
    deputy = person(world.unit, username="deputy")
    today = timezone.localdate()
    dossier.grant_delegation(
        principal=world.unit_head,
        delegate=deputy,
        role=Role.UNIT_HEAD,
        unit=world.unit,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=7),
    )
    nomination = new()
    assert told(lambda: services.submit(nomination, actor=world.proposer)) == {
        ("head", TASK),
        ("deputy", TASK),
    }


def test_nobody_outside_the_proposing_units_scope_is_told(world, new, walk, told):
    person(world.other_unit, Role.UNIT_HEAD, username="other_head")
    nomination = new()
    assert told(lambda: walk(nomination, "submit")) == {("head", TASK)}


def test_reading_twice_writes_nothing_the_second_time(world, proposer2, new, walk):
    walk(new(), "submit", "approve", "return_for_revision", "resubmit", "approve")
    first = notify_until_caught_up()
    count = Notification.objects.count()
    cursor = Cursor.objects.get(pk=CHAIN_CURSOR)
    assert first.notifications == count > 0
    again = notify_until_caught_up()
    assert (again.events, again.notifications) == (0, 0)
    assert Notification.objects.count() == count
    assert Cursor.objects.get(pk=CHAIN_CURSOR).moved_at == cursor.moved_at


def test_small_batches_tell_the_same_people_as_one_large_batch(world, proposer2, new, walk):
    walk(new(), "submit", "approve", "approve", "approve", "council_approve")
    walk(new(world.short), "submit", "reject")
    notify_until_caught_up(batch=1)
    small = set(Notification.objects.values_list("event_seq", "recipient_id", "kind"))
    Notification.objects.all().delete()
    Cursor.objects.all().delete()
    notify_until_caught_up(batch=500)
    assert set(Notification.objects.values_list("event_seq", "recipient_id", "kind")) == small


def test_a_run_failing_half_way_leaves_its_batch_unwritten_and_the_next_run_completes_it(
    world, proposer2, new, walk, monkeypatch
):
    walk(new(), "submit", "approve", "approve")
    walk(new(world.short), "submit", "reject")
    notify_until_caught_up()
    expected = set(Notification.objects.values_list("event_seq", "recipient_id", "kind"))
    Notification.objects.all().delete()
    Cursor.objects.all().delete()

    manager = Notification.objects
    real = manager.bulk_create
    calls = []

    def killed_after_writing_the_second_batch(*args, **kwargs):
        calls.append(1)
        created = real(*args, **kwargs)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return created

    monkeypatch.setattr(manager, "bulk_create", killed_after_writing_the_second_batch)
    with pytest.raises(RuntimeError, match="killed"):
        notify_until_caught_up(batch=4)
    first_batch_end = Cursor.objects.get(pk=CHAIN_CURSOR).seq
    # The first batch committed; the second left nothing behind.
    assert first_batch_end == AuditEvent.objects.values_list("seq", flat=True)[3]
    assert not Notification.objects.filter(event_seq__gt=first_batch_end).exists()
    monkeypatch.undo()

    notify_until_caught_up(batch=4)
    assert set(Notification.objects.values_list("event_seq", "recipient_id", "kind")) == expected


def test_events_that_concern_nobody_still_move_the_cursor(world, new):
    new()  # a draft: its event tells nobody
    done = notify_new_events()
    assert done.events >= 1 and done.notifications == 0
    assert Cursor.objects.get(pk=CHAIN_CURSOR).seq == AuditEvent.objects.last().seq
