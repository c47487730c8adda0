"""Ballots: who may vote, once; open ballots change until voting closes; secret ballots are
final and stored so that nobody can tell who chose what."""

import pytest
from django.apps import apps

from approvals import services as council_services
from approvals.models import AgendaItem, BallotReceipt, OpenBallot
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import RoleAssignment
from tests.factories import person


@pytest.fixture
def open_item(world, members, at_council, opened, award):
    """open_item(secret=False, present=members): the one item of an opened session."""

    def _make(secret=False, present=None):
        at_council(award(secret_ballot=secret))
        session = opened(present=present)
        return AgendaItem.objects.get(session=session)

    return _make


def test_a_present_member_votes_once_and_the_choice_is_recorded_openly(members, open_item):
    item = open_item()
    council_services.cast_ballot(item, actor=members[0], choice="approve")

    ballot = OpenBallot.objects.get(item=item)
    assert (ballot.member, ballot.choice) == (members[0], "approve")
    event = AuditEvent.objects.get(action=Event.BALLOT_CAST)
    assert event.actor == members[0] and event.data["choice"] == "approve"


def test_an_open_ballot_may_be_changed_until_voting_closes(members, open_item):
    item = open_item()
    council_services.cast_ballot(item, actor=members[0], choice="approve")
    council_services.cast_ballot(item, actor=members[0], choice="abstain")

    assert list(OpenBallot.objects.filter(item=item).values_list("choice", flat=True)) == [
        "abstain"
    ]
    changed = AuditEvent.objects.get(action=Event.BALLOT_CHANGED)
    assert changed.data["from"] == "approve" and changed.data["to"] == "abstain"


def test_a_secret_ballot_is_final(members, open_item):
    item = open_item(secret=True)
    council_services.cast_ballot(item, actor=members[0], choice="approve")

    with pytest.raises(TransitionRefused, match="secret ballot is final"):
        council_services.cast_ballot(item, actor=members[0], choice="disapprove")

    item.refresh_from_db()
    assert (item.secret_approve, item.secret_disapprove, item.secret_abstain) == (1, 0, 0)
    assert BallotReceipt.objects.filter(item=item).count() == 1


def test_a_secret_ballot_is_counted_without_a_row_that_names_the_choice(members, open_item):
    item = open_item(secret=True)
    choices = ["approve", "disapprove", "abstain", "approve"]
    for member, choice in zip(members, choices, strict=False):
        council_services.cast_ballot(item, actor=member, choice=choice)

    item.refresh_from_db()
    assert (item.secret_approve, item.secret_disapprove, item.secret_abstain) == (2, 1, 1)
    assert not OpenBallot.objects.filter(item=item).exists()
    receipts = BallotReceipt.objects.filter(item=item)
    assert {r.member for r in receipts} == set(members[:4])
    # A receipt has the item, the member and whether it was a written opinion: no choice, no time.
    assert {f.name for f in BallotReceipt._meta.concrete_fields} == {
        "id",
        "item",
        "member",
        "written",
    }


def test_no_table_of_the_database_links_a_member_to_a_secret_choice(members, open_item):
    item = open_item(secret=True)
    council_services.cast_ballot(item, actor=members[0], choice="disapprove")
    # Every row of every model that names the member: none of them holds a choice value.
    for model in apps.get_models():
        member_fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is type(members[0])
        ]
        for field in member_fields:
            for row in model.objects.filter(**{field: members[0]}).values():
                values = {str(v) for v in row.values()} | {
                    str(x) for v in row.values() if isinstance(v, dict) for x in v.values()
                }
                assert "disapprove" not in values, (model.__name__, row)


def test_the_audit_event_of_a_secret_vote_says_only_that_the_member_voted(members, open_item):
    item = open_item(secret=True)
    council_services.cast_ballot(item, actor=members[0], choice="disapprove")

    event = AuditEvent.objects.get(action=Event.BALLOT_CAST)
    assert event.actor == members[0]
    assert event.data == {"session": item.session_id, "secret": True}
    assert "disapprove" not in repr(event.__dict__)


def test_a_member_absent_at_the_opening_does_not_vote(members, open_item):
    item = open_item(present=members[:8])
    with pytest.raises(NotAllowed, match="not recorded as present"):
        council_services.cast_ballot(item, actor=members[9], choice="approve")


def test_someone_outside_the_council_does_not_vote(world, members, open_item):
    item = open_item()
    with pytest.raises(NotAllowed, match="not a member"):
        council_services.cast_ballot(item, actor=world.leader, choice="approve")


def test_a_member_who_joined_after_the_session_was_planned_does_not_vote(world, open_item):
    item = open_item()
    newcomer = person(world.agency, "council_member")
    with pytest.raises(NotAllowed):
        council_services.cast_ballot(item, actor=newcomer, choice="approve")


def test_a_recused_member_does_not_vote_on_that_item(world, members, at_council, opened):
    RoleAssignment.objects.create(user=members[3], role="unit_proposer", unit=world.unit)
    members[3].profile.unit = world.unit
    members[3].profile.save()
    at_council(proposer=members[3])
    item = AgendaItem.objects.get(session=opened())

    with pytest.raises(NotAllowed, match="recused"):
        council_services.cast_ballot(item, actor=members[3], choice="approve")


def test_a_vote_must_be_one_of_the_three_choices(members, open_item):
    item = open_item()
    with pytest.raises(InvalidInput):
        council_services.cast_ballot(item, actor=members[0], choice="yes")


def test_nobody_votes_before_the_session_opens(world, members, at_council, plan):
    at_council()
    item = plan().items.get()
    with pytest.raises(TransitionRefused, match="not open"):
        council_services.cast_ballot(item, actor=members[0], choice="approve")


def test_nobody_votes_on_a_deferred_item(world, members, open_item):
    item = open_item()
    council_services.defer_item(item, actor=world.secretary, reasons="Hoãn.")
    with pytest.raises(TransitionRefused, match="no longer on the agenda"):
        council_services.cast_ballot(item, actor=members[0], choice="approve")


# --- written opinions of absent members --------------------------------------------------------


def test_the_secretary_records_an_absent_members_written_opinion(world, members, open_item):
    item = open_item(present=members[:8])

    council_services.record_written_opinion(
        item, actor=world.secretary, member=members[9], choice="approve"
    )

    ballot = OpenBallot.objects.get(item=item)
    assert (ballot.member, ballot.choice, ballot.written) == (members[9], "approve", True)
    event = AuditEvent.objects.get(action=Event.WRITTEN_OPINION)
    assert event.actor == world.secretary and event.data["choice"] == "approve"


def test_a_secret_written_opinion_is_kept_like_a_secret_ballot(world, members, open_item):
    item = open_item(secret=True, present=members[:8])

    council_services.record_written_opinion(
        item, actor=world.secretary, member=members[9], choice="disapprove"
    )

    item.refresh_from_db()
    assert item.secret_disapprove == 1
    receipt = BallotReceipt.objects.get(item=item)
    assert (receipt.member, receipt.written) == (members[9], True)
    event = AuditEvent.objects.get(action=Event.WRITTEN_OPINION)
    assert "choice" not in event.data and "disapprove" not in repr(event.__dict__)


def test_a_written_opinion_is_only_for_an_absent_member_and_only_once(world, members, open_item):
    item = open_item(present=members[:8])
    with pytest.raises(NotAllowed, match="present and votes in person"):
        council_services.record_written_opinion(
            item, actor=world.secretary, member=members[0], choice="approve"
        )
    with pytest.raises(NotAllowed, match="Only a member"):
        council_services.record_written_opinion(
            item, actor=world.secretary, member=world.leader, choice="approve"
        )
    council_services.record_written_opinion(
        item, actor=world.secretary, member=members[9], choice="abstain"
    )
    with pytest.raises(TransitionRefused, match="already recorded"):
        council_services.record_written_opinion(
            item, actor=world.secretary, member=members[9], choice="approve"
        )


def test_only_the_secretary_records_written_opinions(world, members, open_item):
    item = open_item(present=members[:8])
    with pytest.raises(NotAllowed):
        council_services.record_written_opinion(
            item, actor=members[0], member=members[9], choice="approve"
        )
