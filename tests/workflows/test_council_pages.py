"""The council's pages: who sees what, what each form does, and that no page, export or
response tells how a member voted by secret ballot."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import outcomes
from approvals import services as council_services
from approvals.models import AgendaItem, CouncilSession, Objection, SignedDecision
from nominations.models import Nomination
from nominations.stages import Status


@pytest.fixture
def secret_rule(award):
    return award(vote_threshold_percent=Decimal("70"), vote_base="members", secret_ballot=True)


@pytest.fixture
def open_session(world, members, at_council, opened, secret_rule):
    at_council(secret_rule)
    return opened()


def _text(response) -> str:
    return response.content.decode()


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "member", "inspector", "signer"])
def test_the_council_and_its_inspectors_see_the_sessions(client, world, open_session, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("council_sessions")).status_code == 200
    response = client.get(reverse("council_session", args=[open_session.pk]))
    assert response.status_code == 200
    assert open_session.items.get().nomination.reference in _text(response)


@pytest.mark.parametrize("who", ["proposer", "staff", "party_reviewer"])
def test_others_are_refused_the_sessions(client, world, open_session, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("council_sessions")).status_code == 403
    assert client.get(reverse("council_session", args=[open_session.pk])).status_code == 404
    assert client.get(reverse("council_ballot", args=[open_session.pk])).status_code == 404


def test_only_the_secretary_may_plan_a_session(client, world, members):
    client.force_login(world.member)
    assert client.get(reverse("council_session_new")).status_code == 403
    client.force_login(world.secretary)
    assert client.get(reverse("council_session_new")).status_code == 200


def test_a_signed_out_visitor_is_sent_to_log_in(client, open_session):
    for url in [
        reverse("council_sessions"),
        reverse("council_session", args=[open_session.pk]),
        reverse("council_notice"),
        reverse("decisions"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_state_changes_on_get(client, world, open_session):
    client.force_login(world.secretary)
    for name in ["council_session_open", "council_session_close"]:
        assert client.get(reverse(name, args=[open_session.pk])).status_code == 405
    open_session.refresh_from_db()
    assert open_session.status == CouncilSession.Status.OPEN


# --- running a session through the pages ------------------------------------------------------


def test_the_secretary_plans_opens_and_closes_a_session_through_the_pages(
    client, world, members, at_council, secret_rule
):
    nomination = at_council(secret_rule)
    client.force_login(world.secretary)
    response = client.post(
        reverse("council_session_new"),
        {
            "campaign": world.campaign.pk,
            "scheduled_on": world.campaign.submissions_close.isoformat(),
            "chair": members[0].pk,
        },
    )
    session = CouncilSession.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("council_session_open", args=[session.pk]),
        {"present": [m.pk for m in members[:8]]},
    )
    assert response.status_code == 302
    item = session.items.get()
    for member in members[:7]:
        council_services.cast_ballot(item, actor=member, choice="approve")

    response = client.post(reverse("council_session_close", args=[session.pk]), follow=True)

    page = _text(response)
    assert "Minutes" in page and "The quorum was met." in page
    assert "8 of 10 members present." in page
    nomination.refresh_from_db()
    assert nomination.status == Status.COUNCIL_APPROVED


def test_opening_without_a_quorum_says_so_plainly(client, world, members, at_council, plan):
    at_council()
    session = plan()
    client.force_login(world.secretary)

    response = client.post(
        reverse("council_session_open", args=[session.pk]),
        {"present": [m.pk for m in members[:5]]},
    )

    assert response.status_code == 409
    assert "No quorum: 5 of 10 members are present" in _text(response)
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.PLANNED


def test_recording_a_stranger_as_present_is_a_clear_form_error(
    client, world, members, at_council, plan
):
    at_council()
    session = plan()
    client.force_login(world.secretary)
    response = client.post(
        reverse("council_session_open", args=[session.pk]), {"present": [world.leader.pk]}
    )
    assert response.status_code == 400
    assert "Members present" in _text(response)


def test_a_member_votes_on_the_ballot_page(client, world, members, at_council, opened):
    at_council()  # open ballot (the default award type)
    session = opened()
    item = session.items.get()
    client.force_login(members[0])

    response = client.post(
        reverse("council_vote", args=[session.pk, item.pk]), {"choice": "disapprove"}, follow=True
    )

    assert response.status_code == 200
    assert "Current vote" in _text(response) and "Change my vote" in _text(response)


def test_the_secretary_records_a_written_opinion_on_the_session_page(
    client, world, members, at_council, opened
):
    at_council()
    session = opened(present=members[:8])
    item = session.items.get()
    client.force_login(world.secretary)
    assert "Record the written opinion" in _text(
        client.get(reverse("council_session", args=[session.pk]))
    )

    response = client.post(
        reverse("council_written_opinion", args=[session.pk, item.pk]),
        {f"item{item.pk}-member": members[9].pk, f"item{item.pk}-choice": "approve"},
        follow=True,
    )

    assert response.status_code == 200
    assert "(written opinion)" in _text(response)


def test_a_written_opinion_for_a_member_present_is_a_clear_form_error(
    client, world, members, at_council, opened
):
    at_council()
    session = opened(present=members[:8])
    client.force_login(world.secretary)
    item = session.items.get()
    response = client.post(
        reverse("council_written_opinion", args=[session.pk, item.pk]),
        {f"item{item.pk}-member": members[0].pk, f"item{item.pk}-choice": "approve"},
    )
    assert response.status_code == 400
    assert "Absent member" in _text(response)


def test_an_unreadable_vote_is_a_clear_form_error(client, world, members, open_session):
    item = open_session.items.get()
    client.force_login(members[0])
    response = client.post(
        reverse("council_vote", args=[open_session.pk, item.pk]), {"choice": "x"}
    )
    assert response.status_code == 400
    assert "Your vote" in _text(response)


def test_a_second_secret_vote_is_refused_with_a_reason(client, world, members, open_session):
    item = open_session.items.get()
    client.force_login(members[0])
    url = reverse("council_vote", args=[open_session.pk, item.pk])
    client.post(url, {"choice": "approve"})
    response = client.post(url, {"choice": "disapprove"})
    assert response.status_code == 409
    assert "a secret ballot is final" in _text(response)


def test_someone_not_on_the_council_cannot_vote_through_the_page(client, world, open_session):
    item = open_session.items.get()
    client.force_login(world.inspector)
    response = client.post(
        reverse("council_vote", args=[open_session.pk, item.pk]), {"choice": "approve"}
    )
    assert response.status_code == 403
    assert AgendaItem.objects.get(pk=item.pk).secret_approve == 0


# --- secret ballot privacy --------------------------------------------------------------------


def _secret_votes(members, item):
    choices = ["approve"] * 6 + ["disapprove", "abstain"]
    for member, choice in zip(members, choices, strict=False):
        council_services.cast_ballot(item, actor=member, choice=choice)


def test_while_voting_no_page_shows_secret_counts_or_choices(client, world, members, open_session):
    item = open_session.items.get()
    _secret_votes(members, item)

    client.force_login(world.secretary)
    page = _text(client.get(reverse("council_session", args=[open_session.pk])))
    assert "8 ballots cast" in page
    assert "Counts are shown when voting closes." in page
    assert "6 approve" not in page and "Open ballots" not in page

    for member in members[:8]:
        client.force_login(member)
        ballot = _text(client.get(reverse("council_ballot", args=[open_session.pk])))
        assert "You have voted." in ballot
        assert "Current vote" not in ballot and "checked" not in ballot


def test_after_closing_pages_and_exports_show_counts_never_who_chose_what(
    client, world, members, open_session
):
    item = open_session.items.get()
    _secret_votes(members, item)
    outcomes.close_voting(open_session, actor=world.secretary)
    names = [m.get_full_name() for m in members]

    client.force_login(world.inspector)
    page = _text(client.get(reverse("council_session", args=[open_session.pk])))
    assert "6 approve, 1 disapprove, 1 abstain, 2 did not vote" in page
    assert "Open ballots" not in page
    # Members appear in the attendance only, never next to a choice.
    for line in page.splitlines():
        if any(name in line for name in names):
            assert not any(w in line for w in ("pprove", "bstain")), line

    export = client.get(reverse("council_minutes_csv", args=[open_session.pk]))
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][6:11] == ["6", "1", "1", "2", "0"]
    assert not any(name in text for name in names)


# --- notice, objections, decisions ------------------------------------------------------------


def test_every_signed_in_staff_member_reads_the_notice_and_may_object(client, world, approved):
    nomination = approved(notice_days=5)
    client.force_login(world.staff)

    page = _text(client.get(reverse("council_notice")))
    assert nomination.reference in page and "On public notice" in page

    response = client.post(
        reverse("objection_file", args=[nomination.pk]), {"reasons": "Thành tích không đúng."}
    )
    assert response.status_code == 302
    assert Objection.objects.get().filed_by == world.staff


def test_an_objection_to_a_nomination_not_on_notice_finds_nothing(client, world, draft):
    client.force_login(world.staff)
    response = client.post(reverse("objection_file", args=[draft.pk]), {"reasons": "Sai."})
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_an_objection_without_reasons_is_a_clear_form_error(client, world, approved):
    nomination = approved(notice_days=5)
    client.force_login(world.staff)
    response = client.post(reverse("objection_file", args=[nomination.pk]), {"reasons": ""})
    assert response.status_code == 400
    assert "Reasons" in _text(response)
    assert not Objection.objects.exists()


def test_the_secretary_resolves_an_objection_on_the_notice_page(client, world, approved):
    nomination = approved(notice_days=5)
    objection = council_services.file_objection(
        nomination, actor=world.staff, reasons="Không đúng."
    )
    client.force_login(world.secretary)
    assert "Open objections to resolve" in _text(client.get(reverse("council_notice")))

    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"resolution": "uphold_return", "reasons": "Phản ánh có cơ sở."},
    )

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.RETURNED


def test_staff_cannot_resolve_an_objection(client, world, approved):
    nomination = approved(notice_days=5)
    objection = council_services.file_objection(
        nomination, actor=world.staff, reasons="Không đúng."
    )
    client.force_login(world.staff)
    response = client.post(
        reverse("objection_resolve", args=[objection.pk]),
        {"resolution": "dismiss", "reasons": "Tự giải quyết."},
    )
    assert response.status_code == 403
    assert Objection.objects.get().status == Objection.Status.OPEN


def test_the_signer_signs_a_decision_and_its_page_lists_the_awardees(client, world, approved):
    nomination = approved(notice_days=0)
    client.force_login(world.signer)
    page = _text(client.get(reverse("decisions")))
    assert "ready to sign" in page

    response = client.post(
        reverse("decision_sign"),
        {"nominations": [nomination.pk], "title": "Quyết định tặng danh hiệu"},
        follow=True,
    )

    decision = SignedDecision.objects.get()
    assert response.status_code == 200
    assert decision.reference in _text(response)
    assert nomination.nominee_name in _text(response)
    client.force_login(world.staff)
    assert client.get(reverse("decision_detail", args=[decision.pk])).status_code == 200


def test_a_nomination_still_on_notice_is_shown_with_the_reason_it_waits(client, world, approved):
    nomination = approved(notice_days=5)
    client.force_login(world.signer)
    page = _text(client.get(reverse("decisions")))
    assert f"{nomination.reference} is on public notice until" in page


def test_only_the_signer_signs_through_the_page(client, world, approved):
    nomination = approved(notice_days=0)
    client.force_login(world.secretary)
    response = client.post(
        reverse("decision_sign"), {"nominations": [nomination.pk], "title": "QĐ"}
    )
    assert response.status_code == 403
    assert not SignedDecision.objects.exists()


def test_the_signer_signs_a_correction_from_the_decision_page(client, world, approved):
    nomination = approved(notice_days=0)
    decision = outcomes.sign_decision(
        actor=world.signer, agency=world.agency, nominations=[nomination], title="QĐ"
    )
    client.force_login(world.signer)
    assert "Sign a correcting decision" in _text(
        client.get(reverse("decision_detail", args=[decision.pk]))
    )

    response = client.post(
        reverse("decision_correct", args=[decision.pk]),
        {"nominations": [nomination.pk], "reasons": "Kê khai không trung thực."},
        follow=True,
    )

    assert response.status_code == 200
    correction = SignedDecision.objects.exclude(pk=decision.pk).get()
    assert correction.corrects == decision
    assert "Awards revoked" in _text(response)


# --- lists cost a fixed number of queries ---------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_council_pages_do_not_query_per_row(
    client, world, members, at_council, opened, vote, award
):
    rule = award(vote_threshold_percent=Decimal("50"), public_notice_days=5)

    def scenario(count):
        for _ in range(count):
            at_council(rule)
        session = opened()
        for item in session.items.all():
            vote(item, {m: "approve" for m in members[:5]})
        council_services.cast_ballot(session.items.first(), actor=members[5], choice="abstain")
        outcomes.close_voting(session, actor=world.secretary)
        for n in Nomination.objects.filter(status=Status.COUNCIL_APPROVED):
            if not n.objections.exists():
                council_services.file_objection(n, actor=world.staff, reasons="Đề nghị làm rõ.")
        return session

    def costs(session):
        result = {}
        for page, who, url in [
            ("sessions", world.secretary, reverse("council_sessions")),
            ("session", world.secretary, reverse("council_session", args=[session.pk])),
            ("notice", world.secretary, reverse("council_notice")),
            ("decisions", world.signer, reverse("decisions")),
            ("ballot", members[0], reverse("council_ballot", args=[session.pk])),
        ]:
            client.force_login(who)
            result[page] = _queries(client, url)
        return result

    small = costs(scenario(1))
    large = costs(scenario(3))
    assert large == small


def test_the_council_link_shows_to_the_council_not_to_staff(client, world):
    client.force_login(world.staff)
    assert reverse("council_sessions") not in _text(client.get(reverse("inbox")))
    client.force_login(world.member)
    assert reverse("council_sessions") in _text(client.get(reverse("inbox")))
