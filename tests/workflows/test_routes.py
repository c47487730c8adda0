"""A nomination follows its award type's route: the stages it visits, the task it waits on at
each, and the decision record and audit event every step leaves behind."""

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.exceptions import TransitionRefused
from nominations.models import StageDecision
from nominations.roles import Role
from nominations.stages import Stage, Status
from tests.factories import AwardTypeFactory
from workflows import services
from workflows.models import NominationProcess, NominationTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def _draft(world, award_type):
    return dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=award_type,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )


def _statuses_visited(walk, nomination, *steps) -> list[str]:
    visited = []
    for step in steps:
        nomination = walk(nomination, step)
        visited.append(nomination.status)
    return visited


def _tasks(nomination):
    """The human tasks of the nomination, oldest first, as (node, stage, role, status)."""
    return [
        (t.flow_task.name, t.stage, t.role, t.status)
        for t in NominationTask.objects.filter(nomination=nomination).order_by("id")
    ]


def _open_tasks(nomination):
    return list(NominationTask.objects.filter(nomination=nomination, status__in=OPEN))


# --- the short route -------------------------------------------------------------------------


def test_a_short_route_visits_only_its_stages_then_awaits_the_decision(world, walk):
    n = _draft(world, world.short)

    visited = _statuses_visited(walk, n, "submit", "approve", "approve")

    assert visited == [Status.UNIT_REVIEW, Status.LEADERSHIP_REVIEW, Status.APPROVED]


def test_a_short_route_creates_a_task_for_each_of_its_stages_then_the_signature(world, walk):
    n = walk(_draft(world, world.short), "submit", "approve", "approve")

    assert _tasks(n) == [
        ("review", Stage.UNIT_REVIEW, Role.UNIT_HEAD, STATUS.DONE),
        ("review", Stage.LEADERSHIP_REVIEW, Role.LEADERSHIP_REVIEWER, STATUS.DONE),
        ("sign", Status.APPROVED, Role.DECISION_SIGNER, STATUS.NEW),
    ]


def test_a_short_route_never_waits_on_the_party_committee_or_the_council(world, walk):
    n = walk(_draft(world, world.short), "submit", "approve", "approve", "confer")

    stages = set(NominationTask.objects.filter(nomination=n).values_list("stage", flat=True))
    assert Stage.PARTY_COMMITTEE_REVIEW not in stages
    assert Stage.COUNCIL_REVIEW not in stages
    assert n.status == Status.AWARDED


def test_conferring_after_a_short_route_ends_the_process(world, walk):
    n = walk(_draft(world, world.short), "submit", "approve", "approve", "confer")

    assert n.status == Status.AWARDED
    assert _open_tasks(n) == []
    assert NominationProcess.objects.get(nomination=n).status == PROCESS.DONE


# --- the full route --------------------------------------------------------------------------


def test_the_full_route_visits_every_stage_in_order(world, draft, walk):
    visited = _statuses_visited(walk, draft, "submit", "approve", "approve", "approve")

    assert visited == [
        Status.UNIT_REVIEW,
        Status.PARTY_COMMITTEE_REVIEW,
        Status.LEADERSHIP_REVIEW,
        Status.COUNCIL_REVIEW,
    ]


def test_the_full_route_waits_on_one_task_per_stage_for_the_stage_role_and_unit(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "approve")

    tasks = NominationTask.objects.filter(nomination=n).order_by("id")
    assert [(t.stage, t.role, t.scope_unit) for t in tasks] == [
        (Stage.UNIT_REVIEW, Role.UNIT_HEAD, world.unit),
        (Stage.PARTY_COMMITTEE_REVIEW, Role.PARTY_COMMITTEE_REVIEWER, world.unit),
        (Stage.LEADERSHIP_REVIEW, Role.LEADERSHIP_REVIEWER, world.unit),
        (Stage.COUNCIL_REVIEW, Role.COUNCIL_SECRETARY, world.unit),
    ]
    assert [t.status for t in tasks] == [STATUS.DONE, STATUS.DONE, STATUS.DONE, STATUS.NEW]


def test_each_stage_has_exactly_one_open_task_while_the_nomination_is_there(world, draft, walk):
    n = walk(draft, "submit")
    for _ in range(3):
        [task] = _open_tasks(n)
        assert task.stage == n.status
        n = walk(n, "approve")
    [task] = _open_tasks(n)
    assert task.stage == Status.COUNCIL_REVIEW


def test_the_council_approval_waits_on_the_signature_of_the_decision(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "approve", "council_approve")

    [task] = _open_tasks(n)
    assert n.status == Status.COUNCIL_APPROVED
    assert (task.flow_task.name, task.stage, task.role) == (
        "sign",
        Status.COUNCIL_APPROVED,
        Role.DECISION_SIGNER,
    )


def test_conferring_after_the_council_ends_the_process(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "approve", "council_approve", "confer")

    assert n.status == Status.AWARDED
    assert _open_tasks(n) == []
    assert NominationProcess.objects.get(nomination=n).status == PROCESS.DONE


def test_the_council_rejection_ends_the_process(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "approve", "council_reject")

    assert n.status == Status.COUNCIL_REJECTED
    assert _open_tasks(n) == []
    assert NominationProcess.objects.get(nomination=n).status == PROCESS.DONE


# --- return and resubmission -----------------------------------------------------------------


def test_a_return_sends_the_nomination_back_to_the_unit_with_a_revise_task(world, draft, walk):
    n = walk(draft, "submit", "approve", "return_for_revision")

    [task] = _open_tasks(n)
    assert n.status == Status.RETURNED
    assert (task.flow_task.name, task.stage, task.role, task.scope_unit) == (
        "revise",
        Status.RETURNED,
        Role.UNIT_PROPOSER,
        world.unit,
    )


def test_a_return_completes_the_task_of_the_stage_that_returned_it(world, draft, walk):
    n = walk(draft, "submit", "approve", "return_for_revision")

    returned_from = NominationTask.objects.get(nomination=n, stage=Stage.PARTY_COMMITTEE_REVIEW)
    assert returned_from.status == STATUS.DONE
    assert returned_from.owner == world.party_reviewer


def test_resubmission_starts_again_at_the_first_stage_of_the_route(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "return_for_revision", "resubmit")

    [task] = _open_tasks(n)
    assert n.status == Status.UNIT_REVIEW
    assert (task.stage, task.role) == (Stage.UNIT_REVIEW, Role.UNIT_HEAD)


def test_resubmission_starts_at_the_first_stage_of_a_route_without_unit_review(world, walk):
    route = [Stage.PARTY_COMMITTEE_REVIEW, Stage.LEADERSHIP_REVIEW, Stage.COUNCIL_REVIEW]
    n = _draft(world, AwardTypeFactory(stages=route))

    visited = _statuses_visited(walk, n, "submit", "approve", "return_for_revision", "resubmit")

    assert visited == [
        Status.PARTY_COMMITTEE_REVIEW,
        Status.LEADERSHIP_REVIEW,
        Status.RETURNED,
        Status.PARTY_COMMITTEE_REVIEW,
    ]


def test_a_returned_nomination_goes_through_every_stage_again(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "return_for_revision", "resubmit")

    visited = _statuses_visited(walk, n, "approve", "approve", "approve")

    assert visited == [
        Status.PARTY_COMMITTEE_REVIEW,
        Status.LEADERSHIP_REVIEW,
        Status.COUNCIL_REVIEW,
    ]


# --- decisions and audit events match the walk one for one ------------------------------------

REASONS = "Lý do: return_for_revision"


@pytest.fixture
def walked(world, draft, walk):
    """The full route with a return, to the award."""
    return walk(
        draft,
        "submit",
        "approve",
        "return_for_revision",
        "resubmit",
        "approve",
        "approve",
        "approve",
        "council_approve",
        "confer",
    )


# Each step of `walked`: outcome, stage, from, to, who acted (a `world` attribute), in which role,
# with which reasons. Written out by hand from the route and docs/DOMAIN.md.
WALK = [
    ("submitted", "draft", "draft", "unit_review", "proposer", "unit_proposer", ""),
    (
        "approved",
        "unit_review",
        "unit_review",
        "party_committee_review",
        "unit_head",
        "unit_head",
        "",
    ),
    (
        "returned",
        "party_committee_review",
        "party_committee_review",
        "returned",
        "party_reviewer",
        "party_committee_reviewer",
        REASONS,
    ),
    ("resubmitted", "returned", "returned", "unit_review", "proposer", "unit_proposer", ""),
    (
        "approved",
        "unit_review",
        "unit_review",
        "party_committee_review",
        "unit_head",
        "unit_head",
        "",
    ),
    (
        "approved",
        "party_committee_review",
        "party_committee_review",
        "leadership_review",
        "party_reviewer",
        "party_committee_reviewer",
        "",
    ),
    (
        "approved",
        "leadership_review",
        "leadership_review",
        "council_review",
        "leader",
        "leadership_reviewer",
        "",
    ),
    (
        "council_approved",
        "council_review",
        "council_review",
        "council_approved",
        "secretary",
        "council_secretary",
        "",
    ),
    (
        "conferred",
        "council_approved",
        "council_approved",
        "awarded",
        "signer",
        "decision_signer",
        "",
    ),
]


def _expected_walk(world):
    return [
        (outcome, stage, before, after, getattr(world, who), role, reasons)
        for outcome, stage, before, after, who, role, reasons in WALK
    ]


def test_every_step_of_the_walk_leaves_one_decision_record(world, walked):
    decisions = StageDecision.objects.filter(nomination=walked).order_by("id")

    assert [
        (d.outcome, d.stage, d.from_status, d.to_status, d.actor, d.role, d.reasons)
        for d in decisions
    ] == _expected_walk(world)


def test_every_step_of_the_walk_leaves_one_audit_event(world, walked):
    events = AuditEvent.objects.filter(nomination_id=walked.pk).exclude(
        action=Event.NOMINATION_CREATED
    )

    assert [
        (e.action, e.data["stage"], e.from_state, e.to_state, e.actor, e.role, e.comment)
        for e in events
    ] == [
        (StageDecision.EVENTS[outcome], stage, before, after, actor, role, reasons)
        for outcome, stage, before, after, actor, role, reasons in _expected_walk(world)
    ]


def test_the_audit_trail_begins_with_the_draft_and_names_the_actor(world, walked):
    first = AuditEvent.objects.filter(nomination_id=walked.pk).first()

    assert (first.action, first.actor, first.to_state) == (
        Event.NOMINATION_CREATED,
        world.proposer,
        Status.DRAFT,
    )
    assert world.proposer.get_username() in first.actor_label


def test_each_audit_event_names_the_task_its_action_completed(world, walked):
    events = AuditEvent.objects.filter(nomination_id=walked.pk, action__startswith="nomination.")
    events = events.exclude(action__in=[Event.NOMINATION_CREATED, Event.SUBMITTED])

    for event in events:
        task = NominationTask.objects.get(pk=event.data["task"])
        assert task.nomination_id == walked.pk
        assert task.stage == event.from_state
        assert task.status == STATUS.DONE
        assert task.owner == event.actor


def test_the_submission_event_names_no_task(world, walked):
    event = AuditEvent.objects.get(nomination_id=walked.pk, action=Event.SUBMITTED)

    assert event.data["task"] is None


def test_the_decision_records_the_dossier_it_saw(world, draft, walk):
    n = walk(draft, "submit", "approve", "return_for_revision")

    returned = StageDecision.objects.get(nomination=n, outcome=StageDecision.Outcome.RETURNED)
    assert returned.dossier == draft.dossier_snapshot()


# --- reject and withdraw end the process -------------------------------------------------------


def test_a_rejection_leaves_no_open_task(world, draft, walk):
    n = walk(draft, "submit", "approve", "reject")

    assert n.status == Status.REJECTED
    assert _open_tasks(n) == []


def test_a_rejection_completes_the_process(world, draft, walk):
    n = walk(draft, "submit", "approve", "reject")

    process = NominationProcess.objects.get(nomination=n)
    assert process.status == PROCESS.DONE
    assert process.finished is not None


def test_a_rejection_records_the_reasons(world, draft, walk):
    n = walk(draft, "submit", "approve", "reject")

    decision = StageDecision.objects.filter(nomination=n).last()
    event = AuditEvent.objects.filter(nomination_id=n.pk).last()
    assert (decision.outcome, decision.reasons) == (StageDecision.Outcome.REJECTED, "Lý do: reject")
    assert (event.action, event.comment) == (Event.REJECTED, "Lý do: reject")


def test_nothing_can_be_done_to_a_rejected_nomination(world, draft, walk):
    n = walk(draft, "submit", "approve", "reject")

    with pytest.raises(TransitionRefused):
        services.resubmit(n, actor=world.proposer)
    with pytest.raises(TransitionRefused):
        services.withdraw(n, actor=world.proposer)


def test_withdrawing_at_a_review_stage_cancels_the_waiting_task(world, draft, walk):
    n = walk(draft, "submit", "approve")
    waiting = NominationTask.objects.get(nomination=n, stage=Stage.PARTY_COMMITTEE_REVIEW)

    n = walk(n, "withdraw")

    waiting.refresh_from_db()
    assert n.status == Status.WITHDRAWN
    assert waiting.status == STATUS.CANCELED
    assert _open_tasks(n) == []


def test_withdrawing_at_a_review_stage_cancels_the_process(world, draft, walk):
    n = walk(draft, "submit", "approve", "withdraw")

    process = NominationProcess.objects.get(nomination=n)
    assert process.status == PROCESS.CANCELED
    assert process.finished is not None


def test_withdrawing_a_returned_nomination_cancels_the_revise_task(world, draft, walk):
    n = walk(draft, "submit", "return_for_revision", "withdraw")

    [revise] = NominationTask.objects.filter(nomination=n, stage=Status.RETURNED)
    assert revise.status == STATUS.CANCELED
    assert _open_tasks(n) == []


def test_withdrawing_at_the_council_cancels_the_council_task(world, draft, walk):
    n = walk(draft, "submit", "approve", "approve", "approve", "withdraw")

    council = NominationTask.objects.get(nomination=n, stage=Stage.COUNCIL_REVIEW)
    assert council.status == STATUS.CANCELED
    assert _open_tasks(n) == []


def test_withdrawing_a_draft_starts_no_process(world, draft, walk):
    n = walk(draft, "withdraw")

    assert n.status == Status.WITHDRAWN
    assert not NominationProcess.objects.filter(nomination=n).exists()
    assert not NominationTask.objects.filter(nomination=n).exists()


def test_a_withdrawal_is_recorded_as_a_decision_and_an_audit_event(world, draft, walk):
    n = walk(draft, "submit", "approve", "withdraw")

    decision = StageDecision.objects.filter(nomination=n).last()
    event = AuditEvent.objects.filter(nomination_id=n.pk).last()
    assert (decision.outcome, decision.from_status, decision.to_status, decision.actor) == (
        StageDecision.Outcome.WITHDRAWN,
        Status.PARTY_COMMITTEE_REVIEW,
        Status.WITHDRAWN,
        world.proposer,
    )
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        Event.WITHDRAWN,
        Status.PARTY_COMMITTEE_REVIEW,
        Status.WITHDRAWN,
        world.proposer,
    )


# --- a refused action leaves nothing behind ---------------------------------------------------


def test_a_submission_refused_by_a_guard_starts_no_process_and_records_nothing(world, draft):
    draft = dossier.update_dossier(draft, actor=world.proposer, changes={"achievements": ""})
    events_before = AuditEvent.objects.filter(nomination_id=draft.pk).count()

    with pytest.raises(TransitionRefused) as refused:
        services.submit(draft, actor=world.proposer)

    assert refused.value.reasons == ["Write the achievements summary of the dossier."]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not NominationProcess.objects.filter(nomination=draft).exists()
    assert not StageDecision.objects.filter(nomination=draft).exists()
    assert AuditEvent.objects.filter(nomination_id=draft.pk).count() == events_before


@pytest.mark.parametrize("action", ["return_for_revision", "reject"])
def test_a_return_or_rejection_without_reasons_is_refused_and_records_nothing(
    world, draft, walk, action
):
    n = walk(draft, "submit")
    [waiting] = _open_tasks(n)

    with pytest.raises(TransitionRefused):
        getattr(services, action)(n, actor=world.unit_head, reasons="  ")

    n.refresh_from_db()
    waiting.refresh_from_db()
    assert n.status == Status.UNIT_REVIEW
    assert list(StageDecision.objects.filter(nomination=n).values_list("outcome", flat=True)) == [
        StageDecision.Outcome.SUBMITTED
    ]
    assert (waiting.status, waiting.owner) == (STATUS.NEW, None)
