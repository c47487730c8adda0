"""After the council: the public notice, objections and their resolution, and the numbered
decision that confers the awards — never edited, corrected only by a new decision."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from approvals import outcomes
from approvals import services as council_services
from approvals.models import DecisionEntry, Objection, SignedDecision
from approvals.notice import notice_ends_on
from audit import reports
from audit.events import Event
from audit.models import AuditEvent
from nominations.calendar import add_working_days
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import ConferredAward, Nomination, StageDecision, Unit
from nominations.roles import Role
from nominations.stages import Status
from tests.factories import UnitFactory, person
from workflows.models import NominationTask


def _status(nomination):
    return Nomination.objects.values_list("status", flat=True).get(pk=nomination.pk)


@pytest.fixture
def approved(world, members, at_council, opened, vote, award):
    """approved(notice_days=0, count=1): nominations approved by a council vote."""

    def _make(notice_days=0, count=1):
        rule = award(
            vote_threshold_percent=Decimal("70"),
            vote_base="members",
            secret_ballot=True,
            public_notice_days=notice_days,
        )
        nominations = [at_council(rule) for _ in range(count)]
        session = opened()
        for item in session.items.all():
            vote(item, {m: "approve" for m in members})
        outcomes.close_voting(session, actor=world.secretary)
        return [Nomination.objects.get(pk=n.pk) for n in nominations]

    return _make


def _age(nomination, working_days: int):
    """Arrange: the council approved the nomination long enough ago for a notice of
    `working_days` working days to be over today."""
    today = timezone.localdate()
    day = today
    while add_working_days(day, working_days) > today:
        day -= datetime.timedelta(days=1)
    Nomination.objects.filter(pk=nomination.pk).update(
        status_changed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    return Nomination.objects.get(pk=nomination.pk)


def _sign(world, nominations, title="Quyết định khen thưởng"):
    return outcomes.sign_decision(
        actor=world.signer, agency=world.agency, nominations=nominations, title=title
    )


# --- public notice -------------------------------------------------------------------------


def test_an_approved_candidate_is_on_notice_for_the_award_types_working_days(world, approved):
    (nomination,) = approved(notice_days=5)
    assert notice_ends_on(nomination) == add_working_days(timezone.localdate(), 5)


def test_the_decision_waits_until_the_notice_is_over(world, approved):
    (nomination,) = approved(notice_days=5)

    with pytest.raises(TransitionRefused) as refused:
        _sign(world, [nomination])

    assert "public notice until" in str(refused.value)
    assert _status(nomination) == Status.COUNCIL_APPROVED
    assert not SignedDecision.objects.exists()


def test_once_the_notice_is_over_the_decision_can_be_signed(world, approved):
    (nomination,) = approved(notice_days=5)
    nomination = _age(nomination, 5)

    _sign(world, [nomination])

    assert _status(nomination) == Status.AWARDED


def test_an_award_type_without_notice_can_be_signed_at_once(world, approved):
    (nomination,) = approved(notice_days=0)
    _sign(world, [nomination])
    assert _status(nomination) == Status.AWARDED


# --- objections ----------------------------------------------------------------------------


def test_anyone_signed_in_may_object_with_reasons(world, approved):
    (nomination,) = approved(notice_days=5)

    objection = council_services.file_objection(
        nomination, actor=world.staff, reasons="Thành tích chưa đúng thực tế."
    )

    assert objection.status == Objection.Status.OPEN
    event = AuditEvent.objects.get(action=Event.OBJECTION_FILED)
    assert event.actor == world.staff and event.nomination_id == nomination.pk


def test_an_objection_needs_reasons(world, approved):
    (nomination,) = approved(notice_days=5)
    with pytest.raises(InvalidInput):
        council_services.file_objection(nomination, actor=world.staff, reasons=" ")


def test_an_objection_concerns_only_a_candidate_awaiting_the_decision(world, at_council):
    nomination = at_council()
    with pytest.raises(TransitionRefused):
        council_services.file_objection(nomination, actor=world.staff, reasons="Không đúng.")


def test_an_open_objection_blocks_the_decision(world, approved):
    (nomination,) = approved(notice_days=0)
    council_services.file_objection(nomination, actor=world.staff, reasons="Thành tích chưa đúng.")

    with pytest.raises(TransitionRefused) as refused:
        _sign(world, [nomination])

    assert "open objection" in str(refused.value)
    assert _status(nomination) == Status.COUNCIL_APPROVED


def test_a_dismissed_objection_lets_the_nomination_proceed(world, approved):
    (nomination,) = approved(notice_days=0)
    objection = council_services.file_objection(
        nomination, actor=world.staff, reasons="Không đúng."
    )

    outcomes.resolve_objection(
        objection, actor=world.secretary, upheld=False, reasons="Đã xác minh: đúng thực tế."
    )

    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
    assert objection.resolved_by == world.secretary
    assert _status(nomination) == Status.COUNCIL_APPROVED
    _sign(world, [nomination])
    assert _status(nomination) == Status.AWARDED


def test_an_upheld_objection_returns_the_nomination_to_the_unit(world, approved):
    (nomination,) = approved(notice_days=5)
    objection = council_services.file_objection(
        nomination, actor=world.staff, reasons="Số liệu sai."
    )

    outcomes.resolve_objection(
        objection,
        actor=world.secretary,
        upheld=True,
        remedy="return",
        reasons="Phản ánh đúng: đề nghị đơn vị bổ sung số liệu.",
    )

    assert _status(nomination) == Status.RETURNED
    decision = StageDecision.objects.filter(nomination=nomination).latest("id")
    assert (decision.outcome, decision.from_status) == ("returned", Status.COUNCIL_APPROVED)
    task = NominationTask.objects.get(nomination=nomination, status=STATUS.NEW)
    assert (task.flow_task.name, task.role) == ("revise", Role.UNIT_PROPOSER)
    assert AuditEvent.objects.filter(action=Event.OBJECTION_UPHELD).count() == 1


def test_an_upheld_objection_may_reject_the_nomination(world, approved):
    (nomination,) = approved(notice_days=5)
    objection = council_services.file_objection(nomination, actor=world.staff, reasons="Vi phạm.")

    outcomes.resolve_objection(
        objection, actor=world.secretary, upheld=True, remedy="reject", reasons="Có vi phạm."
    )

    assert _status(nomination) == Status.REJECTED
    assert not NominationTask.objects.filter(nomination=nomination, status=STATUS.NEW).exists()


def test_the_supervision_report_closes_objections_upheld_or_dismissed_by_the_secretary(
    world, approved
):
    """Driven through the real writers: filing, dismissing and upholding objections, then the
    inspector's report of objections left open."""
    (nomination,) = approved(notice_days=5)
    dismissed, upheld, left = (
        council_services.file_objection(nomination, actor=world.staff, reasons=f"Phản ánh {i}.")
        for i in (1, 2, 3)
    )
    assert len(reports.objections_left_open()) == 3

    outcomes.resolve_objection(
        dismissed, actor=world.secretary, upheld=False, reasons="Đúng thực tế."
    )
    outcomes.resolve_objection(
        upheld, actor=world.secretary, upheld=True, remedy="return", reasons="Có sai sót."
    )

    still_open = reports.objections_left_open()
    filed = AuditEvent.objects.get(action=Event.OBJECTION_FILED, subject_id=str(left.pk))
    assert [f.seqs for f in still_open] == [[filed.seq]]
    closing = AuditEvent.objects.filter(nomination_id=nomination.pk).values_list(
        "action", flat=True
    )
    assert {Event.OBJECTION_UPHELD, Event.OBJECTION_DISMISSED} <= set(closing)


def test_an_objection_is_resolved_once_by_the_secretary_with_reasons(world, approved):
    (nomination,) = approved(notice_days=5)
    objection = council_services.file_objection(
        nomination, actor=world.staff, reasons="Không đúng."
    )
    with pytest.raises(NotAllowed):
        outcomes.resolve_objection(objection, actor=world.leader, upheld=False, reasons="Không.")
    with pytest.raises(InvalidInput):
        outcomes.resolve_objection(objection, actor=world.secretary, upheld=False, reasons="")
    with pytest.raises(InvalidInput):
        outcomes.resolve_objection(objection, actor=world.secretary, upheld=True, reasons="Đúng.")
    outcomes.resolve_objection(
        objection, actor=world.secretary, upheld=False, reasons="Không đúng."
    )
    with pytest.raises(TransitionRefused, match="already been resolved"):
        outcomes.resolve_objection(objection, actor=world.secretary, upheld=False, reasons="Lại.")


# --- signing -------------------------------------------------------------------------------


def test_signing_confers_a_batch_of_awards_under_one_number(world, approved):
    nominations = approved(count=2)

    decision = _sign(world, nominations)

    assert decision.number == 1 and decision.year == timezone.localdate().year
    assert {e.nomination_id for e in decision.entries.all()} == {n.pk for n in nominations}
    for n in nominations:
        assert _status(n) == Status.AWARDED
        award = ConferredAward.objects.get(nomination=n)
        assert (award.person, award.decision_number) == (n.nominee_person, decision.reference)
        assert award.award_type_id == n.award_type_id
    assert AuditEvent.objects.filter(action=Event.CONFERRED).count() == 2
    assert AuditEvent.objects.get(action=Event.DECISION_SIGNED).data["number"] == decision.reference


def test_the_award_on_the_nominees_record_is_what_later_checks_read(world, approved):
    (nomination,) = approved()
    _sign(world, [nomination])
    held = ConferredAward.objects.in_force().filter(person=nomination.nominee_person)
    assert [(a.award_type_id, a.year) for a in held] == [
        (nomination.award_type_id, world.campaign.year)
    ]


def test_decision_numbers_follow_each_other_per_agency_and_year(world, approved):
    first, second, third = approved(count=3)
    numbers = [_sign(world, [n]).number for n in (first, second, third)]
    assert numbers == [1, 2, 3]


def test_another_agency_numbers_its_decisions_from_one(world, approved):
    (nomination,) = approved()
    _sign(world, [nomination])
    other = UnitFactory(code="other-agency", kind=Unit.Kind.AGENCY)
    year = timezone.localdate().year
    assert outcomes.next_decision_number(other, year) == 1
    assert outcomes.next_decision_number(world.agency, year) == 2
    assert outcomes.next_decision_number(world.agency, year + 1) == 1


def test_only_the_decision_signer_signs(world, approved):
    (nomination,) = approved()
    with pytest.raises(NotAllowed):
        outcomes.sign_decision(
            actor=world.secretary, agency=world.agency, nominations=[nomination], title="QĐ"
        )
    assert _status(nomination) == Status.COUNCIL_APPROVED


def test_a_decision_confers_only_nominations_awaiting_it(world, approved, at_council):
    (ready,) = approved()
    waiting = at_council()
    with pytest.raises(TransitionRefused) as refused:
        _sign(world, [ready, waiting])
    assert waiting.reference in str(refused.value)
    assert _status(ready) == Status.COUNCIL_APPROVED  # all or nothing


def test_a_decision_confers_only_its_agencys_nominations(world, approved):
    (nomination,) = approved()
    other = UnitFactory(code="other-agency", kind=Unit.Kind.AGENCY)
    outsider = person(other, Role.DECISION_SIGNER)
    with pytest.raises(TransitionRefused, match="not this agency"):
        outcomes.sign_decision(actor=outsider, agency=other, nominations=[nomination], title="QĐ")


def test_a_signed_decision_cannot_be_edited_or_deleted(world, approved):
    (nomination,) = approved()
    decision = _sign(world, [nomination])

    decision.title = "Đã sửa"
    with pytest.raises(PermissionError):
        decision.save()
    with pytest.raises(PermissionError):
        SignedDecision.objects.filter(pk=decision.pk).update(title="Đã sửa")
    with pytest.raises(PermissionError):
        decision.delete()
    with pytest.raises(PermissionError):
        DecisionEntry.objects.filter(decision=decision).delete()
    assert SignedDecision.objects.get(pk=decision.pk).title == "Quyết định khen thưởng"


@pytest.mark.postgres
def test_the_database_refuses_to_change_a_signed_decision(world, approved):
    (nomination,) = approved()
    decision = _sign(world, [nomination])

    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE approvals_signeddecision SET title = 'forged' WHERE id = %s", [decision.pk]
        )
    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM approvals_decisionentry WHERE decision_id = %s", [decision.pk])
    assert SignedDecision.objects.get(pk=decision.pk).title == "Quyết định khen thưởng"


def test_a_correction_is_a_new_decision_that_revokes_named_awards(world, approved):
    kept, revoked = approved(count=2)
    original = _sign(world, [kept, revoked])

    correction = outcomes.sign_correction(
        original, actor=world.signer, revoke=[revoked], reasons="Hồ sơ kê khai không trung thực."
    )

    assert correction.number == original.number + 1
    assert correction.corrects == original
    assert list(correction.entries.values_list("nomination", "effect")) == [
        (revoked.pk, DecisionEntry.Effect.REVOKE)
    ]
    assert ConferredAward.objects.get(nomination=revoked).revoked_by_number == correction.reference
    assert ConferredAward.objects.get(nomination=kept).revoked_at is None
    assert list(ConferredAward.objects.in_force().values_list("nomination", flat=True)) == [kept.pk]
    # The original decision is as it was signed.
    assert set(original.entries.values_list("nomination", flat=True)) == {kept.pk, revoked.pk}
    assert AuditEvent.objects.filter(action=Event.AWARD_REVOKED, nomination_id=revoked.pk).exists()


def test_a_correction_revokes_only_what_the_decision_conferred_and_only_once(world, approved):
    first, second = approved(count=2)
    original = _sign(world, [first])
    other = _sign(world, [second])
    with pytest.raises(NotAllowed, match="not conferred by this decision"):
        outcomes.sign_correction(original, actor=world.signer, revoke=[second], reasons="Sai.")
    outcomes.sign_correction(original, actor=world.signer, revoke=[first], reasons="Sai.")
    with pytest.raises(NotAllowed, match="already been revoked"):
        outcomes.sign_correction(original, actor=world.signer, revoke=[first], reasons="Lại.")
    assert other.number == 2


# --- the whole path ------------------------------------------------------------------------


def test_from_council_review_to_awarded(world, members, at_council, plan, award):
    """A nomination waiting at council review is put on a session's agenda, the members vote
    by secret ballot, voting closes, the candidate is on public notice, an objection is filed
    and dismissed, the notice ends, the signer signs, and the nominee holds the award."""
    rule = award(
        vote_threshold_percent=Decimal("70"),
        vote_base="members",
        secret_ballot=True,
        public_notice_days=5,
    )
    nomination = at_council(rule)
    assert _status(nomination) == Status.COUNCIL_REVIEW

    session = plan()
    item = session.items.get(nomination=nomination)
    session = council_services.open_session(
        session, actor=world.secretary, present=[m.pk for m in members[:9]]
    )
    for member, choice in zip(
        members[:9], ["approve"] * 7 + ["disapprove", "abstain"], strict=True
    ):
        council_services.cast_ballot(item, actor=member, choice=choice)
    session = outcomes.close_voting(session, actor=world.secretary)
    assert _status(nomination) == Status.COUNCIL_APPROVED
    assert session.minutes["items"][0]["approve"] == 7

    objection = council_services.file_objection(nomination, actor=world.staff, reasons="Nghi ngờ.")
    with pytest.raises(TransitionRefused):
        _sign(world, [Nomination.objects.get(pk=nomination.pk)])
    outcomes.resolve_objection(
        objection, actor=world.secretary, upheld=False, reasons="Không có cơ sở."
    )

    nomination = _age(Nomination.objects.get(pk=nomination.pk), 5)
    decision = _sign(world, [nomination])

    assert _status(nomination) == Status.AWARDED
    held = ConferredAward.objects.in_force().get(person=nomination.nominee_person)
    assert held.decision_id == decision.pk
    stage_outcomes = list(
        StageDecision.objects.filter(nomination=nomination)
        .order_by("id")
        .values_list("outcome", flat=True)
    )
    assert stage_outcomes[-2:] == ["council_approved", "conferred"]
    assert not NominationTask.objects.filter(
        nomination=nomination, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
    ).exists()
    assert decision.year == timezone.localdate().year
