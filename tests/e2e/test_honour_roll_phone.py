"""The public honour roll and the verification page at a phone's width (390 CSS px), for a visitor
who is not logged in: nothing scrolls sideways and the filters, the documents' links and the
code's answer are on screen. Screenshots under test-artifacts/screenshots/phone-honours-*.png."""

from playwright.sync_api import expect

from approvals import verification
from tests.e2e.test_phone_width import PHONE, fits, no_sideways_scroll
from tests.honours.conftest import awarded  # noqa: F401 (a fixture)


def test_the_roll_and_the_verification_page_fit_a_phone(page, live_server, world, awarded, shoot):  # noqa: F811
    world.agency.name_en = "Office of the National Assembly"
    world.agency.save()
    world.unit.name_en = "Emulation and Commendation Division"
    world.unit.save()
    world.short.name_en = "Certificate of Merit of the Chairman of the Office"
    world.short.save()
    decision = awarded(count=3, title="Quyết định tặng Bằng khen của Chủ nhiệm Văn phòng năm 2026")
    code = verification.code_of(decision)
    page.set_default_timeout(10_000)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/honours/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_sideways_scroll(page, "honour roll")
    fits(page, page.get_by_role("combobox", name="Unit"), "roll: unit filter")
    fits(page, page.get_by_role("button", name="Show"), "roll: show")
    fits(page, page.get_by_test_id("certificate-pdf").first, "roll: certificate")
    shoot("phone-honours-roll")

    page.goto(f"{live_server.url}/honours/verify/{code}/")
    expect(page.get_by_test_id("valid")).to_be_visible()
    no_sideways_scroll(page, "verification")
    fits(page, page.get_by_test_id("decision-number"), "verify: number")
    fits(page, page.get_by_role("link", name="Decision (PDF)"), "verify: decision PDF")
    shoot("phone-honours-verify")
