"""The review screen's three decisions in a real browser: approve, return for revision and reject
side by side, none behind a toggle; choosing one opens its form; reasons are required to return or
reject; rejecting asks first. Without JavaScript the reviewer still returns (or rejects) with
reasons: the forms are opened by CSS and post as plain forms."""

import re

import pytest
from playwright.sync_api import expect

from nominations import services as dossier
from nominations.models import Nomination
from nominations.stages import Status

DECISIONS = ["Approve", "Return for revision", "Reject"]


@pytest.fixture
def submitted(world, walk):
    """submitted(): a nomination waiting for the unit head."""

    def _make():
        draft = dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=world.full,
            proposing_unit=world.unit,
            nominee_person=world.staff,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm 2026.",
        )
        return walk(draft, "submit")

    return _make


def choices(page):
    return page.locator(".decision-choices")


def status_of(nomination) -> str:
    return Nomination.objects.values_list("status", flat=True).get(pk=nomination.pk)


def test_a_reviewer_sees_three_choices_and_returns_a_nomination_with_reasons(
    page, live_server, world, submitted, login, shoot
):
    nomination = submitted()
    page.set_default_timeout(10_000)
    login("head")
    page.goto(f"{live_server.url}/nominations/{nomination.pk}/")
    expect(page.get_by_role("group", name="Your decision")).to_be_visible()
    # Three choices of one size, all in sight; no form until one is chosen.
    boxes = []
    for name in DECISIONS:
        label = choices(page).get_by_text(name, exact=True)
        expect(label).to_be_visible()
        boxes.append(label.bounding_box())
    assert len({(round(b["width"]), round(b["height"])) for b in boxes}) == 1, boxes
    for action in ["approve", "return_for_revision", "reject"]:
        expect(page.locator(f"form.action.{action}")).to_be_hidden()
    expect(page.get_by_text("Choose a decision to open its form.")).to_be_visible()
    shoot("review-decisions")

    choices(page).get_by_text("Return for revision").click()
    form = page.locator("form.action.return_for_revision")
    expect(form).to_be_visible()
    expect(page.locator("form.action.reject")).to_be_hidden()
    expect(page.get_by_text("Choose a decision to open its form.")).to_be_hidden()
    reasons = form.get_by_label("Reasons", exact=True)
    # Without reasons the browser keeps the form and says what is missing.
    form.get_by_role("button", name="Return for revision").click()
    assert reasons.evaluate("e => !e.validity.valid")
    assert status_of(nomination) == Status.UNIT_REVIEW
    reasons.fill("Bổ sung bản sao giấy chứng nhận sáng kiến.")
    shoot("review-decision-return")
    form.get_by_role("button", name="Return for revision").click()
    expect(page.locator(".status")).to_have_text("Returned for revision")
    expect(page.get_by_text("Bổ sung bản sao giấy chứng nhận sáng kiến.").first).to_be_visible()
    assert status_of(nomination) == Status.RETURNED


def test_reject_asks_for_confirmation_before_it_is_sent(
    page, live_server, world, submitted, login, shoot
):
    nomination = submitted()
    page.set_default_timeout(10_000)
    login("head")
    page.goto(f"{live_server.url}/nominations/{nomination.pk}/")
    choices(page).get_by_text("Reject", exact=True).click()
    form = page.locator("form.action.reject")
    form.get_by_label("Reasons", exact=True).fill("Thành tích chưa đủ tiêu chuẩn.")
    shoot("review-decision-reject")

    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    form.get_by_role("button", name="Reject").click()
    expect(form).to_be_visible()
    assert asked == ["Reject this nomination? Its journey ends here."]
    assert status_of(nomination) == Status.UNIT_REVIEW  # said no: nothing was sent

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    form.get_by_role("button", name="Reject").click()
    expect(page.locator(".status")).to_have_text("Rejected")
    assert len(asked) == 2
    assert status_of(nomination) == Status.REJECTED


def test_without_javascript_the_reviewer_returns_with_reasons(
    browser, live_server, world, submitted
):
    nomination = submitted()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "head")
        page.fill("#id_password", "pw")
        page.press("#id_password", "Enter")
        page.wait_for_url(re.compile(r".*/inbox/"))
        page.goto(f"{live_server.url}/nominations/{nomination.pk}/")
        for name in DECISIONS:
            expect(choices(page).get_by_text(name, exact=True)).to_be_visible()
        choices(page).get_by_text("Reject", exact=True).click()
        expect(page.locator("form.action.reject")).to_be_visible()  # CSS opens it, no script
        choices(page).get_by_text("Return for revision").click()
        expect(page.locator("form.action.reject")).to_be_hidden()
        form = page.locator("form.action.return_for_revision")
        form.get_by_label("Reasons", exact=True).fill("Bổ sung minh chứng.")
        form.get_by_role("button", name="Return for revision").click()
        expect(page.locator(".status")).to_have_text("Returned for revision")
        assert status_of(nomination) == Status.RETURNED
    finally:
        context.close()
