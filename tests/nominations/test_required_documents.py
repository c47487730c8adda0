"""Each award type names the documents a dossier must include; submitting and resubmitting are
refused while any of them is missing, and the refusal names what is missing."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from nominations import services as dossier
from nominations.exceptions import TransitionRefused
from nominations.models import AwardType, Evidence, Nomination
from nominations.stages import Status
from tests.factories import AwardTypeFactory
from workflows import services

LETTER = Evidence.Kind.REQUEST_LETTER
REPORT = Evidence.Kind.ACHIEVEMENT_REPORT
MINUTES = Evidence.Kind.MEETING_MINUTES


def requires(award_type, *kinds):
    award_type.required_documents = [str(k) for k in kinds]
    award_type.save()


def attach(nomination, kind, actor):
    upload = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    return dossier.add_evidence(nomination, actor=actor, kind=kind, upload=upload).nomination


def status_in_db(nomination) -> str:
    return Nomination.objects.values_list("status", flat=True).get(pk=nomination.pk)


def test_award_types_require_no_documents_unless_told(world, draft):
    assert AwardTypeFactory().required_documents == []
    assert draft.required_documents() == [] and draft.missing_documents() == []
    assert draft.can("submit")


def test_submitting_without_the_required_documents_is_refused_naming_them(world, draft):
    requires(world.full, LETTER, REPORT)

    with pytest.raises(TransitionRefused) as refused:
        services.submit(draft, actor=world.proposer)

    assert refused.value.reasons == [
        "Attach the required documents still missing: Request letter, Achievement report."
    ]
    assert status_in_db(draft) == Status.DRAFT


def test_the_refusal_names_only_the_documents_still_missing(world, draft):
    requires(world.full, LETTER, REPORT, MINUTES)
    draft = attach(draft, REPORT, world.proposer)
    draft = attach(draft, Evidence.Kind.OTHER, world.proposer)  # not one of those required

    with pytest.raises(TransitionRefused) as refused:
        services.submit(draft, actor=world.proposer)

    assert refused.value.reasons == [
        "Attach the required documents still missing: Request letter, "
        "Minutes of the unit's review meeting."
    ]
    assert [(d.kind, d.attached) for d in draft.required_documents()] == [
        (LETTER, False),
        (REPORT, True),
        (MINUTES, False),
    ]


def test_submitting_is_allowed_once_every_required_document_is_attached(world, draft):
    requires(world.full, LETTER, REPORT)
    draft = attach(draft, LETTER, world.proposer)
    assert not draft.can("submit")
    draft = attach(draft, REPORT, world.proposer)
    assert draft.can("submit")

    submitted = services.submit(draft, actor=world.proposer)

    assert submitted.status == Status.UNIT_REVIEW == status_in_db(draft)


def test_resubmitting_is_refused_while_a_required_document_is_missing_then_allowed(
    world, walk, draft
):
    returned = walk(draft, "submit", "return_for_revision")
    # The reviewer asked for the unit's meeting minutes, which the award type now requires.
    requires(world.full, MINUTES)
    returned = Nomination.objects.get(pk=returned.pk)

    with pytest.raises(TransitionRefused) as refused:
        services.resubmit(returned, actor=world.proposer)
    assert refused.value.reasons == [
        "Attach the required documents still missing: Minutes of the unit's review meeting."
    ]
    assert status_in_db(returned) == Status.RETURNED

    returned = attach(returned, MINUTES, world.proposer)
    assert services.resubmit(returned, actor=world.proposer).status == Status.UNIT_REVIEW


def test_the_missing_documents_are_named_in_the_users_language(world, draft):
    requires(world.full, LETTER)
    with translation.override("vi"), pytest.raises(TransitionRefused) as refused:
        services.submit(draft, actor=world.proposer)
    assert "Tờ trình" in refused.value.reasons[0]
    assert "Request letter" not in refused.value.reasons[0]


def test_required_documents_are_known_kinds_each_named_once(world):
    award = world.full
    award.required_documents = [str(LETTER), "no-such-kind"]
    with pytest.raises(ValidationError):
        award.full_clean()
    award.required_documents = [str(LETTER), str(LETTER)]
    with pytest.raises(ValidationError):
        award.full_clean()
    award.required_documents = [str(LETTER), str(REPORT)]
    award.full_clean()


def test_the_admin_ticks_the_required_documents_and_stores_them_in_kind_order(world, rf):
    award = world.full
    request = rf.get("/")
    request.user = world.admin
    AwardTypeForm = admin.site._registry[AwardType].get_form(request, award)
    form = AwardTypeForm(instance=award)
    assert "code" in form.fields and "route" not in form.fields
    field = form.fields["required_documents"]
    assert [value for value, _ in field.choices] == Evidence.Kind.values
    assert field.widget.input_type == "checkbox"

    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "required_documents"
    }
    data["required_documents"] = [str(MINUTES), str(LETTER)]
    form = AwardTypeForm(data, instance=award)
    assert form.is_valid(), form.errors
    form.save()
    assert AwardType.objects.get(pk=award.pk).required_documents == [
        str(LETTER),
        str(MINUTES),
    ]
    assert AwardType.objects.get(pk=award.pk).required_document_labels() == [
        "Request letter",
        "Minutes of the unit's review meeting",
    ]

    form = AwardTypeForm({**data, "required_documents": ["no-such-kind"]}, instance=award)
    assert not form.is_valid() and "required_documents" in form.errors
