"""After an action, one sentence says what happened and where the nomination is now, naming its
reference and whom it waits on by role; an action posted without the reasons it needs comes
back as the nomination's page with the error on the reasons field."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from nominations.models import Nomination, RouteStage
from nominations.roles import Role
from nominations.sentences import after_action
from nominations.stages import Stage
from tests.conftest import reviewer_for
from workflows import services

from .test_languages import parse


def post_action(client, user, nomination, action, reasons="", language="en"):
    """Post `action` from the nomination's page as `user`; the response after the redirect."""
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.post(
        reverse("nomination_act", args=[nomination.pk, action]),
        {"version": Nomination.objects.get(pk=nomination.pk).version, "reasons": reasons},
        headers={"accept-language": language},
        follow=True,
    )


def said(response) -> list[str]:
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def act(client, world, nomination, action, **kwargs):
    user = world.proposer if action in ("submit", "resubmit", "withdraw") else None
    user = user or reviewer_for(world, Nomination.objects.get(pk=nomination.pk))
    return said(post_action(client, user, nomination, action, **kwargs))


# --- the sentence after each action --------------------------------------------------------


def test_each_step_of_the_full_route_says_where_the_nomination_went(client, world, draft):
    ref = draft.reference
    steps = [
        ("submit", f"{ref} was submitted and sent to the unit head for confirmation."),
        ("approve", f"{ref} was approved and sent to the party committee for its opinion."),
        ("approve", f"{ref} was approved and sent to the agency's leadership for review."),
        (
            "approve",
            f"{ref} was approved and sent to the Emulation and Commendation Council for its vote.",
        ),
    ]
    for action, sentence in steps:
        assert act(client, world, draft, action, reasons="Đồng ý.") == [sentence]


def test_the_last_approval_of_a_route_without_the_council_sends_it_for_the_decision(
    client, world, walk, draft
):
    draft.award_type = world.short
    draft.save()
    walk(draft, "submit", "approve")
    assert act(client, world, draft, "approve") == [
        f"{draft.reference} was approved and sent to the signer for the award decision."
    ]


def test_a_return_and_a_resubmission_say_where_the_nomination_went(client, world, walk, draft):
    walk(draft, "submit", "approve")
    ref = draft.reference
    assert act(client, world, draft, "return_for_revision", reasons="Thiếu biên bản.") == [
        f"{ref} was returned to the proposing unit for revision."
    ]
    assert act(client, world, draft, "resubmit") == [
        f"{ref} was resubmitted and sent to the unit head for confirmation."
    ]


@pytest.mark.parametrize(
    ("action", "reasons", "ending"),
    [("reject", "Chưa đạt tiêu chuẩn.", "was rejected."), ("withdraw", "", "was withdrawn.")],
)
def test_a_journey_that_ends_says_so(client, world, walk, draft, action, reasons, ending):
    walk(draft, "submit")
    assert act(client, world, draft, action, reasons=reasons) == [f"{draft.reference} {ending}"]


def test_the_sentence_is_the_readers_language(client, world, walk, draft):
    ref = draft.reference
    response = post_action(client, world.proposer, draft, "submit", language="vi")
    assert said(response) == [f"Hồ sơ {ref} đã được trình và chuyển thủ trưởng đơn vị xác nhận."]
    assert parse(response.content.decode()).lang == "vi"
    assert f"Hồ sơ {ref} đã được trình và chuyển thủ trưởng đơn vị xác nhận." in (
        response.content.decode()
    )  # shown on the page it leads back to
    response = post_action(client, world.unit_head, draft, "approve", language="vi")
    assert said(response) == [f"Hồ sơ {ref} đã được chấp thuận và chuyển cấp ủy cho ý kiến."]
    response = post_action(
        client, world.party_reviewer, draft, "return_for_revision", "Thiếu biên bản.", "vi"
    )
    assert said(response) == [f"Hồ sơ {ref} đã được trả lại đơn vị đề nghị để bổ sung, hoàn thiện."]
    response = post_action(client, world.proposer, draft, "withdraw", language="vi")
    assert said(response) == [f"Hồ sơ {ref} đã được rút."]


def test_the_next_holder_is_the_role_the_route_names(world, walk, draft):
    """A route may give a stage to another role: the sentence names whoever it waits on."""
    RouteStage.objects.filter(award_type=world.full, stage=Stage.UNIT_REVIEW).update(
        role=Role.LEADERSHIP_REVIEWER
    )
    submitted = walk(Nomination.objects.get(pk=draft.pk), "submit")
    assert after_action("submit", submitted) == (
        f"{draft.reference} was submitted and sent to the agency's leadership for confirmation."
    )


def test_other_actions_say_where_the_nomination_is_now(world, walk, draft):
    """The council's and the signer's actions are said from where the nomination now stands."""
    at_council = walk(draft, "submit", "approve", "approve", "approve")
    council_approved = walk(at_council, "council_approve")
    assert after_action("council_approve", council_approved) == (
        f"{draft.reference} is now with the signer for the award decision."
    )
    awarded = services.confer(council_approved, actor=world.signer)
    assert after_action("confer", awarded) == f"{draft.reference} is now “Awarded”."


# --- an action without its reasons ---------------------------------------------------------


@pytest.mark.parametrize("action", ["return_for_revision", "reject"])
@pytest.mark.parametrize(
    ("language", "label", "error"),
    [("en", "Reasons", "This field is required."), ("vi", "Lý do", "Trường này là bắt buộc.")],
)
def test_an_action_without_its_reasons_shows_the_page_again_with_the_error_on_the_field(
    client, world, walk, draft, action, language, label, error
):
    walk(draft, "submit")
    before = (Nomination.objects.get(pk=draft.pk).status, AuditEvent.objects.count())
    client.force_login(world.unit_head)
    client.cookies["django_language"] = language
    response = client.post(
        reverse("nomination_act", args=[draft.pk, action]),
        {"version": Nomination.objects.get(pk=draft.pk).version, "reasons": "   "},
        headers={"accept-language": language},
    )
    assert response.status_code == 400
    assert response.templates[0].name == "workflows/detail.html"
    page = response.content.decode()
    assert 'id="refused-title"' not in page
    assert (Nomination.objects.get(pk=draft.pk).status, AuditEvent.objects.count()) == before

    field = f"reasons-{action}"
    form = re.search(rf'<form[^>]*class="action {action}[^"]*".*?</form>', page, re.S).group(0)
    # The decision is chosen again, so its form and the error show without a click.
    assert re.search(rf'<input type="radio"[^>]*id="decide-{action}"[^>]*\bchecked>', page)
    assert len(re.findall(r'<input type="radio"[^>]*\bchecked>', page)) == 1
    assert re.search(rf'<label class="form-label" for="{field}">{label}</label>', form)
    textarea = re.search(rf'<textarea[^>]*id="{field}"[^>]*>', form).group(0)
    assert 'aria-invalid="true"' in textarea and "required" in textarea
    assert f'aria-describedby="{field}_error"' in textarea  # named once
    feedback = re.search(
        rf'<div class="invalid-feedback d-block" id="{field}_error">(.*?)</div>', form
    )
    assert feedback and feedback.group(1) == error
    # The other forms on the page are fresh: no error on them.
    assert page.count('aria-invalid="true"') == 1
    # Drawn at the action's address, the page's own links still lead to the nomination's page.
    detail = reverse("nomination_detail", args=[draft.pk])
    assert f'<input name="next" type="hidden" value="{detail}">' in page


def test_after_the_error_the_action_posted_with_its_reasons_is_done(client, world, walk, draft):
    walk(draft, "submit")
    client.force_login(world.unit_head)
    url = reverse("nomination_act", args=[draft.pk, "reject"])
    version = Nomination.objects.get(pk=draft.pk).version
    assert client.post(url, {"version": version, "reasons": ""}).status_code == 400
    response = client.post(url, {"version": version, "reasons": "Chưa đạt."}, follow=True)
    assert said(response) == [f"{draft.reference} was rejected."]


def test_an_action_form_that_cannot_be_shown_again_is_refused_naming_the_field(
    client, world, walk, draft
):
    """Without the version the page is not the one the actor saw: refused, the field named."""
    walk(draft, "submit")
    client.force_login(world.unit_head)
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "reject"]), {"reasons": "Chưa đạt."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="refused-title"' in page
    assert "Version: This field is required." in page
