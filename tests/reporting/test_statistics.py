"""The statutory statistics: each form's figures are what an independent count of the tables
says (plain SQL, not the code under test), the XLSX holds the page's figures, each figure's list
has exactly that many records, and only the office, the leadership and inspectors read them."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nominations.models import AwardLevel, NomineeKind, RecordSource, Unit
from nominations.roles import Role
from reporting import statistics as stats
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    ConferredAwardFactory,
    UnitFactory,
    person,
)

YEAR = 2026
IN_PERIOD = datetime.date(2026, 3, 15)
PERIOD_START, PERIOD_END = datetime.date(2025, 12, 1), datetime.date(2026, 11, 30)


@pytest.fixture
def catalogue(world):
    """Award types of several levels and kinds, named as the forms' columns know them."""
    return {
        "pm": AwardTypeFactory(
            code="bang-khen-thu-tuong", level=AwardLevel.STATE, nominee_kind=NomineeKind.EITHER
        ),
        "order": AwardTypeFactory(
            code="huan-chuong-lao-dong-hang-ba",
            level=AwardLevel.STATE,
            nominee_kind=NomineeKind.EITHER,
        ),
        "other_state": AwardTypeFactory(code="ky-vat-nha-nuoc", level=AwardLevel.STATE),
        "bk": AwardTypeFactory(
            code="bang-khen", level=AwardLevel.AGENCY, nominee_kind=NomineeKind.EITHER
        ),
        "fighter": AwardTypeFactory(code="chien-si-thi-dua-bo", level=AwardLevel.MINISTRY),
        "ldtt": AwardTypeFactory(code="lao-dong-tien-tien", level=AwardLevel.UNIT),
    }


@pytest.fixture
def built(world, catalogue, draft):
    """A year's awards in the agency, and awards the forms must leave out."""
    t = catalogue
    staff2 = person(world.other_unit, username="staff2")
    award = ConferredAwardFactory
    # Counted for the agency's year.
    award(award_type=t["pm"], person=world.staff, conferred_on=IN_PERIOD)
    award(award_type=t["pm"], unit=world.unit, conferred_on=datetime.date(2025, 12, 1))
    award(
        award_type=t["pm"],
        person=world.staff,
        nomination=draft,
        source=RecordSource.HIGHER_LEVEL,
        conferred_on=datetime.date(2026, 11, 30),
    )
    award(award_type=t["order"], unit=world.other_unit, conferred_on=IN_PERIOD)
    award(award_type=t["order"], person=staff2, conferred_on=IN_PERIOD)
    award(award_type=t["other_state"], person=staff2, conferred_on=IN_PERIOD)
    award(award_type=t["bk"], person=world.staff, conferred_on=IN_PERIOD)
    award(award_type=t["bk"], unit=world.other_unit, conferred_on=IN_PERIOD)
    award(award_type=t["fighter"], person=staff2, conferred_on=IN_PERIOD)
    award(award_type=t["ldtt"], person=world.staff, conferred_on=IN_PERIOD)  # on no form
    # Left out: revoked, another year's period, another agency.
    award(
        award_type=t["pm"],
        person=staff2,
        conferred_on=IN_PERIOD,
        revoked_at=timezone.now(),
        revoked_by_number="9/QĐ",
    )
    award(award_type=t["bk"], person=world.staff, conferred_on=datetime.date(2025, 11, 30))
    award(award_type=t["order"], person=world.staff, conferred_on=datetime.date(2026, 12, 1))
    elsewhere = UnitFactory(code="elsewhere", kind=Unit.Kind.AGENCY)
    stranger = person(elsewhere, username="stranger")
    award(award_type=t["pm"], person=stranger, conferred_on=IN_PERIOD)
    award(award_type=t["bk"], unit=elsewhere, conferred_on=IN_PERIOD)
    # Movements: the agency's campaign of the year (the world's is this year's), a unit's own,
    # another year's, another agency's.
    CampaignFactory(agency=world.agency, year=YEAR)
    CampaignFactory(agency=world.unit, year=YEAR)
    CampaignFactory(agency=world.agency, year=YEAR - 1)
    CampaignFactory(agency=elsewhere, year=YEAR)
    return world


# --- the independent count -----------------------------------------------------------------

AWARDS_SQL = """
    SELECT COUNT(*) FROM nominations_conferredaward a
    JOIN nominations_awardtype t ON t.id = a.award_type_id
    LEFT JOIN nominations_nomination n ON n.id = a.nomination_id
    LEFT JOIN nominations_unit pu ON pu.id = n.proposing_unit_id
    LEFT JOIN nominations_unit hu ON hu.id = a.unit_id
    LEFT JOIN nominations_profile p ON p.user_id = a.person_id
    LEFT JOIN nominations_unit pru ON pru.id = p.unit_id
    WHERE a.revoked_at IS NULL AND a.conferred_on >= %s AND a.conferred_on <= %s
      AND (pu.path LIKE %s OR (a.nomination_id IS NULL AND (hu.path LIKE %s OR pru.path LIKE %s)))
"""


def count_awards(unit, start, end, extra="", params=()) -> int:
    like = unit.path + "%"
    with connection.cursor() as cursor:
        cursor.execute(AWARDS_SQL + extra, [start, end, like, like, like, *params])
        return cursor.fetchone()[0]


def count_campaigns(unit, year, extra="", params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM nominations_campaign c JOIN nominations_unit u "
            "ON u.id = c.agency_id WHERE c.year = %s AND u.path LIKE %s" + extra,
            [year, unit.path + "%", *params],
        )
        return cursor.fetchone()[0]


def figures(grid) -> dict:
    return {
        (row.code, c.column.key): c.value for _i, row, cells in grid.rows for c in cells if row.code
    }


def test_form_0602_counts_the_state_level_awards_in_force_of_the_period_in_the_agency(built):
    agency = built.agency
    grid = stats.compute(stats.FORMS_BY_SLUG["0602"], YEAR, agency)
    got = figures(grid)
    state = " AND t.level = 'state'"
    assert got[("01", "total")] == count_awards(agency, PERIOD_START, PERIOD_END, state) == 6
    collectives = count_awards(
        agency, PERIOD_START, PERIOD_END, state + " AND a.unit_id IS NOT NULL"
    )
    individuals = count_awards(
        agency, PERIOD_START, PERIOD_END, state + " AND a.person_id IS NOT NULL"
    )
    assert got[("06", "total")] == collectives == 2
    assert got[("09", "total")] == individuals == 4
    pm_individuals = count_awards(
        agency,
        PERIOD_START,
        PERIOD_END,
        " AND t.code = %s AND a.person_id IS NOT NULL",
        ["bang-khen-thu-tuong"],
    )
    assert got[("01", "bang-khen-thu-tuong.i")] == pm_individuals == 2
    assert got[("01", "bang-khen-thu-tuong.c")] == 1
    assert got[("01", "huan-chuong-lao-dong-hang-ba.c")] == 1
    assert got[("01", "ky-vat-nha-nuoc.i")] == 1  # an unclassified state award: "other forms"
    assert got[("01", "hcm_prize")] == 0  # no such award type: nothing to count
    # The rows Laurel does not record stay blank, never 0.
    assert got[("08", "total")] is None and got[("15", "total")] is None


def test_form_0603_counts_the_agencys_own_awards_on_the_form(built):
    agency = built.agency
    grid = stats.compute(stats.FORMS_BY_SLUG["0603"], YEAR, agency)
    got = figures(grid)
    on_form = " AND t.code IN ('bang-khen', 'chien-si-thi-dua-bo')"
    assert got[("01", "total")] == count_awards(agency, PERIOD_START, PERIOD_END, on_form) == 3
    assert got[("01", "certificate_of_merit")] == 2
    assert got[("01", "ministry_fighter")] == 1
    assert got[("02", "total")] == count_awards(
        agency, PERIOD_START, PERIOD_END, on_form + " AND a.unit_id IS NOT NULL"
    )
    assert got[("05", "total")] == count_awards(
        agency, PERIOD_START, PERIOD_END, on_form + " AND a.person_id IS NOT NULL"
    )


def test_form_0601_counts_the_years_movements_by_the_level_that_runs_them(built):
    agency = built.agency
    grid = stats.compute(stats.FORMS_BY_SLUG["0601"], YEAR, agency)
    got = figures(grid)
    # The world's own campaign is this year's; count what the database holds.
    assert got[("01", "total")] == count_campaigns(agency, YEAR)
    assert got[("01", "ministry")] == count_campaigns(agency, YEAR, " AND u.kind = 'agency'")
    assert got[("01", "unit")] == count_campaigns(agency, YEAR, " AND u.kind <> 'agency'") == 1
    assert got[("01", "central")] is None


def test_a_department_reports_only_what_its_units_proposed_or_hold(built):
    grid = stats.compute(stats.FORMS_BY_SLUG["0602"], YEAR, built.department)
    assert (
        figures(grid)[("01", "total")]
        == count_awards(built.department, PERIOD_START, PERIOD_END, " AND t.level = 'state'")
        == 3
    )


def test_the_reporting_period_runs_from_december_to_november():
    assert stats.period(2026) == (PERIOD_START, PERIOD_END)
    assert stats.reporting_year(datetime.date(2025, 12, 1)) == 2026
    assert stats.reporting_year(datetime.date(2026, 11, 30)) == 2026


# --- the pages ------------------------------------------------------------------------------


def test_the_xlsx_holds_the_pages_figures(client, built):
    client.force_login(built.secretary)
    for slug in ("0601", "0602", "0603"):
        page = client.get(reverse("statistics_form", args=[slug]), {"year": YEAR})
        assert page.status_code == 200
        shown = figures(page.context["grid"])
        response = client.get(
            reverse("statistics_form", args=[slug]), {"year": YEAR, "format": "xlsx"}
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == f"Form {stats.FORMS_BY_SLUG[slug].code}"
        keys = [c.key for c in page.context["grid"].columns]
        read = {}
        for row in sheet.iter_rows(values_only=True):
            code = row[1]
            if isinstance(code, str) and code.isdigit() and len(code) == 2 and row[0] != "A":
                for key, value in zip(keys, row[3 : 3 + len(keys)], strict=True):
                    read[(code, key)] = value
        assert read == shown
        assert any(
            "to be checked against the circular in force" in str(c.value)
            for r in sheet.iter_rows()
            for c in r
        )


def test_all_forms_download_as_one_workbook_a_sheet_each(client, built):
    client.force_login(built.inspector)
    response = client.get(reverse("statistics"), {"year": YEAR, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["0601", "0602", "0603"]


def test_each_figure_lists_exactly_the_records_it_counts(client, built):
    client.force_login(built.secretary)
    for slug in ("0601", "0602", "0603"):
        grid = stats.compute(stats.FORMS_BY_SLUG[slug], YEAR, built.agency)
        for i, row, cells in grid.rows:
            for c in cells:
                if c.value is None:
                    continue
                url = reverse("statistics_figure", args=[slug, i, c.column.key])
                response = client.get(url, {"year": YEAR})
                assert response.status_code == 200
                assert len(response.context["records"]) == c.value, (slug, row.code, c.column.key)


def test_a_blank_figure_has_no_list(client, built):
    client.force_login(built.secretary)
    row = next(i for i, r in enumerate(stats.FORMS_BY_SLUG["0602"].rows) if r.code == "08")
    url = reverse("statistics_figure", args=["0602", row, "total"])
    assert client.get(url, {"year": YEAR}).status_code == 404


@pytest.mark.parametrize("who", ["other_proposer", "proposer", "unit_head", "staff"])
def test_the_statistics_are_refused_to_those_who_report_through_the_office(client, built, who):
    client.force_login(getattr(built, who))
    assert client.get(reverse("statistics"), {"year": YEAR}).status_code == 403
    assert client.get(reverse("statistics_form", args=["0602"]), {"year": YEAR}).status_code == 403
    assert (
        client.get(reverse("statistics_form", args=["0602"]), {"year": YEAR, "format": "xlsx"})
    ).status_code == 403
    assert (
        client.get(reverse("statistics_figure", args=["0602", 0, "total"]), {"year": YEAR})
    ).status_code == 403


@pytest.mark.parametrize("who", ["secretary", "leader", "signer", "inspector"])
def test_the_office_the_leadership_and_inspectors_read_the_statistics(client, built, who):
    client.force_login(getattr(built, who))
    response = client.get(reverse("statistics"), {"year": YEAR})
    assert response.status_code == 200
    assert b"0602.N/BNV-T" in response.content


def test_a_unit_outside_the_readers_scope_is_a_form_error_not_a_report(client, built):
    leader = person(built.department, Role.LEADERSHIP_REVIEWER, username="dept-leader")
    client.force_login(leader)
    response = client.get(reverse("statistics"), {"year": YEAR, "unit": built.other_unit.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert response.context["grids"] == []


@pytest.mark.parametrize("year", ["abc", "1900", ""])
def test_a_bad_year_is_a_form_error(client, built, year):
    client.force_login(built.secretary)
    response = client.get(reverse("statistics_form", args=["0602"]), {"year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert response.context["grid"] is None


def test_an_unknown_form_is_not_found(client, built):
    client.force_login(built.secretary)
    assert client.get(reverse("statistics_form", args=["0699"])).status_code == 404


def test_the_page_costs_the_same_queries_however_many_awards(client, built, catalogue):
    client.force_login(built.secretary)
    url = reverse("statistics_form", args=["0602"])
    client.get(url, {"year": YEAR})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": YEAR})
    for _ in range(20):
        ConferredAwardFactory(
            award_type=catalogue["pm"], person=built.staff, conferred_on=IN_PERIOD
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"year": YEAR})
    assert len(many) == len(few)


def test_the_index_stays_within_its_query_budget(client, built, django_assert_max_num_queries):
    client.force_login(built.secretary)
    client.get(reverse("statistics"), {"year": YEAR})
    with django_assert_max_num_queries(16):
        client.get(reverse("statistics"), {"year": YEAR})
