"""The eligibility checklist on the pages: the proposer sees, before submitting, which criteria
the chosen nominee meets (on the dossier form, redrawn as the nominee changes, and on the
nomination's page); a refused submission names the rule and its article; the reviewer sees the
checklist with icons and words, the legal basis and the record used, and, where approving needs
an override, is told so at the button and asked for the reasons (a form error, never a 500)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services as council
from nominations.models import CriterionKind, Nomination, Rating, RecognitionLevel
from workflows import services

from ..factories import (
    AnnualRatingFactory,
    ConferredAwardFactory,
    CriterionFactory,
    DisciplinaryMeasureFactory,
    InitiativeFactory,
    UserFactory,
    person,
)


@pytest.fixture
def rules(world):
    """The full route's award: a hard initiative rule and an advisory rating rule."""
    year = world.campaign.year
    CriterionFactory(
        award_type=world.full,
        code="initiative",
        position=1,
        kind=CriterionKind.INITIATIVE,
        level=RecognitionLevel.AGENCY,
        years=1,
        instrument="Luật Thi đua, khen thưởng 2022",
        article="23",
        clause="2",
    )
    CriterionFactory(
        award_type=world.full,
        code="rating",
        position=2,
        kind=CriterionKind.RATINGS,
        rating=Rating.EXCELLENT,
        years=1,
        hard=False,
        instrument="Nghị định 152/2025/NĐ-CP",
        article="7",
        in_force_from=datetime.date(2025, 7, 1),
    )
    AnnualRatingFactory(person=world.staff, year=year, rating=Rating.GOOD, reference="BB 03/2026")
    return year


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _lines(page: str) -> dict[str, str]:
    """Each checklist line's outcome, by the rule's code."""
    return dict(re.findall(r'data-code="([\w-]+)" data-outcome="(\w+)"', page))


def test_the_draft_page_shows_the_proposer_what_blocks_submission(client, world, draft, rules):
    client.force_login(world.proposer)
    page = _page(client, reverse("nomination_detail", args=[draft.pk]))
    assert _lines(page) == {"initiative": "fail", "rating": "fail"}
    checklist = page[page.index('id="eligibility"') :]
    # Icons and words, never colour alone; the article; the version; the record used.
    assert "✗" in checklist and "Not met" in checklist
    assert "clause 2, Article 23, Luật Thi đua, khen thưởng 2022" in checklist
    assert "Article 7, Nghị định 152/2025/NĐ-CP" in checklist
    assert "version in force from" in checklist
    assert "Completed tasks well — BB 03/2026" in checklist
    assert "required" in checklist and "advisory" in checklist
    assert "the dossier cannot be submitted for this nominee" in checklist


def test_a_refused_submission_names_the_rule_and_its_article(client, world, draft, rules):
    client.force_login(world.proposer)
    response = client.post(
        reverse("nomination_act", args=[draft.pk, "submit"]), {"version": draft.version}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "does not meet the award" in page
    assert "clause 2, Article 23, Luật Thi đua, khen thưởng 2022" in page
    assert Nomination.objects.get(pk=draft.pk).status == "draft"


def test_the_dossier_form_shows_the_checklist_and_redraws_it_for_the_nominee_chosen(
    client, world, draft, rules
):
    client.force_login(world.proposer)
    page = _page(client, reverse("nomination_edit", args=[draft.pk]))
    assert 'data-eligibility-preview data-url="/nominations/eligibility/"' in page
    assert _lines(page) == {"initiative": "fail", "rating": "fail"}
    # Another of the unit's people, with an initiative recognised this year.
    colleague = person(world.unit)
    InitiativeFactory(person=colleague, year=rules, title="Tra cứu hồ sơ theo từ khóa")
    AnnualRatingFactory(person=colleague, year=rules, rating=Rating.EXCELLENT)
    fragment = _page(
        client,
        reverse("eligibility_preview")
        + f"?campaign={world.campaign.pk}&award_type={world.full.pk}"
        + f"&nominee_person={colleague.pk}&nomination={draft.pk}",
    )
    assert _lines(fragment) == {"initiative": "pass", "rating": "pass"}
    assert "Tra cứu hồ sơ theo từ khóa" in fragment
    assert "<html" not in fragment  # a fragment, drawn into the form


def test_the_new_dossier_form_invites_a_choice_first(client, world, rules):
    client.force_login(world.proposer)
    page = _page(client, reverse("nomination_create"))
    assert "Choose the campaign, the award and the nominee" in page


def test_the_live_checklist_reads_no_record_outside_the_proposers_scope(client, world, rules):
    outsider = person(world.other_unit)
    DisciplinaryMeasureFactory(person=outsider, decided_on=world.campaign.rules_date)
    client.force_login(world.proposer)
    fragment = _page(
        client,
        reverse("eligibility_preview")
        + f"?campaign={world.campaign.pk}&award_type={world.full.pk}&nominee_person={outsider.pk}",
    )
    assert "data-code" not in fragment
    assert "Choose the campaign, the award and the nominee" in fragment
    client.force_login(world.party_reviewer)  # not a proposer at all
    assert client.get(reverse("eligibility_preview")).status_code == 403


@pytest.fixture
def at_review(world, draft, rules):
    InitiativeFactory(person=world.staff, year=rules)
    return services.submit(draft, actor=world.proposer)


def test_the_review_screen_asks_for_reasons_where_approving_overrides(client, world, at_review):
    client.force_login(world.unit_head)
    page = _page(client, reverse("nomination_detail", args=[at_review.pk]))
    assert _lines(page) == {"initiative": "pass", "rating": "fail"}
    approve = page[page.index('id="decision-approve"') :]
    approve = approve[: approve.index("</form>")]
    assert 'id="override-approve"' in approve
    assert "Approving needs your reasons" in approve
    assert "Reasons for approving despite the criteria" in approve
    assert re.search(r'<textarea[^>]*name="reasons"[^>]*required', approve)

    url = reverse("nomination_act", args=[at_review.pk, "approve"])
    refused = client.post(url, {"version": at_review.version, "reasons": ""})
    assert refused.status_code == 400  # the form again, with its error: never a 500
    body = refused.content.decode()
    assert "Give your reasons to approve" in body
    assert Nomination.objects.get(pk=at_review.pk).status == "unit_review"

    done = client.post(url, {"version": at_review.version, "reasons": "Đơn vị xác nhận."})
    assert done.status_code == 302
    assert Nomination.objects.get(pk=at_review.pk).status == "party_committee_review"
    # The timeline says the approval overrode the rule, beside the reasons given.
    after = _page(client, reverse("nomination_detail", args=[at_review.pk]))
    assert "Approved over the eligibility criteria: rating" in after
    assert "Đơn vị xác nhận." in after


def test_the_review_screen_asks_nothing_more_when_every_criterion_is_met(
    client, world, at_review, rules
):
    AnnualRatingFactory._meta.model.objects.filter(person=world.staff).update(
        rating=Rating.EXCELLENT
    )
    client.force_login(world.unit_head)
    page = _page(client, reverse("nomination_detail", args=[at_review.pk]))
    assert set(_lines(page).values()) == {"pass"}
    assert 'id="override-approve"' not in page


def _approve_all_the_way(world, n):
    for reviewer in (world.unit_head, world.party_reviewer, world.leader):
        n = services.approve(n, actor=reviewer, reasons="Đồng ý, đã xem xét các tiêu chuẩn.")
    return n


def test_after_its_last_check_the_page_shows_the_evaluation_kept(client, world, walk, at_review):
    n = _approve_all_the_way(world, at_review)
    assert n.status == "council_review"
    n = walk(n, "council_approve")
    AnnualRatingFactory._meta.model.objects.all().delete()  # the record changes afterwards…
    client.force_login(world.inspector)
    page = _page(client, reverse("nomination_detail", args=[n.pk]))
    # …the page shows what the nomination was judged on at its last check.
    assert "As judged at the nomination's last step" in page
    assert _lines(page) == {"initiative": "pass", "rating": "fail"}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_review_screen_queries_do_not_grow_with_the_record(client, world, at_review, rules):
    title = world.short
    for kind, params in [
        (CriterionKind.PRIOR_TITLE, {"title": title, "years": 3}),
        (CriterionKind.SERVICE_YEARS, {"years": 5}),
        (CriterionKind.NO_DISCIPLINE, {"years": 2}),
    ]:
        CriterionFactory(award_type=world.full, kind=kind, **params)
    # This year's title missing: the open nominations are read too (one query, as below).
    for year in (rules - 2, rules - 1):
        ConferredAwardFactory(award_type=title, person=world.staff, year=year)
    client.force_login(world.unit_head)
    url = reverse("nomination_detail", args=[at_review.pk])
    few = _queries(client, url)
    for year in range(rules - 9, rules - 2):
        AnnualRatingFactory(person=world.staff, year=year)
        ConferredAwardFactory(award_type=title, person=world.staff, year=year)
        InitiativeFactory(person=world.staff, year=year)
        DisciplinaryMeasureFactory(person=world.staff, decided_on=datetime.date(year, 5, 1))
    assert _queries(client, url) == few


def test_the_council_session_page_summarises_each_items_checklist(client, world, at_review):
    _approve_all_the_way(world, at_review)
    session = council.plan_session(
        actor=world.secretary,
        campaign=world.campaign,
        scheduled_on=datetime.date.today(),
        chair=world.member,
    )
    client.force_login(world.secretary)
    page = _page(client, reverse("council_session", args=[session.pk]))
    assert "1 met" in page and "1 not met" in page


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_admin_lists_criteria_by_award_and_in_force(client, world, rules, superuser):
    client.force_login(superuser)
    changelist = reverse("admin:nominations_criterion_changelist")
    listing = _page(client, changelist + "?in_force_on=today")
    assert "initiative" in listing and "rating" in listing
    earlier = _page(client, changelist + "?in_force_on=2025-06-30")
    assert "Nghị định 152/2025" not in earlier  # the rating rule is in force from 1 July 2025
    assert "initiative" in earlier
    award_page = _page(client, reverse("admin:nominations_awardtype_change", args=[world.full.pk]))
    assert "criteria-TOTAL_FORMS" in award_page


def test_the_admin_shows_why_a_criterion_is_refused(client, world, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:nominations_criterion_add"),
        {
            "award_type": world.collective.pk,
            "code": "service",
            "position": 0,
            "kind": CriterionKind.SERVICE_YEARS,
            "hard": "on",
            "years": 5,
            "years_end_before": 0,
            "instrument": "Luật Thi đua, khen thưởng 2022",
            "article": "23",
        },
    )
    assert response.status_code == 200  # the form again, with the error: not saved, not a 500
    assert "cannot judge the nominees of this award" in response.content.decode()
