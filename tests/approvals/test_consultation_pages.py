"""The consultations' pages: the section on a nomination's page (the office's forms, each body's
answer, the letter served as evidence is), the council's ballot and agenda showing a
disagreeing opinion with its reasons, the office's list of open consultations, and who may do
what, through HTTP (a role × status matrix for opening one)."""

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import consultations
from approvals.models import Consultation, ConsultationOpinion, ConsultedBody
from audit.models import AuditEvent
from nominations.stages import Status
from tests.web import test_permission_matrix as matrix
from tests.web.test_permission_matrix import SEES_FROM_PROGRESS, USERS, WALKS

Answer = ConsultationOpinion.Answer

# The matrix's nominations at every status, built the same way (a fixture).
build = matrix.build
PDF = b"%PDF-1.4 the body's letter"


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def bodies(db):
    return [
        ConsultedBody.objects.create(code="thue", name_vi="Cục Thuế", name_en="Tax Department"),
        ConsultedBody.objects.create(code="cong-an", name_vi="Công an", name_en="Police"),
    ]


@pytest.fixture
def consulted(world, at_council, bodies):
    """A nomination at council review whose consultation has the tax department disagreeing
    (with its letter) and the police yet to answer."""
    nomination = at_council()
    (c,) = consultations.open_consultations(
        [nomination], actor=world.secretary, bodies=bodies, letter_number="45/VP"
    )
    consultations.record_opinion(
        c.opinions.get(body__code="thue"),
        actor=world.secretary,
        answer=Answer.DISAGREE,
        reasons="Còn nợ thuế thu nhập cá nhân năm 2024.",
        upload=SimpleUploadedFile("thue.pdf", PDF),
    )
    return c


def test_the_secretary_opens_a_consultation_from_the_nomination_page(
    client, world, at_council, bodies
):
    nomination = at_council()
    client.force_login(world.secretary)
    page = _text(client.get(reverse("nomination_detail", args=[nomination.pk])))
    assert 'id="consultations"' in page and "Ask other bodies for their opinion" in page
    section = page[page.index('id="consultations"') :]
    assert 'name="csrfmiddlewaretoken"' in section[: section.index("</section>")]
    due = datetime.date.today() + datetime.timedelta(days=15)
    response = client.post(
        reverse("consultation_open", args=[nomination.pk]),
        {"bodies": [b.pk for b in bodies], "due_on": due.isoformat(), "letter_number": "7/VP"},
    )
    assert response.status_code == 302
    c = Consultation.objects.get(nomination=nomination)
    assert c.due_on == due and c.letter_number == "7/VP" and c.opinions.count() == 2
    page = _text(client.get(reverse("nomination_detail", args=[nomination.pk])))
    assert 'data-consultation-state="open"' in page
    assert "Ask other bodies for their opinion" not in page  # one open at a time


def test_the_secretary_records_an_answer_with_its_letter_and_readers_download_it(
    client, world, consulted
):
    police = consulted.opinions.get(body__code="cong-an")
    client.force_login(world.secretary)
    url = reverse("consultation_opinion", args=[consulted.nomination_id, police.pk])
    response = client.post(
        url, {"answer": "agree", "document": SimpleUploadedFile("ca.pdf", PDF)}, follow=True
    )
    assert response.status_code == 200
    police.refresh_from_db()
    assert police.answer == Answer.AGREE and police.document_name == "ca.pdf"
    consulted.refresh_from_db()
    assert not consulted.is_open
    page = response.content.decode()
    assert 'data-consultation-state="complete"' in page
    assert "Còn nợ thuế thu nhập cá nhân năm 2024." in page

    document = reverse("consultation_document", args=[consulted.nomination_id, police.pk])
    client.force_login(world.member)  # a council member reads the nomination, and the letter
    response = client.get(document)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(world.other_proposer)  # another unit's proposer does not see it at all
    assert client.get(document).status_code == 404


def test_a_disagreement_without_reasons_is_refused_with_a_sentence(client, world, consulted):
    police = consulted.opinions.get(body__code="cong-an")
    client.force_login(world.secretary)
    response = client.post(
        reverse("consultation_opinion", args=[consulted.nomination_id, police.pk]),
        {"answer": "disagree", "reasons": ""},
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "A disagreeing opinion is recorded with the body's reasons." in page
    assert ConsultationOpinion.objects.get(pk=police.pk).answer == Answer.PENDING


def test_a_council_member_may_not_record_an_answer(client, world, consulted):
    police = consulted.opinions.get(body__code="cong-an")
    before = AuditEvent.objects.count()
    client.force_login(world.member)
    response = client.post(
        reverse("consultation_opinion", args=[consulted.nomination_id, police.pk]),
        {"answer": "agree"},
    )
    assert response.status_code == 403
    assert "Only the council secretary" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_council_member_sees_the_disagreeing_opinion_on_the_ballot_and_the_agenda(
    client, world, members, consulted, opened
):
    session = opened()
    client.force_login(members[0])
    ballot = _text(client.get(reverse("council_ballot", args=[session.pk])))
    assert "consultation-disagreement" in ballot
    assert "Tax Department disagrees" in ballot
    assert "Còn nợ thuế thu nhập cá nhân năm 2024." in ballot
    assert "the item is deferred" in ballot  # the police have not answered yet
    agenda = _text(client.get(reverse("council_session", args=[session.pk])))
    assert "Tax Department disagrees" in agenda


def test_the_office_lists_open_consultations_earliest_due_first_and_flags_overdue_ones(
    client, world, at_council, bodies
):
    late, soon = at_council(), at_council()
    consultations.open_consultations(
        [late],
        actor=world.secretary,
        bodies=bodies,
        due_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    consultations.open_consultations(
        [soon], actor=world.secretary, bodies=bodies, due_on=datetime.date.today()
    )
    Consultation.objects.filter(nomination=soon).update(
        due_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    client.force_login(world.secretary)
    page = _text(client.get(reverse("consultations")))
    rows = re.findall(r'data-consultation="(\d+)"', page)
    assert [int(r) for r in rows] == [
        Consultation.objects.get(nomination=soon).pk,
        Consultation.objects.get(nomination=late).pk,
    ]
    assert page.count("table-warning") == 1 and "Overdue" in page


def test_the_list_opens_one_letter_on_several_nominations(client, world, at_council, bodies):
    first, second = at_council(), at_council()
    client.force_login(world.secretary)
    response = client.post(
        reverse("consultations"),
        {"nominations": [first.pk, second.pk], "bodies": [bodies[0].pk], "letter_number": "9/VP"},
    )
    assert response.status_code == 302
    assert set(
        Consultation.objects.filter(letter_number="9/VP").values_list("nomination", flat=True)
    ) == {first.pk, second.pk}


@pytest.mark.parametrize("who", ["member", "leader", "proposer", "inspector", "signer", "staff"])
def test_only_the_office_opens_the_list_of_consultations(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("consultations"))
    assert response.status_code == 403
    assert "council secretary" in response.content.decode()


def test_the_list_costs_the_same_queries_for_one_consultation_or_many(
    client, world, at_council, bodies
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("consultations")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(world.secretary)
    consultations.open_consultations([at_council()], actor=world.secretary, bodies=bodies)
    at_council()  # one to choose from in the form
    one = queries()
    consultations.open_consultations(
        [at_council() for _ in range(4)], actor=world.secretary, bodies=bodies
    )
    at_council(), at_council()  # and more to choose from
    assert queries() == one


def test_the_list_page_stays_within_its_query_budget(
    client, world, at_council, bodies, django_assert_max_num_queries
):
    consultations.open_consultations(
        [at_council() for _ in range(5)], actor=world.secretary, bodies=bodies
    )
    client.force_login(world.secretary)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("consultations")).status_code == 200


# --- who may open a consultation, by role and status (HTTP) ----------------------------------

# Hand-written: the office consults on what it sees, past the unit and not decided.
CONSULTABLE = {
    Status.PARTY_COMMITTEE_REVIEW,
    Status.LEADERSHIP_REVIEW,
    Status.COUNCIL_REVIEW,
    Status.APPROVED,
    Status.COUNCIL_APPROVED,
    Status.ON_HOLD,
}


def expected(who: str, status: str) -> int | str:
    if WALKS[status][1] < SEES_FROM_PROGRESS.get(who, 99):
        return 404
    if who != "secretary":
        return 403
    return "ok" if status in CONSULTABLE else 409


@pytest.mark.parametrize("status", list(WALKS), ids=lambda s: s.value)
def test_who_may_open_a_consultation_at_each_status(client, world, bodies, build, status):
    nomination = build(status)
    for who in USERS:
        client.force_login(getattr(world, who))
        before = AuditEvent.objects.count()
        response = client.post(
            reverse("consultation_open", args=[nomination.pk]), {"bodies": [bodies[0].pk]}
        )
        want = expected(who, status)
        if want == "ok":
            assert response.status_code == 302, (who, status, response.status_code)
            assert Consultation.objects.filter(nomination=nomination).count() == 1
            Consultation.objects.filter(nomination=nomination).delete()
            continue
        assert response.status_code == want, (who, status, response.status_code)
        assert AuditEvent.objects.count() == before, (who, status)
        assert not Consultation.objects.filter(nomination=nomination).exists()
