"""The criteria at work in the journey (`workflows.services._check_rules`): a submission that
fails a hard criterion is refused, naming it with its legal basis; approving over an advisory
criterion not met, or one not yet known, needs reasons — recorded as an override in the stage
decision and the audit event; the evaluation is kept on the nomination."""

import datetime

import pytest

from audit.events import Event
from audit.models import AuditEvent
from nominations.eligibility import FAIL, PASS, UNKNOWN
from nominations.exceptions import ReasonsRequired, TransitionRefused
from nominations.models import CriterionKind, Nomination, Rating, RecognitionLevel
from nominations.stages import Status
from workflows import services

from ..factories import AnnualRatingFactory, CriterionFactory, InitiativeFactory


@pytest.fixture
def year(world):
    return world.campaign.year


@pytest.fixture
def rated(world, year):
    """A hard rule the nominee meets (rated "good" this year)."""
    CriterionFactory(
        award_type=world.full,
        code="rating",
        position=1,
        kind=CriterionKind.RATINGS,
        rating=Rating.GOOD,
        years=1,
        article="24",
        clause="1",
        in_force_from=datetime.date(2024, 1, 1),
    )
    AnnualRatingFactory(person=world.staff, year=year, rating=Rating.GOOD)


@pytest.fixture
def needs_initiative(world):
    """A hard rule the nominee does not meet (no recognised initiative)."""
    return CriterionFactory(
        award_type=world.full,
        code="initiative",
        position=2,
        kind=CriterionKind.INITIATIVE,
        level=RecognitionLevel.AGENCY,
        years=1,
        instrument="Luật Thi đua, khen thưởng 2022",
        article="23",
        clause="2",
    )


def _events(n, action):
    return list(AuditEvent.objects.filter(nomination_id=n.pk, action=action))


def test_a_submission_failing_a_hard_criterion_is_refused_naming_it(
    world, draft, rated, needs_initiative
):
    with pytest.raises(TransitionRefused) as refused:
        services.submit(draft, actor=world.proposer)
    assert "does not meet the award's criteria" in refused.value.message
    [reason] = refused.value.reasons
    assert (
        "initiative" in reason and "clause 2, Article 23, Luật Thi đua, khen thưởng 2022" in reason
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert _events(draft, Event.SUBMITTED) == []
    assert draft.eligibility == {}  # nothing written: the refusal rolled it back


def test_the_evaluation_is_kept_with_the_submission_and_recorded_in_its_event(
    world, draft, rated, needs_initiative, year
):
    InitiativeFactory(person=world.staff, year=year, title="Số hóa hồ sơ lưu trữ")
    n = services.submit(draft, actor=world.proposer)
    stored = Nomination.objects.get(pk=n.pk).eligibility
    assert stored["rules_date"] == world.campaign.rules_date.isoformat()
    assert [(r["code"], r["outcome"]) for r in stored["results"]] == [
        ("rating", PASS),
        ("initiative", PASS),
    ]
    assert "Số hóa hồ sơ lưu trữ" in stored["results"][1]["evidence"][0]["vi"]
    [event] = _events(n, Event.SUBMITTED)
    assert event.data["eligibility"] == {
        "rules_date": world.campaign.rules_date.isoformat(),
        "criteria": [
            {"code": "rating", "version": "2024-01-01", "hard": True, "outcome": PASS},
            {"code": "initiative", "version": None, "hard": True, "outcome": PASS},
        ],
    }


def test_resubmitting_is_judged_again(world, draft, walk, rated, needs_initiative, year):
    initiative = InitiativeFactory(person=world.staff, year=year)
    n = walk(draft, "submit", "return_for_revision")
    initiative.delete()
    with pytest.raises(TransitionRefused, match="criteria"):
        services.resubmit(n, actor=world.proposer)


def test_approving_over_a_criterion_not_yet_known_needs_reasons(world, draft, walk, year):
    CriterionFactory(
        award_type=world.full,
        code="rating",
        kind=CriterionKind.RATINGS,
        rating=Rating.GOOD,
        years=2,
    )
    AnnualRatingFactory(person=world.staff, year=year - 1, rating=Rating.GOOD)  # this year: none
    n = walk(draft, "submit")  # unknown does not stop a submission
    assert Nomination.objects.get(pk=n.pk).eligibility["results"][0]["outcome"] == UNKNOWN

    with pytest.raises(ReasonsRequired) as asked:
        services.approve(n, actor=world.unit_head)
    assert "Give your reasons" in asked.value.message
    assert Nomination.objects.get(pk=n.pk).status == Status.UNIT_REVIEW

    reasons = "Đánh giá năm nay sẽ có trong tháng 12; đơn vị xác nhận hoàn thành tốt."
    n = services.approve(n, actor=world.unit_head, reasons=reasons)
    assert n.status == Status.PARTY_COMMITTEE_REVIEW
    decision = n.decisions.get(outcome="approved")
    assert decision.reasons == reasons
    [event] = _events(n, Event.APPROVED)
    assert event.comment == reasons
    assert event.data["eligibility"]["overridden"] == ["rating"]
    assert event.data["eligibility"]["criteria"][0]["outcome"] == UNKNOWN
    assert event.data["eligibility"]["rules_date"] == world.campaign.rules_date.isoformat()


def test_approving_over_an_advisory_criterion_not_met_needs_reasons(world, draft, walk, year):
    CriterionFactory(
        award_type=world.full,
        code="advisory-rating",
        kind=CriterionKind.RATINGS,
        rating=Rating.EXCELLENT,
        years=1,
        hard=False,
    )
    AnnualRatingFactory(person=world.staff, year=year, rating=Rating.GOOD)
    n = walk(draft, "submit")  # an advisory rule never stops a submission
    with pytest.raises(ReasonsRequired):
        services.approve(n, actor=world.unit_head, reasons="   ")
    n = services.approve(n, actor=world.unit_head, reasons="Thành tích nổi bật trong năm.")
    [event] = _events(n, Event.APPROVED)
    assert event.data["eligibility"]["overridden"] == ["advisory-rating"]
    assert event.data["eligibility"]["criteria"][0]["outcome"] == FAIL


def test_approving_when_every_criterion_is_met_needs_no_reasons(world, draft, walk, rated):
    n = services.approve(walk(draft, "submit"), actor=world.unit_head)
    [event] = _events(n, Event.APPROVED)
    assert event.data["eligibility"]["overridden"] == []


def test_a_hard_criterion_failing_after_submission_refuses_the_approval(
    world, draft, walk, rated, year
):
    n = walk(draft, "submit")
    AnnualRatingFactory._meta.model.objects.filter(person=world.staff, year=year).update(
        rating=Rating.COMPLETED
    )
    with pytest.raises(TransitionRefused, match="criteria") as refused:
        services.approve(n, actor=world.unit_head, reasons="Dù sao cũng đồng ý.")
    assert not isinstance(refused.value, ReasonsRequired)  # reasons cannot override a hard rule
    assert Nomination.objects.get(pk=n.pk).status == Status.UNIT_REVIEW


def test_other_actions_are_not_judged(world, draft, walk, needs_initiative, year):
    InitiativeFactory(person=world.staff, year=year)
    n = walk(draft, "submit")
    InitiativeFactory._meta.model.objects.all().delete()
    # Returning, rejecting and withdrawing a nomination that no longer qualifies still work.
    n = services.return_for_revision(n, actor=world.unit_head, reasons="Bổ sung sáng kiến.")
    n = services.withdraw(n, actor=world.proposer)
    assert n.status == Status.WITHDRAWN
