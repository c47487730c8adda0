"""Planning and opening a council session: members, agenda, attendance, quorum, recusal,
deferral."""

import pytest

from approvals import services as council_services
from approvals.models import AgendaItem, CouncilSession, Recusal, SessionMember
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import RoleAssignment
from nominations.roles import Role
from nominations.stages import Status
from tests.factories import person


def test_a_planned_session_has_every_council_member_and_the_nominations_waiting(
    world, members, at_council, plan, walk, draft
):
    first, second = at_council(), at_council()
    walk(draft, "submit")  # not at the council yet

    session = plan()

    assert session.status == CouncilSession.Status.PLANNED
    assert set(session.members.values_list("member", flat=True)) == {m.pk for m in members}
    assert list(session.items.values_list("nomination", flat=True)) == [first.pk, second.pk]
    assert AuditEvent.objects.filter(action=Event.SESSION_PLANNED).count() == 1


def test_only_the_council_secretary_plans_a_session(world, members, at_council):
    at_council()
    with pytest.raises(NotAllowed):
        council_services.plan_session(
            actor=world.leader,
            campaign=world.campaign,
            scheduled_on=world.campaign.submissions_close,
            chair=members[0],
        )


def test_the_chair_must_be_a_council_member(world, members, at_council):
    with pytest.raises(InvalidInput, match="chair"):
        council_services.plan_session(
            actor=world.secretary,
            campaign=world.campaign,
            scheduled_on=world.campaign.submissions_close,
            chair=world.leader,
        )


def test_a_nomination_is_on_one_agenda_at_a_time(world, members, at_council, plan):
    nomination = at_council()
    plan()
    later = plan()
    assert not later.items.filter(nomination=nomination).exists()


def test_opening_with_a_quorum_records_attendance_and_opens_voting(
    world, members, at_council, opened
):
    at_council()
    session = opened(present=members[:7])

    assert session.status == CouncilSession.Status.OPEN
    assert SessionMember.objects.filter(session=session, present=True).count() == 7
    assert SessionMember.objects.filter(session=session, present=False).count() == 3
    event = AuditEvent.objects.get(action=Event.SESSION_OPENED)
    assert event.data["quorum"] == {"members": 10, "present": 7, "needed": 7}


def test_without_a_quorum_the_session_does_not_open_and_says_so_plainly(
    world, members, at_council, plan
):
    at_council()
    session = plan()

    with pytest.raises(council_services.QuorumNotMet) as refused:
        council_services.open_session(
            session, actor=world.secretary, present=[m.pk for m in members[:6]]
        )

    assert "6 of 10 members are present" in refused.value.message
    assert "at least 7 are needed" in refused.value.message
    assert "cannot decide any item" in refused.value.message
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.PLANNED
    assert not SessionMember.objects.filter(session=session, present=True).exists()


def test_only_the_sessions_secretary_opens_it(world, members, at_council, plan):
    at_council()
    session = plan()
    other_secretary = person(world.agency, Role.COUNCIL_SECRETARY)
    with pytest.raises(NotAllowed):
        council_services.open_session(
            session, actor=other_secretary, present=[m.pk for m in members]
        )


def test_a_session_opens_once(world, members, at_council, opened):
    at_council()
    session = opened()
    with pytest.raises(TransitionRefused):
        council_services.open_session(
            session, actor=world.secretary, present=[m.pk for m in members]
        )


def test_a_member_who_proposed_or_is_the_nominee_is_recused_from_that_item(
    world, members, at_council
):
    # A council member who is also a unit's proposer, and a member who is nominated.
    proposing_member = members[1]
    RoleAssignment.objects.create(user=proposing_member, role=Role.UNIT_PROPOSER, unit=world.unit)
    proposing_member.profile.unit = world.unit
    proposing_member.profile.save()
    nominated_member = members[2]
    nominated_member.profile.unit = world.unit
    nominated_member.profile.save()
    proposed = at_council(proposer=proposing_member)
    naming = at_council(nominee=nominated_member)
    other = at_council()

    session = council_services.open_session(
        council_services.plan_session(
            actor=world.secretary,
            campaign=world.campaign,
            scheduled_on=world.campaign.submissions_close,
            chair=members[0],
        ),
        actor=world.secretary,
        present=[m.pk for m in members],
    )

    def recused(nomination):
        return {
            (r.member, r.reason)
            for r in Recusal.objects.filter(item__session=session, item__nomination=nomination)
        }

    assert recused(proposed) == {(proposing_member, "You proposed this nomination.")}
    assert recused(naming) == {(nominated_member, "You are the nominee.")}
    assert recused(other) == set()


def test_the_secretary_defers_an_item_to_a_later_session(world, members, at_council, plan):
    nomination = at_council()
    session = plan()
    item = session.items.get()

    council_services.defer_item(item, actor=world.secretary, reasons="Chờ xác minh thêm.")

    item.refresh_from_db()
    assert item.status == AgendaItem.Status.DEFERRED
    nomination.refresh_from_db()
    assert nomination.status == Status.COUNCIL_REVIEW
    later = plan()
    assert list(later.items.values_list("nomination", flat=True)) == [nomination.pk]
    event = AuditEvent.objects.get(action=Event.ITEM_DEFERRED)
    assert event.nomination_id == nomination.pk and event.comment == "Chờ xác minh thêm."


def test_an_item_deferred_before_opening_stays_off_that_sessions_agenda(
    world, members, at_council, plan
):
    kept, deferred = at_council(), at_council()
    session = plan()
    council_services.defer_item(
        session.items.get(nomination=deferred), actor=world.secretary, reasons="Hoãn."
    )

    council_services.open_session(session, actor=world.secretary, present=[m.pk for m in members])

    assert list(
        session.items.filter(status=AgendaItem.Status.PENDING).values_list("nomination", flat=True)
    ) == [kept.pk]
    assert session.items.filter(nomination=deferred).count() == 1


def test_deferring_needs_reasons(world, members, at_council, plan):
    at_council()
    item = plan().items.get()
    with pytest.raises(InvalidInput):
        council_services.defer_item(item, actor=world.secretary, reasons="  ")


def test_a_session_with_nothing_on_its_agenda_does_not_open(world, members, plan):
    session = plan()
    with pytest.raises(TransitionRefused, match="agenda is empty"):
        council_services.open_session(
            session, actor=world.secretary, present=[m.pk for m in members]
        )


def test_a_nomination_withdrawn_before_the_session_opens_leaves_its_agenda(
    world, members, at_council, plan, walk
):
    staying, leaving = at_council(), at_council()
    session = plan()
    walk(leaving, "withdraw")

    council_services.open_session(session, actor=world.secretary, present=[m.pk for m in members])

    pending = session.items.filter(status=AgendaItem.Status.PENDING)
    assert list(pending.values_list("nomination", flat=True)) == [staying.pk]
