"""Signed decisions to publish: awards conferred through the services, as the council and the
head of agency confer them."""

from decimal import Decimal

import pytest

from approvals import outcomes
from nominations import services as dossier
from nominations.models import Nomination
from tests.approvals import conftest as council_fixtures
from tests.factories import person

ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ năm; sáng kiến nội bộ số 7."


@pytest.fixture
def awarded(world, walk):
    """awarded(count=1, **names): a signed decision conferring the short route's award on
    `count` new people of unit-a (named as given), and the decision."""

    def _make(count=1, award_type=None, unit=None, title="Quyết định tặng danh hiệu", **names):
        nominations = []
        for _ in range(count):
            draft = dossier.create_draft(
                actor=world.proposer,
                campaign=world.campaign,
                award_type=award_type or world.short,
                proposing_unit=world.unit,
                nominee_person=person(unit or world.unit, **names),
                achievements=ACHIEVEMENTS,
            )
            nominations.append(walk(draft, "submit", "approve", "approve"))
        return outcomes.sign_decision(
            actor=world.signer,
            agency=world.agency,
            nominations=nominations,
            title=title,
            reasons="Căn cứ đề nghị của Hội đồng; biên bản họp kín.",
        )

    return _make


# The council's fixtures, for an award voted by the council (tests/approvals/conftest.py).
members = council_fixtures.members
award = council_fixtures.award
at_council = council_fixtures.at_council
plan = council_fixtures.plan
opened = council_fixtures.opened
vote = council_fixtures.vote


@pytest.fixture
def voted(world, members, at_council, opened, vote, award):
    """voted(): a decision conferring an award the council voted on by secret ballot (every
    member for it, no public notice), and its nomination."""

    def _make():
        rule = award(vote_threshold_percent=Decimal("50"), secret_ballot=True)
        nomination = at_council(rule)
        session = opened()
        vote(session.items.get(), {m: "approve" for m in members})
        outcomes.close_voting(session, actor=world.secretary)
        decision = outcomes.sign_decision(
            actor=world.signer,
            agency=world.agency,
            nominations=[Nomination.objects.get(pk=nomination.pk)],
            title="Quyết định khen thưởng sau phiên họp Hội đồng",
            reasons="Biên bản kiểm phiếu kín của Hội đồng.",
        )
        return decision, nomination

    return _make
