"""Every main page at a phone's width (390 CSS px), as the user whose page it is, on data like the
demo's (long award and unit names, overdue work, a council session, a notice, a decision): the
page never scrolls sideways and its key controls are on screen. A screenshot of each is saved
under test-artifacts/screenshots/phone-*.png.

The viewport is a desktop browser's, 390 px wide, not a mobile emulation: a mobile browser would
zoom out to fit a page that is too wide and so hide the very overflow checked here."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approvals import outcomes
from approvals import services as council_services
from nominations import services as dossier
from nominations.models import Nomination
from tests.factories import person
from tests.web.test_review_ui import working_days_ago
from workflows import services
from workflows.models import NominationTask

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def agency(world, members, award, walk):
    """The shared world named as the demo names things, and work at every stage: three tasks at
    the unit head (one overdue, one due soon), a nomination awarded by a signed decision, one
    on public notice, and one on the agenda of a session whose voting is open."""
    world.agency.name_en = "Office of the National Assembly"
    world.agency.save()
    world.unit.name_en = "Emulation and Commendation Division"
    world.unit.save()
    world.full.name_en = "Certificate of Merit of the Chairman of the Office"
    world.full.save()
    signed_rule = award(
        vote_threshold_percent=Decimal("50"),
        public_notice_days=0,
        name_en="Grassroots Emulation Fighter",
    )
    notice_rule = award(
        vote_threshold_percent=Decimal("50"),
        public_notice_days=5,
        name_en="Excellent Labour Collective of the Office of the National Assembly",
    )

    proposed = []

    def propose(award_type, achievements="Hoàn thành xuất sắc nhiệm vụ năm 2026."):
        # One achievement, one award: each further nomination names a colleague of `staff`.
        nominee = world.staff if not proposed else person(world.unit)
        proposed.append(nominee)
        return dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=award_type,
            proposing_unit=world.unit,
            nominee_person=nominee,
            achievements=achievements,
        )

    to_council = ("submit", "approve", "approve", "approve")
    awarded = walk(propose(signed_rule), "submit", "return_for_revision", "resubmit")
    awarded = walk(awarded, *to_council[1:])
    on_notice = walk(propose(notice_rule), *to_council)
    first = council_services.plan_session(
        actor=world.secretary,
        campaign=world.campaign,
        scheduled_on=timezone.localdate(),
        chair=members[0],
    )
    first = council_services.open_session(
        first, actor=world.secretary, present=[m.pk for m in members]
    )
    for item in first.items.all():
        for member in members:
            council_services.cast_ballot(item, actor=member, choice="approve")
    outcomes.close_voting(first, actor=world.secretary)
    # The notice of the first is over (0 working days); it is signed into a decision.
    outcomes.sign_decision(
        actor=world.signer,
        agency=world.agency,
        nominations=[Nomination.objects.get(pk=awarded.pk)],
        title="Quyết định tặng danh hiệu Chiến sĩ thi đua cơ sở năm 2026",
    )

    walk(propose(world.full), *to_council)
    second = council_services.plan_session(
        actor=world.secretary,
        campaign=world.campaign,
        scheduled_on=timezone.localdate() + datetime.timedelta(days=1),
        chair=members[0],
    )
    second = council_services.open_session(
        second, actor=world.secretary, present=[m.pk for m in members]
    )

    today = timezone.localdate()
    late, soon, later = (walk(propose(world.full), "submit") for _ in range(3))
    for nomination, due in [
        (late, working_days_ago(today, 6)),
        (soon, today),
        (later, today + datetime.timedelta(days=30)),
    ]:
        NominationTask.objects.filter(nomination=nomination, status="NEW").update(due_on=due)
    # Held for a complaint at the unit head's confirmation.
    held = services.place_hold(
        walk(propose(world.full), "submit"),
        actor=world.unit_head,
        kind="complaint",
        reason="Đơn tố cáo của một công chức về việc kê khai thành tích, đang được xác minh.",
        expected_end=today + datetime.timedelta(days=20),
    ).nomination
    return {
        "held": held,
        "late": late,
        "awarded": awarded,
        "on_notice": on_notice,
        "open_session": second,
    }


def fits(page, locator, name: str):
    """The control is visible and wholly inside the 390 px wide screen."""
    expect(locator, f"{name}: not visible").to_be_visible()
    box = locator.bounding_box()
    assert box and box["x"] >= -0.5 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (
        f"{name} is off-screen: {box}"
    )


def no_sideways_scroll(page, name: str):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert inner == PHONE["width"]
    assert width <= inner, f"{name}: the page is {width}px wide in a {inner}px screen"


def test_every_main_page_fits_a_phone(page, live_server, world, agency, login, shoot):
    url = live_server.url
    page.set_default_timeout(10_000)
    page.set_viewport_size(PHONE)
    late = agency["late"]
    held = agency["held"]

    def check(path: str, name: str, *controls):
        page.goto(f"{url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        no_sideways_scroll(page, name)
        fits(page, page.get_by_role("button", name="Menu"), f"{name}: menu")
        for label, locator in controls:
            fits(page, locator, f"{name}: {label}")
        shoot(f"phone-{name}")

    # The unit head: the inbox as cards, a nomination's page with the three decisions.
    login("head")
    row = page.locator("tr.task", has_text=late.reference)
    check(
        "/inbox/",
        "inbox",
        ("reference", row.get_by_role("link", name=late.reference)),
        ("award", row.locator("td.task-award")),
        ("stage", row.locator("td.task-stage")),
        ("due date", row.locator("td.task-due time")),
        ("overdue badge", row.get_by_text("6 working days overdue")),
        ("take button", row.get_by_role("button", name=f"Take {late.reference}")),
        ("hold badge", page.locator("tr.task", has_text=held.reference).locator(".hold-badge")),
    )
    award = row.locator("td.task-award")
    lines = award.evaluate("e => e.offsetHeight / parseFloat(getComputedStyle(e).lineHeight)")
    assert lines < 2.5, f"the award name takes {lines:.1f} lines"
    check(
        f"/nominations/{late.pk}/",
        "nomination-review",
        ("status", page.locator(".review-head .status")),
        ("overdue badge", page.locator(".review-head").get_by_text("6 working days overdue")),
        ("approve", page.locator("label[for=decide-approve]")),
        ("return", page.locator("label[for=decide-return_for_revision]")),
        ("reject", page.locator("label[for=decide-reject]")),
        ("route", page.locator("svg.route-map")),
        ("put on hold", page.locator("summary", has_text="Put on hold")),
    )
    check(
        f"/nominations/{held.pk}/",
        "nomination-held",
        ("banner", page.locator(".hold-banner h2")),
        ("lift the hold", page.locator(".hold-banner summary")),
    )

    # The proposer: the nominations list and the new-nomination form.
    login("proposer")
    check(
        "/nominations/",
        "nominations",
        ("filter", page.get_by_role("button", name="Filter", exact=True)),
        ("first reference", page.locator("table a").first),
    )
    check(
        "/nominations/new/",
        "nomination-form",
        ("award", page.get_by_role("combobox", name="Award")),
        ("achievements", page.get_by_role("textbox", name="Achievements summary")),
        ("save", page.get_by_role("button", name="Save draft")),
    )

    # The leader: the dashboard.
    login("leader")
    check("/dashboard/", "dashboard", ("first chart", page.locator("svg[role=img]").first))

    # The council secretary: the sessions, the open session, the public notice.
    login("secretary")
    session = agency["open_session"]
    check(
        "/council/sessions/",
        "council-sessions",
        ("plan a session", page.get_by_role("link", name="Plan a session")),
        ("open session", page.locator("table a").first),
    )
    check(
        f"/council/sessions/{session.pk}/",
        "council-session",
        ("agenda item", page.locator("table.agenda").get_by_role("link").first),
        ("defer", page.locator("table.agenda summary", has_text="Defer to a later session")),
        ("close voting", page.get_by_role("button", name="Close voting and tally")),
    )
    notice_row = page.locator("tr", has_text=agency["on_notice"].reference)
    check(
        "/council/notice/",
        "notice",
        ("candidate", notice_row.get_by_text(agency["on_notice"].reference)),
        ("days left", notice_row.get_by_test_id("days-left")),
        ("object", notice_row.locator("summary", has_text="File an objection")),
    )

    # A council member: the ballot.
    login("member")
    check(
        f"/council/sessions/{session.pk}/ballot/",
        "ballot",
        ("approve", page.locator("label[for$='-approve']").first),
        ("disapprove", page.locator("label[for$='-disapprove']").first),
        ("cast", page.get_by_role("button", name="Cast my vote").first),
    )

    # The signer: the decisions.
    login("signer")
    check(
        "/decisions/",
        "decisions",
        ("decision", page.locator("table a").first),
    )
    page.locator("table a").first.click()
    page.wait_for_url("**/decisions/*/")
    no_sideways_scroll(page, "decision")
    fits(page, page.get_by_role("heading", level=1), "decision: title")
    shoot("phone-decision")

    # The inspector: the workspace's home, the event search, a nomination's timeline.
    login("inspector")
    check(
        "/inspector/",
        "inspector-home",
        ("search events", page.get_by_role("link", name="Search events").first),
        ("verify", page.get_by_role("button", name="Run verification now")),
    )
    check(
        "/inspector/events/",
        "inspector-events",
        ("search", page.get_by_role("button", name="Search")),
        ("first result", page.locator("table.events tbody tr").first),
    )
    check(
        f"/inspector/nominations/{agency['awarded'].pk}/",
        "inspector-timeline",
        ("timeline", page.locator("ol.timeline")),
        ("export", page.get_by_role("link", name="Export CSV")),
    )
