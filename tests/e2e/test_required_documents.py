"""The documents an award type requires, in a real browser: the draft page names what is missing
and offers Submit only once it is attached, the unit head sees them present; and while a
document uploads in the background the page's actions wait for it, then act on the new version."""

import re

from playwright.sync_api import expect

from nominations.models import Evidence, Nomination

PDF = b"%PDF-1.4 x"
MISSING = "Attach the required documents still missing:"


def attach(page, kind: str, name: str):
    page.get_by_label("Document type").select_option(kind)
    page.get_by_label(re.compile(r"^File")).set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Attach").click()


def test_a_dossier_lacking_its_required_documents_cannot_be_submitted_until_attached(
    page, live_server, world, draft, login, shoot
):
    page.set_default_timeout(10_000)
    world.full.required_documents = [
        Evidence.Kind.REQUEST_LETTER.value,
        Evidence.Kind.ACHIEVEMENT_REPORT.value,
    ]
    world.full.save()

    login("proposer")
    page.goto(f"{live_server.url}/nominations/{draft.pk}/edit/")
    required = page.locator("#required-documents")
    expect(required.locator("li.missing")).to_have_count(2)
    expect(required).to_contain_text("Request letter — missing")
    not_ready = page.locator("#submit-area")
    expect(not_ready).to_contain_text("Not ready to submit yet")
    expect(not_ready).to_contain_text(f"{MISSING} Request letter, Achievement report.")
    expect(page.locator("form.action.submit")).to_have_count(0)
    shoot("required-documents-01-missing")

    # One attached: it is ticked, and only the other is still named.
    attach(page, "achievement_report", "bao-cao-thanh-tich.pdf")
    expect(page.get_by_role("link", name="bao-cao-thanh-tich.pdf")).to_be_visible()
    expect(required.locator("li[data-kind=achievement_report]")).to_have_class(
        re.compile(r"\battached\b")
    )
    expect(not_ready).to_contain_text(f"{MISSING} Request letter.")
    expect(not_ready).not_to_contain_text("Achievement report")
    expect(page.locator("form.action.submit")).to_have_count(0)

    # Both attached: Submit is offered on the same page, without reloading it.
    attach(page, "request_letter", "to-trinh.pdf")
    expect(page.get_by_role("link", name="to-trinh.pdf")).to_be_visible()
    expect(required.locator("li.attached")).to_have_count(2)
    submit = page.locator("form.action.submit").get_by_role("button")
    expect(submit).to_be_enabled()
    expect(page.get_by_text(MISSING)).to_have_count(0)
    shoot("required-documents-02-all-attached")
    # The Submit drawn after the upload still asks for unsaved changes to be saved first.
    page.get_by_role("textbox", name="Initiatives").fill("Sáng kiến số hoá hồ sơ.")
    submit.click()
    expect(page.locator("[data-unsaved-note]")).to_have_text(
        "Save your changes to the dossier first."
    )
    assert Nomination.objects.get(pk=draft.pk).status == "draft"
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(rf".*/nominations/{draft.pk}/$"))
    page.locator("form.action.submit").get_by_role("button").click()
    expect(page.locator(".status")).to_have_text("Unit head confirmation")

    # The unit head sees which documents the award requires, all present.
    login("head")
    page.goto(f"{live_server.url}/nominations/{draft.pk}/")
    required = page.locator("#required-documents")
    expect(required).to_contain_text("Required documents")
    expect(required.locator("li.attached")).to_have_count(2)
    expect(required.locator("li.missing")).to_have_count(0)
    expect(required).to_contain_text("Request letter — attached")
    expect(required).to_contain_text("Achievement report — attached")
    shoot("required-documents-03-unit-head")


def test_the_actions_wait_while_a_document_uploads_and_act_on_the_new_version(
    page, live_server, world, draft, login, shoot
):
    page.set_default_timeout(10_000)
    login("proposer")
    page.goto(f"{live_server.url}/nominations/{draft.pk}/edit/")
    submit = page.locator("form.action.submit").get_by_role("button")
    save = page.get_by_role("button", name="Save draft")
    expect(submit).to_be_enabled()

    # Hold each upload at the network until the test lets it through (or fails it).
    held = []
    page.route(re.compile(r".*/evidence/$"), lambda route: held.append(route))

    attach(page, "request_letter", "to-trinh.pdf")
    expect(submit).to_be_disabled()
    expect(save).to_be_disabled()
    hint = page.locator("form.action.submit [data-upload-wait]")
    expect(hint).to_have_text("Wait for the upload to finish.")
    expect(hint).to_be_visible()
    assert len(held) == 1
    shoot("upload-in-flight-actions-wait")

    held.pop().continue_()
    expect(page.get_by_role("link", name="to-trinh.pdf")).to_be_visible()
    expect(submit).to_be_enabled()
    expect(save).to_be_enabled()
    expect(hint).to_have_count(0)
    version = Nomination.objects.get(pk=draft.pk).version
    assert version == draft.version + 1
    expect(page.locator("form.action.submit input[name=version]")).to_have_value(str(version))

    # An upload that fails gives the buttons back too.
    attach(page, "achievement_report", "bao-cao.pdf")
    expect(submit).to_be_disabled()
    held.pop().abort()
    expect(page.locator("[data-upload-feedback]")).to_contain_text("The upload failed")
    expect(submit).to_be_enabled()
    expect(page.locator("[data-upload-wait]")).to_have_count(0)
    shoot("upload-failed-actions-back")

    # Submit right after the upload acts on the dossier's new version: no conflict.
    page.unroute(re.compile(r".*/evidence/$"))
    submit.click()
    expect(page.locator(".status")).to_have_text("Unit head confirmation")
    expect(page.get_by_text("Someone changed this nomination")).to_have_count(0)
