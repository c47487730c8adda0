"""The demo's year of statistics: after `seed_demo`, every form's totals are what a plain SQL
count of the demo's records says (the office's figures reconcile with its records)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from demo import statistics as demo_statistics
from nominations.models import Campaign, ConferredAward, RecordSource, Unit
from reporting import statistics as stats


@pytest.fixture
def demo(db):
    """The agency, the reporting year of the demo's latest award, and the demo campaign's year
    (last year's awards are entered for the year before it). In December the two years differ:
    a reporting year runs from 1 December (Circular 02/2023/TT-BNV)."""
    call_command("seed_demo", stdout=io.StringIO())
    agency = Unit.objects.get(kind=Unit.Kind.AGENCY, parent__isnull=True)
    latest = ConferredAward.objects.exclude(source=RecordSource.IMPORTED).latest("conferred_on")
    campaign_year = Campaign.objects.latest("year").year
    return agency, stats.reporting_year(latest.conferred_on), campaign_year


def sql(query, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


AWARDS = """
    SELECT COUNT(*) FROM nominations_conferredaward a
    JOIN nominations_awardtype t ON t.id = a.award_type_id
    WHERE a.revoked_at IS NULL AND a.conferred_on >= %s AND a.conferred_on <= %s
"""


def test_the_demo_years_forms_match_an_independent_count_of_its_records(demo):
    agency, year, campaign_year = demo
    start, end = stats.period(year)
    totals = {f.slug: stats.compute(f, year, agency) for f in stats.FORMS}

    # Every demo record lies in the one agency, so the agency's forms count them all.
    assert totals["0601"].total() == sql(
        "SELECT COUNT(*) FROM nominations_campaign WHERE year = %s", [year]
    )
    # The demo's campaign is on the form of its own year.
    assert stats.compute(stats.FORMS_BY_SLUG["0601"], campaign_year, agency).total() >= 1
    assert totals["0602"].total() == sql(AWARDS + " AND t.level = 'state'", [start, end])
    # The demo's own award on form 0603: the Certificate of Merit of the Office's Chairman.
    merit = sql(AWARDS + " AND t.code = 'bang-khen'", [start, end])
    assert totals["0603"].total() == merit >= 1
    cells = {(r.code, c.column.key): c.value for _i, r, cs in totals["0603"].rows for c in cs}
    assert cells[("01", "certificate_of_merit")] == merit
    assert cells[("02", "total")] + cells[("05", "total")] == merit
    # A revoked award of the demo is on no form's count.
    assert ConferredAward.objects.filter(revoked_at__isnull=False).exists()


def test_last_years_forms_count_the_awards_the_office_entered_from_its_records(demo):
    agency, _year, campaign_year = demo
    last = campaign_year - 1
    start, end = stats.period(last)
    grid = stats.compute(stats.FORMS_BY_SLUG["0602"], last, agency)
    state = sql(AWARDS + " AND t.level = 'state'", [start, end])
    assert grid.total() == state == 3
    cells = {(r.code, c.column.key): c.value for _i, r, cs in grid.rows for c in cs}
    assert cells[("01", "bang-khen-thu-tuong.c")] == 1
    assert cells[("01", "bang-khen-thu-tuong.i")] == 1
    assert cells[("01", "huan-chuong-lao-dong-hang-ba.i")] == 1
    merit = sql(AWARDS + " AND t.code = 'bang-khen'", [start, end])
    assert stats.compute(stats.FORMS_BY_SLUG["0603"], last, agency).total() == merit == 3


def test_seeding_again_imports_last_years_awards_once(demo):
    before = ConferredAward.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert ConferredAward.objects.count() == before
    assert (
        len(demo_statistics.PAST_AWARDS)
        == ConferredAward.objects.filter(source=RecordSource.IMPORTED).count()
    )
