"""A nomination walked through the browser by the real roles."""

import re

from nominations.models import Nomination


def act(page, action: str, reasons: str = ""):
    form = page.locator(f"form.action.{action}")
    # A reviewer's decision (approve, return, reject) opens its form when chosen.
    choice = page.locator(f"label[for=decide-{action}]")
    if choice.count():
        choice.click()
    if reasons:
        form.locator("textarea").fill(reasons)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_nomination_goes_from_draft_to_council_review_with_one_return(
    page, live_server, world, login, shoot
):
    url = live_server.url
    login("proposer")
    shoot("inbox-proposer")
    page.goto(f"{url}/nominations/new/")
    page.select_option("#id_campaign", str(world.campaign.pk))
    page.select_option("#id_award_type", str(world.full.pk))
    page.select_option("#id_proposing_unit", str(world.unit.pk))
    page.select_option("#id_nominee_person", str(world.staff.pk))
    page.fill("#id_achievements", "Hoàn thành xuất sắc nhiệm vụ năm 2026.")
    shoot("nomination-form")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/nominations/\d+/$"))
    nomination = Nomination.objects.get()
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "bao-cao.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 demo",
            }
        ],
    )
    page.click("form[action$='/evidence/'] button[type=submit]")
    # Sent in the background with a progress bar; the list of documents is then redrawn.
    page.wait_for_selector("#evidence-list >> text=bao-cao.pdf")
    shoot("evidence-uploaded")
    act(page, "submit")
    assert "Unit head confirmation" in page.inner_text(".status")

    login("head")
    assert nomination.reference in page.inner_text("main")
    page.click(f"text={nomination.reference}")
    shoot("review-screen")
    act(page, "approve")

    login("party")
    page.goto(f"{url}/nominations/{nomination.pk}/")
    act(page, "return_for_revision", "Bổ sung giấy chứng nhận sáng kiến.")
    assert "Returned for revision" in page.inner_text(".status")

    login("proposer")
    page.goto(f"{url}/nominations/{nomination.pk}/edit/")
    page.fill("#id_initiatives", "Sáng kiến số hoá hồ sơ thi đua.")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/nominations/\d+/$"))
    act(page, "resubmit")

    for user in ["head", "party"]:
        login(user)
        page.goto(f"{url}/nominations/{nomination.pk}/")
        if user == "head":
            assert "Changed since it was returned" in page.inner_text("main")
            shoot("review-screen-changes-since-return")
        act(page, "approve")
    login("leader")
    page.goto(f"{url}/nominations/{nomination.pk}/")
    act(page, "approve")
    assert "Council review" in page.inner_text(".status")

    login("inspector")
    page.goto(f"{url}/nominations/{nomination.pk}/")
    timeline = page.inner_text(".timeline")
    for label in [
        "Draft created",
        "Document attached",
        "Submitted",
        "Returned for revision",
        "Dossier edited",
        "Resubmitted",
    ]:
        assert label in timeline
    shoot("timeline-inspector")
    assert Nomination.objects.get().status == "council_review"
