"""A council to vote with: the shared world's member plus more members, nominations brought to
council review through the services, and a helper to plan and open a session."""

import datetime

import pytest
from django.utils import timezone

from approvals import services as council_services
from nominations import services as dossier
from nominations.roles import Role
from tests.factories import AwardTypeFactory, person


@pytest.fixture
def members(world):
    """Ten council members: the world's `member` first, then member2 … member10."""
    return [world.member] + [
        person(world.agency, Role.COUNCIL_MEMBER, username=f"member{i}") for i in range(2, 11)
    ]


@pytest.fixture
def award(world):
    """award(**rules): an award type on the full route with the given council rules."""

    def _make(**rules):
        return AwardTypeFactory(**rules)

    return _make


@pytest.fixture
def at_council(world, walk):
    """at_council(award_type, nominee=None, proposer=None): a nomination waiting at council
    review, walked there through the services by the people whose role it is. Each is for a
    nominee of its own (a new member of the unit) unless one is named: one achievement, one
    award."""

    def _make(award_type=None, nominee=None, proposer=None):
        draft = dossier.create_draft(
            actor=proposer or world.proposer,
            campaign=world.campaign,
            award_type=award_type or world.full,
            proposing_unit=world.unit,
            nominee_person=nominee or person(world.unit),
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        )
        return walk(draft, "submit", "approve", "approve", "approve")

    return _make


@pytest.fixture
def plan(world, members):
    """plan(): a session of the world's campaign, planned by the secretary, chaired by the
    first member; its agenda is whatever waits at council review."""

    def _plan(scheduled_on=None):
        return council_services.plan_session(
            actor=world.secretary,
            campaign=world.campaign,
            scheduled_on=scheduled_on or timezone.localdate() + datetime.timedelta(days=1),
            chair=members[0],
        )

    return _plan


@pytest.fixture
def opened(world, members, plan):
    """opened(present=members): plan a session and open it with these members present."""

    def _open(present=None):
        session = plan()
        present = members if present is None else present
        return council_services.open_session(
            session, actor=world.secretary, present=[m.pk for m in present]
        )

    return _open


@pytest.fixture
def vote():
    """vote(item, {member: choice, ...}): each member casts their ballot on the item."""

    def _vote(item, ballots):
        for member, choice in ballots.items():
            council_services.cast_ballot(item, actor=member, choice=choice)

    return _vote
