"""The whole journey of one nomination, walked in a real browser by the people whose role each step
is: drafted with a document, returned once and resubmitted, voted on by the council, objected to
on public notice, signed into a decision, then found by an inspector in the audit workspace.

Only the passing of the notice period is not done through the browser (see below)."""

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from nominations.models import Nomination
from nominations.stages import Status

VOTES = ["approve", "approve", "approve", "approve", "abstain"]


def test_a_nomination_goes_from_draft_to_awarded_and_the_inspector_finds_its_journey(
    page, live_server, world, members, award, login, shoot
):
    url = live_server.url
    page.set_default_timeout(10_000)
    # The council pages ask before irreversible steps (open voting, close, sign): say yes.
    page.on("dialog", lambda dialog: dialog.accept())
    rule = award(vote_threshold_percent=Decimal("50"), public_notice_days=5)
    present, absent = members[:7], members[7:]  # a quorum of two thirds: 7 of 10

    # --- the proposer drafts the dossier, attaches a document and submits --------------------
    page.goto(f"{url}/accounts/login/")
    expect(page.get_by_label("Password")).to_be_visible()
    shoot("journey-01-login")
    login("proposer")
    shoot("journey-02-inbox-proposer")
    page.get_by_role("link", name="New nomination").first.click()
    page.wait_for_url(re.compile(r".*/nominations/new/$"))
    page.get_by_role("combobox", name="Campaign").select_option(str(world.campaign.pk))
    page.get_by_role("combobox", name="Award").select_option(str(rule.pk))
    page.get_by_role("combobox", name="Proposing unit").select_option(str(world.unit.pk))
    page.get_by_role("combobox", name="Nominee (person)").select_option(str(world.staff.pk))
    page.get_by_role("textbox", name="Achievements summary").fill(
        "Hoàn thành xuất sắc nhiệm vụ năm 2026."
    )
    shoot("journey-03-nomination-form")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/nominations/\d+/$"))
    nomination = Nomination.objects.get()
    ref = nomination.reference

    page.get_by_role("link", name="Edit dossier").click()
    page.wait_for_url(re.compile(r".*/edit/$"))
    page.get_by_label(re.compile(r"^File")).set_input_files(
        files=[{"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("link", name="bao-cao.pdf")).to_be_visible()
    shoot("journey-04-nomination-form-with-evidence")
    page.locator("form.action.submit").get_by_role("button").click()
    expect(page.locator(".status")).to_have_text("Unit head confirmation")

    page.get_by_role("link", name="Nominations", exact=True).first.click()
    expect(page.get_by_role("link", name=ref)).to_be_visible()
    shoot("journey-05-nomination-list")

    # --- the unit head approves; the party committee returns it with reasons ----------------
    login("head")
    expect(page.get_by_role("link", name=ref).first).to_be_visible()
    shoot("journey-06-inbox-reviewer")
    page.get_by_role("link", name=ref).first.click()
    page.wait_for_url(re.compile(rf".*/nominations/{nomination.pk}/$"))
    shoot("journey-07-review-screen")
    approve(page)

    login("party")
    open_nomination(page, url, nomination)
    # The decision chosen among three, then its form.
    page.locator(".decision-choices").get_by_text("Return for revision").click()
    returning = page.locator("form.action.return_for_revision")
    returning.get_by_label("Reasons", exact=True).fill("Bổ sung giấy chứng nhận sáng kiến.")
    returning.get_by_role("button").click()
    expect(page.locator(".status")).to_have_text("Returned for revision")

    # --- the proposer revises and resubmits --------------------------------------------------
    login("proposer")
    open_nomination(page, url, nomination)
    expect(page.get_by_text("Bổ sung giấy chứng nhận sáng kiến.").first).to_be_visible()
    page.get_by_role("link", name="Edit dossier").click()
    page.wait_for_url(re.compile(r".*/edit/$"))
    page.get_by_role("textbox", name="Initiatives").fill("Sáng kiến số hoá hồ sơ thi đua.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(rf".*/nominations/{nomination.pk}/$"))
    page.locator("form.action.resubmit").get_by_role("button").click()
    expect(page.locator(".status")).to_have_text("Unit head confirmation")

    # --- unit head, party committee and leadership approve; they see what changed ------------
    for reviewer in ["head", "party", "leader"]:
        login(reviewer)
        open_nomination(page, url, nomination)
        changes = page.locator("section.changes-since")
        expect(changes).to_be_visible()
        expect(changes).to_contain_text("Sáng kiến số hoá hồ sơ thi đua.")
        if reviewer == "head":
            shoot("journey-08-review-screen-changes-since-return")
        approve(page)
    expect(page.locator(".status")).to_have_text("Council review")

    # --- the council secretary plans a session, records attendance and opens voting ---------
    login("secretary")
    page.goto(f"{url}/council/sessions/")
    page.get_by_role("link", name="Plan a session").first.click()
    page.wait_for_url(re.compile(r".*/council/sessions/new/$"))
    page.get_by_label("Campaign").select_option(str(world.campaign.pk))
    page.get_by_label("Date of the session").fill(
        (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Chair").select_option(str(members[0].pk))
    page.get_by_role("button", name="Plan the session").click()
    page.wait_for_url(re.compile(r".*/council/sessions/\d+/$"))
    session_url = page.url
    expect(page.locator("table.agenda")).to_contain_text(ref)
    for member in present:
        page.locator(f"input[name=present][value='{member.pk}']").check()
    for member in absent:
        expect(page.locator(f"input[name=present][value='{member.pk}']")).not_to_be_checked()
    shoot("journey-09-council-session-attendance")
    page.get_by_role("button", name="Record attendance and open voting").click()
    expect(page.get_by_text("7 of 10 members present.")).to_be_visible()
    page.get_by_role("link", name="Council sessions").last.click()
    expect(page.locator("table")).to_contain_text("Voting open")
    shoot("journey-10-council-sessions")

    # --- members vote on their ballot page ---------------------------------------------------
    for member, choice in zip(present, VOTES, strict=False):
        login(member.username)
        page.goto(session_url)
        page.get_by_role("link", name="Go to my ballot").click()
        page.wait_for_url(re.compile(r".*/ballot/$"))
        page.locator(f"label[for$='-{choice}']").click()
        if member == present[0]:
            shoot("journey-11-ballot")
        page.get_by_role("button", name="Cast my vote").click()
        expect(page.get_by_test_id("current-vote")).to_have_text(choice.capitalize())

    # --- the secretary closes voting: tally and minutes --------------------------------------
    login("secretary")
    page.goto(session_url)
    page.get_by_role("button", name="Close voting and tally").click()
    minutes = page.locator("section", has=page.get_by_role("heading", name="Minutes"))
    expect(minutes).to_be_visible()
    expect(minutes).to_contain_text("The quorum was met.")
    expect(page.locator("table.agenda")).to_contain_text(
        "4 approve, 0 disapprove, 1 abstain, 2 did not vote"
    )
    shoot("journey-12-council-session-results-minutes")
    nomination.refresh_from_db()
    assert nomination.status == Status.COUNCIL_APPROVED

    # --- on public notice, a staff member objects; the secretary dismisses it ---------------
    login("other_proposer")  # any signed-in staff member may object
    page.goto(f"{url}/council/notice/")
    row = page.locator("tr", has_text=ref)
    expect(row.get_by_test_id("days-left")).to_be_visible()
    row.locator("summary", has_text="File an objection").click()
    row.get_by_label("Your objection, with reasons").fill("Thành tích năm 2025 chưa được xác minh.")
    row.get_by_role("button", name="File an objection").click()
    expect(page.locator("tr", has_text=ref)).to_contain_text("Open")

    login("secretary")
    page.goto(f"{url}/council/notice/")
    objection = page.locator("article", has_text="Thành tích năm 2025 chưa được xác minh.")
    expect(objection).to_be_visible()
    shoot("journey-13-public-notice-with-objection")
    objection.get_by_label("Resolution").select_option("dismiss")
    objection.get_by_label("Reasons").fill("Đã xác minh với đơn vị: thành tích đúng.")
    objection.get_by_role("button", name="Resolve").click()
    expect(page.locator("tr", has_text=ref)).to_contain_text("Dismissed")

    # --- the notice period passes -------------------------------------------------------------
    # Stands in for time passing (the one step not done in the browser): the notice counts
    # working days from the council's approval (approvals/notice.py), so moving that moment back
    # 45 calendar days ends any 5-working-day notice, holidays included.
    Nomination.objects.filter(pk=nomination.pk).update(
        status_changed_at=nomination.status_changed_at - datetime.timedelta(days=45)
    )

    # --- the signer signs the decision --------------------------------------------------------
    login("signer")
    page.goto(f"{url}/decisions/")
    expect(page.locator("li", has_text=ref).get_by_text("ready to sign")).to_be_visible()
    shoot("journey-14-decisions-ready-to-sign")
    page.get_by_label(re.compile(re.escape(ref))).check()
    page.get_by_label("Title of the decision").fill("Quyết định tặng Bằng khen năm 2026")
    page.get_by_role("button", name="Sign the decision").click()
    page.wait_for_url(re.compile(r".*/decisions/\d+/$"))
    awardees = page.locator("table", has_text="Awardee")
    expect(awardees).to_contain_text(nomination.nominee_name)
    expect(awardees).to_contain_text(ref)
    shoot("journey-15-decision")
    page.get_by_role("link", name=ref).click()
    expect(page.locator(".status")).to_have_text("Awarded")
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED

    # --- the leader's dashboard, and the inbox in Vietnamese ----------------------------------
    login("leader")
    page.goto(f"{url}/dashboard/")
    expect(page.locator("svg").first).to_be_visible()
    shoot("journey-16-dashboard-leader")
    page.goto(f"{url}/inbox/")
    page.get_by_label("Language").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
    shoot("journey-17-inbox-vi")

    # --- the inspector finds the journey in the audit workspace -------------------------------
    login("inspector")
    page.get_by_role("link", name="Inspection").click()
    page.wait_for_url(re.compile(r".*/inspector/$"))
    shoot("journey-18-inspector-home")
    page.get_by_role("link", name="Search events").first.click()
    page.wait_for_url(re.compile(r".*/inspector/events/"))
    # The decision is the agency's act, not one nomination's: it is found by its action.
    page.get_by_label("Action").select_option(label="Decision signed")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table.events")).to_contain_text("Quyết định tặng Bằng khen năm 2026")
    page.get_by_label("Award").select_option(str(rule.pk))
    page.get_by_label("Action").select_option(label="Objection filed")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table.events")
    expect(results).to_contain_text("Objection filed")
    expect(page.get_by_role("heading", name="1 event")).to_be_visible()
    shoot("journey-19-inspector-search")
    results.get_by_role("link", name=ref).click()
    page.wait_for_url(re.compile(rf".*/inspector/nominations/{nomination.pk}/$"))
    timeline = page.locator("ol.timeline")
    for label in [
        "Draft created",
        "Document attached",
        "Submitted",
        "Returned for revision",
        "Resubmitted",
        "Voted",
        "Approved by the council",
        "Objection filed",
        "Objection dismissed",
        "Award conferred",
    ]:
        expect(timeline).to_contain_text(label)
    expect(page.get_by_role("heading", name=re.compile("Returns for revision"))).to_be_visible()
    shoot("journey-20-inspector-timeline")


def open_nomination(page, url, nomination):
    page.goto(f"{url}/nominations/{nomination.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(nomination.reference)


def approve(page):
    before = page.locator(".status").inner_text()
    page.locator(".decision-choices").get_by_text("Approve").click()  # the decision, then its form
    page.locator("form.action.approve").get_by_role("button").click()
    expect(page.locator(".status")).not_to_have_text(before)
