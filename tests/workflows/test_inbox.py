"""The inbox selector: the tasks a user took and those waiting for their roles, in one list by
due date, however the list is sliced, filtered or counted (the API pages through it)."""

import datetime

import pytest
from django.utils import timezone

from workflows import services
from workflows.models import NominationTask
from workflows.selectors import inbox_for


@pytest.fixture
def inbox(world, new_draft, walk):
    """Six nominations at the party committee, due in 5, 1, 4, 2, 6 and 3 days; the reviewer
    took the ones due in 2 and 5 days. Returns the due dates in the order they were created."""
    today = timezone.localdate()
    due = []
    for days in (5, 1, 4, 2, 6, 3):
        task = NominationTask.objects.open_for(walk(new_draft(), "submit", "approve"))
        task.due_on = today + datetime.timedelta(days=days)
        task.save(update_fields=["due_on"])
        if days in (2, 5):
            services.take_task(task, actor=world.party_reviewer)
        due.append(task.due_on)
    return due


def test_the_inbox_lists_taken_and_waiting_tasks_together_by_due_date(world, inbox):
    tasks = list(inbox_for(world.party_reviewer))
    assert [t.due_on for t in tasks] == sorted(inbox)
    me = world.party_reviewer
    assert [t.owner for t in tasks] == [None, me, None, None, me, None]


def test_any_slice_of_the_inbox_is_that_part_of_the_whole_list(world, inbox):
    whole = [t.pk for t in inbox_for(world.party_reviewer)]
    for start, stop in ((0, 1), (0, 2), (0, 3), (1, 4), (2, 6), (4, 10), (6, 8)):
        sliced = inbox_for(world.party_reviewer)[start:stop]
        assert [t.pk for t in sliced] == whole[start:stop]
    assert inbox_for(world.party_reviewer)[3].pk == whole[3]
    assert [t.pk for t in inbox_for(world.party_reviewer)[1:5:2]] == whole[1:5:2]
    assert inbox_for(world.party_reviewer).count() == 6


def test_the_inbox_can_be_narrowed_like_any_list_of_tasks(world, inbox):
    tasks = list(inbox_for(world.party_reviewer))
    one = tasks[1].nomination_id
    assert [t.pk for t in inbox_for(world.party_reviewer).filter(nomination_id=one)] == [
        tasks[1].pk
    ]
    rest = inbox_for(world.party_reviewer).exclude(nomination_id=one)
    assert [t.pk for t in rest] == [t.pk for t in tasks if t.nomination_id != one]
    assert [t.pk for t in rest[:2]] == [tasks[0].pk, tasks[2].pk]
