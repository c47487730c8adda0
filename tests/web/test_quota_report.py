"""The quota report (each quota's limit, counted, awarded and how far under or over, with a bar,
as CSV and XLSX) for those who may read it, and the quotas on the council's agenda."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from approvals import outcomes
from nominations import services as dossier
from nominations.models import Nomination, Quota, QuotaBase
from tests.approvals import conftest as council_fixtures
from tests.factories import person

members = council_fixtures.members
at_council = council_fixtures.at_council
plan = council_fixtures.plan
opened = council_fixtures.opened
vote = council_fixtures.vote
award = council_fixtures.award


def _nominate(world, walk, *steps, award_type=None):
    draft = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=award_type or world.short,
        proposing_unit=world.unit,
        nominee_person=person(world.unit),
        achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
    )
    return walk(draft, *steps)


@pytest.fixture
def figures(world, walk):
    """unit-a: 3 confirmed for the short route's award (one of them awarded), a quota of 2 set
    afterwards (so over by 1); unit-b: a fixed quota of 4 with nothing counted."""
    awarded = _nominate(world, walk, "submit", "approve", "approve")
    signed = outcomes.sign_decision(
        actor=world.signer, agency=world.agency, nominations=[awarded], title="QĐ"
    )
    assert signed.number == 1
    _nominate(world, walk, "submit", "approve")
    _nominate(world, walk, "submit", "approve")
    _nominate(world, walk, "submit")  # not confirmed yet
    over = Quota.objects.create(
        award_type=world.short,
        unit=world.unit,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=2,
        instrument="Nghị định 152/2025/NĐ-CP",
        article="Điều 9",
    )
    under = Quota.objects.create(
        award_type=world.short,
        unit=world.other_unit,
        campaign=world.campaign,
        base=QuotaBase.STAFF,
        share_percent=Decimal("100"),
        max_count=4,
    )
    return over, under


def _row(page: str, quota) -> str:
    start = page.rindex("<tr", 0, page.index(f'data-quota="{quota.pk}"'))
    return page[start : page.index("</tr>", start)]


def test_the_report_shows_limit_counted_awarded_and_over_for_each_quota(client, world, figures):
    over, under = figures
    client.force_login(world.inspector)
    response = client.get(reverse("quota_report"), {"campaign": world.campaign.pk})
    page = response.content.decode()
    assert response.status_code == 200
    row = _row(page, over)
    assert 'data-over="true"' in row
    assert '<td data-label="Limit" class="limit">2' in row
    assert 'class="counted">3<' in row and 'class="awarded">1<' in row
    assert "Over by 1" in row and "Nghị định 152/2025/NĐ-CP, Điều 9" in row
    assert '<svg class="quota-bar"' in row and "3 counted of a limit of 2" in row
    other = _row(page, under)
    assert 'data-over="false"' in other and 'class="counted">0<' in other
    assert "1 quota over" in page


def test_a_unit_head_sees_the_quotas_of_their_unit_only(client, world, figures):
    over, under = figures
    client.force_login(world.unit_head)
    page = client.get(reverse("quota_report")).content.decode()
    assert f'data-quota="{over.pk}"' in page
    assert f'data-quota="{under.pk}"' not in page
    response = client.get(reverse("quota_report"), {"unit": world.other_unit.pk})
    assert response.status_code == 200  # the unit is not among theirs: the filter ignores it
    assert f'data-quota="{under.pk}"' not in response.content.decode()


def test_the_unit_filter_narrows_the_agency_wide_report(client, world, figures):
    over, under = figures
    client.force_login(world.leader)
    page = client.get(reverse("quota_report"), {"unit": world.other_unit.pk}).content.decode()
    assert f'data-quota="{under.pk}"' in page and f'data-quota="{over.pk}"' not in page


@pytest.mark.parametrize("who", ["proposer", "staff", "admin"])
def test_those_without_a_reading_role_are_refused(client, world, figures, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("quota_report")).status_code == 403


def test_the_csv_has_a_row_per_quota_with_its_figures(client, world, figures):
    client.force_login(world.secretary)
    response = client.get(reverse("quota_report"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:9] == [
        "Award",
        "Unit",
        "Base",
        "Size of the base",
        "Share (%)",
        "Limit",
        "Counted",
        "Awarded",
        "Left (negative: over)",
    ]
    by_unit = {r[1]: r for r in rows[1:]}
    assert by_unit[str(world.unit)][5:9] == ["2", "3", "1", "-1"]
    # unit-b has one person (its proposer): 100% of 1, under its cap of 4.
    assert by_unit[str(world.other_unit)][3:9] == ["1", "100", "1", "0", "0", "1"]


def test_the_xlsx_opens_with_the_same_figures_and_the_over_row_marked(client, world, figures):
    client.force_login(world.inspector)
    response = client.get(reverse("quota_report"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert str(world.campaign) in rows[0][0]
    assert rows[1][5:9] == ("Limit", "Counted", "Awarded", "Left (negative: over)")
    by_unit = {r[1]: r for r in rows[2:]}
    assert by_unit[str(world.unit)][5:9] == (2, 3, 1, -1)
    over_row = next(i for i, r in enumerate(rows, 1) if r[1] == str(world.unit))
    assert sheet.cell(over_row, 1).fill.fgColor.rgb.endswith("FFE699")


# --- the council's agenda ------------------------------------------------------------------


def test_the_agenda_shows_each_quota_and_flags_items_under_one_that_is_over(
    client, world, at_council, plan
):
    first, second = at_council(), at_council()
    quota = Quota.objects.create(
        award_type=world.full,
        unit=world.unit,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=1,
        instrument="Quy chế",
    )
    session = plan()
    client.force_login(world.secretary)
    page = client.get(reverse("council_session", args=[session.pk])).content.decode()
    assert 'data-testid="agenda-quotas"' in page
    row = _row(page, quota)
    assert "2 / 1" in row and "Over the quota" in row and "table-warning" in row
    assert page.count(f"Over the quota of {world.unit}: 2 / 1") == 2
    assert {first.pk, second.pk} == set(
        Nomination.objects.filter(agenda_items__session=session).values_list("pk", flat=True)
    )


def test_an_agenda_within_its_quotas_is_not_flagged(client, world, at_council, plan):
    at_council()
    Quota.objects.create(
        award_type=world.full,
        unit=world.unit,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=1,
    )
    session = plan()
    client.force_login(world.secretary)
    page = client.get(reverse("council_session", args=[session.pk])).content.decode()
    assert "1 / 1" in page and "Over the quota" not in page


def test_the_navigation_offers_the_report_to_those_who_read_it(client, world):
    client.force_login(world.unit_head)
    assert reverse("quota_report") in client.get(reverse("inbox")).content.decode()
    client.force_login(world.proposer)
    assert reverse("quota_report") not in client.get(reverse("inbox")).content.decode()


def test_a_refused_confirmation_is_shown_on_the_page_not_an_error(client, world, walk):
    n = _nominate(world, walk, "submit", award_type=world.full)
    Quota.objects.create(
        award_type=world.full,
        unit=world.unit,
        campaign=world.campaign,
        base=QuotaBase.FIXED,
        max_count=0,
        instrument="Quy chế",
        article="Điều 5",
    )
    client.force_login(world.unit_head)
    response = client.post(
        reverse("nomination_act", args=[n.pk, "approve"]), {"version": n.version}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "would exceed the quota" in page and "0 of at most 0" in page
    assert "Quy chế, Điều 5" in page
    assert Nomination.objects.get(pk=n.pk).status == n.status
