"""What the council's pages show: the quorum against those present, each item's tally as an
accessible bar, a ballot that marks the member's vote, the notice with its days left, the
decision as a document, and breadcrumbs on every page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from approvals import outcomes as wf
from approvals import services as council
from approvals.models import SignedDecision
from audit.events import Event
from audit.models import AuditEvent
from tests.approvals import conftest as council_fixtures
from tests.web.pages import assert_breadcrumb
from tests.workflows import conftest as workflow_fixtures

# The council fixtures of the approvals tests, shared as tests/workflows shares them.
members = council_fixtures.members
award = council_fixtures.award
at_council = council_fixtures.at_council
plan = council_fixtures.plan
opened = council_fixtures.opened
vote = council_fixtures.vote
approved = workflow_fixtures.approved


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def majority(award):
    return award(vote_threshold_percent=Decimal("50"), public_notice_days=5)


def test_a_planned_session_shows_the_quorum_needed_and_switches_for_attendance(
    client, world, members, at_council, plan
):
    at_council()
    session = plan()
    client.force_login(world.secretary)
    page = _text(client.get(reverse("council_session", args=[session.pk])))

    assert 'data-testid="quorum"' in page
    assert "At least 7 of 10 members must be present (rule 2/3)." in page
    assert page.count('role="switch"') == 10
    for member in members:
        label = member.get_full_name() or member.username
        assert 'for="id_present_' in page and label in page
    assert 'data-confirm="' in page  # opening voting asks first
    assert_breadcrumb(page, f"Council session #{session.pk}")


def test_an_open_session_shows_present_against_required(client, world, members, at_council, opened):
    at_council()
    session = opened(present=members[:8])
    client.force_login(world.secretary)
    page = _text(client.get(reverse("council_session", args=[session.pk])))

    assert "Present 8, required 7 of 10 (rule 2/3)." in page
    assert "Quorum met" in page
    assert '<meter class="w-100" min="0" max="10" low="7"' in page
    assert "Close voting and tally" in page


def test_after_closing_each_item_has_a_tally_bar_with_its_title_and_outcome(
    client, world, members, at_council, opened, vote, majority
):
    at_council(majority)
    session = opened(present=members[:9])
    item = session.items.get()
    vote(item, dict(zip(members, ["approve"] * 6 + ["disapprove", "abstain"], strict=False)))
    wf.close_voting(session, actor=world.secretary)

    client.force_login(world.secretary)
    page = _text(client.get(reverse("council_session", args=[session.pk])))

    svg = re.search(r'<svg class="tally-bar".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and f'aria-labelledby="tally-{item.pk}-title"' in svg
    title = re.search(r'<title id="tally-\d+-title">(.*?)</title>', svg).group(1)
    assert title == (
        "6 approve, 1 disapprove, 1 abstain, 1 did not vote; 5 approvals needed of 9 (50%)"
    )
    assert svg.count('class="seg ') == 4  # approve, disapprove, abstain, did not vote
    assert '<span class="badge text-bg-success">Approved</span>' in page
    assert "Quorum met" in page and "Present 9, required 7 of 10 (rule 2/3)." in page
    assert reverse("council_minutes_csv", args=[session.pk]) in page
    # The minutes: the session's date as the language writes it, the one absent member listed.
    absent = members[9].get_full_name() or members[9].username
    assert f"{session.scheduled_on:%d %b %Y}." in page
    assert re.search(rf"Absent: {re.escape(absent)}</p>", page)


def test_a_rejected_item_is_badged_not_approved(
    client, world, members, at_council, opened, vote, award
):
    at_council(award(vote_threshold_percent=Decimal("70"), vote_base="members"))
    session = opened()
    vote(session.items.get(), {m: "approve" for m in members[:3]})
    wf.close_voting(session, actor=world.secretary)
    client.force_login(world.inspector)
    page = _text(client.get(reverse("council_session", args=[session.pk])))
    assert '<span class="badge text-bg-danger">Not approved</span>' in page
    assert "7 approvals needed of 10 (70%)" in page


def test_the_sessions_list_badges_each_status_and_counts_the_items(
    client, world, members, at_council, opened
):
    at_council()
    at_council()
    session = opened()
    client.force_login(world.secretary)
    page = _text(client.get(reverse("council_sessions")))
    row = re.search(rf'href="{reverse("council_session", args=[session.pk])}".*?</tr>', page, re.S)
    assert '<td class="text-end">2</td>' in row.group(0)
    assert '<span class="badge text-bg-success">Voting open</span>' in row.group(0)
    assert_breadcrumb(page, "Council sessions")


def test_the_ballot_offers_the_three_choices_with_labels_and_marks_the_current_vote(
    client, world, members, at_council, opened
):
    at_council()  # open ballot
    at_council()
    session = opened()
    first, second = session.items.order_by("position")
    client.force_login(members[0])
    client.post(reverse("council_vote", args=[session.pk, first.pk]), {"choice": "disapprove"})

    page = _text(client.get(reverse("council_ballot", args=[session.pk])))

    for value, label in [
        ("approve", "Approve"),
        ("disapprove", "Disapprove"),
        ("abstain", "Abstain"),
    ]:
        for item in (first, second):
            radio = f'id="choice-{item.pk}-{value}"'
            assert radio in page
            assert re.search(
                rf'<label class="btn btn-lg [^"]*" for="choice-{item.pk}-{value}">{label}</label>',
                page,
            )
    checked = re.findall(r'id="choice-(\d+)-(\w+)"[^>]*\schecked', page)
    assert checked == [(str(first.pk), "disapprove")]
    assert 'data-testid="current-vote">Disapprove<' in page
    assert "Voted on 1 of 2 items" in page
    assert '<progress class="w-100" max="2" value="1"' in page
    assert reverse("nomination_detail", args=[first.nomination_id]) in page
    assert_breadcrumb(page, "My ballot")


def test_the_ballot_warns_when_the_ballot_is_secret(
    client, world, members, at_council, opened, award
):
    at_council(award(secret_ballot=True))
    session = opened()
    client.force_login(members[0])
    page = _text(client.get(reverse("council_ballot", args=[session.pk])))
    assert "Secret ballot" in page and "Secret: final once cast" in page
    assert "data-confirm=" in page
    assert "Voted on 0 of 1 items" in page


def test_the_notice_lists_a_nomination_with_its_days_left_and_an_objection_form(
    client, world, approved
):
    nomination = approved(notice_days=5)
    client.force_login(world.staff)
    page = _text(client.get(reverse("council_notice")))

    row = re.search(rf"{nomination.reference}.*?</tr>", page, re.S).group(0)
    days = re.search(r'data-testid="days-left">(\d+) working days? left<', row)
    assert days and int(days.group(1)) == 5  # approved today: all five working days to come
    assert f'<label class="form-label" for="objection-{nomination.pk}">' in row
    assert "Reasons are required" in row
    assert_breadcrumb(page, "Public notice")

    response = client.post(
        reverse("objection_file", args=[nomination.pk]), {"reasons": "Chưa rõ."}, follow=True
    )
    assert "Your objection is filed" in _text(response)


def test_the_secretary_resolves_with_labelled_fields_of_their_own(client, world, approved):
    nomination = approved(notice_days=5)
    objection = council.file_objection(nomination, actor=world.staff, reasons="Không đúng.")
    client.force_login(world.secretary)
    page = _text(client.get(reverse("council_notice")))
    assert f'<label class="form-label" for="resolution-{objection.pk}">Resolution</label>' in page
    assert (
        f'<label class="form-label" for="resolution-reasons-{objection.pk}">Reasons</label>' in page
    )


def test_the_decision_page_shows_its_number_and_the_conferred_awards(client, world, approved):
    nomination = approved(notice_days=0)
    decision = wf.sign_decision(
        actor=world.signer,
        agency=world.agency,
        nominations=[nomination],
        title="Quyết định tặng danh hiệu",
        reasons="Căn cứ Luật Thi đua, khen thưởng.",
    )
    client.force_login(world.staff)
    page = _text(client.get(reverse("decision_detail", args=[decision.pk])))

    assert f'data-testid="decision-number">{decision.reference}<' in page
    assert "Legal basis" in page and "Căn cứ Luật Thi đua, khen thưởng." in page
    assert nomination.nominee_name in page and str(nomination.award_type) in page
    assert '<span class="badge text-bg-success">Conferred</span>' in page
    signer = world.signer.get_full_name() or world.signer.username
    assert signer in page
    assert_breadcrumb(page, decision.reference)

    listing = _text(client.get(reverse("decisions")))
    row = re.search(rf"{re.escape(decision.reference)}.*?</tr>", listing, re.S).group(0)
    assert signer in row and '<td class="text-end">1</td>' in row
    assert SignedDecision.objects.count() == 1


def test_the_signer_sees_the_sign_form_with_a_confirmation(client, world, approved):
    approved(notice_days=0)
    client.force_login(world.signer)
    page = _text(client.get(reverse("decisions")))
    assert "Sign the decision" in page and 'data-confirm="' in page
    assert "council.js" in page


def test_the_council_outcome_event_states_its_threshold_in_plain_figures(world, approved):
    nomination = approved(notice_days=0)
    event = AuditEvent.objects.get(nomination_id=nomination.pk, action=Event.COUNCIL_APPROVED)
    assert "threshold 50% of" in event.comment and "E+" not in event.comment
