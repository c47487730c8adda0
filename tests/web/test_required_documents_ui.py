"""The documents an award type requires, as the pages show them: ticked on the draft page with
what is missing named before Submit, on the nomination's page for the reviewers, among the award
type's hints, and checkable in the admin; and the upload's answer carries the new version."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nominations import services as dossier
from nominations.models import Evidence, Nomination
from nominations.stages import Status

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}
LETTER = Evidence.Kind.REQUEST_LETTER
REPORT = Evidence.Kind.ACHIEVEMENT_REPORT
MISSING = "Attach the required documents still missing:"


def requires(award_type, *kinds):
    award_type.required_documents = [str(k) for k in kinds]
    award_type.save()


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 x", content_type="application/pdf")


def attach(nomination, kind, actor):
    return dossier.add_evidence(nomination, actor=actor, kind=kind, upload=pdf()).nomination


def checklist(page: str) -> dict[str, str]:
    """The required documents the page lists: kind → "attached" or "missing"."""
    block = re.search(r'<div class="[^"]*" id="required-documents".*?</ul>', page, re.S)
    assert block, "no list of required documents"
    return dict(
        (kind, state)
        for state, kind in re.findall(
            r'<li class="required-document (attached|missing)" data-kind="(\w+)"', block.group(0)
        )
    )


def page_of(client, name, nomination) -> str:
    response = client.get(reverse(name, args=[nomination.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_draft_page_ticks_the_documents_and_names_the_missing_before_submit(
    client, world, draft
):
    requires(world.full, LETTER, REPORT)
    attach(draft, REPORT, world.proposer)
    client.force_login(world.proposer)

    page = page_of(client, "nomination_edit", draft)

    assert checklist(page) == {"request_letter": "missing", "achievement_report": "attached"}
    assert 'class="action submit"' not in page
    not_ready = re.search(r'aria-labelledby="not-ready-heading">.*?</section>', page, re.S)
    assert not_ready
    assert f"{MISSING} Request letter." in not_ready.group(0)
    assert "Achievement report" not in not_ready.group(0)


def test_the_draft_page_offers_submit_once_every_document_is_attached(client, world, draft):
    requires(world.full, LETTER, REPORT)
    draft = attach(draft, LETTER, world.proposer)
    draft = attach(draft, REPORT, world.proposer)
    client.force_login(world.proposer)

    page = page_of(client, "nomination_edit", draft)

    assert checklist(page) == {"request_letter": "attached", "achievement_report": "attached"}
    assert 'class="action submit"' in page and MISSING not in page
    # The parts laurel.js redraws after an upload are there to be redrawn.
    for part in ("evidence-list", "required-documents", "submit-area"):
        assert re.search(rf'id="{part}"[^>]*data-refresh', page), part


def test_a_page_without_required_documents_lists_none(client, world, draft):
    client.force_login(world.proposer)
    for name in ("nomination_edit", "nomination_detail"):
        assert 'id="required-documents"' not in page_of(client, name, draft)


def test_a_submit_posted_without_the_documents_is_refused_naming_them(client, world, draft):
    requires(world.full, LETTER, REPORT)
    client.force_login(world.proposer)

    response = client.post(
        reverse("nomination_act", args=[draft.pk, "submit"]), {"version": draft.version}
    )

    assert response.status_code == 409
    assert f"{MISSING} Request letter, Achievement report." in (response.content.decode())
    assert Nomination.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_unit_head_sees_the_required_documents_and_which_are_present(
    client, world, walk, draft
):
    requires(world.full, LETTER, REPORT)
    draft = attach(draft, LETTER, world.proposer)
    draft = attach(draft, REPORT, world.proposer)
    walk(draft, "submit")
    client.force_login(world.unit_head)

    page = page_of(client, "nomination_detail", draft)
    assert checklist(page) == {"request_letter": "attached", "achievement_report": "attached"}
    assert "Required documents" in page

    # Should the award type come to require more, the reviewer sees what the dossier lacks.
    requires(world.full, LETTER, REPORT, Evidence.Kind.MEETING_MINUTES)
    page = page_of(client, "nomination_detail", draft)
    assert checklist(page)["meeting_minutes"] == "missing"
    # Only the proposing unit is told how to complete it.
    assert "The dossier can be submitted once every required document is attached." not in page


def test_the_proposer_on_the_nominations_page_is_told_what_is_missing(client, world, draft):
    requires(world.full, LETTER)
    client.force_login(world.proposer)
    page = page_of(client, "nomination_detail", draft)
    assert checklist(page) == {"request_letter": "missing"}
    assert "The dossier can be submitted once every required document is attached." in page
    assert 'class="action submit' not in page
    assert re.search(r'<div id="actions-area" data-refresh>', page)


def test_the_award_hints_list_the_required_documents(client, world):
    requires(world.collective, LETTER, Evidence.Kind.MEETING_MINUTES)
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_create")).content.decode()
    hint = html.unescape(
        re.search(rf'data-award-hint="{world.collective.pk}".*?</dl>', page, re.S).group(0)
    )
    assert "Required documents" in hint
    assert "Request letter" in hint and "Minutes of the unit's review meeting" in hint


def test_the_upload_answers_with_the_dossiers_new_version(client, world, draft):
    client.force_login(world.proposer)
    response = client.post(
        reverse("evidence_add", args=[draft.pk]), {"kind": "request_letter", "file": pdf()}, **XHR
    )
    assert response.status_code == 200
    version = Nomination.objects.get(pk=draft.pk).version
    assert version == draft.version + 1
    assert response.json()["version"] == version
    # The upload form carries the hint shown beside the actions while it uploads.
    page = page_of(client, "nomination_edit", draft)
    assert 'data-wait="Wait for the upload to finish."' in page


def test_the_admin_edits_the_required_documents_as_checkboxes(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    url = reverse("admin:nominations_awardtype_change", args=[world.full.pk])
    page = client.get(url).content.decode()
    for kind in Evidence.Kind.values:
        assert re.search(
            rf'<input type="checkbox" name="required_documents" value="{kind}"', page
        ), kind
