# The council fixtures (members, at_council, plan, opened, vote, award) serve both the approvals
# tests and the workflow tests of the council.
from decimal import Decimal

import pytest

from approvals import outcomes
from nominations.models import Nomination
from tests.approvals import conftest as council_fixtures

members = council_fixtures.members
award = council_fixtures.award
at_council = council_fixtures.at_council
plan = council_fixtures.plan
opened = council_fixtures.opened
vote = council_fixtures.vote


@pytest.fixture
def approved(world, members, at_council, opened, vote, award):
    """approved(notice_days): a nomination the council approved (every member for it, 50%
    threshold) under an award type with that public notice."""

    def _make(notice_days):
        rule = award(vote_threshold_percent=Decimal("50"), public_notice_days=notice_days)
        nomination = at_council(rule)
        session = opened()
        vote(session.items.get(), {m: "approve" for m in members})
        outcomes.close_voting(session, actor=world.secretary)
        return Nomination.objects.get(pk=nomination.pk)

    return _make
