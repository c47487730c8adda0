"""The nomination form as the proposer sees it: sections, eligibility hints, field errors,
drafts created and edited, and evidence sent by laurel.js (JSON) or by the plain form."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations.models import Evidence, Nomination

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


def dossier_data(world, **changes):
    return {
        "campaign": world.campaign.pk,
        "award_type": world.full.pk,
        "proposing_unit": world.unit.pk,
        "nominee_person": world.staff.pk,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        **changes,
    }


def pdf(name="báo cáo.pdf", content=b"%PDF-1.4 demo"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def hint_of(page: str, award_type) -> str:
    match = re.search(
        rf'<div class="award-hint[^"]*" data-award-hint="{award_type.pk}"(.*?)</dl>', page, re.S
    )
    assert match, award_type
    return match.group(0)


def test_the_form_is_drawn_in_sections_with_headings_and_required_markers(client, world):
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_create")).content.decode()
    for key, title in [
        ("award", "1. Award"),
        ("nominee", "2. Nominee"),
        ("achievements", "3. Achievements"),
        ("contributions", "4. Initiatives and contributions"),
        ("evidence", "5. Evidence"),
    ]:
        assert f'id="section-{key}"' in page
        assert f'href="#section-{key}"' in page  # the list of sections links to each
        assert title in page
    label = re.search(r'<label[^>]*for="id_award_type"[^>]*>.*?</label>\s*(<span[^>]*>)', page)
    assert label and "text-danger" in label.group(1)  # the required marker
    assert "Save the draft first" in page  # no evidence before the draft exists
    assert "data-validate" in page and "data-award-select" in page


def test_every_award_type_has_its_eligibility_hint(client, world):
    world.collective.legal_basis_vi = "Luật Thi đua, khen thưởng 2022, Điều 27"
    world.collective.public_notice_days = 5
    world.collective.reviewers_from_other_units_only = True
    world.collective.save()
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_create")).content.decode()
    assert "<details>" in page  # without JavaScript all hints are one click away

    full = hint_of(page, world.full)
    assert 'data-individuals="1" data-collectives="0"' in full
    assert "Individuals only" in full
    for stage in ["Unit head confirmation", "Party committee review", "Council review"]:
        assert stage in full

    short = hint_of(page, world.short)
    assert "Unit head confirmation" in short and "Leadership review" in short
    assert "Party committee review" not in short

    collective = hint_of(page, world.collective)
    assert 'data-individuals="0" data-collectives="1"' in collective
    assert "Collectives only" in collective
    assert "Luật Thi đua, khen thưởng 2022, Điều 27" in collective
    assert "5 working days before the decision" in collective
    assert "Only people from other units may review it." in collective


def test_invalid_input_shows_each_error_by_its_field_and_creates_nothing(client, world):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_create"), dossier_data(world, award_type="", nominee_person="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'<select[^>]*class="[^"]*is-invalid[^"]*"[^>]*id="id_award_type"', page)
    assert 'id="id_award_type_error"' in page
    # The summary at the top names the field and links to it.
    summary = re.search(
        r'<div class="alert alert-danger"[^>]*data-server-errors>.*?</div>', page, re.S
    )
    assert summary and 'href="#id_award_type"' in summary.group(0)
    assert "Choose either a person or a collective as nominee." in summary.group(0)
    assert not Nomination.objects.exists()


def test_a_nominee_of_the_wrong_kind_is_shown_at_the_nominee_field(client, world):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_create"), dossier_data(world, award_type=world.collective.pk)
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'id="id_nominee_person_error">(.*?)</div>', page, re.S)
    assert error and "This award is for collectives." in error.group(1)
    assert not Nomination.objects.exists()


def test_a_draft_is_created_then_edited_through_the_form(client, world):
    client.force_login(world.proposer)
    response = client.post(reverse("nomination_create"), dossier_data(world))
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("nomination_detail", args=[nomination.pk])

    edit = reverse("nomination_edit", args=[nomination.pk])
    page = client.get(edit).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ." in page
    assert 'id="evidence-list"' in page and "data-upload" in page  # the evidence section
    # The draft may be submitted from here; the form posts the version the proposer saw.
    submit = re.search(r'<form[^>]*action="([^"]+)" class="action submit".*?</form>', page, re.S)
    assert submit and submit.group(1) == reverse("nomination_act", args=[nomination.pk, "submit"])
    assert f'name="version" value="{nomination.version}"' in submit.group(0)

    response = client.post(
        edit,
        {
            "award_type": world.full.pk,
            "nominee_person": world.staff.pk,
            "achievements": "Bản mới.",
            "initiatives": "Sáng kiến số hoá hồ sơ.",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.achievements, nomination.initiatives) == (
        "Bản mới.",
        "Sáng kiến số hoá hồ sơ.",
    )


def test_an_invalid_edit_shows_the_error_and_keeps_the_dossier(client, world, draft):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_edit", args=[draft.pk]),
        {"award_type": world.full.pk, "nominee_unit": world.unit.pk, "achievements": "Khác."},
    )
    assert response.status_code == 400
    assert "This award is for individuals." in response.content.decode()
    assert Nomination.objects.get(pk=draft.pk).achievements == draft.achievements


def test_the_edit_page_offers_no_submit_to_who_may_not_submit(client, world, walk, draft):
    client.force_login(world.proposer)
    walk(draft, "submit", "return_for_revision")
    page = client.get(reverse("nomination_edit", args=[draft.pk])).content.decode()
    assert 'class="action resubmit"' in page and 'class="action submit"' not in page


def test_a_draft_not_ready_to_submit_says_what_is_missing(client, world, draft):
    Nomination.objects.filter(pk=draft.pk).update(achievements="")
    client.force_login(world.proposer)
    page = client.get(reverse("nomination_edit", args=[draft.pk])).content.decode()
    assert 'class="action submit"' not in page
    assert "Not ready to submit yet" in page
    assert "Write the achievements summary of the dossier." in page


def test_an_upload_by_laurel_js_is_answered_in_json(client, world, draft):
    client.force_login(world.proposer)
    response = client.post(
        reverse("evidence_add", args=[draft.pk]),
        {"kind": "achievement_report", "file": pdf()},
        **XHR,
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True and answer["errors"] == []
    evidence = Evidence.objects.get()
    assert answer["evidence"]["id"] == evidence.pk
    assert evidence.original_name == "báo cáo.pdf"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"kind": "achievement_report", "file": "html"}, "cannot be attached"),
        ({"kind": "achievement_report", "file": "empty"}, "empty"),
        ({"kind": "achievement_report"}, "Choose a document type and a file."),
        ({"kind": "no-such-kind", "file": "pdf"}, "Choose a document type and a file."),
    ],
    ids=["not-a-document", "empty-file", "no-file", "unknown-kind"],
)
def test_a_bad_upload_by_laurel_js_is_a_400_with_the_reason(client, world, draft, data, reason):
    files = {
        "html": SimpleUploadedFile("r.pdf", b"<html><script>x</script></html>", "application/pdf"),
        "empty": SimpleUploadedFile("r.pdf", b"", "application/pdf"),
        "pdf": pdf(),
    }
    if "file" in data:
        data = {**data, "file": files[data["file"]]}
    client.force_login(world.proposer)
    response = client.post(reverse("evidence_add", args=[draft.pk]), data, **XHR)
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert any(reason in e for e in answer["errors"]), answer
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action=Event.EVIDENCE_ADDED).exists()


def test_an_upload_to_a_dossier_the_user_may_not_edit_is_a_403_in_json(client, world, walk, draft):
    walk(draft, "submit")
    client.force_login(world.proposer)
    response = client.post(
        reverse("evidence_add", args=[draft.pk]), {"kind": "other", "file": pdf()}, **XHR
    )
    assert response.status_code in (403, 409)
    assert response.json()["ok"] is False
    assert not Evidence.objects.exists()


def test_the_plain_form_upload_still_redirects_to_the_page_it_came_from(client, world, draft):
    client.force_login(world.proposer)
    url = reverse("evidence_add", args=[draft.pk])
    response = client.post(url, {"kind": "other", "file": pdf()})
    assert response.status_code == 302
    assert response["Location"] == reverse("nomination_detail", args=[draft.pk])
    response = client.post(url, {"kind": "other", "file": pdf("b.pdf"), "back": "edit"})
    assert response["Location"] == reverse("nomination_edit", args=[draft.pk])
    assert Evidence.objects.count() == 2
    # A bad file without JavaScript: the refusal page, as before.
    response = client.post(url, {"kind": "other", "file": pdf(content=b"MZ\x90")})
    assert response.status_code == 400
    assert "cannot be attached" in response.content.decode()

    removed = Evidence.objects.first()
    response = client.post(
        reverse("evidence_remove", args=[draft.pk, removed.pk]), {"back": "edit"}
    )
    assert response["Location"] == reverse("nomination_edit", args=[draft.pk])
    assert Evidence.objects.count() == 1


def test_the_evidence_list_shows_kind_size_and_a_download_link(client, world, draft):
    client.force_login(world.proposer)
    client.post(reverse("evidence_add", args=[draft.pk]), {"kind": "request_letter", "file": pdf()})
    evidence = Evidence.objects.get()
    for url in (
        reverse("nomination_detail", args=[draft.pk]),
        reverse("nomination_edit", args=[draft.pk]),
    ):
        page = client.get(url).content.decode()
        listing = re.search(
            r'<div class="list-group[^"]*" id="evidence-list".*?</div>\s*</div>', page, re.S
        )
        assert listing, url
        assert reverse("evidence_download", args=[draft.pk, evidence.pk]) in listing.group(0)
        assert "Request letter" in listing.group(0) and "13\xa0bytes" in listing.group(0)
