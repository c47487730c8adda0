"""Importing past years' records from a workbook: every kind imported as the template says,
every kind of bad input named on its row with nothing imported, all or nothing when the
database refuses half-way, and the command's exit status. The workbooks are made here, from the
template's own column definitions (no binary fixture is kept)."""

import datetime
import io

import pytest
from django.core.management import CommandError, base, call_command, load_command_class
from openpyxl import Workbook, load_workbook

from audit.events import Event
from audit.models import AuditEvent
from nominations import record_import
from nominations.exceptions import InvalidInput, NotAllowed
from nominations.models import (
    AnnualRating,
    ConferredAward,
    DisciplinaryMeasure,
    Initiative,
    RecordSource,
    RoleAssignment,
)
from nominations.record_import import SHEET_OF, RecordRefused

THIS_YEAR = datetime.date.today().year
PAST = THIS_YEAR - 2


def workbook(rows_by_kind: dict[str, list[dict]], *, headers=None) -> bytes:
    """A workbook as the template lays it out (Vietnamese headers, English headers, data),
    each row given as {column key: value}; `headers` replaces a sheet's header row."""
    book = Workbook()
    book.remove(book.active)
    for kind, rows in rows_by_kind.items():
        sheet = SHEET_OF[kind]
        ws = book.create_sheet(sheet.vi)
        head = (headers or {}).get(kind)
        keys = [c.key for c in sheet.columns]
        ws.append(head if head is not None else [c.vi for c in sheet.columns])
        ws.append([c.en for c in sheet.columns])
        for row in rows:
            ws.append([row.get(k) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(data: bytes, name="past.xlsx"):
    return record_import.read(data, name)


def _imported() -> dict[str, int]:
    return {
        "awards": ConferredAward.objects.count(),
        "ratings": AnnualRating.objects.count(),
        "initiatives": Initiative.objects.count(),
        "discipline": DisciplinaryMeasure.objects.count(),
        "events": AuditEvent.objects.filter(action=Event.RECORD_IMPORTED).count(),
    }


NOTHING = {"awards": 0, "ratings": 0, "initiatives": 0, "discipline": 0, "events": 0}


@pytest.fixture
def good(world):
    """One row of each kind, and a collective's award and rating."""
    return {
        "awards": [
            {
                "username": "staff",
                "award": world.short.code,
                "year": PAST,
                "decision_number": "12/QĐ-VP",
                "conferred_on": datetime.date(PAST, 12, 20),
            },
            {
                "unit_code": world.unit.code,
                "award": world.collective.code,
                "year": PAST,
                "decision_number": "13/QĐ-VP",
                "conferred_on": f"20/12/{PAST}",
            },
        ],
        "ratings": [
            {"username": "staff", "year": PAST, "rating": "Completed tasks well"},
            {"unit_code": world.unit.code, "year": PAST, "rating": "excellent", "reference": "BB"},
        ],
        "initiatives": [
            {"username": "staff", "title": "Số hóa hồ sơ", "level": "agency", "year": PAST},
        ],
        "discipline": [
            {
                "username": "staff",
                "measure": "reprimand",
                "decided_on": f"{PAST - 3}-03-01",
                "ends_on": f"{PAST - 2}-03-01",
            },
        ],
    }


def test_every_kind_is_imported_as_the_template_says_marked_imported_and_audited(world, good):
    data = workbook(good)
    checked = record_import.import_rows(_read(data), actor=world.secretary)
    assert checked.counts() == {"awards": 2, "ratings": 2, "initiatives": 1, "discipline": 1}
    award = ConferredAward.objects.get(person=world.staff)
    assert (award.award_type, award.year, award.decision_number) == (world.short, PAST, "12/QĐ-VP")
    assert award.conferred_on == datetime.date(PAST, 12, 20) and award.nomination is None
    assert ConferredAward.objects.get(unit=world.unit).award_type == world.collective
    assert AnnualRating.objects.get(person=world.staff).rating == "good"  # by its English name
    assert AnnualRating.objects.get(unit=world.unit).reference == "BB"
    assert Initiative.objects.get().level == "agency"
    measure = DisciplinaryMeasure.objects.get()
    assert (measure.kind, measure.ends_on) == ("reprimand", datetime.date(PAST - 2, 3, 1))
    for model in (ConferredAward, AnnualRating, Initiative, DisciplinaryMeasure):
        assert set(model.objects.values_list("source", flat=True)) == {RecordSource.IMPORTED}
    event = AuditEvent.objects.get(action=Event.RECORD_IMPORTED)
    assert event.actor == world.secretary and event.role == "council_secretary"
    assert event.data["counts"] == {"awards": 2, "ratings": 2, "initiatives": 1, "discipline": 1}
    assert event.data["sha256"] == record_import.hashlib.sha256(data).hexdigest()
    assert event.data["file"] == "past.xlsx"


def test_the_template_is_read_back_as_an_empty_workbook_with_every_sheet(world):
    book = load_workbook(io.BytesIO(record_import.template()))
    assert book.sheetnames == ["Hướng dẫn", "Khen thưởng", "Xếp loại", "Sáng kiến", "Kỷ luật"]
    assert [c.value for c in book["Xếp loại"][1]] == [
        "Tên đăng nhập",
        "Mã đơn vị",
        "Năm",
        "Xếp loại",
        "Căn cứ",
    ]
    assert [c.value for c in book["Xếp loại"][2]] == [
        "Username",
        "Unit code",
        "Year",
        "Rating",
        "Reference",
    ]
    guide = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row)
    assert "good — Completed tasks well" in guide and world.full.code in guide
    checked = record_import.check(_read(record_import.template()), scopes=None)
    assert checked.problems == ["The workbook has no rows to import."]


# Each bad row, on its sheet, and what its error must say. Every other row of the file is good.
BAD_ROWS = [
    ("ratings", {"username": "nobody", "year": PAST, "rating": "good"}, "no user “nobody”"),
    (
        "ratings",
        {"unit_code": "nowhere", "year": PAST, "rating": "good"},
        "no unit with code “nowhere”",
    ),
    ("ratings", {"year": PAST, "rating": "good"}, "Name the person (username) or the collective"),
    (
        "ratings",
        {"username": "staff", "unit_code": "unit-a", "year": PAST, "rating": "good"},
        "not both",
    ),
    ("ratings", {"username": "staff", "year": PAST, "rating": "superb"}, "“superb” is not one of"),
    ("ratings", {"username": "staff", "year": "last year", "rating": "good"}, "is not a year"),
    ("ratings", {"username": "staff", "year": THIS_YEAR + 1, "rating": "good"}, "is not a year"),
    ("ratings", {"username": "staff", "year": 1900, "rating": "good"}, "is not a year"),
    (
        "awards",
        {
            "username": "staff",
            "award": "no-such",
            "year": PAST,
            "decision_number": "1",
            "conferred_on": "01/02/2020",
        },
        "no award with code “no-such”",
    ),
    (
        "awards",
        {
            "username": "staff",
            "award": "short",
            "year": PAST,
            "decision_number": "1",
            "conferred_on": "31/02/2020",
        },
        "“31/02/2020” is not a past date",
    ),
    (
        "awards",
        {
            "username": "staff",
            "award": "short",
            "year": PAST,
            "decision_number": "",
            "conferred_on": "01/02/2020",
        },
        "Số quyết định / Decision number is empty",
    ),
    (
        "awards",
        {
            "unit_code": "unit-a",
            "award": "short",
            "year": PAST,
            "decision_number": "1",
            "conferred_on": "01/02/2020",
        },
        "is for individuals",
    ),
    (
        "initiatives",
        {"username": "staff", "title": "X", "level": "galactic", "year": PAST},
        "“galactic” is not one of",
    ),
    (
        "initiatives",
        {"username": "staff", "title": "", "level": "unit", "year": PAST},
        "Tên sáng kiến / Title is empty",
    ),
    (
        "discipline",
        {"username": "staff", "measure": "warning", "decided_on": "tomorrow"},
        "“tomorrow” is not a past date",
    ),
    (
        "discipline",
        {
            "username": "staff",
            "measure": "warning",
            "decided_on": "01/03/2020",
            "ends_on": "01/01/2020",
        },
        "is before the decision",
    ),
    (
        "discipline",
        {"username": "staff", "measure": "flogging", "decided_on": "01/03/2020"},
        "“flogging” is not one of",
    ),
]


@pytest.mark.parametrize(("kind", "row", "error"), BAD_ROWS)
def test_a_bad_row_is_named_with_its_error_and_nothing_is_imported(world, good, kind, row, error):
    rows = {k: list(v) for k, v in good.items()}
    rows[kind].append(row)
    number = len(rows[kind]) + 2  # after the two header rows
    with pytest.raises(RecordRefused) as refused:
        record_import.import_rows(_read(workbook(rows)), actor=world.secretary)
    bad = refused.value.checked.bad_rows
    assert [(r.sheet, r.number) for r in bad] == [(SHEET_OF[kind].vi, number)]
    assert any(error in e for e in bad[0].errors), bad[0].errors
    assert "1 of" in refused.value.message and "nothing was imported" in refused.value.message
    assert _imported() == NOTHING


def test_missing_and_unknown_columns_are_named_and_nothing_is_imported(world, good):
    headers = {
        "ratings": [
            "Tên đăng nhập",
            "Mã đơn vị",
            "Năm",
            "Điểm",
        ],  # "Xếp loại" missing, "Điểm" unknown
        "awards": [
            "Username",
            "Unit code",
            "Award code",
            "Year",
            "Decision number",
        ],  # English: accepted
    }
    with pytest.raises(RecordRefused) as refused:
        record_import.import_rows(_read(workbook(good, headers=headers)), actor=world.secretary)
    problems = refused.value.checked.problems
    assert any("Xếp loại" in p and "missing column(s) “Xếp loại / Rating”" in p for p in problems)
    assert any("unknown column(s) “Điểm”" in p for p in problems)
    assert any("Khen thưởng" in p and "“Ngày quyết định / Decision date”" in p for p in problems)
    assert _imported() == NOTHING


def test_an_unknown_sheet_is_named(world, good):
    book = load_workbook(io.BytesIO(workbook(good)))
    book.create_sheet("Lương")
    out = io.BytesIO()
    book.save(out)
    checked = record_import.check(_read(out.getvalue()), scopes=None)
    assert any("Unknown sheet “Lương”" in p for p in checked.problems)
    assert not checked.ok


@pytest.mark.parametrize(
    "data",
    [b"username,year\nstaff,2020\n", b"%PDF-1.4 not a workbook", b"PK\x03\x04 a broken zip", b""],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_clearly(data):
    with pytest.raises(InvalidInput, match=r"not an Excel workbook \(\.xlsx\)"):
        _read(data)


def test_a_file_too_large_or_with_too_many_rows_is_refused(world, monkeypatch):
    monkeypatch.setattr(record_import, "MAX_BYTES", 100)
    with pytest.raises(InvalidInput, match="too large"):
        _read(workbook({"ratings": []}))
    monkeypatch.setattr(record_import, "MAX_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(record_import, "MAX_ROWS", 3)
    rows = [{"username": "staff", "year": PAST - i, "rating": "good"} for i in range(5)]
    read = _read(workbook({"ratings": rows}))
    assert any("more than 3 rows" in p for p in read.problems)


def test_duplicates_within_the_file_and_against_the_record_are_named(world, good):
    AnnualRating.objects.create(person=world.staff, year=PAST - 1, rating="good")
    rows = {k: list(v) for k, v in good.items()}
    rows["ratings"] += [
        {"username": "STAFF", "year": PAST, "rating": "excellent"},  # row 5: same as row 3
        {"username": "staff", "year": PAST - 1, "rating": "good"},  # row 6: on the record
    ]
    rows["initiatives"].append(
        {"username": "staff", "title": "số hóa hồ sơ", "level": "unit", "year": PAST}
    )
    with pytest.raises(RecordRefused) as refused:
        record_import.import_rows(_read(workbook(rows)), actor=world.secretary)
    errors = {(r.sheet, r.number): r.errors for r in refused.value.checked.bad_rows}
    assert errors == {
        ("Xếp loại", 5): ["The same record as row 3 of sheet “Xếp loại”."],
        ("Xếp loại", 6): ["Already on the record."],
        ("Sáng kiến", 4): ["The same record as row 3 of sheet “Sáng kiến”."],
    }
    assert AnnualRating.objects.count() == 1


def test_an_award_already_conferred_by_a_decision_is_a_duplicate(world, good):
    ConferredAward.objects.create(
        award_type=world.short,
        year=PAST,
        person=world.staff,
        decision_number="9/QĐ",
        conferred_on=datetime.date(PAST, 12, 1),
    )
    checked = record_import.check(_read(workbook({"awards": good["awards"]})), scopes=None)
    assert [r.errors for r in checked.bad_rows] == [["Already on the record."]]


def test_all_or_nothing_when_the_database_refuses_a_row_half_way(world, good, monkeypatch):
    # Someone else records the staff's rating between the check and the write (as a concurrent
    # import would): the database's unique constraint refuses the rating row after the awards
    # were written; the awards are rolled back with it.
    AnnualRating.objects.create(person=world.staff, year=PAST, rating="completed")
    monkeypatch.setattr(record_import, "_on_record", lambda rows: set())
    with pytest.raises(RecordRefused, match="Row 3 of sheet “Xếp loại” was refused") as refused:
        record_import.import_rows(_read(workbook(good)), actor=world.secretary)
    assert refused.value.checked.bad_rows[0].errors[0].startswith("The database refused this row")
    assert _imported() == {**NOTHING, "ratings": 1}


def test_only_the_council_secretary_and_administrators_import(world, good):
    for user in (world.proposer, world.unit_head, world.inspector, world.leader, world.staff):
        with pytest.raises(NotAllowed):
            record_import.import_rows(_read(workbook(good)), actor=user)
    record_import.import_rows(_read(workbook(good)), actor=world.admin)
    assert AuditEvent.objects.get(action=Event.RECORD_IMPORTED).role == "administrator"


def test_people_outside_the_importers_scope_are_refused(world, good):
    RoleAssignment.objects.create(user=world.staff, role="council_secretary", unit=world.other_unit)
    with pytest.raises(RecordRefused) as refused:
        record_import.import_rows(_read(workbook({"ratings": good["ratings"]})), actor=world.staff)
    errors = [e for r in refused.value.checked.bad_rows for e in r.errors]
    assert len(errors) == 2 and "does not work in a unit you import records for" in errors[0]


# --- the command ---------------------------------------------------------------------------


def _run(capsys, monkeypatch, *argv) -> tuple[int, str, str]:
    """The command as `manage.py import_record …` runs it: its exit status and output. (Its
    closing of the database connections at the end is left out: the test's transaction is on
    one of them.)"""
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    command = load_command_class("nominations", "import_record")
    try:
        command.run_from_argv(["manage.py", "import_record", *map(str, argv)])
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def test_the_command_imports_a_good_file(world, good, tmp_path, capsys, monkeypatch):
    path = tmp_path / "past.xlsx"
    path.write_bytes(workbook(good))
    status, out, _err = _run(capsys, monkeypatch, path, "--user", "secretary")
    assert status == 0 and "imported 6 rows" in out
    assert _imported() == {
        "awards": 2,
        "ratings": 2,
        "initiatives": 1,
        "discipline": 1,
        "events": 1,
    }


def test_the_command_prints_each_rows_errors_and_exits_non_zero_with_one_line(
    world, good, tmp_path, capsys, monkeypatch
):
    good["ratings"].append({"username": "nobody", "year": PAST, "rating": "good"})
    path = tmp_path / "past.xlsx"
    path.write_bytes(workbook(good))
    status, out, err = _run(capsys, monkeypatch, path, "--user", "secretary")
    lines = err.strip().splitlines()
    assert status == 1 and out == ""
    assert lines[0] == "Xếp loại, row 5: Unknown person: no user “nobody”."
    assert lines[-1] == f"CommandError: {path}: 1 of 7 rows have errors; nothing was imported."
    assert _imported() == NOTHING


def test_the_commands_dry_run_checks_and_writes_nothing(world, good, tmp_path, capsys, monkeypatch):
    path = tmp_path / "past.xlsx"
    path.write_bytes(workbook(good))
    status, out, _err = _run(capsys, monkeypatch, path, "--dry-run")
    assert status == 0 and "would import 6 rows" in out
    assert _imported() == NOTHING


def test_the_command_refuses_a_file_that_is_not_xlsx_in_one_line(tmp_path, capsys, monkeypatch, db):
    path = tmp_path / "past.xlsx"
    path.write_text("username;year\n")
    status, out, err = _run(capsys, monkeypatch, path, "--dry-run")
    assert status == 1 and out == ""
    assert err.strip().splitlines() == [
        f"CommandError: {path}: This is not an Excel workbook (.xlsx). Download the template and "
        "fill it in."
    ]


def test_the_command_needs_to_know_who_imports(world, good, tmp_path):
    path = tmp_path / "past.xlsx"
    path.write_bytes(workbook(good))
    with pytest.raises(CommandError, match="--user"):
        call_command("import_record", str(path))
    with pytest.raises(CommandError, match="Only the council's secretary"):
        call_command("import_record", str(path), "--user", "proposer")
    assert _imported() == NOTHING


def test_the_command_writes_the_template(tmp_path, db):
    path = tmp_path / "template.xlsx"
    call_command("import_record", "--template", str(path))
    assert "Kỷ luật" in load_workbook(path).sheetnames
