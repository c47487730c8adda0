"""The council's arithmetic, exactly: quorum, base and threshold at their boundaries."""

from decimal import Decimal
from fractions import Fraction

import pytest

from approvals import arithmetic

TWO_THIRDS = Fraction(2, 3)


def _tally(**overrides):
    values = {
        "members": 10,
        "present": 10,
        "recused": 0,
        "recused_present": 0,
        "approve": 0,
        "disapprove": 0,
        "abstain": 0,
        "vote_base": arithmetic.MEMBERS,
        "threshold_percent": Decimal("70"),
        "quorum_rule": TWO_THIRDS,
    }
    values.update(overrides)
    return arithmetic.tally_item(**values)


# --- quorum ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "present", "met"),
    [(9, 6, True), (9, 5, False), (10, 7, True), (10, 6, False), (7, 5, True), (7, 4, False)],
)
def test_quorum_is_two_thirds_of_the_members_present(members, present, met):
    assert arithmetic.quorum(members=members, present=present, rule=TWO_THIRDS).met is met


def test_quorum_says_how_many_members_are_needed():
    assert arithmetic.quorum(members=10, present=0, rule=TWO_THIRDS).needed == 7
    assert arithmetic.quorum(members=9, present=0, rule=TWO_THIRDS).needed == 6
    assert arithmetic.quorum(members=7, present=0, rule=Fraction(1, 2)).needed == 4


def test_a_council_without_members_never_has_a_quorum():
    assert not arithmetic.quorum(members=0, present=0, rule=TWO_THIRDS).met


def test_without_quorum_no_item_passes_even_unanimously():
    result = _tally(present=6, approve=6)
    assert not result.quorum_met
    assert not result.passed


# --- the threshold over all members ------------------------------------------------------------


@pytest.mark.parametrize(("approve", "passed"), [(6, False), (7, True), (8, True)])
def test_seventy_percent_of_ten_members_needs_seven_approvals(approve, passed):
    assert _tally(approve=approve, disapprove=10 - approve).passed is passed


def test_over_all_members_an_absent_member_counts_as_not_approving():
    # 7 present (quorum 7 of 10), all approve: 7 of 10 members is exactly 70%.
    assert _tally(present=7, approve=7).passed
    # 90% of all members: 7 present cannot reach 9 approvals whatever they vote.
    assert not _tally(present=7, approve=7, threshold_percent=Decimal("90")).passed


def test_a_fractional_threshold_is_compared_exactly():
    # 2/3 of 9 members is 6 exactly; 66.67% of 9 is 6.0003, which 6 approvals do not reach.
    assert _tally(members=9, present=9, approve=6, threshold_percent=Decimal("66.66")).passed
    assert not _tally(members=9, present=9, approve=6, threshold_percent=Decimal("66.67")).passed


# --- the threshold over members present ---------------------------------------------------------


@pytest.mark.parametrize(("approve", "passed"), [(5, False), (6, True), (7, True)])
def test_seventy_five_percent_of_eight_present_needs_six_approvals(approve, passed):
    result = _tally(
        present=8,
        approve=approve,
        disapprove=8 - approve,
        vote_base=arithmetic.PRESENT,
        threshold_percent=Decimal("75"),
    )
    assert result.base == 8
    assert result.passed is passed


def test_half_of_those_present_passes_at_exactly_half():
    rule = {"vote_base": arithmetic.PRESENT, "threshold_percent": Decimal("50"), "present": 8}
    assert _tally(approve=4, disapprove=4, **rule).passed
    assert not _tally(approve=3, disapprove=5, **rule).passed


# --- abstentions and recusal ---------------------------------------------------------------


def test_abstentions_count_as_not_approving():
    result = _tally(present=8, approve=5, abstain=3, vote_base=arithmetic.PRESENT)
    assert result.base == 8
    assert not result.passed  # 5 of 8 is 62.5%, under 70%
    assert (result.approve, result.abstain, result.not_voted) == (5, 3, 0)


def test_members_who_did_not_vote_count_as_not_approving():
    result = _tally(present=10, approve=6)
    assert result.not_voted == 4
    assert not result.passed


def test_a_recused_member_leaves_the_base_over_all_members():
    # 10 members, one recused: the base is 9, so 7 approvals (77.8%) pass, 6 (66.7%) do not.
    assert not _tally(approve=6).passed
    recused = _tally(recused=1, recused_present=1, approve=6)
    assert recused.base == 9
    assert not recused.passed  # 6 of 9 is 66.7%
    assert _tally(recused=1, recused_present=1, approve=7).passed


def test_a_recusal_turns_a_failing_count_into_a_passing_one_over_those_present():
    rule = {"vote_base": arithmetic.PRESENT, "threshold_percent": Decimal("75"), "present": 9}
    assert not _tally(approve=6, **rule).passed  # 6 of 9 = 66.7%
    result = _tally(approve=6, recused=1, recused_present=1, **rule)
    assert result.base == 8
    assert result.passed  # 6 of 8 = 75%


def test_an_absent_recused_member_changes_only_the_all_members_base():
    assert _tally(recused=1, recused_present=0, present=9, vote_base=arithmetic.PRESENT).base == 9
    assert _tally(recused=1, recused_present=0, present=9).base == 9


def test_recusal_does_not_change_the_quorum():
    result = _tally(present=7, recused=2, recused_present=2, approve=5)
    assert result.quorum_met


def test_an_item_nobody_may_vote_on_passes_nothing():
    assert not arithmetic.passes(approvals=0, base=0, threshold_percent=0)


def test_more_ballots_than_voters_is_an_error_not_a_result():
    with pytest.raises(ValueError):
        _tally(present=7, approve=8)


def test_approvals_needed_is_the_exact_ceiling():
    assert arithmetic.approvals_needed(base=10, threshold_percent=Decimal("70")) == 7
    assert arithmetic.approvals_needed(base=7, threshold_percent=Decimal("70")) == 5
    assert arithmetic.approvals_needed(base=9, threshold_percent=Decimal("66.67")) == 7


# --- written opinions of absent members ------------------------------------------------------


def test_a_written_opinion_counts_toward_the_all_members_threshold():
    # 7 present of 10; 6 approve in person and one absent member approves in writing: 7 of 10.
    assert not _tally(present=7, approve=6, disapprove=1).passed
    result = _tally(present=7, approve=7, disapprove=1, written=1)
    assert result.passed
    assert (result.base, result.written, result.not_voted) == (10, 1, 0)


def test_over_those_present_written_opinions_join_the_base():
    rule = {"vote_base": arithmetic.PRESENT, "threshold_percent": Decimal("75"), "present": 7}
    # 5 of 7 present approve (71%): fails; a written approval makes it 6 of 8 (75%): passes.
    assert not _tally(approve=5, disapprove=2, **rule).passed
    result = _tally(approve=6, disapprove=2, written=1, **rule)
    assert result.base == 8
    assert result.passed


def test_a_written_opinion_does_not_make_a_quorum():
    result = _tally(present=6, approve=9, written=3)
    assert not result.quorum_met and not result.passed


def test_no_more_written_opinions_than_absent_members():
    with pytest.raises(ValueError):
        _tally(present=9, written=2)


@pytest.mark.parametrize(
    "value, written",
    [(Decimal("50"), "50"), (Decimal("50.00"), "50"), (Decimal("66.67"), "66.67"), (100, "100")],
)
def test_a_threshold_is_written_as_people_write_it(value, written):
    assert arithmetic.percent_text(value) == written
