"""The council's two write paths write the same rows: one nomination through the single action
(`workflows.services.record_council_outcome`) and one through the batch that closing the vote
uses (`record_council_outcomes`, then `audit.bulk_append`), from equivalent states, leave the
same nomination row, decision record, tasks, process and audit event — field by field, leaving
out only ids, timestamps, the nomination's own id and the audit chain's links. The two are for
two namesakes (one achievement, one award: a person is not proposed twice for the same award),
so their nominees' ids are left out too."""

import pytest
from django.db import models, transaction

from audit import services as audit
from audit.models import AuditEvent
from nominations.models import Nomination, StageDecision
from nominations.stages import Status
from tests.factories import person
from workflows import services as transitions
from workflows.models import NominationProcess, NominationTask

REASONS = "Council session #1: 9 approve, 1 disapprove, 0 abstain; threshold 70% of 10."
DATA = {"session": 1, "tally": 1}
CHAIN = {"seq", "prev_hash", "hash"}


def _timestamps(model) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)}


def _without(row: dict, model, *names: str) -> dict:
    """The row's values less its id, its timestamps and the other `names`."""
    dropped = {"id", *_timestamps(model), *names}
    return {k: v for k, v in row.items() if k not in dropped}


def _task_by_place(data: dict, position: dict[int, int]) -> dict:
    """An event's data with the task it names given by its place in the process, not its id."""
    if data.get("task") is None:
        return data
    return {**data, "task": position[data["task"]]}


def _namesake(world):
    """A person of the unit named like every other namesake (the dossier names the nominee)."""
    return person(world.unit, first_name="Lan", last_name="Nguyễn")


def _watermarks() -> tuple[int, int]:
    """The last decision record and audit event before the act: what the act writes is after."""
    last = StageDecision.objects.order_by("-id").values_list("id", flat=True).first() or 0
    event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return last, event


def _written(nomination: Nomination, since: tuple[int, int]) -> dict:
    """Everything stored of the nomination after the act, as comparable values."""
    decisions_since, events_since = since
    process = NominationProcess.objects.get(nomination=nomination)
    tasks = list(process.tasks.order_by("id"))
    position = {t.pk: i for i, t in enumerate(tasks)}  # a task named by its place, not its id
    previous = NominationTask.previous.through.objects.filter(from_nominationtask__process=process)
    links = sorted(
        (position[p.from_nominationtask_id], position[p.to_nominationtask_id]) for p in previous
    )
    row = Nomination.objects.filter(pk=nomination.pk).values().get()
    decisions = StageDecision.objects.filter(nomination=nomination, id__gt=decisions_since)
    events = AuditEvent.objects.filter(nomination_id=nomination.pk, id__gt=events_since)
    return {
        "nomination": _without(row, Nomination, "nominee_person_id"),
        "decisions": [
            _without(d, StageDecision, "nomination_id") for d in decisions.order_by("id").values()
        ],
        "process": {"status": process.status, "finished": process.finished is not None},
        "tasks": [
            {
                "flow_task": t.flow_task.name,
                "flow_task_type": t.flow_task_type,
                "status": t.status,
                "stage": t.stage,
                "role": t.role,
                "owner": t.owner_id,
                "scope_unit": t.scope_unit_id,
                "due_on": t.due_on,
                "token": str(t.token),
                "data": t.data,
                "this_nomination": t.nomination_id == nomination.pk,
                "other_nomination": t.nomination_id not in (None, nomination.pk),
                "assigned": t.assigned is not None,
                "started": t.started is not None,
                "finished": t.finished is not None,
            }
            for t in tasks
        ],
        "previous": links,
        "events": [
            {
                **_without(e, AuditEvent, *CHAIN, "subject_id", "nomination_id", "data"),
                "subject_is_nomination": e["subject_id"] == str(nomination.pk),
                "data": _task_by_place(e["data"], position),
            }
            for e in events.order_by("id").values()
        ],
    }


@pytest.mark.parametrize(
    ("approved", "status"),
    [(True, Status.COUNCIL_APPROVED), (False, Status.COUNCIL_REJECTED)],
)
def test_the_single_and_the_batch_council_outcome_write_the_same_rows(
    world, at_council, approved, status
):
    single, batched = (at_council(nominee=_namesake(world)) for _ in range(2))
    assert _written(single, (0, 0)) == _written(batched, (0, 0)), "they start out alike"

    before_single = _watermarks()
    transitions.record_council_outcome(
        single,
        approved=approved,
        actor=world.secretary,
        reasons=REASONS,
        data=DATA,
        check_owner=False,
    )
    before_batched = _watermarks()
    with transaction.atomic():
        locked = Nomination.objects.lock_many([batched.pk])[batched.pk]
        events = transitions.record_council_outcomes(
            [(locked, approved, REASONS, DATA)], actor=world.secretary
        )
        audit.bulk_append(events)

    one, batch = _written(single, before_single), _written(batched, before_batched)
    assert one["nomination"]["status"] == status
    assert len(one["decisions"]) == len(one["events"]) == 1
    for part in ("nomination", "decisions", "process", "tasks", "previous", "events"):
        assert one[part] == batch[part], part
