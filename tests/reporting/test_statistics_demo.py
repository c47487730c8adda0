"""The demo's year of statistics: after `seed_demo`, every form's totals are what a plain SQL
count of the demo's records says (the office's figures reconcile with its records)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from nominations.models import ConferredAward, Unit
from reporting import statistics as stats


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    agency = Unit.objects.get(kind=Unit.Kind.AGENCY, parent__isnull=True)
    latest = ConferredAward.objects.order_by("-conferred_on").first()
    return agency, stats.reporting_year(latest.conferred_on)


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
    agency, year = demo
    start, end = stats.period(year)
    totals = {f.slug: stats.compute(f, year, agency) for f in stats.FORMS}

    # Every demo record lies in the one agency, so the agency's forms count them all.
    assert totals["0601"].total() == sql(
        "SELECT COUNT(*) FROM nominations_campaign WHERE year = %s", [year]
    )
    assert totals["0601"].total() >= 1
    assert totals["0602"].total() == sql(AWARDS + " AND t.level = 'state'", [start, end])
    # The demo's own award on form 0603: the Certificate of Merit of the Office's Chairman.
    merit = sql(AWARDS + " AND t.code = 'bang-khen'", [start, end])
    assert totals["0603"].total() == merit >= 1
    cells = {(r.code, c.column.key): c.value for _i, r, cs in totals["0603"].rows for c in cs}
    assert cells[("01", "certificate_of_merit")] == merit
    assert cells[("02", "total")] + cells[("05", "total")] == merit
    # A revoked award of the demo is on no form's count.
    assert ConferredAward.objects.filter(revoked_at__isnull=False).exists()
