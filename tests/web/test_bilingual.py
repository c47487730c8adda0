"""Reference data in the reader's language: a unit's and an award type's name and the award
type's legal basis read the same on every page — the inbox, the dossier form, the nomination's
page, the decision — in English for an English reader and in Vietnamese for a Vietnamese one;
document kinds are labelled in one language at a time; the language switcher names each
language in its own name."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from approvals import outcomes
from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.models import AwardType, Evidence, Unit

from .test_languages import parse

VI = {
    "unit": "Phòng Tổng hợp",
    "agency": "Văn phòng Quốc hội",
    "award": "Lao động tiên tiến",
    "basis": "Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP",
}
EN = {
    "unit": "Synthesis Division",
    "agency": "Office of the National Assembly",
    "award": "Advanced Worker",
    "basis": "Law on Emulation and Commendation 2022; Decree No. 98/2023/ND-CP",
}
IN = {"vi": (VI, EN), "en": (EN, VI)}  # language → (the names read, the names never read)


@pytest.fixture
def named(world):
    """The proposing unit, the agency and the short-route award type, named in both languages."""
    for unit, key in ((world.unit, "unit"), (world.agency, "agency")):
        unit.name_vi, unit.name_en = VI[key], EN[key]
        unit.save()
    award = world.short
    award.name_vi, award.name_en = VI["award"], EN["award"]
    award.legal_basis_vi, award.legal_basis_en = VI["basis"], EN["basis"]
    award.save()
    return world


@pytest.fixture
def nomination(named, walk):
    """A nomination of that award type, proposed by that unit."""
    return dossier.create_draft(
        actor=named.proposer,
        campaign=named.campaign,
        award_type=named.short,
        proposing_unit=named.unit,
        nominee_person=named.staff,
        achievements="Hoàn thành tốt nhiệm vụ.",
    )


def page_in(client, user, url, language) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, url
    html = response.content.decode()
    assert parse(html).lang == language
    return html


def assert_reads(html: str, language: str, *keys: str) -> None:
    """The page has these names in `language` and none of them in the other language."""
    shown, never = IN[language]
    for key in keys:
        assert shown[key] in html, (language, key)
        assert never[key] not in html, (language, key)


# --- the model: one way to name reference data ----------------------------------------------


def test_names_and_legal_basis_follow_the_language_with_vietnamese_standing_in(named):
    unit, award, campaign = named.unit, named.short, named.campaign
    with translation.override("en"):
        assert (str(unit), unit.name) == (EN["unit"], EN["unit"])
        assert (str(award), award.name, award.legal_basis) == (
            EN["award"],
            EN["award"],
            EN["basis"],
        )
    with translation.override("vi"):
        assert (str(unit), unit.name) == (VI["unit"], VI["unit"])
        assert (str(award), award.name, award.legal_basis) == (
            VI["award"],
            VI["award"],
            VI["basis"],
        )
        assert str(campaign) == campaign.name_vi

    # English left blank: the Vietnamese is shown rather than nothing.
    Unit.objects.filter(pk=unit.pk).update(name_en="")
    AwardType.objects.filter(pk=award.pk).update(name_en="", legal_basis_en="")
    unit, award = Unit.objects.get(pk=unit.pk), AwardType.objects.get(pk=award.pk)
    with translation.override("en"):
        assert (str(unit), str(award), award.legal_basis) == (VI["unit"], VI["award"], VI["basis"])


def test_the_dossier_snapshot_names_a_collective_the_same_in_either_language(world):
    """The snapshot is stored and compared later: it must not change with the reader."""
    draft = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.collective,
        proposing_unit=world.unit,
        nominee_unit=world.unit,
        achievements="Tập thể hoàn thành xuất sắc nhiệm vụ.",
    )
    with translation.override("en"):
        english = draft.dossier_snapshot()
    with translation.override("vi"):
        vietnamese = draft.dossier_snapshot()
    assert english == vietnamese
    assert english["nominee"] == world.unit.name_vi


# --- the pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_inbox_names_the_award_and_the_unit_in_the_readers_language(
    client, named, nomination, walk, language
):
    walk(nomination, "submit")
    html = page_in(client, named.unit_head, reverse("inbox"), language)
    assert_reads(html, language, "unit", "award")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_dossier_form_offers_and_explains_in_the_readers_language(
    client, named, nomination, language
):
    shown, _ = IN[language]
    for url in (reverse("nomination_create"), reverse("nomination_edit", args=[nomination.pk])):
        html = page_in(client, named.proposer, url, language)
        assert_reads(html, language, "unit", "award", "basis")
        # The choices themselves: the award type's select and the unit's.
        award_select = re.search(r'<select name="award_type".*?</select>', html, re.S).group(0)
        assert f">{shown['award']}</option>" in award_select
        unit_select = re.search(r'<select name="proposing_unit".*?</select>', html, re.S).group(0)
        assert f">{shown['unit']}</option>" in unit_select
        # The eligibility hint of the award type, with its legal basis.
        hint = re.search(rf'data-award-hint="{named.short.pk}".*?</dl>', html, re.S).group(0)
        assert shown["award"] in hint and shown["basis"] in hint


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_nomination_page_names_award_unit_and_legal_basis_in_the_readers_language(
    client, named, nomination, walk, language
):
    walk(nomination, "submit")
    html = page_in(
        client, named.unit_head, reverse("nomination_detail", args=[nomination.pk]), language
    )
    assert_reads(html, language, "unit", "award", "basis")
    shown, _ = IN[language]
    dossier_list = re.search(r'<dl class="row mb-0 dossier">.*?</dl>', html, re.S).group(0)
    for key in ("award", "unit", "basis"):
        assert f'<dd class="col-sm-8">{shown[key]}</dd>' in dossier_list


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_decision_names_agency_award_unit_and_legal_basis_in_the_readers_language(
    client, named, nomination, walk, language
):
    walk(nomination, "submit", "approve", "approve")
    decision = outcomes.sign_decision(
        actor=named.signer,
        agency=named.agency,
        nominations=[nomination],
        title="Quyết định tặng danh hiệu Lao động tiên tiến",
    )
    html = page_in(client, named.staff, reverse("decision_detail", args=[decision.pk]), language)
    # (The decision's title is the signed text itself: it stays as written.)
    assert_reads(html.replace(decision.title, ""), language, "agency", "unit", "award", "basis")
    shown, _ = IN[language]
    assert f'<p class="small mb-0 mt-1 award-basis">{shown["award"]}: {shown["basis"]}</p>' in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_lists_dashboard_and_inspector_name_them_alike(
    client, named, nomination, walk, language
):
    walk(nomination, "submit")
    for user, url in [
        (named.proposer, reverse("nomination_list")),
        (named.proposer, reverse("dashboard")),
        (named.inspector, reverse("inspector_events")),
        (named.inspector, reverse("inspector_timeline", args=[nomination.pk])),
    ]:
        html = page_in(client, user, url, language)
        assert_reads(html, language, "unit", "award")


# --- document kinds -------------------------------------------------------------------------


def test_document_kinds_are_labelled_in_english_without_vietnamese_asides():
    with translation.override("en"):
        labels = dict(Evidence.Kind.choices)
    assert labels["request_letter"] == "Request letter"
    for label in labels.values():
        assert "(" not in str(label) and not re.search(r"[^\x00-\x7f’]", str(label)), label


@pytest.mark.parametrize(
    ("language", "shown", "never"),
    [
        ("en", ["Request letter", "Achievement report"], ["tờ trình", "Tờ trình"]),
        ("vi", ["Tờ trình", "Báo cáo thành tích"], ["Request letter", "Achievement report"]),
    ],
)
def test_the_document_kinds_read_in_the_readers_language(
    client, world, nomination, language, shown, never
):
    dossier.add_evidence(
        nomination,
        actor=world.proposer,
        kind=Evidence.Kind.REQUEST_LETTER,
        upload=_pdf(),
    )
    html = page_in(
        client, world.proposer, reverse("nomination_detail", args=[nomination.pk]), language
    )
    select = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    for label in shown:
        assert f">{label}</option>" in select, label
    assert f'<div class="small text-body-secondary">{shown[0]} · ' in html  # the letter attached
    for label in never:
        assert label not in html, label


def _pdf():
    return SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 to trinh", content_type="application/pdf")


# --- the language switcher -----------------------------------------------------------------


def switcher(html: str) -> list[tuple[str, str, str]]:
    select = re.search(r'<select id="language".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\w+)" lang="(\w+)"[^>]*>([^<]*)</option>', select)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_language_switcher_names_each_language_in_its_own_name_on_every_page(
    client, world, language
):
    own = [("vi", "vi", "Tiếng Việt"), ("en", "en", "English")]
    client.cookies["django_language"] = language
    login = client.get(reverse("login"), headers={"accept-language": language}).content.decode()
    assert parse(login).lang == language
    assert switcher(login) == own
    html = page_in(client, world.proposer, reverse("inbox"), language)
    assert switcher(html) == own
    for translated in ("Tiếng Anh", "Vietnamese", "Tiếng Việt Nam"):
        assert translated not in login and translated not in html
    selected = re.search(r'<option value="(\w+)"[^>]*selected', html).group(1)
    assert selected == language


def test_a_dossier_edit_records_reference_data_by_its_vietnamese_name_in_any_language(
    client, named, nomination
):
    """Edits recorded by readers of either language compare alike (the inspector's revisions
    compare the first value recorded with the last)."""
    for language, award in (("en", named.full), ("vi", named.short)):
        client.force_login(named.proposer)
        client.cookies["django_language"] = language
        response = client.post(
            reverse("nomination_edit", args=[nomination.pk]),
            {"award_type": award.pk, "nominee_person": named.staff.pk, "achievements": "Tốt."},
            headers={"accept-language": language},
        )
        assert response.status_code == 302
    recorded = [
        e.data["changes"]["award_type"]
        for e in AuditEvent.objects.filter(action=Event.DOSSIER_EDITED).order_by("seq")
    ]
    assert recorded == [
        [VI["award"], named.full.name_vi],
        [named.full.name_vi, VI["award"]],
    ]
