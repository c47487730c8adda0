"""The nomination's lifecycle: which action is possible from which status, and where it leads.

The expected table is written by hand from docs/DOMAIN.md ("The journey of a nomination"), for
an award type on the full route (unit, party committee, leadership, council). It is not derived
from the code under test, so a transition added or lost by mistake shows up here.
"""

import datetime

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from nominations.exceptions import TransitionRefused
from nominations.models import Hold, HoldKind, Nomination
from nominations.stages import ACTIONS, Status
from tests.factories import AwardTypeFactory, CampaignFactory

# (status, action) → status it leads to. Everything not listed is refused.
ALLOWED = {
    # A draft goes on its route, to the route's first stage; or the unit withdraws it.
    (Status.DRAFT, "submit"): Status.UNIT_REVIEW,
    (Status.DRAFT, "withdraw"): Status.WITHDRAWN,
    # At each review stage the reviewer approves (next stage), returns or rejects; the unit may
    # still withdraw.
    (Status.UNIT_REVIEW, "approve"): Status.PARTY_COMMITTEE_REVIEW,
    (Status.UNIT_REVIEW, "return_for_revision"): Status.RETURNED,
    (Status.UNIT_REVIEW, "reject"): Status.REJECTED,
    (Status.UNIT_REVIEW, "withdraw"): Status.WITHDRAWN,
    (Status.PARTY_COMMITTEE_REVIEW, "approve"): Status.LEADERSHIP_REVIEW,
    (Status.PARTY_COMMITTEE_REVIEW, "return_for_revision"): Status.RETURNED,
    (Status.PARTY_COMMITTEE_REVIEW, "reject"): Status.REJECTED,
    (Status.PARTY_COMMITTEE_REVIEW, "withdraw"): Status.WITHDRAWN,
    (Status.LEADERSHIP_REVIEW, "approve"): Status.COUNCIL_REVIEW,
    (Status.LEADERSHIP_REVIEW, "return_for_revision"): Status.RETURNED,
    (Status.LEADERSHIP_REVIEW, "reject"): Status.REJECTED,
    (Status.LEADERSHIP_REVIEW, "withdraw"): Status.WITHDRAWN,
    # The council decides by its vote, not by a reviewer; withdrawal is possible until it has.
    (Status.COUNCIL_REVIEW, "council_approve"): Status.COUNCIL_APPROVED,
    (Status.COUNCIL_REVIEW, "council_reject"): Status.COUNCIL_REJECTED,
    (Status.COUNCIL_REVIEW, "withdraw"): Status.WITHDRAWN,
    # A returned dossier is revised and resubmitted, starting again at the first stage.
    (Status.RETURNED, "resubmit"): Status.UNIT_REVIEW,
    (Status.RETURNED, "withdraw"): Status.WITHDRAWN,
    # The signed decision confers the award, after the route or the council approved it.
    (Status.APPROVED, "confer"): Status.AWARDED,
    (Status.COUNCIL_APPROVED, "confer"): Status.AWARDED,
    # During the public notice an upheld objection sends the council-approved nomination back
    # to the unit, or ends it.
    (Status.COUNCIL_APPROVED, "objection_return"): Status.RETURNED,
    (Status.COUNCIL_APPROVED, "objection_reject"): Status.REJECTED,
    # A disciplinary measure, an investigation, an inspection or a complaint holds the
    # nomination wherever it waits on someone (not a draft, not once its journey ended)...
    **{
        (status, "hold"): Status.ON_HOLD
        for status in [
            Status.UNIT_REVIEW,
            Status.PARTY_COMMITTEE_REVIEW,
            Status.LEADERSHIP_REVIEW,
            Status.COUNCIL_REVIEW,
            Status.RETURNED,
            Status.APPROVED,
            Status.COUNCIL_APPROVED,
        ]
    },
    # ...and lifting it returns it where it was held (here: held at unit review), whence the
    # unit may still withdraw it. Nothing else applies to a held nomination.
    (Status.ON_HOLD, "lift_hold"): Status.UNIT_REVIEW,
    (Status.ON_HOLD, "withdraw"): Status.WITHDRAWN,
    # Forwarded to the higher level (an award decided there: see the tests at the end), the
    # nomination takes that level's outcome: conferred, not conferred, or returned for more
    # documents to the unit.
    (Status.FORWARDED, "higher_confer"): Status.AWARDED,
    (Status.FORWARDED, "higher_not_confer"): Status.NOT_CONFERRED,
    (Status.FORWARDED, "higher_return"): Status.RETURNED,
}

# Allowed from these statuses only for an award decided at a higher level, which the full route
# of the table is not: its guard refuses them (the tests at the end).
GUARDED = {(Status.APPROVED, "forward"), (Status.COUNCIL_APPROVED, "forward")}

ACTION_NAMES = [
    "submit",
    "approve",
    "return_for_revision",
    "resubmit",
    "reject",
    "withdraw",
    "council_approve",
    "council_reject",
    "objection_return",
    "objection_reject",
    "confer",
    "hold",
    "lift_hold",
    "forward",
    "higher_confer",
    "higher_not_confer",
    "higher_return",
]

MATRIX = [(status, action) for status in Status for action in ACTIONS]

ALLOWED_CASES = [(status, action) for status, action in MATRIX if (status, action) in ALLOWED]
REFUSED_CASES = [
    (status, action)
    for status, action in MATRIX
    if (status, action) not in ALLOWED and (status, action) not in GUARDED
]


def _case_id(value):
    return str(value.value) if isinstance(value, Status) else str(value)


def _kwargs(action: str, n: Nomination) -> dict:
    if action in (
        "return_for_revision",
        "reject",
        "objection_return",
        "objection_reject",
        "higher_not_confer",
        "higher_return",
    ):
        return {"reasons": "Hồ sơ thiếu minh chứng."}
    if action == "hold":
        return {"reason": "Đang xem xét kỷ luật."}
    if action == "lift_hold":
        return {"hold": n.open_hold(), "resolution": "Đã có kết luận."}
    return {}


@pytest.fixture
def nomination_in(world):
    """nomination_in(status): a saved nomination with a complete dossier, put in `status` the
    way a test arranges state (a queryset update; the field itself cannot be assigned). One on
    hold has its open hold, placed at unit review."""

    def _make(status: str, *, award_type=None) -> Nomination:
        n = Nomination.objects.create(
            campaign=world.campaign,
            award_type=award_type or world.full,
            proposing_unit=world.unit,
            nominee_person=world.staff,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            created_by=world.proposer,
        )
        Nomination.objects.filter(pk=n.pk).update(status=status)
        if status == Status.ON_HOLD:
            Hold.objects.create(
                nomination=n,
                kind=HoldKind.COMPLAINT,
                reason="Đơn khiếu nại.",
                held_status=Status.UNIT_REVIEW,
                placed_by=world.unit_head,
            )
        return Nomination.objects.get(pk=n.pk)

    return _make


def _status_in_db(n: Nomination) -> str:
    return Nomination.objects.values_list("status", flat=True).get(pk=n.pk)


# --- the table itself ----------------------------------------------------------------------


def test_the_lifecycle_offers_exactly_the_actions_of_the_design():
    assert sorted(ACTIONS) == sorted(ACTION_NAMES)


def test_the_expected_table_names_only_known_statuses_and_actions():
    for (status, action), target in ALLOWED.items():
        assert status in Status.values
        assert target in Status.values
        assert action in ACTION_NAMES


def test_the_matrix_covers_every_status_and_every_action():
    assert len(MATRIX) == len(Status) * len(ACTION_NAMES)
    assert len(ALLOWED_CASES) == len(ALLOWED)
    assert len(REFUSED_CASES) == len(MATRIX) - len(ALLOWED) - len(GUARDED)


# --- at the model level (django-fsm) -----------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), ALLOWED_CASES, ids=_case_id)
def test_an_allowed_transition_leads_to_the_expected_status(nomination_in, status, action):
    n = nomination_in(status)

    getattr(n, action)(**_kwargs(action, n))
    n.save()

    assert n.status == ALLOWED[(status, action)]
    assert _status_in_db(n) == ALLOWED[(status, action)]


@pytest.mark.parametrize(("status", "action"), REFUSED_CASES, ids=_case_id)
def test_a_transition_not_in_the_table_is_not_allowed_and_leaves_the_status(
    nomination_in, status, action
):
    n = nomination_in(status)

    with pytest.raises(TransitionNotAllowed):
        getattr(n, action)(**_kwargs(action, n))

    assert n.status == status
    assert _status_in_db(n) == status


# --- through Nomination.fire -----------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), ALLOWED_CASES, ids=_case_id)
def test_firing_an_allowed_action_returns_the_status_it_left(nomination_in, status, action):
    n = nomination_in(status)
    assert n.can(action)

    left = n.fire(action, **_kwargs(action, n))

    assert left == status
    assert n.status == ALLOWED[(status, action)]


@pytest.mark.parametrize(("status", "action"), REFUSED_CASES, ids=_case_id)
def test_firing_an_action_not_in_the_table_is_refused_and_leaves_the_status(
    nomination_in, status, action
):
    n = nomination_in(status)

    with pytest.raises(TransitionRefused) as refused:
        n.fire(action, **_kwargs(action, n))

    assert str(Status(status).label) in refused.value.message
    assert not n.can(action)
    assert n.status == status
    assert _status_in_db(n) == status


# --- the route decides where submit and approve lead --------------------------------------------


def test_approving_the_last_stage_of_a_route_without_council_awaits_the_decision(
    nomination_in, world
):
    n = nomination_in(Status.LEADERSHIP_REVIEW, award_type=world.short)

    n.fire("approve")

    assert n.status == Status.APPROVED


def test_approving_at_unit_review_skips_the_stages_the_route_leaves_out(nomination_in, world):
    n = nomination_in(Status.UNIT_REVIEW, award_type=world.short)

    n.fire("approve")

    assert n.status == Status.LEADERSHIP_REVIEW


def test_submitting_goes_to_the_first_stage_of_a_route_that_starts_at_the_party_committee(
    nomination_in,
):
    route = [Status.PARTY_COMMITTEE_REVIEW, Status.LEADERSHIP_REVIEW, Status.COUNCIL_REVIEW]
    n = nomination_in(Status.DRAFT, award_type=AwardTypeFactory(stages=route))

    n.fire("submit")

    assert n.status == Status.PARTY_COMMITTEE_REVIEW


# --- the status field is protected -----------------------------------------------------------


def test_the_status_cannot_be_assigned(nomination_in):
    n = nomination_in(Status.DRAFT)

    with pytest.raises(AttributeError):
        n.status = Status.AWARDED

    assert n.status == Status.DRAFT
    assert _status_in_db(n) == Status.DRAFT


def test_refresh_from_db_reads_the_status_changed_elsewhere(nomination_in):
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(status=Status.UNIT_REVIEW)

    n.refresh_from_db()

    assert n.status == Status.UNIT_REVIEW


def test_a_refreshed_nomination_can_take_its_next_transition_and_be_saved(nomination_in):
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(status=Status.UNIT_REVIEW)
    n.refresh_from_db()

    n.approve()
    n.save()

    assert _status_in_db(n) == Status.PARTY_COMMITTEE_REVIEW


# --- reasons are required to return or reject -------------------------------------------------


@pytest.mark.parametrize("action", ["return_for_revision", "reject"])
@pytest.mark.parametrize("reasons", ["", "   ", "\n\t "], ids=["empty", "spaces", "whitespace"])
def test_returning_or_rejecting_without_reasons_is_refused(nomination_in, action, reasons):
    n = nomination_in(Status.PARTY_COMMITTEE_REVIEW)

    with pytest.raises(TransitionRefused) as refused:
        n.fire(action, reasons=reasons)

    assert "Reasons are required." in str(refused.value)
    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    assert _status_in_db(n) == Status.PARTY_COMMITTEE_REVIEW


# --- submit's guards --------------------------------------------------------------------------


def _refusal_of_submit(n: Nomination) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as refused:
        n.fire("submit")
    assert n.status == Status.DRAFT
    assert _status_in_db(n) == Status.DRAFT
    return refused.value


def test_submitting_without_achievements_is_refused_with_the_reason(nomination_in):
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(achievements="  ")
    n.refresh_from_db()

    refused = _refusal_of_submit(n)

    assert refused.reasons == ["Write the achievements summary of the dossier."]


def test_submitting_a_person_for_a_collective_award_is_refused_with_the_reason(
    nomination_in, world
):
    n = nomination_in(Status.DRAFT, award_type=world.collective)

    refused = _refusal_of_submit(n)

    assert refused.reasons == [
        "The nominee must be of the kind the award type is for (individual or collective)."
    ]


def test_submitting_a_collective_for_an_individual_award_is_refused_with_the_reason(
    nomination_in, world
):
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(nominee_person=None, nominee_unit=world.unit)
    n.refresh_from_db()

    refused = _refusal_of_submit(n)

    assert refused.reasons == [
        "The nominee must be of the kind the award type is for (individual or collective)."
    ]


def test_submitting_after_the_campaign_closed_is_refused_with_the_reason(nomination_in, world):
    today = timezone.localdate()
    closed = CampaignFactory(
        agency=world.agency,
        submissions_open=today - datetime.timedelta(days=60),
        submissions_close=today - datetime.timedelta(days=1),
    )
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(campaign=closed)
    n.refresh_from_db()

    refused = _refusal_of_submit(n)

    assert refused.reasons == ["The campaign is not accepting submissions today."]


def test_submitting_before_the_campaign_opens_is_refused_with_the_reason(nomination_in, world):
    today = timezone.localdate()
    future = CampaignFactory(
        agency=world.agency,
        submissions_open=today + datetime.timedelta(days=1),
        submissions_close=today + datetime.timedelta(days=30),
    )
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(campaign=future)
    n.refresh_from_db()

    refused = _refusal_of_submit(n)

    assert refused.reasons == ["The campaign is not accepting submissions today."]


def test_submitting_for_an_award_type_without_route_is_refused_with_the_reason(nomination_in):
    n = nomination_in(Status.DRAFT, award_type=AwardTypeFactory(stages=[]))

    refused = _refusal_of_submit(n)

    assert refused.reasons == ["The award type has no route configured; ask an administrator."]


def test_submitting_without_a_nominee_is_refused_with_the_reason(nomination_in):
    n = nomination_in(Status.DRAFT)
    Nomination.objects.filter(pk=n.pk).update(nominee_person=None)
    n.refresh_from_db()

    refused = _refusal_of_submit(n)

    assert refused.reasons == ["Choose the nominee."]


def test_every_failed_guard_of_submit_is_explained_not_only_the_first(nomination_in, world):
    today = timezone.localdate()
    closed = CampaignFactory(
        agency=world.agency,
        submissions_open=today - datetime.timedelta(days=60),
        submissions_close=today - datetime.timedelta(days=1),
    )
    n = nomination_in(Status.DRAFT, award_type=world.collective)
    Nomination.objects.filter(pk=n.pk).update(campaign=closed, achievements="")
    n.refresh_from_db()

    refused = _refusal_of_submit(n)

    assert sorted(refused.reasons) == sorted(
        [
            "The nominee must be of the kind the award type is for (individual or collective).",
            "Write the achievements summary of the dossier.",
            "The campaign is not accepting submissions today.",
        ]
    )


def test_resubmitting_a_returned_dossier_without_achievements_is_refused_with_the_reason(
    nomination_in,
):
    n = nomination_in(Status.RETURNED)
    Nomination.objects.filter(pk=n.pk).update(achievements="")
    n.refresh_from_db()

    with pytest.raises(TransitionRefused) as refused:
        n.fire("resubmit")

    assert refused.value.reasons == ["Write the achievements summary of the dossier."]
    assert _status_in_db(n) == Status.RETURNED


# --- awards decided at a higher level -----------------------------------------------------------


@pytest.fixture
def higher_award(db):
    return AwardTypeFactory(
        decided_at_higher_level=True,
        higher_authority_vi="Thủ tướng Chính phủ",
        higher_authority_en="the Prime Minister",
    )


@pytest.mark.parametrize("status", [Status.APPROVED, Status.COUNCIL_APPROVED])
def test_an_award_decided_at_a_higher_level_is_forwarded_not_conferred(
    nomination_in, higher_award, status
):
    n = nomination_in(status, award_type=higher_award)

    with pytest.raises(TransitionRefused) as refused:
        n.fire("confer")
    assert refused.value.reasons == [
        f"{n.reference} is decided by the Prime Minister: forward it in a request."
    ]

    n.fire("forward")
    assert n.status == Status.FORWARDED


@pytest.mark.parametrize("status", [Status.APPROVED, Status.COUNCIL_APPROVED])
def test_an_award_this_agency_decides_is_not_forwarded(nomination_in, status):
    n = nomination_in(status)

    with pytest.raises(TransitionRefused) as refused:
        n.fire("forward")
    assert refused.value.reasons == [
        "This award is decided by this agency: sign a decision instead of forwarding it."
    ]
    assert _status_in_db(n) == status


@pytest.mark.parametrize("action", ["higher_not_confer", "higher_return"])
def test_the_higher_levels_refusal_or_return_needs_its_reasons(nomination_in, higher_award, action):
    n = nomination_in(Status.FORWARDED, award_type=higher_award)

    with pytest.raises(TransitionRefused, match="Reasons are required"):
        n.fire(action, reasons=" ")
    assert _status_in_db(n) == Status.FORWARDED
