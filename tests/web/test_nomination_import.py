"""Importing a unit's list of nominations through the pages (`nominations.list_import`): who may
(`policy.authorize_nomination_import`), the template, the preview naming each bad row and column
and writing nothing, all or nothing on confirmation, each draft audited as the form's is, one
summary event, and an altered preview refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.events import Event
from audit.models import AuditEvent
from nominations import list_import, policy
from nominations import services as dossier
from nominations.exceptions import NotAllowed
from nominations.models import Nomination
from tests.factories import person


def workbook(rows: list[dict]) -> bytes:
    """A list as the template lays it out: Vietnamese headers, English headers, then the rows
    ({column key: value})."""
    book = Workbook()
    ws = book.active
    ws.title = list_import.SHEET.vi
    ws.append([c.vi for c in list_import.SHEET.columns])
    ws.append([c.en for c in list_import.SHEET.columns])
    for row in rows:
        ws.append([row.get(c.key) for c in list_import.SHEET.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(user, award="full", **more):
    return {
        "username": user.username,
        "award": award,
        "achievements": "Hoàn thành xuất sắc.",
        **more,
    }


def _upload(client, world, data: bytes, *, unit=None, name="list.xlsx"):
    return client.post(
        reverse("nomination_import"),
        {
            "campaign": world.campaign.pk,
            "proposing_unit": (unit or world.unit).pk,
            "file": SimpleUploadedFile(name, data),
        },
    )


def test_fifty_rows_import_from_the_page_each_audited_as_a_draft(client, world):
    people = [person(world.unit) for _ in range(49)]
    rows = [_row(p) for p in people] + [{"unit_code": world.unit.code, "award": "collective"}]
    client.force_login(world.proposer)
    with CaptureQueriesContext(connection) as ctx:
        preview = _upload(client, world, workbook(rows))
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert "50 rows are ready to import." in preview.content.decode()
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == [] and not Nomination.objects.exists()

    response = client.post(
        reverse("nomination_import_confirm"), {"token": preview.context["token"]}
    )
    assert response.status_code == 302 and response["Location"] == reverse("nomination_list")
    made = Nomination.objects.filter(campaign=world.campaign, proposing_unit=world.unit)
    assert made.count() == 50
    assert set(made.values_list("status", flat=True)) == {"draft"}
    assert {n.nominee_person for n in made if n.nominee_person} == set(people)
    assert made.get(nominee_unit=world.unit).award_type == world.collective
    created = AuditEvent.objects.filter(action=Event.NOMINATION_CREATED, actor=world.proposer)
    assert set(created.values_list("nomination_id", flat=True)) == set(
        made.values_list("pk", flat=True)
    )
    summary = AuditEvent.objects.get(action=Event.NOMINATIONS_IMPORTED)
    assert summary.data["count"] == 50 and summary.campaign_id == world.campaign.pk
    assert sorted(summary.data["nominations"]) == sorted(made.values_list("pk", flat=True))
    assert summary.unit_path == world.unit.path and summary.role == "unit_proposer"


def test_one_bad_row_imports_nothing_and_the_preview_names_the_row_and_column(client, world):
    claimed = person(world.unit)
    dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=claimed,
    )
    before = Nomination.objects.count()
    rows = [
        _row(person(world.unit)),
        _row(person(world.unit), award="no-such-award"),  # sheet row 4
        _row(claimed),  # sheet row 5: the service's one-award refusal
        _row(person(world.unit)),
    ]
    client.force_login(world.proposer)
    response = _upload(client, world, workbook(rows))
    page = response.content.decode()
    assert response.status_code == 400 and response.context["token"] == ""
    assert "2 of 4 rows have errors; nothing was imported." in page
    bad = {line.number: line.errors for line in response.context["checked"].bad_lines}
    assert bad[4] == [
        ("Mã danh hiệu / Award code", "Unknown award type: no award with code “no-such-award”.")
    ]
    assert "is already proposed for" in bad[5][0][1] and "in this campaign" in bad[5][0][1]
    assert 'data-row="4"' in page and "Mã danh hiệu / Award code" in page
    assert reverse("nomination_import_confirm") not in page
    assert Nomination.objects.count() == before
    assert not AuditEvent.objects.filter(action=Event.NOMINATIONS_IMPORTED).exists()


def test_the_dossier_forms_sentences_name_their_column(client, world):
    outsider = person(world.other_unit)
    rows = [
        _row(person(world.unit), award="collective"),  # the form: for collectives
        _row(outsider),  # the form's choice of people: not the proposer's
        {"unit_code": world.unit.code, "award": "full"},
        _row(person(world.unit), unit_code=world.unit.code),
        {"award": "full"},
    ]
    client.force_login(world.proposer)
    checked = _upload(client, world, workbook(rows)).context["checked"]
    errors = {line.number: line.errors for line in checked.lines}
    assert errors[3] == [("Tên đăng nhập / Username", "This award is for collectives.")]
    assert errors[4][0][0] == "Tên đăng nhập / Username" and "valid choice" in errors[4][0][1]
    assert errors[5] == [("Mã đơn vị / Unit code", "This award is for individuals.")]
    assert errors[6] == [("", "Choose either a person or a collective, not both.")]
    assert errors[7] == [("", "Name the person (username) or the collective (unit code).")]


def test_the_same_nominee_and_award_twice_in_the_file_is_refused(client, world):
    someone = person(world.unit)
    client.force_login(world.proposer)
    checked = _upload(client, world, workbook([_row(someone), _row(someone)])).context["checked"]
    assert [line.number for line in checked.bad_lines] == [4]
    assert checked.bad_lines[0].errors == [("", "The same nominee and award as row 3.")]


def test_a_nominee_claimed_between_preview_and_confirmation_imports_nothing(client, world):
    first, second = person(world.unit), person(world.unit)
    client.force_login(world.proposer)
    token = _upload(client, world, workbook([_row(first), _row(second)])).context["token"]
    dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.full,
        proposing_unit=world.unit,
        nominee_person=second,
    )
    response = client.post(reverse("nomination_import_confirm"), {"token": token})
    assert response.status_code == 409
    assert [line.number for line in response.context["checked"].bad_lines] == [4]
    assert not Nomination.objects.filter(nominee_person=first).exists()
    assert not AuditEvent.objects.filter(action=Event.NOMINATIONS_IMPORTED).exists()


def test_an_altered_or_anothers_preview_is_refused_and_imports_nothing(client, world):
    client.force_login(world.proposer)
    token = _upload(client, world, workbook([_row(person(world.unit))])).context["token"]
    altered = client.post(reverse("nomination_import_confirm"), {"token": token[:-2] + "xx"})
    assert altered.status_code == 400 and "upload the file again" in altered.content.decode()
    colleague = person(world.unit, "unit_proposer")
    client.force_login(colleague)
    theirs = client.post(reverse("nomination_import_confirm"), {"token": token})
    assert theirs.status_code == 400 and "made by someone else" in theirs.content.decode()
    # A past-records preview is not a list of nominations (each import signs with its own salt).
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("proposer", 200),
        ("other_proposer", 200),
        ("unit_head", 403),
        ("secretary", 403),
        ("admin", 403),
        ("inspector", 403),
        ("staff", 403),
    ],
)
def test_who_may_import(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("nomination_import")).status_code == status
    assert client.get(reverse("nomination_import_template")).status_code == status
    assert client.post(reverse("nomination_import_confirm"), {"token": "x"}).status_code == (
        400 if status == 200 else 403
    )


def test_a_proposer_imports_only_for_their_own_unit(client, world):
    client.force_login(world.other_proposer)
    response = _upload(client, world, workbook([_row(person(world.unit))]), unit=world.unit)
    assert response.status_code == 400 and "proposing_unit" in response.context["form"].errors
    assert policy.authorize_nomination_import(world.proposer, world.unit) == "unit_proposer"
    with pytest.raises(NotAllowed):
        policy.authorize_nomination_import(world.other_proposer, world.unit)


def test_the_template_has_the_columns_the_import_reads(client, world):
    client.force_login(world.proposer)
    response = client.get(reverse("nomination_import_template"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[list_import.SHEET.vi]
    assert [c.value for c in sheet[1]] == [c.vi for c in list_import.SHEET.columns]
    assert any("full" in str(c.value) for c in book["Hướng dẫn"]["A"])
    # The template filled in imports as it is.
    ws = sheet
    ws.append(["staff", None, "full", "Hoàn thành xuất sắc."])
    out = io.BytesIO()
    book.save(out)
    checked = _upload(client, world, out.getvalue()).context["checked"]
    assert checked.ok and checked.lines[0].number == 3


def test_the_list_page_links_to_the_import(client, world):
    client.force_login(world.proposer)
    assert reverse("nomination_import") in client.get(reverse("nomination_list")).content.decode()
    client.force_login(world.unit_head)
    assert (
        reverse("nomination_import") not in client.get(reverse("nomination_list")).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "data", "sentence"),
    [
        ("list.csv", b"username,award\n", "This is not an Excel workbook (.xlsx)."),
        ("list.xlsx", b"PK\x03\x04" + b"0" * (2 * 1024 * 1024), "The file is too large"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(client, world, name, data, sentence):
    client.force_login(world.proposer)
    response = _upload(client, world, data, name=name)
    assert response.status_code == 400 and sentence in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_workbook_without_the_sheet_or_its_columns_is_refused_whole(client, world):
    book = Workbook()
    book.active.title = list_import.SHEET.vi
    book.active.append(["Tên đăng nhập", "Ghi chú"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(world.proposer)
    response = _upload(client, world, out.getvalue())
    page = response.content.decode()
    assert response.status_code == 400 and response.context["token"] == ""
    assert "missing column(s)" in page and "“Mã danh hiệu / Award code”" in page
    assert "unknown column(s) “Ghi chú”" in page
