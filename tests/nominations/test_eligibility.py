"""Criteria as data, judged (`nominations.eligibility.evaluate`): every kind at and on either
side of its boundary, the rule version chosen by the campaign's rules date, the record read once
per kind, and the evaluation kept in both languages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from nominations import eligibility
from nominations.eligibility import FAIL, PASS, UNKNOWN, Evaluation, evaluate, full_years
from nominations.models import (
    CriterionKind,
    DisciplineKind,
    Nomination,
    NomineeKind,
    Profile,
    Rating,
    RecognitionLevel,
)
from nominations.stages import Status

from ..factories import (
    AnnualRatingFactory,
    AwardTypeFactory,
    CampaignFactory,
    ConferredAwardFactory,
    CriterionFactory,
    DisciplinaryMeasureFactory,
    InitiativeFactory,
    UnitFactory,
    person,
)

Y = 2026
RULES_DAY = datetime.date(Y, 3, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def campaign(world):
    return CampaignFactory(
        agency=world.agency,
        year=Y,
        submissions_open=RULES_DAY,
        submissions_close=RULES_DAY + 60 * DAY,
    )


@pytest.fixture
def title(world):
    """The title a prior-title or member-share rule asks for (an Advanced Worker, say)."""
    return AwardTypeFactory(code="ldtt", name_en="Advanced Worker", name_vi="Lao động tiên tiến")


@pytest.fixture
def award(world):
    return AwardTypeFactory(code="higher", nominee_kind=NomineeKind.EITHER)


def _judge(campaign, award, *, person=None, unit=None, pk=None):
    n = Nomination(
        pk=pk, campaign=campaign, award_type=award, nominee_person=person, nominee_unit=unit
    )
    return evaluate(n)


def _one(campaign, award, **nominee):
    [result] = _judge(campaign, award, **nominee).results
    return result


# --- PRIOR_TITLE -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "end_before", "held", "expected", "named"),
    [
        (2, 0, [Y - 1, Y], PASS, ""),
        (2, 0, [Y], FAIL, str(Y - 1)),
        (2, 0, [Y - 2, Y - 1], FAIL, str(Y)),
        (2, 0, [], FAIL, f"{Y - 1}, {Y}"),
        (2, 1, [Y - 2, Y - 1], PASS, ""),
        (2, 1, [Y - 1, Y], FAIL, str(Y - 2)),
        (3, 0, [Y - 2, Y - 1, Y], PASS, ""),
        (3, 0, [Y - 3, Y - 1, Y], FAIL, str(Y - 2)),
    ],
)
def test_prior_title_in_consecutive_years(
    world, campaign, title, award, years, end_before, held, expected, named
):
    CriterionFactory(
        award_type=award,
        kind=CriterionKind.PRIOR_TITLE,
        title=title,
        years=years,
        years_end_before=end_before,
    )
    for year in held:
        ConferredAwardFactory(award_type=title, person=world.staff, year=year)
    result = _one(campaign, award, person=world.staff)
    assert result.outcome == expected
    assert named in str(result.sentence)
    assert len(result.evidence) == len(
        [y for y in held if Y - end_before - years < y <= Y - end_before]
    )


def test_a_revoked_title_does_not_count(world, campaign, title, award):
    CriterionFactory(award_type=award, kind=CriterionKind.PRIOR_TITLE, title=title, years=1)
    ConferredAwardFactory(
        award_type=title, person=world.staff, year=Y, revoked_at=datetime.datetime.now(datetime.UTC)
    )
    assert _one(campaign, award, person=world.staff).outcome == FAIL


@pytest.mark.parametrize(
    ("status", "missing_too", "expected"),
    [
        (Status.DRAFT, False, UNKNOWN),
        (Status.LEADERSHIP_REVIEW, False, UNKNOWN),
        (Status.APPROVED, False, UNKNOWN),
        (Status.REJECTED, False, FAIL),
        (Status.WITHDRAWN, False, FAIL),
        (Status.COUNCIL_REJECTED, False, FAIL),
        # The campaign's own title still open does not excuse an earlier year missing.
        (Status.LEADERSHIP_REVIEW, True, FAIL),
    ],
)
def test_this_years_title_still_open_in_the_campaign_is_unknown(
    world, campaign, title, award, status, missing_too, expected
):
    CriterionFactory(award_type=award, kind=CriterionKind.PRIOR_TITLE, title=title, years=2)
    if not missing_too:
        ConferredAwardFactory(award_type=title, person=world.staff, year=Y - 1)
    open_one = Nomination.objects.create(
        campaign=campaign,
        award_type=title,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        created_by=world.proposer,
    )
    Nomination.objects.filter(pk=open_one.pk).update(status=status)
    result = _one(campaign, award, person=world.staff)
    assert result.outcome == expected
    if expected == UNKNOWN:
        assert open_one.reference in str(result.sentence)
        assert "decided together" in str(result.sentence)


def test_the_same_title_in_another_campaign_does_not_count_as_open(world, campaign, title, award):
    CriterionFactory(award_type=award, kind=CriterionKind.PRIOR_TITLE, title=title, years=1)
    other = CampaignFactory(agency=world.agency, year=Y)
    Nomination.objects.create(
        campaign=other,
        award_type=title,
        proposing_unit=world.unit,
        nominee_person=world.staff,
        created_by=world.proposer,
    )
    assert _one(campaign, award, person=world.staff).outcome == FAIL


def test_a_collective_prior_title_reads_the_collectives_awards(world, campaign, award):
    collective_title = AwardTypeFactory(nominee_kind=NomineeKind.COLLECTIVE)
    CriterionFactory(
        award_type=award, kind=CriterionKind.PRIOR_TITLE, title=collective_title, years=1
    )
    ConferredAwardFactory(award_type=collective_title, person=world.staff, year=Y)  # not the unit's
    assert _one(campaign, award, unit=world.unit).outcome == FAIL
    ConferredAwardFactory(award_type=collective_title, unit=world.unit, year=Y)
    assert _one(campaign, award, unit=world.unit).outcome == PASS


# --- INITIATIVE ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "year", "years", "expected"),
    [
        (RecognitionLevel.AGENCY, Y, 1, PASS),  # at the level asked
        (RecognitionLevel.MINISTRY, Y, 1, PASS),  # above it
        (RecognitionLevel.NATIONAL, Y, 1, PASS),
        (RecognitionLevel.UNIT, Y, 1, FAIL),  # below it
        (RecognitionLevel.AGENCY, Y - 1, 1, FAIL),  # before the years counted
        (RecognitionLevel.AGENCY, Y - 1, 2, PASS),  # within them
        (RecognitionLevel.AGENCY, Y + 1, 1, FAIL),  # after them
        (None, None, 1, FAIL),
    ],
)
def test_initiative_recognised_at_a_level(world, campaign, award, level, year, years, expected):
    CriterionFactory(
        award_type=award, kind=CriterionKind.INITIATIVE, level=RecognitionLevel.AGENCY, years=years
    )
    if level:
        InitiativeFactory(person=world.staff, level=level, year=year, title="Số hóa hồ sơ")
    result = _one(campaign, award, person=world.staff)
    assert result.outcome == expected
    if level and year == Y:
        assert any("Số hóa hồ sơ" in str(e) for e in result.evidence)


# --- SERVICE_YEARS ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime.date(Y - 5, 3, 2), PASS),  # the fifth anniversary is the rules date
        (datetime.date(Y - 5, 3, 3), FAIL),  # a day short
        (datetime.date(Y - 5, 3, 1), PASS),
        (datetime.date(Y - 20, 1, 1), PASS),
        (datetime.date(Y, 1, 1), FAIL),
        (None, UNKNOWN),
    ],
)
def test_years_of_service_on_the_rules_date(world, campaign, award, start, expected):
    CriterionFactory(award_type=award, kind=CriterionKind.SERVICE_YEARS, years=5, hard=False)
    Profile.objects.filter(user=world.staff).update(service_start=start)
    result = _one(campaign, award, person=world.staff)
    assert result.outcome == expected
    assert not result.hard


def test_full_years_count_a_year_on_its_anniversary():
    assert full_years(datetime.date(2020, 2, 29), datetime.date(2024, 2, 28)) == 3
    assert full_years(datetime.date(2020, 2, 29), datetime.date(2024, 2, 29)) == 4
    assert full_years(datetime.date(2020, 7, 1), datetime.date(2025, 6, 30)) == 4


# --- RATINGS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ({Y - 1: Rating.GOOD, Y: Rating.GOOD}, PASS),
        ({Y - 1: Rating.EXCELLENT, Y: Rating.GOOD}, PASS),
        ({Y - 1: Rating.COMPLETED, Y: Rating.GOOD}, FAIL),
        ({Y - 1: Rating.GOOD, Y: Rating.NOT_COMPLETED}, FAIL),
        ({Y - 1: Rating.GOOD}, UNKNOWN),  # this year's is not recorded
        ({Y - 1: Rating.COMPLETED}, FAIL),  # a year fails: the missing one changes nothing
        ({}, UNKNOWN),
        ({Y - 2: Rating.NOT_COMPLETED, Y - 1: Rating.GOOD, Y: Rating.GOOD}, PASS),  # outside
    ],
)
def test_ratings_in_every_year(world, campaign, award, ratings, expected):
    CriterionFactory(award_type=award, kind=CriterionKind.RATINGS, rating=Rating.GOOD, years=2)
    for year, rating in ratings.items():
        AnnualRatingFactory(person=world.staff, year=year, rating=rating)
    assert _one(campaign, award, person=world.staff).outcome == expected


def test_a_collectives_ratings_are_its_own(world, campaign, award):
    CriterionFactory(award_type=award, kind=CriterionKind.RATINGS, rating=Rating.GOOD, years=1)
    AnnualRatingFactory(person=world.staff, year=Y, rating=Rating.EXCELLENT)
    assert _one(campaign, award, unit=world.unit).outcome == UNKNOWN
    AnnualRatingFactory(unit=world.unit, year=Y, rating=Rating.COMPLETED)
    assert _one(campaign, award, unit=world.unit).outcome == FAIL


# --- NO_DISCIPLINE ---------------------------------------------------------------------------

START = datetime.date(Y - 1, 3, 2)  # one year before the rules date


@pytest.mark.parametrize(
    ("kind", "decided", "ends", "floor", "expected"),
    [
        (DisciplineKind.WARNING, START - 100 * DAY, START, DisciplineKind.WARNING, FAIL),
        (DisciplineKind.WARNING, START - 100 * DAY, START - DAY, DisciplineKind.WARNING, PASS),
        (DisciplineKind.WARNING, RULES_DAY, None, DisciplineKind.WARNING, FAIL),
        (DisciplineKind.WARNING, RULES_DAY + DAY, None, DisciplineKind.WARNING, PASS),
        (DisciplineKind.WARNING, START, None, DisciplineKind.WARNING, FAIL),
        (DisciplineKind.WARNING, START - DAY, None, DisciplineKind.WARNING, PASS),
        # The rule's floor: a reprimand is milder than a warning…
        (DisciplineKind.REPRIMAND, RULES_DAY - 30 * DAY, None, DisciplineKind.WARNING, PASS),
        # …a demotion heavier; and with no floor, any measure counts.
        (DisciplineKind.DEMOTION, RULES_DAY - 30 * DAY, None, DisciplineKind.WARNING, FAIL),
        (DisciplineKind.REPRIMAND, RULES_DAY - 30 * DAY, None, "", FAIL),
    ],
)
def test_no_discipline_within_the_years_before_the_rules_date(
    world, campaign, award, kind, decided, ends, floor, expected
):
    CriterionFactory(award_type=award, kind=CriterionKind.NO_DISCIPLINE, discipline=floor, years=1)
    DisciplinaryMeasureFactory(person=world.staff, kind=kind, decided_on=decided, ends_on=ends)
    result = _one(campaign, award, person=world.staff)
    assert result.outcome == expected
    assert bool(result.evidence) == (expected == FAIL)


def test_a_collective_is_judged_by_its_members_discipline(world, campaign, award):
    CriterionFactory(
        award_type=award,
        kind=CriterionKind.NO_DISCIPLINE,
        discipline=DisciplineKind.WARNING,
        years=1,
    )
    outsider = person(world.other_unit)
    DisciplinaryMeasureFactory(person=outsider, decided_on=RULES_DAY - 10 * DAY)
    assert _one(campaign, award, unit=world.unit).outcome == PASS
    DisciplinaryMeasureFactory(person=world.staff, decided_on=RULES_DAY - 10 * DAY)
    result = _one(campaign, award, unit=world.unit)
    assert result.outcome == FAIL
    assert any(world.staff.last_name in str(e) for e in result.evidence)
    # The department contains the unit: its members are judged too.
    assert _one(campaign, award, unit=world.department).outcome == FAIL


# --- MEMBER_SHARE ----------------------------------------------------------------------------


def _collective(world, size):
    unit = UnitFactory(parent=world.department)
    return unit, [person(unit) for _ in range(size)]


@pytest.mark.parametrize(
    ("size", "share", "conferred", "open_claims", "closed_claims", "expected"),
    [
        (10, "70", 7, 0, 0, PASS),  # exactly the share
        (10, "70", 6, 0, 0, FAIL),  # one short
        (10, "70", 8, 0, 0, PASS),
        (10, "70", 6, 1, 0, UNKNOWN),  # one more still claiming it would make it
        (10, "70", 5, 1, 0, FAIL),  # even then short
        (10, "70", 6, 0, 1, FAIL),  # a claim closed without the title does not count
        (3, "66.67", 2, 0, 0, FAIL),  # 2/3 is 66.666…%: compared exactly, not rounded
        (3, "66.66", 2, 0, 0, PASS),
        (3, "100", 3, 0, 0, PASS),
    ],
)
def test_share_of_members_holding_the_title(
    world, campaign, title, size, share, conferred, open_claims, closed_claims, expected
):
    collective_award = AwardTypeFactory(nominee_kind=NomineeKind.COLLECTIVE)
    CriterionFactory(
        award_type=collective_award,
        kind=CriterionKind.MEMBER_SHARE,
        title=title,
        share_percent=Decimal(share),
    )
    unit, members = _collective(world, size)
    for m in members[:conferred]:
        ConferredAwardFactory(award_type=title, person=m, year=Y)
    claimants = members[conferred : conferred + open_claims + closed_claims]
    for i, m in enumerate(claimants):
        n = Nomination.objects.create(
            campaign=campaign,
            award_type=title,
            proposing_unit=unit,
            nominee_person=m,
            created_by=world.proposer,
        )
        if i >= open_claims:
            Nomination.objects.filter(pk=n.pk).update(status=Status.REJECTED)
    assert _one(campaign, collective_award, unit=unit).outcome == expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([Rating.GOOD, Rating.EXCELLENT, Rating.GOOD], PASS),
        ([Rating.GOOD, Rating.COMPLETED, Rating.GOOD], FAIL),
        ([Rating.GOOD, None, Rating.GOOD], UNKNOWN),  # one member's rating not recorded yet
        ([Rating.COMPLETED, None, Rating.GOOD], FAIL),
    ],
)
def test_share_of_members_rated_at_least(world, campaign, ratings, expected):
    collective_award = AwardTypeFactory(nominee_kind=NomineeKind.COLLECTIVE)
    CriterionFactory(
        award_type=collective_award,
        kind=CriterionKind.MEMBER_SHARE,
        rating=Rating.GOOD,
        share_percent=Decimal("100"),
    )
    unit, members = _collective(world, len(ratings))
    for m, rating in zip(members, ratings, strict=True):
        if rating:
            AnnualRatingFactory(person=m, year=Y, rating=rating)
        AnnualRatingFactory(person=m, year=Y - 1, rating=Rating.NOT_COMPLETED)  # not counted
    assert _one(campaign, collective_award, unit=unit).outcome == expected


def test_a_collective_without_members_cannot_be_judged(world, campaign, title):
    collective_award = AwardTypeFactory(nominee_kind=NomineeKind.COLLECTIVE)
    CriterionFactory(
        award_type=collective_award,
        kind=CriterionKind.MEMBER_SHARE,
        title=title,
        share_percent=Decimal("70"),
    )
    empty = UnitFactory(parent=world.department)
    assert _one(campaign, collective_award, unit=empty).outcome == UNKNOWN


# --- kinds that do not apply, and the admin's check ------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "nominee"),
    [
        (CriterionKind.SERVICE_YEARS, {"years": 5}, "unit"),
        (CriterionKind.INITIATIVE, {"years": 1, "level": RecognitionLevel.UNIT}, "unit"),
        (CriterionKind.MEMBER_SHARE, {"share_percent": 50, "rating": Rating.GOOD}, "person"),
    ],
)
def test_a_kind_that_does_not_apply_to_the_nominee_is_unknown(
    world, campaign, award, kind, params, nominee
):
    CriterionFactory(award_type=award, kind=kind, **params)
    who = {"person": world.staff} if nominee == "person" else {"unit": world.unit}
    result = _one(campaign, award, **who)
    assert result.outcome == UNKNOWN
    assert "cannot judge" in str(result.sentence)


@pytest.mark.parametrize(
    ("nominee_kind", "kind", "params", "refused"),
    [
        (NomineeKind.COLLECTIVE, CriterionKind.SERVICE_YEARS, {"years": 5}, True),
        (NomineeKind.COLLECTIVE, CriterionKind.INITIATIVE, {"years": 1, "level": "unit"}, True),
        (NomineeKind.INDIVIDUAL, CriterionKind.MEMBER_SHARE, {"share_percent": 70}, True),
        (NomineeKind.EITHER, CriterionKind.SERVICE_YEARS, {"years": 5}, False),
        (NomineeKind.EITHER, CriterionKind.MEMBER_SHARE, {"share_percent": 70}, False),
        (NomineeKind.COLLECTIVE, CriterionKind.RATINGS, {"years": 1, "rating": "good"}, False),
    ],
)
def test_criterion_clean_refuses_a_kind_the_award_type_cannot_use(
    world, title, nominee_kind, kind, params, refused
):
    award = AwardTypeFactory(nominee_kind=nominee_kind)
    if kind == CriterionKind.MEMBER_SHARE:
        params = {**params, "rating": Rating.GOOD}
    criterion = CriterionFactory.build(award_type=award, kind=kind, **params)
    if refused:
        with pytest.raises(ValidationError, match="cannot judge"):
            criterion.clean()
    else:
        criterion.clean()


def test_criterion_clean_refuses_a_prior_title_no_nominee_of_the_award_can_hold(world, title):
    collective_award = AwardTypeFactory(nominee_kind=NomineeKind.COLLECTIVE)
    criterion = CriterionFactory.build(
        award_type=collective_award, kind=CriterionKind.PRIOR_TITLE, title=title, years=1
    )
    with pytest.raises(ValidationError, match="title held"):
        criterion.clean()


# --- versions chosen by the campaign's date ---------------------------------------------------

CHANGE = datetime.date(2025, 7, 1)  # Decree 152/2025/NĐ-CP in force


@pytest.fixture
def two_versions(award):
    old = CriterionFactory(
        award_type=award,
        code="ratings",
        kind=CriterionKind.RATINGS,
        rating=Rating.EXCELLENT,
        years=1,
        instrument="Nghị định 98/2023/NĐ-CP",
        in_force_from=datetime.date(2024, 1, 1),
        in_force_until=CHANGE - DAY,
    )
    new = CriterionFactory(
        award_type=award,
        code="ratings",
        kind=CriterionKind.RATINGS,
        rating=Rating.GOOD,
        years=1,
        instrument="Nghị định 152/2025/NĐ-CP",
        in_force_from=CHANGE,
    )
    return old, new


@pytest.mark.parametrize(
    ("opens", "version", "expected"),
    [
        (CHANGE - DAY, "old", FAIL),  # the day before: the old version asks for "excellent"
        (CHANGE, "new", PASS),  # the day it changes: the new one asks for "good"
        (CHANGE + DAY, "new", PASS),
    ],
)
def test_the_version_in_force_on_the_campaigns_rules_date_judges(
    world, award, two_versions, opens, version, expected
):
    campaign = CampaignFactory(
        agency=world.agency, year=2025, submissions_open=opens, submissions_close=opens + 90 * DAY
    )
    AnnualRatingFactory(person=world.staff, year=2025, rating=Rating.GOOD)
    chosen = dict(zip(("old", "new"), two_versions, strict=True))[version]
    evaluation = _judge(campaign, award, person=world.staff)
    [result] = evaluation.results
    assert evaluation.rules_date == opens
    assert (result.criterion_id, result.version, result.outcome) == (
        chosen.pk,
        chosen.in_force_from,
        expected,
    )
    assert chosen.instrument in str(result.citation)


def test_two_versions_in_force_on_the_same_day_are_refused(world, award, two_versions):
    overlapping = CriterionFactory.build(
        award_type=award,
        code="ratings",
        kind=CriterionKind.RATINGS,
        rating=Rating.GOOD,
        years=1,
        instrument="x",
        article="1",
        in_force_from=CHANGE - 10 * DAY,
    )
    with pytest.raises(ValidationError, match="Another version"):
        overlapping.clean()


# --- cost, storage, language ------------------------------------------------------------------


def _every_kind(award, title):
    CriterionFactory(award_type=award, kind=CriterionKind.PRIOR_TITLE, title=title, years=3)
    CriterionFactory(award_type=award, kind=CriterionKind.INITIATIVE, level="agency", years=3)
    CriterionFactory(award_type=award, kind=CriterionKind.SERVICE_YEARS, years=5)
    CriterionFactory(award_type=award, kind=CriterionKind.RATINGS, rating="good", years=5)
    CriterionFactory(award_type=award, kind=CriterionKind.NO_DISCIPLINE, years=2)
    CriterionFactory(
        award_type=award, kind=CriterionKind.MEMBER_SHARE, title=title, share_percent=50
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_the_record_is_read_once_per_kind_never_per_criterion_or_year(world, campaign, title):
    award = AwardTypeFactory(nominee_kind=NomineeKind.EITHER)
    _every_kind(award, title)
    # criteria, awards, open nominations (this year's title is missing), initiatives, the
    # profile, ratings, discipline: 7 for a person (member share does not apply).
    alone = _queries(lambda: _judge(campaign, award, person=world.staff))
    assert alone <= 7
    # More criteria of the same kinds, more years, more record: the same count.
    _every_kind(award, title)
    CriterionFactory(award_type=award, kind=CriterionKind.RATINGS, rating="excellent", years=9)
    for year in range(Y - 9, Y + 1):
        AnnualRatingFactory(person=world.staff, year=year)
        ConferredAwardFactory(award_type=title, person=world.staff, year=year)
        InitiativeFactory(person=world.staff, year=year)
    assert _queries(lambda: _judge(campaign, award, person=world.staff)) <= alone
    # A collective: the members (once) replace the initiative and the profile.
    assert _queries(lambda: _judge(campaign, award, unit=world.unit)) <= alone


def test_without_criteria_judging_costs_one_query(world, campaign, award):
    assert _queries(lambda: _judge(campaign, award, person=world.staff)) == 1


def test_the_evaluation_is_kept_in_both_languages(world, campaign, title, award):
    CriterionFactory(
        award_type=award,
        code="prior-ldtt",
        kind=CriterionKind.PRIOR_TITLE,
        title=title,
        years=1,
        article="23",
        clause="2",
        in_force_from=datetime.date(2024, 1, 1),
    )
    ConferredAwardFactory(award_type=title, person=world.staff, year=Y, decision_number="12/QĐ")
    kept = _judge(campaign, award, person=world.staff).as_json()
    [line] = kept["results"]
    assert kept["rules_date"] == RULES_DAY.isoformat()
    assert (line["code"], line["version"], line["outcome"]) == ("prior-ldtt", "2024-01-01", PASS)
    assert "Advanced Worker" in line["sentence"]["en"]
    assert "Lao động tiên tiến" in line["sentence"]["vi"]
    assert line["evidence"][0]["en"] == f"Advanced Worker {Y} — 12/QĐ"
    assert line["evidence"][0]["vi"] == f"Lao động tiên tiến {Y} — 12/QĐ"
    assert "Article 23" in line["citation"]["en"]
    with translation.override("vi"):
        assert "Lao động tiên tiến" in Evaluation.from_json(kept).results[0].sentence
    with translation.override("en"):
        assert "Advanced Worker" in Evaluation.from_json(kept).results[0].sentence
    assert Evaluation.from_json({}) is None


def test_a_nomination_without_nominee_is_not_judged(world, campaign, award):
    with pytest.raises(ValueError):
        evaluate(Nomination(campaign=campaign, award_type=award))
    assert eligibility.checklist_for(Nomination(campaign=campaign, award_type=award)) == (
        None,
        False,
    )
