"""The eligibility checklist in a browser: on the dossier form it follows the nominee chosen
(redrawn without reloading the page), and the draft's checklist fits a 390 px screen."""

import pytest
from playwright.sync_api import expect

from nominations.models import CriterionKind, Rating, RecognitionLevel
from tests.factories import AnnualRatingFactory, CriterionFactory, InitiativeFactory, person

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def rules(world):
    year = world.campaign.year
    CriterionFactory(
        award_type=world.full,
        code="initiative",
        kind=CriterionKind.INITIATIVE,
        level=RecognitionLevel.AGENCY,
        years=1,
        instrument="Luật Thi đua, khen thưởng số 06/2022/QH15",
        article="23",
        clause="2",
    )
    CriterionFactory(
        award_type=world.full,
        code="rating",
        kind=CriterionKind.RATINGS,
        rating=Rating.GOOD,
        years=1,
        hard=False,
        instrument="Nghị định 152/2025/NĐ-CP",
        article="37",
    )
    AnnualRatingFactory(person=world.staff, year=year, rating=Rating.GOOD)
    colleague = person(world.unit, username="colleague")
    InitiativeFactory(person=colleague, year=year, title="Tra cứu hồ sơ theo từ khóa")
    return colleague


def test_the_checklist_follows_the_nominee_chosen(page, live_server, login, world, draft, rules):
    login("proposer")
    page.goto(f"{live_server.url}/nominations/{draft.pk}/edit/")
    box = page.locator("[data-eligibility-preview]")
    expect(box.locator('[data-code="initiative"]')).to_have_attribute("data-outcome", "fail")
    page.select_option("#id_nominee_person", str(rules.pk))
    expect(box.locator('[data-code="initiative"]')).to_have_attribute("data-outcome", "pass")
    expect(box).to_contain_text("Tra cứu hồ sơ theo từ khóa")
    expect(box).to_contain_text("clause 2, Article 23")


def test_the_drafts_checklist_fits_a_phone(page, live_server, login, world, draft, rules):
    page.set_viewport_size(PHONE)
    login("proposer")
    page.goto(f"{live_server.url}/nominations/{draft.pk}/")
    checklist = page.locator("#eligibility")
    expect(checklist).to_be_visible()
    expect(checklist).to_contain_text("Not met")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide"
    box = checklist.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
