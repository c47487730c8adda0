"""Coded reasons: a return or rejection chooses a code in use for it (free text beside it, needed
for "other"), through the service and through the review page; the decision record and the event
keep the code and its Vietnamese label, and the timeline shows it; a retired code cannot be
chosen; the council's secretary records why a nominee was not commended."""

from decimal import Decimal

import pytest
from django.urls import reverse

from approvals import outcomes
from approvals import services as council_services
from audit.events import Event
from audit.models import AuditEvent
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import Nomination, ReasonCode, StageDecision
from nominations.stages import Status
from workflows import services


@pytest.fixture
def codes(db):
    def make(code, vi, en, **flags):
        return ReasonCode.objects.create(code=code, label_vi=vi, label_en=en, **flags)

    return {
        "below": make("chua-dat", "Chưa đạt tiêu chuẩn", "Below standard", position=1),
        "incomplete": make(
            "thieu-ho-so", "Hồ sơ chưa đầy đủ", "Dossier incomplete", for_reject=False, position=2
        ),
        "other": make("khac", "Lý do khác", "Other", needs_text=True, position=9),
        "retired": make("cu", "Mã cũ", "Old code", active=False, position=3),
    }


def _last(nomination, outcome) -> StageDecision:
    return StageDecision.objects.filter(nomination=nomination, outcome=outcome).latest("id")


# --- the service ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "outcome", "event"),
    [
        ("return_for_revision", StageDecision.Outcome.RETURNED, Event.RETURNED),
        ("reject", StageDecision.Outcome.REJECTED, Event.REJECTED),
    ],
)
def test_a_code_alone_is_a_reason_and_is_kept_with_its_vietnamese_label(
    world, draft, walk, codes, action, outcome, event
):
    n = walk(draft, "submit")
    getattr(services, action)(n, actor=world.unit_head, reason_code=codes["below"])
    decision = _last(n, outcome)
    assert decision.reason_code == codes["below"] and decision.reasons == ""
    data = AuditEvent.objects.get(nomination_id=n.pk, action=event).data
    assert (data["reason_code"], data["reason_label"]) == ("chua-dat", "Chưa đạt tiêu chuẩn")


def test_a_code_and_text_are_both_kept(world, draft, walk, codes):
    n = walk(draft, "submit")
    services.return_for_revision(
        n, actor=world.unit_head, reason_code=codes["incomplete"], reasons="Thiếu biên bản."
    )
    decision = _last(n, StageDecision.Outcome.RETURNED)
    assert (decision.reason_code, decision.reasons) == (codes["incomplete"], "Thiếu biên bản.")
    assert AuditEvent.objects.get(nomination_id=n.pk, action=Event.RETURNED).comment == (
        "Thiếu biên bản."
    )


def test_text_alone_still_does_without_codes(world, draft, walk):
    n = walk(draft, "submit")
    services.reject(n, actor=world.unit_head, reasons="Không đạt.")
    assert _last(n, StageDecision.Outcome.REJECTED).reason_code is None


@pytest.mark.parametrize(
    ("action", "code", "text", "refusal"),
    [
        ("reject", "retired", "", "can no longer be chosen"),
        ("return_for_revision", "retired", "Vẫn muốn dùng.", "can no longer be chosen"),
        ("reject", "incomplete", "", "can no longer be chosen"),  # not for rejections
        ("reject", "other", "", "Write the reason out"),
        ("return_for_revision", "other", "   ", "Write the reason out"),
        ("reject", None, "", "Reasons are required"),
    ],
)
def test_a_code_not_in_use_for_it_or_a_missing_text_is_refused(
    world, draft, walk, codes, action, code, text, refusal
):
    n = walk(draft, "submit")
    with pytest.raises(TransitionRefused, match=refusal):
        getattr(services, action)(
            n, actor=world.unit_head, reasons=text, reason_code=codes.get(code)
        )
    assert Nomination.objects.get(pk=n.pk).status == Status.UNIT_REVIEW


def test_a_code_retired_while_the_page_was_open_is_refused(world, draft, walk, codes):
    n = walk(draft, "submit")
    seen = codes["below"]
    ReasonCode.objects.filter(pk=seen.pk).update(active=False)
    with pytest.raises(TransitionRefused, match="can no longer be chosen"):
        services.reject(n, actor=world.unit_head, reason_code=seen)


# --- the review page -----------------------------------------------------------------------


def test_the_review_page_offers_the_codes_in_use_for_each_decision(
    client, world, draft, walk, codes
):
    n = walk(draft, "submit")
    client.force_login(world.unit_head)
    page = client.get(reverse("nomination_detail", args=[n.pk])).content.decode()
    returning = page[page.index('id="decision-return_for_revision"') :]
    returning = returning[: returning.index("</form>")]
    rejecting = page[page.index('id="decision-reject"') :]
    rejecting = rejecting[: rejecting.index("</form>")]
    assert 'name="reason_code"' in returning and "Dossier incomplete" in returning
    assert "Below standard" in rejecting and "Dossier incomplete" not in rejecting
    assert "Old code" not in page  # retired
    approving = page[page.index('id="decision-approve"') :]
    assert 'name="reason_code"' not in approving[: approving.index("</form>")]


def test_returning_with_a_code_through_the_page_shows_it_in_the_timeline(
    client, world, draft, walk, codes
):
    n = walk(draft, "submit")
    client.force_login(world.unit_head)
    response = client.post(
        reverse("nomination_act", args=[n.pk, "return_for_revision"]),
        {"version": n.version, "reason_code": "thieu-ho-so", "reasons": "Bổ sung biên bản."},
    )
    assert response.status_code == 302
    assert _last(n, StageDecision.Outcome.RETURNED).reason_code == codes["incomplete"]
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_detail", args=[n.pk])).content.decode()
    assert 'data-reason-code="thieu-ho-so"' in page and "Hồ sơ chưa đầy đủ" in page
    assert "Bổ sung biên bản." in page


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"reason_code": "cu"}, "Select a valid choice"),  # retired: not among the choices
        ({"reason_code": ""}, "This field is required"),
        ({"reason_code": "khac"}, "Write the reason out"),
    ],
)
def test_the_page_shows_what_is_wrong_with_the_reason_on_its_field(
    client, world, draft, walk, codes, posted, error
):
    n = walk(draft, "submit")
    client.force_login(world.unit_head)
    response = client.post(
        reverse("nomination_act", args=[n.pk, "reject"]), {"version": n.version, **posted}
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Nomination.objects.get(pk=n.pk).status == Status.UNIT_REVIEW


def test_the_inspectors_timeline_shows_the_code(client, world, draft, walk, codes):
    n = walk(draft, "submit")
    services.reject(n, actor=world.unit_head, reason_code=codes["below"])
    client.force_login(world.inspector)
    page = client.get(reverse("inspector_timeline", args=[n.pk])).content.decode()
    assert 'data-reason-code="chua-dat"' in page and "Chưa đạt tiêu chuẩn" in page


# --- not commended -------------------------------------------------------------------------


@pytest.fixture
def not_approved(world, members, at_council, opened, vote, award):
    """A nomination the council did not approve, in its closed session."""
    rule = award(vote_threshold_percent=Decimal("70"), public_notice_days=0)
    nomination = at_council(rule)
    session = opened()
    item = session.items.get()
    vote(item, {m: "disapprove" for m in members})
    outcomes.close_voting(session, actor=world.secretary)
    assert Nomination.objects.get(pk=nomination.pk).status == Status.COUNCIL_REJECTED
    return session, item


def test_the_secretary_records_why_the_council_did_not_commend(client, world, codes, not_approved):
    session, item = not_approved
    client.force_login(world.secretary)
    page = client.get(reverse("council_session", args=[session.pk])).content.decode()
    assert "Record the reason not commended" in page and "Old code" not in page
    response = client.post(
        reverse("council_not_commended", args=[session.pk, item.pk]),
        {"reason_code": codes["below"].pk, "reasons": "Thành tích chưa nổi bật."},
    )
    assert response.status_code == 302
    decision = _last(item.nomination, StageDecision.Outcome.COUNCIL_REJECTED)
    assert decision.reason_code == codes["below"]
    event = AuditEvent.objects.get(action=Event.NOT_COMMENDED_REASON)
    assert event.nomination_id == item.nomination_id
    assert event.data["reason_label"] == "Chưa đạt tiêu chuẩn"
    assert event.comment == "Thành tích chưa nổi bật."
    page = client.get(reverse("council_session", args=[session.pk])).content.decode()
    assert "Record the reason not commended" not in page and "Below standard" in page


def test_the_reason_not_commended_is_recorded_once_and_by_the_secretary(world, codes, not_approved):
    _session, item = not_approved
    with pytest.raises(NotAllowed):
        outcomes.record_not_commended(item, actor=world.member, reason_code=codes["below"])
    with pytest.raises(InvalidInput):
        outcomes.record_not_commended(item, actor=world.secretary, reason_code=codes["retired"])
    with pytest.raises(InvalidInput):
        outcomes.record_not_commended(item, actor=world.secretary, reason_code=codes["other"])
    outcomes.record_not_commended(item, actor=world.secretary, reason_code=codes["below"])
    with pytest.raises(TransitionRefused, match="already recorded"):
        outcomes.record_not_commended(item, actor=world.secretary, reason_code=codes["other"])
    assert AuditEvent.objects.filter(action=Event.NOT_COMMENDED_REASON).count() == 1


def test_an_approved_item_takes_no_reason_not_commended(
    world, codes, members, at_council, opened, vote, award
):
    at_council(award(vote_threshold_percent=Decimal("50"), public_notice_days=0))
    session = opened()
    item = session.items.get()
    vote(item, {m: "approve" for m in members})
    outcomes.close_voting(session, actor=world.secretary)
    with pytest.raises(TransitionRefused):
        outcomes.record_not_commended(item, actor=world.secretary, reason_code=codes["below"])


def test_an_upheld_objection_rejecting_the_nomination_may_carry_a_code(
    client, world, codes, members, at_council, opened, vote, award
):
    at_council(award(vote_threshold_percent=Decimal("50"), public_notice_days=5))
    session = opened()
    item = session.items.get()
    vote(item, {m: "approve" for m in members})
    outcomes.close_voting(session, actor=world.secretary)
    objection = council_services.file_objection(
        item.nomination, actor=world.staff, reasons="Thành tích không đúng."
    )
    client.force_login(world.secretary)
    page = client.get(reverse("council_notice")).content.decode()
    assert f'id="resolution-code-{objection.pk}"' in page and "Old code" not in page
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"resolution": "uphold_reject", "reasons": "Có căn cứ.", "reason_code": codes["below"].pk},
    )
    assert response.status_code == 302
    decision = _last(item.nomination, StageDecision.Outcome.REJECTED)
    assert decision.reason_code == codes["below"] and decision.reasons == "Có căn cứ."
    data = AuditEvent.objects.get(nomination_id=item.nomination_id, action=Event.REJECTED).data
    assert data["reason_code"] == "chua-dat"
