"""The dossier form's enhancements in a real browser: hints and nominee fields follow the award
type, errors are caught before sending, a bad upload is refused with its reason."""

import re

from nominations.models import Evidence, Nomination


def test_the_form_follows_the_award_type_and_catches_errors_before_sending(
    page, live_server, world, login, shoot
):
    login("proposer")
    page.goto(f"{live_server.url}/nominations/new/")
    hint = f"[data-award-hint='{world.collective.pk}']"
    assert page.is_hidden(hint)

    page.select_option("#id_award_type", str(world.collective.pk))
    assert page.is_visible(hint) and "Collectives only" in page.inner_text(hint)
    assert page.is_hidden(f"[data-award-hint='{world.full.pk}']")
    assert page.is_hidden("#id_nominee_person") and page.is_visible("#id_nominee_unit")

    page.select_option("#id_award_type", str(world.full.pk))
    assert page.is_visible("#id_nominee_person") and page.is_hidden("#id_nominee_unit")

    # Nothing chosen: the browser's checks stop the form and list what to correct.
    page.select_option("#id_campaign", "")
    page.click("form.stacked button[type=submit]")
    summary = page.locator("[data-error-summary]")
    summary.wait_for(state="visible")
    assert "Campaign" in summary.inner_text() and "Nominee" in summary.inner_text()
    assert "is-invalid" in page.get_attribute("#id_campaign", "class")
    shoot("nomination-form-errors")
    assert not Nomination.objects.exists()

    page.select_option("#id_campaign", str(world.campaign.pk))
    page.select_option("#id_proposing_unit", str(world.unit.pk))
    page.select_option("#id_nominee_person", str(world.staff.pk))
    assert "is-invalid" not in page.get_attribute("#id_nominee_person", "class")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/nominations/\d+/$"))
    nomination = Nomination.objects.get()

    page.goto(f"{live_server.url}/nominations/{nomination.pk}/edit/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "trick.pdf", "mimeType": "application/pdf", "buffer": b"<html></html>"}],
    )
    page.click("form[action$='/evidence/'] button[type=submit]")
    feedback = page.locator("[data-upload-feedback]")
    feedback.filter(has_text="cannot be attached").wait_for()
    assert not Evidence.objects.exists()
    shoot("evidence-refused")
