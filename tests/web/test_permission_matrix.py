"""The permission matrix: every role × every action × every status, through HTTP.

For each cell the request either succeeds and changes exactly what the action changes, or is
refused and changes nothing (no status change, no decision, no audit event, no task taken, no
document). The expected answer of each cell comes from the hand-written rules below, not from
the code under test:

- 404 when the user may not see the nomination at all (its existence is private);
- 403 when the user may see it but lacks the authority for the action;
- 409 when the user has the authority but the nomination's status does not allow the action
  (or the task to take is already done);
- success otherwise.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from nominations import services as dossier
from nominations.models import Evidence, Hold, Nomination, StageDecision
from nominations.stages import Status
from tests.factories import AwardTypeFactory, person
from workflows import services
from workflows.models import NominationTask

USERS = [
    "proposer",
    "unit_head",
    "party_reviewer",
    "leader",
    "secretary",
    "member",
    "signer",
    "inspector",
    "admin",
    "staff",
    "other_proposer",
]
ACTIONS = [
    "submit",
    "resubmit",
    "approve",
    "return_for_revision",
    "reject",
    "withdraw",
    "take",
    "edit",
    "add_evidence",
    "hold",
    "lift_hold",
]

# How each status is reached (full route unless noted), and how far the journey went.
WALKS = {
    Status.DRAFT: ([], 0),
    Status.UNIT_REVIEW: (["submit"], 1),
    Status.PARTY_COMMITTEE_REVIEW: (["submit", "approve"], 2),
    Status.LEADERSHIP_REVIEW: (["submit", "approve", "approve"], 3),
    Status.COUNCIL_REVIEW: (["submit", "approve", "approve", "approve"], 4),
    Status.RETURNED: (["submit", "approve", "return_for_revision"], 2),
    Status.REJECTED: (["submit", "approve", "approve", "reject"], 3),
    Status.WITHDRAWN: (["submit", "withdraw"], 1),
    Status.APPROVED: (["submit", "approve", "approve"], 5),  # on the short route
    Status.COUNCIL_APPROVED: (["submit", "approve", "approve", "approve", "council_approve"], 5),
    Status.COUNCIL_REJECTED: (["submit", "approve", "approve", "approve", "council_reject"], 5),
    Status.AWARDED: (
        ["submit", "approve", "approve", "approve", "council_approve", "confer"],
        6,
    ),
    # Put on hold (for a complaint) by the party committee at its review.
    Status.ON_HOLD: (["submit", "approve", "hold"], 2),
    # An award decided at a higher level, forwarded by the signer's request; and not conferred
    # there, as the office records.
    Status.FORWARDED: (
        ["submit", "approve", "approve", "approve", "council_approve", "forward"],
        5,
    ),
    Status.NOT_CONFERRED: (
        ["submit", "approve", "approve", "approve", "council_approve", "forward", "not_conferred"],
        5,
    ),
}
# The statuses reached on an award decided at a higher level.
HIGHER_LEVEL = {Status.FORWARDED, Status.NOT_CONFERRED}
# Where the nomination on hold was held (lifting the hold returns it there).
HELD_AT = Status.PARTY_COMMITTEE_REVIEW

# Who sees a nomination: its unit and inspectors always; reviewers once it reached their stage.
SEES_FROM_PROGRESS = {
    "proposer": 0,
    "unit_head": 0,
    "inspector": 0,
    "party_reviewer": 2,
    "leader": 3,
    "secretary": 4,
    "member": 4,
    "signer": 5,
}

# Who holds the authority for an action, by status.
REVIEWER_AT = {
    Status.UNIT_REVIEW: "unit_head",
    Status.PARTY_COMMITTEE_REVIEW: "party_reviewer",
    Status.LEADERSHIP_REVIEW: "leader",
}
TAKER_AT = {
    **REVIEWER_AT,
    Status.COUNCIL_REVIEW: "secretary",
    Status.APPROVED: "signer",
    Status.COUNCIL_APPROVED: "signer",
    # The office awaits the higher level's outcome.
    Status.FORWARDED: "secretary",
}
# Whom a nomination waits on, by the status where it stands.
WAITS_ON = {**TAKER_AT, Status.RETURNED: "proposer"}
# Where a hold may be placed: wherever the nomination waits on someone in the agency (not on
# the higher level).
HOLDABLE = set(WAITS_ON) - {Status.FORWARDED}
# (status, action) → the status it leads to, for the unit's and reviewers' actions.
TRANSITIONS = {
    (Status.DRAFT, "submit"): Status.UNIT_REVIEW,
    (Status.RETURNED, "resubmit"): Status.UNIT_REVIEW,
    **{
        (s, "withdraw"): Status.WITHDRAWN
        for s in [
            Status.DRAFT,
            Status.RETURNED,
            Status.UNIT_REVIEW,
            Status.PARTY_COMMITTEE_REVIEW,
            Status.LEADERSHIP_REVIEW,
            Status.COUNCIL_REVIEW,
        ]
    },
    (Status.UNIT_REVIEW, "approve"): Status.PARTY_COMMITTEE_REVIEW,
    (Status.PARTY_COMMITTEE_REVIEW, "approve"): Status.LEADERSHIP_REVIEW,
    (Status.LEADERSHIP_REVIEW, "approve"): Status.COUNCIL_REVIEW,
    **{(s, "return_for_revision"): Status.RETURNED for s in REVIEWER_AT},
    **{(s, "reject"): Status.REJECTED for s in REVIEWER_AT},
    # Held, not rejected; lifting returns it where it was held; the unit may still withdraw it
    # (it was held at a stage it may withdraw from).
    **{(s, "hold"): Status.ON_HOLD for s in HOLDABLE},
    (Status.ON_HOLD, "lift_hold"): HELD_AT,
    (Status.ON_HOLD, "withdraw"): Status.WITHDRAWN,
}
EDITABLE = {Status.DRAFT, Status.RETURNED}


def expected(who: str, status: str, action: str) -> int | str:
    """The hand-written answer of one cell: an HTTP status code, or "ok"."""
    if WALKS[status][1] < SEES_FROM_PROGRESS.get(who, 99):
        return 404
    if action == "take" and status == Status.DRAFT:
        return 404  # a draft waits on no task: there is none to take
    # A held nomination stands where it was held: whoever it waits on there has the authority,
    # and the lifecycle refuses them everything but lifting the hold (the unit may withdraw).
    standing = HELD_AT if status == Status.ON_HOLD else status
    if action in ("hold", "lift_hold"):
        # Whoever it waits on, or a council secretary; nobody on what they proposed (the
        # proposer at the revision), nor after judging it at another stage (the secretary, who
        # recorded the council's outcome, once it is awarded).
        if who not in {WAITS_ON.get(standing), "secretary"} or who == "proposer":
            return 403
        if who == "secretary" and status in {Status.AWARDED, *HIGHER_LEVEL}:
            return 403
        if action == "hold":
            return "ok" if status in HOLDABLE else 409
        return "ok" if status == Status.ON_HOLD else 409
    if action in ("submit", "resubmit", "withdraw", "edit", "add_evidence"):
        if who != "proposer":
            return 403
        if action in ("edit", "add_evidence"):
            return "ok" if status in EDITABLE else 409
        return "ok" if (status, action) in TRANSITIONS else 409
    if action == "take":
        if standing not in TAKER_AT and standing != Status.RETURNED:
            return 409  # the last task is done: nothing to take
        if standing == Status.RETURNED:
            return 403  # the unit's revision is not taken from a queue
        if who != TAKER_AT[standing]:
            return 403
        return 409 if status == Status.ON_HOLD else "ok"  # nobody takes held work
    # approve, return, reject: the reviewer of the current stage, and only at a review stage
    if REVIEWER_AT.get(standing) != who:
        return 403
    return 409 if status == Status.ON_HOLD else "ok"


CELLS = [(who, status, action) for status in Status for who in USERS for action in ACTIONS]


def test_the_matrix_covers_every_role_action_and_status():
    assert len(CELLS) == len(Status) * len(USERS) * len(ACTIONS) == 1815
    print(f"\npermission matrix: {len(CELLS)} cells")


@pytest.fixture
def build(world, walk):
    higher = AwardTypeFactory(decided_at_higher_level=True, higher_authority_vi="Thủ tướng")

    def _build(status) -> Nomination:
        steps, _ = WALKS[status]
        award_type = world.short if status == Status.APPROVED else world.full
        nomination = dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=higher if status in HIGHER_LEVEL else award_type,
            proposing_unit=world.unit,
            nominee_person=person(world.unit),
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        )
        if steps[-1:] == ["hold"]:
            nomination = walk(nomination, *steps[:-1])
            return services.place_hold(
                nomination, actor=world.party_reviewer, kind="complaint", reason="Đơn khiếu nại."
            ).nomination
        if steps[-1:] == ["not_conferred"]:
            return services.record_higher_outcome(
                walk(nomination, *steps[:-1]),
                outcome="not_conferred",
                actor=world.secretary,
                reasons="Chưa đủ điều kiện.",
            )
        return walk(nomination, *steps)

    return _build


def footprint(n: Nomination):
    fresh = Nomination.objects.get(pk=n.pk)
    return (
        fresh.status,
        fresh.version,
        StageDecision.objects.filter(nomination=n).count(),
        AuditEvent.objects.filter(nomination_id=n.pk).count(),
        list(NominationTask.objects.filter(nomination=n).values_list("pk", "owner_id", "status")),
        Evidence.objects.filter(nomination=n).count(),
        list(Hold.objects.filter(nomination=n).values_list("pk", "lifted_at")),
    )


def post(client, world, n: Nomination, action: str):
    if action == "take":
        task = NominationTask.objects.filter(nomination=n, flow_task_type="HUMAN").first()
        return client.post(reverse("task_take", args=[task.pk if task else 10**9]))
    if action == "edit":
        return client.post(
            reverse("nomination_edit", args=[n.pk]),
            {
                "award_type": n.award_type_id,
                "nominee_person": n.nominee_person_id,
                "achievements": "Bản sửa.",
            },
        )
    if action == "add_evidence":
        upload = SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        return client.post(
            reverse("evidence_add", args=[n.pk]), {"kind": "achievement_report", "file": upload}
        )
    version = Nomination.objects.get(pk=n.pk).version
    if action == "hold":
        return client.post(
            reverse("nomination_hold", args=[n.pk]),
            {"version": version, "kind": "discipline", "reason": "Đang xem xét kỷ luật."},
        )
    if action == "lift_hold":
        return client.post(
            reverse("nomination_lift_hold", args=[n.pk]),
            {"version": version, "resolution": "Đã có kết luận."},
        )
    return client.post(
        reverse("nomination_act", args=[n.pk, action]),
        {"version": Nomination.objects.get(pk=n.pk).version, "reasons": "Lý do."},
    )


def check_success(world, n: Nomination, who: str, status: str, action: str, response):
    assert response.status_code == 302, (who, status, action, response.status_code)
    fresh = Nomination.objects.get(pk=n.pk)
    if action == "take":
        task = NominationTask.objects.filter(nomination=n, flow_task_type="HUMAN").first()
        assert task.owner == getattr(world, who)
    elif action == "edit":
        assert fresh.achievements == "Bản sửa." and fresh.status == status
    elif action == "add_evidence":
        assert Evidence.objects.filter(nomination=n).count() == 1
    else:
        assert fresh.status == TRANSITIONS[(status, action)], (who, status, action)
        decision = StageDecision.objects.filter(nomination=n).last()
        assert decision.actor == getattr(world, who)
        assert decision.to_status == fresh.status


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_every_cell_of_the_matrix_for_one_status(client, world, build, status):
    shared = build(status)  # refused cells change nothing, so they can share one nomination
    covered = 0
    for who in USERS:
        client.force_login(getattr(world, who))
        for action in ACTIONS:
            want = expected(who, status, action)
            if want == "ok":
                n = build(status)
                response = post(client, world, n, action)
                check_success(world, n, who, status, action, response)
            else:
                before = footprint(shared)
                response = post(client, world, shared, action)
                assert response.status_code == want, (who, status, action, response.status_code)
                assert footprint(shared) == before, (who, status, action)
            covered += 1
    assert covered == len(USERS) * len(ACTIONS)
