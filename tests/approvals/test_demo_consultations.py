"""The demo's consultations (hiệp y): one completed with the tax department disagreeing and the
party's inspection commission silent past the due date (no objection), one still open; both on
the next session's agenda, the disagreement visible to the council on its ballot."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from approvals import outcomes
from approvals import services as council_services
from approvals.models import AgendaItem, Consultation, ConsultationOpinion, CouncilSession
from audit.events import Event
from audit.models import AuditEvent
from demo import consultations as demo_consultations
from demo import data as demo
from nominations.stages import Status
from tests.workflows.test_seed_demo import run_seed

Answer = ConsultationOpinion.Answer


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_has_a_completed_consultation_with_one_disagreement_and_an_open_one(db):
    out = run_seed()
    assert "consulted bodies:" in out and "consultations:" in out
    completed = Consultation.objects.get(letter_number=demo_consultations.COMPLETED_LETTER)
    assert not completed.is_open
    assert dict(completed.opinions.values_list("body__code", "answer")) == {
        "thue": Answer.DISAGREE,
        "cong-an": Answer.AGREE,
        "thanh-tra": Answer.AGREE,
        "ubkt-dang-uy": Answer.NO_REPLY,
    }
    tax = completed.opinions.get(body__code="thue")
    assert "nợ thuế" in tax.reasons and tax.document.read().startswith(b"%PDF-")
    done = AuditEvent.objects.get(
        action=Event.CONSULTATION_COMPLETED, nomination_id=completed.nomination_id
    )
    assert done.actor_id is None  # completed by the timers, past its due date
    still_open = Consultation.objects.get(letter_number=demo_consultations.OPEN_LETTER)
    assert still_open.is_open
    # The second run changes nothing.
    again = run_seed()
    assert Consultation.objects.count() == 2
    assert "consultations:" not in again


def test_the_council_sees_the_disagreement_and_defers_the_open_one(db, client):
    run_seed()
    session = CouncilSession.objects.get(status=CouncilSession.Status.PLANNED)
    completed = Consultation.objects.get(letter_number=demo_consultations.COMPLETED_LETTER)
    still_open = Consultation.objects.get(letter_number=demo_consultations.OPEN_LETTER)
    pending = set(
        session.items.filter(status=AgendaItem.Status.PENDING).values_list("nomination", flat=True)
    )
    assert {completed.nomination_id, still_open.nomination_id} <= pending

    secretary = user(demo.SECRETARY)
    client.force_login(secretary)
    agenda = client.get(reverse("council_session", args=[session.pk])).content.decode()
    assert "consultation-disagreement" in agenda

    members = [user(name) for name in demo.COUNCIL_MEMBERS]
    session = council_services.open_session(
        session, actor=secretary, present=[m.pk for m in members]
    )
    client.force_login(members[0])
    ballot = client.get(reverse("council_ballot", args=[session.pk])).content.decode()
    assert "consultation-disagreement" in ballot and "nợ thuế" in ballot

    outcomes.close_voting(session, actor=secretary)
    deferred = session.items.get(nomination=still_open.nomination_id)
    assert deferred.status == AgendaItem.Status.DEFERRED
    assert "still open until" in deferred.deferral_reasons
    assert still_open.nomination.status == Status.COUNCIL_REVIEW
