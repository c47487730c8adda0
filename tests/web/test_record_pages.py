"""The record across years through HTTP: who sees a person's and a collective's record (the rule
is `nominations.policy.may_see_record`), what the page shows, its cost in queries, the links from
a nomination's pages; and the import's pages: who may use them, the preview writing nothing, the
confirmation importing exactly what was previewed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent
from nominations import registration
from nominations.models import (
    AnnualRating,
    ConferredAward,
    DisciplinaryMeasure,
    Initiative,
    RecordSource,
)
from tests.nominations.test_record_import import workbook

from .pages import assert_breadcrumb

THIS_YEAR = datetime.date.today().year

# Who reads the record of `staff` (a person of unit-a) and of unit-a itself: the unit's proposer
# and head, the agency's reviewers and council, inspectors. Not the signer, the administrator,
# another unit's proposer, nor a person without a role (the staff member included).
READERS = {
    "proposer": 200,
    "unit_head": 200,
    "party_reviewer": 200,
    "leader": 200,
    "secretary": 200,
    "member": 200,
    "inspector": 200,
    "signer": 404,
    "admin": 404,
    "staff": 404,
    "other_proposer": 404,
}


@pytest.mark.parametrize(("who", "status"), READERS.items())
@pytest.mark.parametrize("holder", ["person", "collective"])
def test_who_sees_the_record(client, world, who, status, holder):
    client.force_login(getattr(world, who))
    if holder == "person":
        url = reverse("person_record", args=[world.staff.pk])
    else:
        url = reverse("unit_record", args=[world.unit.pk])
    assert client.get(url).status_code == status


def test_the_other_units_proposer_reads_their_own_units_record(client, world):
    client.force_login(world.other_proposer)
    assert client.get(reverse("unit_record", args=[world.other_unit.pk])).status_code == 200
    assert client.get(reverse("unit_record", args=[world.unit.pk])).status_code == 404


def test_a_record_that_does_not_exist_is_not_found(client, world):
    client.force_login(world.inspector)
    assert client.get(reverse("person_record", args=[999999])).status_code == 404
    assert client.get(reverse("unit_record", args=[999999])).status_code == 404


def _fill(world, years):
    for i in range(years):
        year = THIS_YEAR - 1 - i
        ConferredAward.objects.create(
            award_type=world.short,
            year=year,
            person=world.staff,
            decision_number=f"{i}/QĐ",
            conferred_on=datetime.date(year, 12, 1),
            source=RecordSource.IMPORTED,
        )
        AnnualRating.objects.create(person=world.staff, year=year, rating="good")
        Initiative.objects.create(
            person=world.staff, title=f"Sáng kiến {i}", level="unit", year=year
        )
        DisciplinaryMeasure.objects.create(
            person=world.staff, kind="reprimand", decided_on=datetime.date(year, 3, 1)
        )


def test_the_record_shows_every_kind_year_by_year_with_revoked_awards_marked(client, world):
    year = THIS_YEAR - 1
    ConferredAward.objects.create(
        award_type=world.full,
        year=year,
        person=world.staff,
        decision_number="7/QĐ",
        conferred_on=datetime.date(year, 12, 1),
        revoked_at=datetime.datetime(year + 1, 1, 5, tzinfo=datetime.UTC),
        revoked_by_number="2/QĐ-ĐC",
    )
    _fill(world, 2)
    registration.register(
        actor=world.proposer,
        unit=world.unit,
        year=THIS_YEAR,
        people=[world.staff],
        commitments="Đăng ký Chiến sĩ thi đua cơ sở.",
    )
    client.force_login(world.unit_head)
    response = client.get(reverse("person_record", args=[world.staff.pk]))
    page = response.content.decode()
    years = [y.year for y in response.context["years"]]
    assert years == [THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2]
    assert_breadcrumb(page, "Record")
    assert f"<del>{world.full}</del>" in page and "Revoked by decision 2/QĐ-ĐC" in page
    assert "Imported from past years" in page and "Completed tasks well" in page
    assert "Sáng kiến 0" in page and "Sáng kiến 1" in page and "Reprimand" in page
    assert "Đăng ký Chiến sĩ thi đua cơ sở." in page and "Registered" in page


def test_the_record_page_costs_the_same_queries_however_long_the_record(client, world):
    client.force_login(world.unit_head)
    url = reverse("person_record", args=[world.staff.pk])
    _fill(world, 1)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    _fill_more = [THIS_YEAR - 10 - i for i in range(6)]
    for year in _fill_more:
        AnnualRating.objects.create(person=world.staff, year=year, rating="excellent")
        Initiative.objects.create(person=world.staff, title=f"S {year}", level="unit", year=year)
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert len(response.context["years"]) == 7
    assert len(long.captured_queries) == len(short.captured_queries)


def test_the_nominees_name_links_to_their_record_on_the_nomination_and_the_dossier_form(
    client, world, draft
):
    record = reverse("person_record", args=[world.staff.pk])
    client.force_login(world.proposer)
    detail = client.get(reverse("nomination_detail", args=[draft.pk])).content.decode()
    assert f'href="{record}"' in detail
    form = client.get(reverse("nomination_edit", args=[draft.pk])).content.decode()
    assert f'href="{record}"' in form


def test_no_link_for_whoever_may_not_read_the_record(client, world, walk, draft):
    # The signer sees the nomination once it awaits the decision, not the nominee's record.
    approved = walk(draft, "submit", "approve", "approve", "approve", "council_approve")
    client.force_login(world.signer)
    detail = client.get(reverse("nomination_detail", args=[approved.pk]))
    assert detail.status_code == 200
    assert reverse("person_record", args=[world.staff.pk]) not in detail.content.decode()


# --- the import's pages --------------------------------------------------------------------


def _good(world):
    return {
        "ratings": [{"username": "staff", "year": THIS_YEAR - 1, "rating": "excellent"}],
        "awards": [
            {
                "unit_code": world.unit.code,
                "award": world.collective.code,
                "year": THIS_YEAR - 1,
                "decision_number": "3/QĐ",
                "conferred_on": f"15/12/{THIS_YEAR - 1}",
            }
        ],
    }


def _upload(client, data: bytes, name="past.xlsx"):
    return client.post(reverse("record_import"), {"file": SimpleUploadedFile(name, data)})


def _record_rows() -> int:
    return sum(
        m.objects.count()
        for m in (ConferredAward, AnnualRating, Initiative, DisciplinaryMeasure, AuditEvent)
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretary", 200), ("admin", 200), ("proposer", 403), ("inspector", 403), ("leader", 403)],
)
def test_who_may_import(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("record_import")).status_code == status
    assert client.get(reverse("record_import_template")).status_code == status
    assert _upload(client, workbook(_good(world))).status_code in (
        (200,) if status == 200 else (403,)
    )


def test_the_preview_lists_every_row_and_writes_nothing(client, world):
    client.force_login(world.secretary)
    before = _record_rows()
    with CaptureQueriesContext(connection) as ctx:
        response = _upload(client, workbook(_good(world)))
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == [] and _record_rows() == before
    page = response.content.decode()
    assert "2 rows are ready to import." in page
    assert 'data-row="Xếp loại:3"' in page and 'data-row="Khen thưởng:3"' in page


def test_confirming_imports_exactly_what_was_previewed(client, world):
    client.force_login(world.secretary)
    token = _upload(client, workbook(_good(world))).context["token"]
    response = client.post(reverse("record_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert AnnualRating.objects.get().rating == "excellent"
    assert ConferredAward.objects.get().unit == world.unit
    event = AuditEvent.objects.get(action=Event.RECORD_IMPORTED)
    assert event.data["counts"] == {"awards": 1, "ratings": 1, "initiatives": 0, "discipline": 0}
    # The same preview confirmed twice imports nothing more: the rows are now on the record.
    again = client.post(reverse("record_import_confirm"), {"token": token})
    assert again.status_code == 409 and "Already on the record." in again.content.decode()
    assert AnnualRating.objects.count() == 1


def test_a_bad_file_shows_each_rows_errors_and_offers_no_confirmation(client, world):
    rows = _good(world)
    rows["ratings"].append({"username": "nobody", "year": THIS_YEAR - 1, "rating": "good"})
    client.force_login(world.secretary)
    response = _upload(client, workbook(rows))
    page = response.content.decode()
    assert response.status_code == 400 and response.context["token"] == ""
    assert "1 of 3 rows have errors; nothing was imported." in page
    assert "Unknown person: no user “nobody”." in page
    assert reverse("record_import_confirm") not in page


@pytest.mark.parametrize(
    ("name", "data"), [("past.csv", b"username,year\n"), ("past.xlsx", b"%PDF-1.4\n")]
)
def test_a_file_that_is_not_xlsx_is_refused_on_the_form(client, world, name, data):
    client.force_login(world.secretary)
    response = _upload(client, data, name)
    assert response.status_code == 400
    assert "This is not an Excel workbook (.xlsx)." in response.content.decode()


def test_an_altered_or_anothers_preview_is_refused_and_imports_nothing(client, world):
    client.force_login(world.secretary)
    token = _upload(client, workbook(_good(world))).context["token"]
    altered = client.post(reverse("record_import_confirm"), {"token": token[:-2] + "xx"})
    assert altered.status_code == 400 and "upload the file again" in altered.content.decode()
    client.force_login(world.admin)
    theirs = client.post(reverse("record_import_confirm"), {"token": token})
    assert theirs.status_code == 400 and "made by someone else" in theirs.content.decode()
    assert _record_rows() == 0


@pytest.mark.parametrize(
    ("who", "registrations", "imports"),
    [
        ("proposer", True, False),
        ("secretary", True, True),
        ("admin", False, True),
        ("inspector", True, False),
        ("staff", False, False),
    ],
)
def test_the_menu_offers_registration_and_import_to_whoever_uses_them(
    client, world, who, registrations, imports
):
    client.force_login(getattr(world, who))
    page = client.get(reverse("nomination_list")).content.decode()
    assert (f'href="{reverse("registrations")}"' in page) is registrations
    assert (f'href="{reverse("record_import")}"' in page) is imports
