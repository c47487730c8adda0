"""Consultations (hiệp y): the office asks other bodies for their opinion on a nominee, records
each written answer, and the consultation completes on the last answer or, the day after its due
date, by the timers (silence: no objection). While one is open the council does not decide the
nomination and the decision cannot confer its award."""

import datetime
import io
import time
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from approvals import consultations, outcomes
from approvals.models import AgendaItem, Consultation, ConsultationOpinion, ConsultedBody
from audit.events import Event
from audit.models import AuditEvent
from nominations.calendar import add_working_days
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import Holiday, Nomination
from nominations.roles import Role
from nominations.stages import Status
from notifications import sentences
from notifications import services as notify
from notifications.models import Kind, Notification
from tests.factories import person
from tests.notifications.test_concurrency import together

Answer = ConsultationOpinion.Answer
TZ = datetime.timezone(datetime.timedelta(hours=7))
PDF = b"%PDF-1.4 the body's letter"


def at_ten(day: datetime.date) -> datetime.datetime:
    """Ten in the morning in Hà Nội on `day`."""
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ)


def letter(name="cong-van.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def run_timers() -> str:
    out = io.StringIO()
    call_command("run_timers", stdout=out)
    return out.getvalue()


def trail(action: Event) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def bodies(db):
    return [
        ConsultedBody.objects.create(code="thue", name_vi="Cục Thuế", name_en="Tax Department"),
        ConsultedBody.objects.create(code="cong-an", name_vi="Công an", name_en="Police"),
        ConsultedBody.objects.create(code="thanh-tra", name_vi="Thanh tra", name_en="Inspectorate"),
    ]


@pytest.fixture
def consult(world, bodies):
    """consult(nomination, **kw): the secretary asks every body, answers due as given."""

    def _consult(*nominations, **kwargs):
        kwargs.setdefault("bodies", bodies)
        return consultations.open_consultations(nominations, actor=world.secretary, **kwargs)

    return _consult


def opinion(consultation: Consultation, code: str) -> ConsultationOpinion:
    return consultation.opinions.get(body__code=code)


def answer_all_but(world, consultation, *silent, disagree=()):
    for o in consultation.opinions.exclude(body__code__in=silent).order_by("pk"):
        against = o.body.code in disagree
        consultations.record_opinion(
            o,
            actor=world.secretary,
            answer=Answer.DISAGREE if against else Answer.AGREE,
            reasons="Còn nợ thuế thu nhập cá nhân năm 2024." if against else "",
        )


# --- opening ---------------------------------------------------------------------------------


def test_one_letter_opens_a_consultation_per_nomination_with_the_same_bodies_and_due_date(
    world, at_council, consult, bodies
):
    first, second = at_council(), at_council()
    due = datetime.date.today() + datetime.timedelta(days=20)
    opened = consult(first, second, due_on=due, letter_number="123/VP-TĐKT")
    assert [c.nomination_id for c in opened] == [first.pk, second.pk]
    for c in opened:
        assert c.due_on == due and c.letter_number == "123/VP-TĐKT" and c.is_open
        assert sorted(c.opinions.values_list("body__code", "answer")) == sorted(
            (b.code, Answer.PENDING) for b in bodies
        )
    events = AuditEvent.objects.filter(action=Event.CONSULTATION_OPENED).order_by("seq")
    assert [e.nomination_id for e in events] == [first.pk, second.pk]
    assert events[0].data["due_on"] == due.isoformat()
    assert sorted(events[0].data["bodies"]) == sorted(b.code for b in bodies)
    assert events[0].actor_id == world.secretary.pk


def test_the_default_due_date_counts_working_days_past_a_holiday(
    world, at_council, consult, settings
):
    settings.LAUREL_CONSULTATION_DAYS = 3
    monday = datetime.date(2026, 3, 2)
    Holiday.objects.update_or_create(
        date=datetime.date(2026, 3, 4), defaults={"name": "Ngày nghỉ bù"}
    )
    nomination = at_council()
    with time_machine.travel(at_ten(monday), tick=False):
        (c,) = consult(nomination)
    # Tuesday, (Wednesday off), Thursday, Friday.
    assert c.due_on == datetime.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"bodies": []}, InvalidInput),
        ({"due_on": datetime.date(2000, 1, 1)}, InvalidInput),
        ({"letter_number": "x" * 61}, InvalidInput),
    ],
)
def test_a_bad_letter_is_refused_and_opens_nothing(at_council, consult, change, error):
    nomination = at_council()
    with pytest.raises(error):
        consult(nomination, **change)
    assert not Consultation.objects.exists() and trail(Event.CONSULTATION_OPENED) == 0


def test_an_inactive_body_is_not_consulted(at_council, consult, bodies):
    bodies[0].active = False
    bodies[0].save()
    with pytest.raises(InvalidInput, match="Tax Department"):
        consult(at_council())
    assert not Consultation.objects.exists()


def test_only_the_council_secretary_consults(world, at_council, bodies):
    nomination = at_council()
    for who in (world.member, world.leader, world.proposer, world.inspector):
        with pytest.raises((NotAllowed,)):
            consultations.open_consultations([nomination], actor=who, bodies=bodies)
    assert not Consultation.objects.exists() and trail(Event.CONSULTATION_OPENED) == 0


def test_a_second_open_consultation_and_a_decided_nomination_are_refused_together(
    world, at_council, consult, walk
):
    open_one, rejected = at_council(), at_council()
    consult(open_one)
    rejected = walk(rejected, "council_reject")
    with pytest.raises(TransitionRefused) as refused:
        consult(open_one, rejected)
    assert any("already has a consultation open" in r for r in refused.value.reasons)
    assert any("not yet decided" in r for r in refused.value.reasons)
    assert Consultation.objects.count() == 1 and trail(Event.CONSULTATION_OPENED) == 1


# --- answers ---------------------------------------------------------------------------------


def test_the_last_answer_completes_the_consultation_and_tells_the_other_secretaries(
    world, at_council, consult
):
    other_secretary = person(world.agency, Role.COUNCIL_SECRETARY, username="secretary2")
    (c,) = consult(at_council())
    consultations.record_opinion(
        opinion(c, "thue"),
        actor=world.secretary,
        answer=Answer.DISAGREE,
        reasons="Còn nợ thuế thu nhập cá nhân năm 2024.",
        upload=letter(),
    )
    consultations.record_opinion(opinion(c, "cong-an"), actor=world.secretary, answer="agree")
    c.refresh_from_db()
    assert c.is_open
    consultations.record_opinion(opinion(c, "thanh-tra"), actor=world.secretary, answer="agree")
    c.refresh_from_db()
    assert not c.is_open
    tax = opinion(c, "thue")
    assert tax.answer == Answer.DISAGREE and tax.document_name == "cong-van.pdf"
    assert tax.document.read() == PDF and tax.recorded_by == world.secretary
    assert trail(Event.CONSULTATION_OPINION) == 3
    done = AuditEvent.objects.get(action=Event.CONSULTATION_COMPLETED)
    assert done.actor_id == world.secretary.pk and done.data["by_deadline"] is False
    assert done.data["answers"] == {"thue": "disagree", "cong-an": "agree", "thanh-tra": "agree"}
    # The completion is the last event of the transaction of the last answer.
    assert AuditEvent.objects.order_by("-seq").first().pk == done.pk

    notify.notify_until_caught_up(500)
    told = Notification.objects.filter(kind=Kind.CONSULTATION_COMPLETED)
    assert {n.recipient for n in told} == {other_secretary}  # never of one's own act
    assert "consultation on" in sentences.sentence(told.get())


@pytest.fixture
def consultation(at_council, consult):
    (c,) = consult(at_council())
    return c


def nothing_written(c: Consultation, before: int):
    assert AuditEvent.objects.count() == before
    assert not c.opinions.exclude(answer=Answer.PENDING).exists()
    assert not any(o.document for o in c.opinions.all())


@pytest.mark.parametrize("who", ["member", "leader", "proposer", "inspector", "signer"])
def test_only_the_secretary_records_an_answer(world, consultation, who):
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        consultations.record_opinion(
            opinion(consultation, "thue"), actor=getattr(world, who), answer="agree"
        )
    nothing_written(consultation, before)


@pytest.mark.parametrize(
    ("answer", "reasons", "upload", "says"),
    [
        ("disagree", "  ", None, "reasons"),
        ("no_reply", "", None, "agrees or disagrees"),
        ("maybe", "", None, "agrees or disagrees"),
        ("agree", "", SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"), "cannot be attached"),
        ("agree", "", SimpleUploadedFile("x.pdf", b""), "empty"),
    ],
)
def test_a_bad_answer_is_refused_and_writes_nothing(
    world, consultation, answer, reasons, upload, says
):
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=says):
        consultations.record_opinion(
            opinion(consultation, "thue"),
            actor=world.secretary,
            answer=answer,
            reasons=reasons,
            upload=upload,
        )
    nothing_written(consultation, before)


def test_a_body_answers_once(world, consultation):
    tax = opinion(consultation, "thue")
    consultations.record_opinion(tax, actor=world.secretary, answer="agree")
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused, match="already recorded"):
        consultations.record_opinion(tax, actor=world.secretary, answer="disagree", reasons="x")
    assert AuditEvent.objects.count() == before
    assert opinion(consultation, "thue").answer == Answer.AGREE


def test_no_answer_is_added_after_the_consultation_completed(world, consultation):
    with time_machine.travel(at_ten(consultation.due_on + datetime.timedelta(days=1))):
        assert consultations.close_overdue() == 1
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused, match="was completed"):
        consultations.record_opinion(
            opinion(consultation, "thue"), actor=world.secretary, answer="agree"
        )
    assert AuditEvent.objects.count() == before
    assert opinion(consultation, "thue").answer == Answer.NO_REPLY


# --- the deadline ----------------------------------------------------------------------------


def test_the_timers_complete_an_overdue_consultation_once_the_day_after_its_due_date(
    world, at_council, consult, settings
):
    settings.LAUREL_CONSULTATION_DAYS = 5
    friday = datetime.date(2026, 4, 24)
    # 30 April and 1 May are holidays: five working days from Friday 24 April end on 6 May.
    Holiday.objects.update_or_create(
        date=datetime.date(2026, 4, 30), defaults={"name": "Ngày Giải phóng miền Nam"}
    )
    Holiday.objects.update_or_create(
        date=datetime.date(2026, 5, 1), defaults={"name": "Ngày Quốc tế Lao động"}
    )
    nomination = at_council()
    with time_machine.travel(at_ten(friday), tick=False):
        (c,) = consult(nomination)
        answer_all_but(world, c, "cong-an", "thanh-tra")
    assert c.due_on == datetime.date(2026, 5, 6) == add_working_days(friday, 5)

    with time_machine.travel(at_ten(c.due_on), tick=False):
        assert "0 consultations completed by their due date" in run_timers()
    assert Consultation.objects.get(pk=c.pk).is_open

    with time_machine.travel(at_ten(c.due_on + datetime.timedelta(days=1)), tick=False):
        assert "1 consultations completed by their due date" in run_timers()
        assert "0 consultations completed by their due date" in run_timers()
    with time_machine.travel(at_ten(c.due_on + datetime.timedelta(days=9)), tick=False):
        assert "0 consultations completed by their due date" in run_timers()

    c.refresh_from_db()
    assert not c.is_open
    assert dict(c.opinions.values_list("body__code", "answer")) == {
        "thue": Answer.AGREE,  # the answer given stays
        "cong-an": Answer.NO_REPLY,
        "thanh-tra": Answer.NO_REPLY,
    }
    done = AuditEvent.objects.get(action=Event.CONSULTATION_COMPLETED)
    assert done.actor_id is None and done.data["by_deadline"] is True
    assert done.data["answers"]["cong-an"] == Answer.NO_REPLY
    # The timers' completion is told to the office.
    assert Notification.objects.filter(
        kind=Kind.CONSULTATION_COMPLETED, recipient=world.secretary
    ).exists()


@pytest.mark.postgres
def test_two_runs_at_once_complete_each_consultation_exactly_once(
    transactional_db, world, at_council, consult, monkeypatch
):
    opened = consult(at_council(), at_council(), at_council())
    real = consultations.events.consultation_completed

    def slowly(*args, **kwargs):  # a run holds its locked batch while the other arrives
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(consultations.events, "consultation_completed", slowly)
    later = opened[0].due_on + datetime.timedelta(days=1)
    with time_machine.travel(at_ten(later), tick=False):
        runs = together(
            lambda: consultations.close_overdue(batch=2),
            lambda: consultations.close_overdue(batch=2),
        )
        assert not [r for r in runs if isinstance(r, Exception)], runs
        assert sum(runs) == 3  # each completed by one run or the other, none by both
        assert consultations.close_overdue() == 0
    assert trail(Event.CONSULTATION_COMPLETED) == 3
    assert not Consultation.objects.filter(completed_at__isnull=True).exists()


# --- the council's gate ----------------------------------------------------------------------


def test_the_council_defers_a_nomination_whose_consultation_is_still_open(
    world, members, at_council, consult, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("50"))
    consulted, plain = at_council(rule), at_council(rule)
    (c,) = consult(consulted, due_on=datetime.date.today() + datetime.timedelta(days=30))
    answer_all_but(world, c, "thanh-tra")  # tax and police have answered; inspection has not
    session = opened()
    for item in session.items.all():
        vote(item, {m: "approve" for m in members})
    outcomes.close_voting(session, actor=world.secretary)

    deferred = AgendaItem.objects.get(session=session, nomination=consulted)
    assert deferred.status == AgendaItem.Status.DEFERRED
    assert deferred.deferral_reasons == (
        f"Consultation with Inspectorate still open until {c.due_on.isoformat()}."
    )
    assert Nomination.objects.get(pk=consulted.pk).status == Status.COUNCIL_REVIEW
    assert Nomination.objects.get(pk=plain.pk).status == Status.COUNCIL_APPROVED
    event = AuditEvent.objects.get(action=Event.ITEM_DEFERRED, nomination_id=consulted.pk)
    assert "Inspectorate" in event.comment


def test_a_completed_consultation_lets_the_council_decide(
    world, members, at_council, consult, opened, vote, award
):
    nomination = at_council(award(vote_threshold_percent=Decimal("50")))
    (c,) = consult(nomination)
    answer_all_but(world, c, disagree=("thue",))
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members})
    outcomes.close_voting(session, actor=world.secretary)
    assert Nomination.objects.get(pk=nomination.pk).status == Status.COUNCIL_APPROVED


def test_a_decision_cannot_confer_an_award_whose_consultation_is_open(
    world, members, at_council, consult, opened, vote, award
):
    nomination = at_council(award(vote_threshold_percent=Decimal("50"), public_notice_days=0))
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members})
    outcomes.close_voting(session, actor=world.secretary)
    nomination = Nomination.objects.get(pk=nomination.pk)
    (c,) = consult(nomination)

    assert "Consultation with" in outcomes.why_not_signable(nomination)
    (row,) = outcomes.awaiting_signature(world.agency)
    assert row[1] == outcomes.why_not_signable(nomination)
    with pytest.raises(TransitionRefused) as refused:
        outcomes.sign_decision(
            actor=world.signer, agency=world.agency, nominations=[nomination], title="QĐ"
        )
    assert "still open until" in str(refused.value)
    assert Nomination.objects.get(pk=nomination.pk).status == Status.COUNCIL_APPROVED

    answer_all_but(world, c)
    assert outcomes.why_not_signable(nomination) is None
    outcomes.sign_decision(
        actor=world.signer, agency=world.agency, nominations=[nomination], title="QĐ"
    )
    assert Nomination.objects.get(pk=nomination.pk).status == Status.AWARDED
