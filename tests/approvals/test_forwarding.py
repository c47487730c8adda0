"""Awards decided at a higher level: the office gathers the nominations the council passed into a
request (tờ trình), the head of agency signs it under a number of its own and they are
forwarded; the office records the higher level's outcome for each nominee."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from approvals import consultations, forwarding, outcomes
from approvals import services as council_services
from approvals.models import ConsultedBody, ForwardEntry, ForwardRequest, RequestCounter
from audit.events import Event
from audit.models import AuditEvent
from audit.selectors import timeline
from nominations import services as dossier
from nominations.exceptions import (
    ConflictingAction,
    InvalidInput,
    NotAllowed,
    TransitionRefused,
)
from nominations.models import ConferredAward, Nomination, RecordSource, StageDecision
from nominations.roles import Role
from nominations.selectors import record_of
from nominations.stages import HIGHER_LEVEL_DAYS, Status
from notifications.models import Kind, Notification
from notifications.services import notify_until_caught_up
from tests.factories import AwardTypeFactory, UnitFactory, person
from workflows import deadlines
from workflows import services as transitions
from workflows.models import OPEN, NominationTask
from workflows.selectors import inbox_for

Outcome = ForwardEntry.Outcome


@pytest.fixture
def pm_award(db):
    return AwardTypeFactory(
        code="bk-ttg",
        name_vi="Bằng khen của Thủ tướng Chính phủ",
        name_en="Prime Minister's Certificate of Merit",
        decided_at_higher_level=True,
        higher_authority_vi="Thủ tướng Chính phủ",
        higher_authority_en="the Prime Minister",
    )


@pytest.fixture
def passed(world, at_council, walk, pm_award):
    """passed(count=1): nominations for the Prime Minister's award the council approved."""

    def _make(count=1, award_type=None):
        return [walk(at_council(award_type or pm_award), "council_approve") for _ in range(count)]

    return _make


@pytest.fixture
def prepared(world, passed):
    """prepared(count=1): a draft request naming that many passed nominations."""

    def _make(count=1):
        chosen = passed(count)
        return forwarding.prepare_request(
            actor=world.secretary,
            agency=world.agency,
            campaign=world.campaign,
            nominations=chosen,
            title="Đề nghị tặng Bằng khen của Thủ tướng Chính phủ",
        )

    return _make


def _status(n):
    return Nomination.objects.values_list("status", flat=True).get(pk=n.pk)


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def _nominations(request):
    return [e.nomination for e in request.entries.select_related("nomination").all()]


# --- preparing -------------------------------------------------------------------------------


def test_the_office_prepares_a_request_addressed_to_the_level_that_confers_the_award(
    world, prepared
):
    request = prepared(2)

    assert request.status == ForwardRequest.Status.DRAFT
    assert request.number is None and request.reference == ""
    assert request.addressed_to == "Thủ tướng Chính phủ"
    assert [e.position for e in request.entries.all()] == [1, 2]
    event = AuditEvent.objects.get(action=Event.REQUEST_PREPARED)
    assert event.subject_id == str(request.pk) and len(event.data["nominees"]) == 2


def test_only_the_council_secretary_prepares_a_request_and_nothing_is_written_otherwise(
    world, passed
):
    chosen = passed()
    for outsider in (world.signer, world.member, world.inspector, world.proposer):
        with pytest.raises(NotAllowed):
            forwarding.prepare_request(
                actor=outsider,
                agency=world.agency,
                campaign=world.campaign,
                nominations=chosen,
                title="Tờ trình",
            )
    assert not ForwardRequest.objects.exists()
    assert _events(Event.REQUEST_PREPARED) == 0


def test_a_request_refuses_what_the_agency_decides_itself_or_what_is_not_ready(
    world, at_council, walk, passed, pm_award
):
    own = walk(at_council(world.full), "council_approve")
    not_ready = at_council(pm_award)  # still at the council
    higher = passed()[0]

    with pytest.raises(TransitionRefused) as refused:
        forwarding.prepare_request(
            actor=world.secretary,
            agency=world.agency,
            campaign=world.campaign,
            nominations=[own, not_ready, higher],
            title="Tờ trình",
        )

    text = " ".join(refused.value.reasons)
    assert own.reference in text and "sign a decision" in text
    assert not_ready.reference in text
    assert higher.reference not in text
    assert not ForwardRequest.objects.exists() and not ForwardEntry.objects.exists()


def test_a_nomination_waits_in_one_request_at_a_time(world, prepared):
    request = prepared()
    n = _nominations(request)[0]

    with pytest.raises(ConflictingAction) as refused:
        forwarding.prepare_request(
            actor=world.secretary,
            agency=world.agency,
            campaign=world.campaign,
            nominations=[n],
            title="Tờ trình thứ hai",
        )
    assert f"request no. {request.pk}" in " ".join(refused.value.reasons)
    assert ForwardRequest.objects.count() == 1


def test_the_office_edits_a_draft_but_not_a_signed_request(world, prepared, passed):
    request = prepared()
    more = passed()[0]
    forwarding.edit_request(
        request,
        actor=world.secretary,
        nominations=[*_nominations(request), more],
        title="Tờ trình (sửa)",
        addressed_to="Thủ tướng Chính phủ",
        grounds="Căn cứ kết quả họp Hội đồng.",
    )
    request.refresh_from_db()
    assert request.title == "Tờ trình (sửa)" and request.entries.count() == 2

    forwarding.sign_request(request, actor=world.signer)
    with pytest.raises(TransitionRefused, match="no longer changes"):
        forwarding.edit_request(
            request,
            actor=world.secretary,
            nominations=[more],
            title="Khác",
            addressed_to="Thủ tướng Chính phủ",
        )
    assert ForwardRequest.objects.get(pk=request.pk).title == "Tờ trình (sửa)"


# --- the letter ------------------------------------------------------------------------------


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_letter_is_drafted_with_its_nominees_and_its_number_once_signed(world, prepared):
    request = prepared(2)
    drafted = forwarding.draft_letter(request)
    text = _text(drafted.content)
    assert "TỜ TRÌNH" in text and "Kính gửi: Thủ tướng Chính phủ" in text
    assert "……/" in text
    for n in _nominations(request):
        assert n.nominee_name in text

    forwarding.sign_request(request, actor=world.signer)
    request.refresh_from_db()
    assert request.reference in _text(forwarding.draft_letter(request).content)


def test_an_edited_letter_is_kept_with_its_hash_in_the_trail(world, prepared):
    request = prepared()
    content = forwarding.draft_letter(request).content
    forwarding.upload_letter(
        request,
        actor=world.secretary,
        upload=SimpleUploadedFile("to-trinh.docx", content),
    )
    request.refresh_from_db()
    assert request.letter_name == "to-trinh.docx" and len(request.letter_sha256) == 64
    event = AuditEvent.objects.get(action=Event.DRAFT_UPLOADED)
    assert event.data["sha256"] == request.letter_sha256

    with pytest.raises(InvalidInput):
        forwarding.upload_letter(
            request, actor=world.secretary, upload=SimpleUploadedFile("x.docx", b"not a doc")
        )
    with pytest.raises(NotAllowed):
        forwarding.upload_letter(
            request, actor=world.signer, upload=SimpleUploadedFile("y.docx", content)
        )
    assert _events(Event.DRAFT_UPLOADED) == 1


# --- signing ---------------------------------------------------------------------------------


def test_signing_takes_the_next_request_number_and_forwards_every_nominee(world, prepared):
    first = forwarding.sign_request(prepared(2), actor=world.signer)
    second = forwarding.sign_request(prepared(1), actor=world.signer)

    year = timezone.localdate().year
    assert (first.number, second.number) == (1, 2)
    assert first.reference == f"001/{year}/TTr-AGENCY"
    assert RequestCounter.objects.get(agency=world.agency, year=year).last_number == 2
    assert first.status == ForwardRequest.Status.SIGNED and first.signed_by == world.signer
    for n in _nominations(first):
        assert _status(n) == Status.FORWARDED
    assert _events(Event.REQUEST_SIGNED) == 2
    assert _events(Event.FORWARDED) == 3
    # The request's event comes after its nominations'.
    last = AuditEvent.objects.order_by("-seq").first()
    assert last.action == Event.REQUEST_SIGNED and last.subject_id == str(second.pk)


def test_a_forwarded_nomination_waits_on_the_office_for_the_higher_level(world, prepared):
    request = forwarding.sign_request(prepared(), actor=world.signer)
    n = _nominations(request)[0]

    task = NominationTask.objects.get(nomination=n, status__in=OPEN)
    assert task.flow_task.name == "higher"
    assert (task.stage, task.role) == (Status.FORWARDED, Role.COUNCIL_SECRETARY)
    assert task.due_on > timezone.localdate() + datetime.timedelta(days=HIGHER_LEVEL_DAYS)


def test_awaiting_the_higher_level_is_reminded_but_never_escalated(world, prepared):
    request = forwarding.sign_request(prepared(), actor=world.signer)
    task = NominationTask.objects.get(nomination=_nominations(request)[0], status__in=OPEN)

    deadlines.run(today=task.due_on + datetime.timedelta(days=60))

    task.refresh_from_db()
    assert task.escalated_at is None and task.reminded_due_at is not None


def test_only_the_head_of_agency_signs_and_nothing_moves_otherwise(world, prepared):
    request = prepared()
    for outsider in (world.secretary, world.member, world.inspector):
        with pytest.raises(NotAllowed):
            forwarding.sign_request(request, actor=outsider)
    request.refresh_from_db()
    assert request.status == ForwardRequest.Status.DRAFT and request.number is None
    assert _status(_nominations(request)[0]) == Status.COUNCIL_APPROVED
    assert not RequestCounter.objects.exists()
    assert _events(Event.FORWARDED) == 0


def test_a_request_is_signed_once(world, prepared):
    request = forwarding.sign_request(prepared(), actor=world.signer)
    with pytest.raises(TransitionRefused, match="no longer changes"):
        forwarding.sign_request(request, actor=world.signer)
    assert _events(Event.REQUEST_SIGNED) == 1
    assert RequestCounter.objects.get().last_number == 1


def test_signing_refuses_naming_each_nomination_that_can_no_longer_be_forwarded(world, prepared):
    request = prepared(3)
    held, fine, objected = _nominations(request)
    transitions.place_hold(held, actor=world.secretary, kind="discipline", reason="Kỷ luật")
    council_services.file_objection(objected, actor=world.staff, reasons="Không đúng sự thật")

    with pytest.raises(TransitionRefused) as refused:
        forwarding.sign_request(request, actor=world.signer)

    text = " ".join(refused.value.reasons)
    assert held.reference in text and objected.reference in text
    assert fine.reference not in text
    assert _status(fine) == Status.COUNCIL_APPROVED
    request.refresh_from_db()
    assert request.number is None and not RequestCounter.objects.exists()
    assert _events(Event.FORWARDED) == 0 and _events(Event.REQUEST_SIGNED) == 0


def test_a_nomination_whose_consultation_is_open_is_not_forwarded(world, prepared):
    """The request goes up after the other bodies have answered (hiệp y), as the decision does."""
    request = prepared(2)
    consulted, fine = _nominations(request)
    tax = ConsultedBody.objects.create(code="thue", name_vi="Cục Thuế", name_en="Tax Department")
    consultations.open_consultations(
        [consulted], actor=world.secretary, bodies=[tax], due_on=datetime.date(2099, 1, 5)
    )

    with pytest.raises(TransitionRefused) as refused:
        forwarding.sign_request(request, actor=world.signer)

    text = " ".join(refused.value.reasons)
    assert consulted.reference in text and "Tax Department" in text
    assert fine.reference not in text
    assert _status(consulted) == _status(fine) == Status.COUNCIL_APPROVED
    assert _events(Event.FORWARDED) == 0 and _events(Event.REQUEST_SIGNED) == 0


def test_the_signer_does_not_forward_a_nomination_that_names_them(
    world, at_council, walk, pm_award
):
    # A head of agency who works in the unit, and whom the unit proposes.
    head = person(world.unit, Role.DECISION_SIGNER, scope=world.agency, username="head2")
    mine = walk(at_council(pm_award, nominee=head), "council_approve")
    request = forwarding.prepare_request(
        actor=world.secretary,
        agency=world.agency,
        campaign=world.campaign,
        nominations=[mine],
        title="Tờ trình",
    )
    with pytest.raises(TransitionRefused) as refused:
        forwarding.sign_request(request, actor=head)
    assert "You are the nominee" in " ".join(refused.value.reasons)
    assert _status(mine) == Status.COUNCIL_APPROVED


def test_a_decision_refuses_an_award_decided_at_a_higher_level(world, passed):
    n = passed()[0]
    with pytest.raises(TransitionRefused) as refused:
        outcomes.sign_decision(
            actor=world.signer, agency=world.agency, nominations=[n], title="Quyết định"
        )
    assert refused.value.reasons == [
        f"{n.reference} is decided by the Prime Minister: forward it in a request."
    ]
    assert _status(n) == Status.COUNCIL_APPROVED


def test_the_signature_list_puts_higher_level_awards_under_to_forward(
    world, passed, walk, at_council
):
    own = walk(at_council(world.full), "council_approve")
    higher = passed()[0]
    assert [n for n, _why in forwarding.to_forward(world.agency)] == [higher]
    assert own in [n for n, _why in outcomes.awaiting_signature(world.agency)]


# --- the higher level's outcomes -------------------------------------------------------------


@pytest.fixture
def signed(world, prepared):
    def _make(count=1):
        request = forwarding.sign_request(prepared(count), actor=world.signer)
        return request, list(request.entries.select_related("nomination", "request"))

    return _make


def test_a_conferral_goes_on_the_nominees_record_as_the_higher_levels(world, signed):
    request, (entry,) = signed()
    decided = timezone.localdate() - datetime.timedelta(days=3)
    forwarding.record_outcome(
        entry,
        actor=world.secretary,
        outcome=Outcome.CONFERRED,
        decision_number="1234/QĐ-TTg",
        decided_on=decided,
    )
    n = entry.nomination
    assert _status(n) == Status.AWARDED
    award = ConferredAward.objects.get(nomination=n)
    assert award.source == RecordSource.HIGHER_LEVEL
    assert (award.decision_number, award.conferred_on) == ("1234/QĐ-TTg", decided)
    assert award.person == n.nominee_person
    event = AuditEvent.objects.get(action=Event.HIGHER_CONFERRED)
    assert event.data["higher_decision_number"] == "1234/QĐ-TTg"
    assert event.data["request_number"] == request.reference
    request.refresh_from_db()
    assert request.status == ForwardRequest.Status.SETTLED and request.settled_at


def test_not_conferred_closes_the_nomination_and_frees_the_nominee(world, signed, pm_award):
    _request, (entry,) = signed()
    forwarding.record_outcome(
        entry,
        actor=world.secretary,
        outcome=Outcome.NOT_CONFERRED,
        reasons="Chưa đủ thời gian giữa hai lần khen thưởng.",
    )
    n = entry.nomination
    assert _status(n) == Status.NOT_CONFERRED
    assert not ConferredAward.objects.filter(nomination=n).exists()
    assert not NominationTask.objects.filter(nomination=n, status__in=OPEN).exists()
    again = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=pm_award,
        proposing_unit=world.unit,
        nominee_person=n.nominee_person,
        achievements="Đề nghị lại.",
    )
    assert again.pk != n.pk


def test_returned_for_more_documents_goes_back_to_the_unit_to_revise_and_resubmit(
    world, signed, walk
):
    _request, (entry,) = signed()
    forwarding.record_outcome(
        entry,
        actor=world.secretary,
        outcome=Outcome.RETURNED,
        reasons="Bổ sung xác nhận của cơ quan thuế.",
    )
    n = Nomination.objects.get(pk=entry.nomination_id)
    assert n.status == Status.RETURNED
    task = NominationTask.objects.get(nomination=n, status__in=OPEN)
    assert task.role == Role.UNIT_PROPOSER
    decision = StageDecision.objects.filter(nomination=n).latest("decided_at", "id")
    assert decision.outcome == StageDecision.Outcome.HIGHER_RETURNED
    walk(n, "resubmit")
    assert _status(n) == Status.UNIT_REVIEW
    # Up again later, in a new request: the returned line stays as it was.
    assert ForwardEntry.objects.get(pk=entry.pk).outcome == Outcome.RETURNED


def test_an_outcome_needs_its_number_and_date_or_its_reasons_and_writes_nothing_otherwise(
    world, signed
):
    _request, (entry,) = signed()
    attempts = [
        {"outcome": Outcome.CONFERRED, "decision_number": "1/QĐ-TTg"},
        {"outcome": Outcome.CONFERRED, "decided_on": timezone.localdate()},
        {
            "outcome": Outcome.CONFERRED,
            "decision_number": "1/QĐ-TTg",
            "decided_on": timezone.localdate() + datetime.timedelta(days=1),
        },
        {"outcome": Outcome.NOT_CONFERRED, "reasons": "  "},
        {"outcome": Outcome.RETURNED},
        {"outcome": "maybe"},
        {  # the higher level's letter must be a document, as every upload
            "outcome": Outcome.CONFERRED,
            "decision_number": "1/QĐ-TTg",
            "decided_on": timezone.localdate(),
            "document": SimpleUploadedFile("qd.exe", b"MZ\x90\x00 not a document"),
        },
    ]
    for attempt in attempts:
        with pytest.raises(InvalidInput):
            forwarding.record_outcome(entry, actor=world.secretary, **attempt)
    assert _status(entry.nomination) == Status.FORWARDED
    assert ForwardEntry.objects.get(pk=entry.pk).outcome == Outcome.PENDING


def test_only_the_office_records_an_outcome_and_only_once(world, signed):
    request, (first, _second) = signed(2)
    for outsider in (world.signer, world.member, world.proposer):
        with pytest.raises(NotAllowed):
            forwarding.record_outcome(
                first, actor=outsider, outcome=Outcome.NOT_CONFERRED, reasons="Không"
            )
    forwarding.record_outcome(
        first, actor=world.secretary, outcome=Outcome.NOT_CONFERRED, reasons="Không đạt"
    )
    with pytest.raises(ConflictingAction, match="already recorded"):
        forwarding.record_outcome(
            first,
            actor=world.secretary,
            outcome=Outcome.CONFERRED,
            decision_number="1/QĐ-TTg",
            decided_on=timezone.localdate(),
        )
    assert _events(Event.HIGHER_NOT_CONFERRED) == 1 and _events(Event.HIGHER_CONFERRED) == 0
    request.refresh_from_db()
    assert request.status == ForwardRequest.Status.SIGNED  # one nominee still awaits


def test_an_outcome_cannot_be_recorded_on_a_draft_request(world, prepared):
    request = prepared()
    entry = request.entries.get()
    with pytest.raises(TransitionRefused, match="not signed"):
        forwarding.record_outcome(
            entry, actor=world.secretary, outcome=Outcome.NOT_CONFERRED, reasons="Không"
        )


def test_the_timeline_shows_the_whole_path_across_levels(world, signed):
    request, (entry,) = signed()
    forwarding.record_outcome(
        entry,
        actor=world.secretary,
        outcome=Outcome.CONFERRED,
        decision_number="1234/QĐ-TTg",
        decided_on=timezone.localdate(),
    )
    actions = [e.action for e in timeline(entry.nomination_id)]
    assert actions.index(Event.COUNCIL_APPROVED) < actions.index(Event.FORWARDED)
    assert actions.index(Event.FORWARDED) < actions.index(Event.HIGHER_CONFERRED)
    path = forwarding.path_of(entry.nomination)
    assert [(e.request.reference, e.higher_decision_number) for e in path] == [
        (request.reference, "1234/QĐ-TTg")
    ]


def test_the_award_appears_on_the_persons_record(world, signed):
    _request, (entry,) = signed()
    forwarding.record_outcome(
        entry,
        actor=world.secretary,
        outcome=Outcome.CONFERRED,
        decision_number="1234/QĐ-TTg",
        decided_on=timezone.localdate(),
    )
    (year,) = record_of(person=entry.nomination.nominee_person)
    (award,) = year.awards
    assert award.decision_number == "1234/QĐ-TTg"
    assert award.source == RecordSource.HIGHER_LEVEL


def test_an_outsider_of_the_agency_cannot_record_an_outcome(world, signed):
    _request, (entry,) = signed()
    elsewhere = UnitFactory(code="other-agency")
    stranger = person(elsewhere, Role.COUNCIL_SECRETARY, username="stranger")
    with pytest.raises(NotAllowed):
        forwarding.record_outcome(
            entry, actor=stranger, outcome=Outcome.NOT_CONFERRED, reasons="Không"
        )


def test_the_office_is_told_of_the_wait_and_the_unit_of_the_higher_levels_return(world, signed):
    _request, (entry,) = signed()
    notify_until_caught_up()
    n = entry.nomination
    assert Notification.objects.filter(
        recipient=world.secretary, nomination=n, kind=Kind.TASK
    ).exists()
    forwarding.record_outcome(
        entry, actor=world.secretary, outcome=Outcome.RETURNED, reasons="Bổ sung hồ sơ."
    )
    notify_until_caught_up()
    assert Notification.objects.filter(
        recipient=world.proposer, nomination=n, kind=Kind.RETURNED
    ).exists()


def test_the_office_that_closed_the_vote_finds_the_wait_in_its_inbox(world, signed):
    _request, (entry,) = signed()
    # The secretary recorded the council's approval; recording the higher level's outcome is
    # no second judgement, so the task is theirs to see and take.
    tasks = list(inbox_for(world.secretary).filter(nomination_id=entry.nomination_id))
    assert [t.stage for t in tasks] == [Status.FORWARDED]
    assert not inbox_for(world.signer).filter(nomination_id=entry.nomination_id).exists()


def test_an_outcome_whose_letter_the_storage_cannot_write_is_refused_and_records_nothing(
    world, signed, settings, tmp_path
):
    _request, (entry,) = signed()
    blocker = tmp_path / "blocked"
    blocker.write_text("not a directory")  # the storage refuses as a full or read-only disk
    settings.MEDIA_ROOT = blocker / "media"
    before = _events(Event.HIGHER_CONFERRED)

    with pytest.raises(InvalidInput, match="could not be stored"):
        forwarding.record_outcome(
            entry,
            actor=world.secretary,
            outcome=Outcome.CONFERRED,
            decision_number="1/QĐ-TTg",
            decided_on=timezone.localdate(),
            document=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 quyet dinh"),
        )

    assert _status(entry.nomination) == Status.FORWARDED
    assert ForwardEntry.objects.get(pk=entry.pk).outcome == Outcome.PENDING
    assert _events(Event.HIGHER_CONFERRED) == before
    assert not ConferredAward.objects.filter(nomination=entry.nomination).exists()
