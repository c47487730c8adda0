"""Importing past years' records from a workbook: conferred awards, annual ratings, initiatives
and disciplinary measures, one sheet each (`template()` writes the workbook to fill in, with its
instructions in it).

Three steps, each its own function:

- `read(data, name)`: the workbook's rows as plain values (text, whole numbers, dates as ISO
  text), or the file's problems (not an XLSX, too large, too many rows, unknown sheets, missing
  or unknown columns). Reads nothing from the database.
- `check(rows, scopes)`: every row judged against the database: people by username, units by
  code, award types by code, ratings, levels and measures by their code or name, years and dates,
  duplicates within the file and against the record. Writes nothing: the preview shows its answer.
- `import_rows(rows, ...)`: `check` again, inside one transaction, then every row written and one
  audit event (`Event.RECORD_IMPORTED`: counts per kind, the file's SHA-256, who). A file with any
  error imports nothing (`RecordRefused`, with every row's errors); so does a row the database
  refuses half-way.

Between the preview and the confirmation the rows travel in the page, signed
(`sign` / `unsign`, django.core.signing, bound to the user, valid for an hour): the preview
writes nothing, not even the upload; the signature means the rows confirmed are exactly the rows
previewed and checked, and the confirmation checks them again against the database as it is then.
"""

import datetime
import hashlib
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from audit import services as audit
from audit.services import Origin
from audit.types import Actor

from . import events, policy
from .exceptions import InvalidInput
from .models import (
    AnnualRating,
    AwardType,
    ConferredAward,
    DisciplinaryMeasure,
    DisciplineKind,
    Initiative,
    Rating,
    RecognitionLevel,
    RecordSource,
    Unit,
)
from .people import display_name

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # data rows, all sheets together
MAX_COLUMNS = 20
FIRST_YEAR = 1945  # the first emulation titles of the Democratic Republic of Vietnam
SIGNING_SALT = "laurel.record-import"
SIGNED_FOR_SECONDS = 3600


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    note: str  # shown in the template (both languages)
    optional: bool = False  # the column may be left out of the sheet

    @property
    def label(self) -> str:
        return f"{self.vi} / {self.en}"


@dataclass(frozen=True)
class Sheet:
    kind: str
    vi: str
    en: str
    columns: tuple[Column, ...]


USERNAME = Column(
    "username",
    "Tên đăng nhập",
    "Username",
    "Tên đăng nhập của cá nhân trong Laurel. / The person's Laurel username.",
)
HOLDER_USERNAME = Column(
    "username",
    "Tên đăng nhập",
    "Username",
    "Cá nhân: tên đăng nhập; để trống nếu là tập thể. / A person's username; empty for a "
    "collective.",
)
UNIT_CODE = Column(
    "unit_code",
    "Mã đơn vị",
    "Unit code",
    "Tập thể: mã đơn vị; để trống nếu là cá nhân. / A collective's unit code; empty for a person.",
)
YEAR = Column("year", "Năm", "Year", "Năm, ví dụ 2023. / The year, e.g. 2023.")
REFERENCE = Column(
    "reference",
    "Căn cứ",
    "Reference",
    "Số, ngày văn bản (không bắt buộc). / Document number and date (optional).",
    optional=True,
)

SHEETS = (
    Sheet(
        "awards",
        "Khen thưởng",
        "Awards",
        (
            HOLDER_USERNAME,
            UNIT_CODE,
            Column(
                "award",
                "Mã danh hiệu",
                "Award code",
                "Mã danh hiệu / hình thức khen thưởng trong Laurel. / The award type's code.",
            ),
            YEAR,
            Column(
                "decision_number",
                "Số quyết định",
                "Decision number",
                "Số quyết định tặng thưởng, ví dụ 123/QĐ-VPQH. / The conferring decision's number.",
            ),
            Column(
                "conferred_on",
                "Ngày quyết định",
                "Decision date",
                "Ngày ký quyết định: dd/mm/yyyy. / The decision's date: dd/mm/yyyy.",
            ),
        ),
    ),
    Sheet(
        "ratings",
        "Xếp loại",
        "Ratings",
        (
            HOLDER_USERNAME,
            UNIT_CODE,
            YEAR,
            Column(
                "rating",
                "Xếp loại",
                "Rating",
                "Mức xếp loại (mã hoặc tên, xem Hướng dẫn). / The rating (code or name, see "
                "Instructions).",
            ),
            REFERENCE,
        ),
    ),
    Sheet(
        "initiatives",
        "Sáng kiến",
        "Initiatives",
        (
            USERNAME,
            Column("title", "Tên sáng kiến", "Title", "Tên sáng kiến. / The initiative's title."),
            Column(
                "level",
                "Cấp công nhận",
                "Recognised at",
                "Cấp công nhận (mã hoặc tên, xem Hướng dẫn). / The level (code or name, see "
                "Instructions).",
            ),
            Column(
                "year", "Năm công nhận", "Year recognised", "Năm công nhận. / The year recognised."
            ),
            REFERENCE,
        ),
    ),
    Sheet(
        "discipline",
        "Kỷ luật",
        "Discipline",
        (
            USERNAME,
            Column(
                "measure",
                "Hình thức kỷ luật",
                "Measure",
                "Hình thức kỷ luật (mã hoặc tên, xem Hướng dẫn). / The measure (code or name, "
                "see Instructions).",
            ),
            Column(
                "decided_on",
                "Ngày quyết định",
                "Decided on",
                "Ngày quyết định kỷ luật: dd/mm/yyyy. / The decision's date: dd/mm/yyyy.",
            ),
            Column(
                "ends_on",
                "Hiệu lực đến",
                "In effect until",
                "Ngày hết hiệu lực (không bắt buộc): dd/mm/yyyy. / Its effect ends (optional).",
                optional=True,
            ),
            REFERENCE,
        ),
    ),
)
SHEET_OF = {s.kind: s for s in SHEETS}
INSTRUCTIONS = ("Hướng dẫn", "Instructions")

# The values a cell may name, by column: the code, or its name in Vietnamese or English.
CHOICES = {"rating": Rating, "level": RecognitionLevel, "measure": DisciplineKind}


def _names(choices) -> dict[str, str]:
    """Code, Vietnamese name and English name (lower case) → code."""
    found = {}
    for value in choices.values:
        found[value.lower()] = value
        for language in ("vi", "en"):
            with translation.override(language):
                found[str(choices(value).label).strip().lower()] = value
    return found


def kind_label(kind: str) -> str:
    return {
        "awards": _("Awards"),
        "ratings": _("Annual ratings"),
        "initiatives": _("Initiatives"),
        "discipline": _("Disciplinary measures"),
    }[kind]


# --- reading the workbook ------------------------------------------------------------------


class RecordRefused(InvalidInput):
    """The file cannot be imported: its problems, and every row with its errors."""

    def __init__(self, message, *, checked: "Checked | None" = None, reasons=()):
        super().__init__(message, reasons=reasons)
        self.checked = checked


@dataclass
class Read:
    sha256: str
    file_name: str
    rows: list[dict]  # {"kind", "sheet", "number", "cells": {column key: value}}
    problems: list[str]
    extra: dict = field(default_factory=dict)  # what the importer chose on the page, signed too


def _plain(value):
    """A cell's value as JSON can carry it: text, a whole number, a date as ISO text."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return text or None


def _header_key(sheet: Sheet, text) -> Column | None:
    wanted = str(text or "").strip().lower()
    for column in sheet.columns:
        if wanted in (column.vi.lower(), column.en.lower(), column.label.lower()):
            return column
    return None


def _sheet_of(title: str, sheets: tuple[Sheet, ...]) -> Sheet | None:
    wanted = title.strip().lower()
    for sheet in sheets:
        if wanted in (sheet.vi.lower(), sheet.en.lower()):
            return sheet
    return None


def read(
    data: bytes,
    file_name: str,
    *,
    sheets: tuple[Sheet, ...] = SHEETS,
    max_rows: int | None = None,
) -> Read:
    """The workbook's rows, or what is wrong with the file as a whole. Raises InvalidInput when
    it is not an XLSX workbook at all, or too large. `sheets`: the sheets the workbook may have
    (the list of nominations, `list_import`, reads its one sheet here too)."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    not_xlsx = InvalidInput(
        _("This is not an Excel workbook (.xlsx). Download the template and fill it in.")
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise not_xlsx from exc
    result = Read(hashlib.sha256(data).hexdigest(), file_name, [], [])
    try:
        known = 0
        for ws in book.worksheets:
            if ws.title.strip().lower() in {t.lower() for t in INSTRUCTIONS}:
                continue
            sheet = _sheet_of(ws.title, sheets)
            if sheet is None:
                result.problems.append(
                    _("Unknown sheet “%(sheet)s”: the sheets are %(sheets)s.")
                    % {"sheet": ws.title, "sheets": ", ".join(f"“{s.vi}”" for s in sheets)}
                )
                continue
            known += 1
            if not _read_sheet(ws, sheet, result, max_rows):
                break
        if not known and not result.problems:
            result.problems.append(
                _("The workbook has none of the sheets %(sheets)s.")
                % {"sheets": ", ".join(f"“{s.vi}”" for s in sheets)}
            )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise not_xlsx from exc
    finally:
        book.close()
    return result


def _read_sheet(ws, sheet: Sheet, result: Read, max_rows: int) -> bool:
    """Append the sheet's rows; False once the file has too many rows (reading stops)."""
    rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    header = next(rows, None) or ()
    columns: dict[int, Column] = {}
    unknown = []
    for index, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        column = _header_key(sheet, text)
        if column is None or column in columns.values():
            unknown.append(str(text).strip())
        else:
            columns[index] = column
    missing = [c for c in sheet.columns if not c.optional and c not in columns.values()]
    if missing or unknown:
        if missing:
            result.problems.append(
                _("Sheet “%(sheet)s”: missing column(s) %(columns)s.")
                % {"sheet": ws.title, "columns": ", ".join(f"“{c.label}”" for c in missing)}
            )
        if unknown:
            result.problems.append(
                _("Sheet “%(sheet)s”: unknown column(s) %(columns)s; the columns are %(known)s.")
                % {
                    "sheet": ws.title,
                    "columns": ", ".join(f"“{c}”" for c in unknown),
                    "known": ", ".join(f"“{c.label}”" for c in sheet.columns),
                }
            )
        return True
    for number, values in enumerate(rows, start=2):
        cells = {
            column.key: _plain(values[index]) if index < len(values) else None
            for index, column in columns.items()
        }
        if all(v is None for v in cells.values()):
            continue
        if number == 2 and all(
            str(cells[c.key]).lower() == c.en.lower() for c in columns.values() if cells[c.key]
        ):
            continue  # the English header row
        if len(result.rows) >= max_rows:
            result.problems.append(
                _("The file has more than %(max)d rows: split it into several files.")
                % {"max": max_rows}
            )
            return False
        result.rows.append(
            {"kind": sheet.kind, "sheet": ws.title, "number": number, "cells": cells}
        )
    return True


# --- checking the rows ---------------------------------------------------------------------


@dataclass
class Row:
    kind: str
    sheet: str
    number: int
    cells: dict
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # the model's fields, once the row is valid
    holder: str = ""  # who the row is about, as shown in the preview

    @property
    def shown(self) -> list:
        """The row's cells in the sheet's column order, as the preview shows them."""
        return [self.cells.get(c.key) for c in SHEET_OF[self.kind].columns]


@dataclass
class Checked:
    sha256: str
    file_name: str
    problems: list[str]
    rows: list[Row]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    def counts(self) -> dict[str, int]:
        counted = Counter(r.kind for r in self.rows)
        return {s.kind: counted[s.kind] for s in SHEETS}

    def by_kind(self) -> list[tuple[Sheet, list[Row]]]:
        return [(s, [r for r in self.rows if r.kind == s.kind]) for s in SHEETS]


def _year(value, errors: list[str], label: str) -> int | None:
    this_year = timezone.localdate().year
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_YEAR <= year <= this_year:
        errors.append(
            _("%(column)s: “%(value)s” is not a year from %(first)d to %(last)d.")
            % {"column": label, "value": value, "first": FIRST_YEAR, "last": this_year}
        )
        return None
    return year


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _date(value, errors: list[str], label: str) -> datetime.date | None:
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if day.year < FIRST_YEAR or day > timezone.localdate():
            break
        return day
    errors.append(
        _("%(column)s: “%(value)s” is not a past date (dd/mm/yyyy).")
        % {"column": label, "value": value}
    )
    return None


def _text(value, errors: list[str], column: Column, max_length: int, *, required=True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.append(_("%(column)s is empty.") % {"column": column.label})
    elif len(text) > max_length:
        errors.append(
            _("%(column)s is longer than %(max)d characters.")
            % {"column": column.label, "max": max_length}
        )
    return text


def _choice(value, errors: list[str], column: Column) -> str | None:
    names = _names(CHOICES[column.key])
    found = names.get(str(value or "").strip().lower())
    if found is None:
        errors.append(
            _("%(column)s: “%(value)s” is not one of %(values)s.")
            % {
                "column": column.label,
                "value": value or "",
                "values": ", ".join(CHOICES[column.key].values),
            }
        )
    return found


class Lookups:
    """People, units and award types named by the file, read once each."""

    def __init__(self, rows: list):  # anything with `cells`: a Row, or `list_import.Line`
        usernames = {str(r.cells.get("username")) for r in rows if r.cells.get("username")}
        codes = {str(r.cells.get("unit_code")) for r in rows if r.cells.get("unit_code")}
        awards = {str(r.cells.get("award")) for r in rows if r.cells.get("award")}
        self.people = {
            u.username.lower(): u
            for u in get_user_model()
            .objects.filter(username__in=usernames | {u.lower() for u in usernames})
            .select_related("profile__unit")
        }
        self.units = {u.code.lower(): u for u in Unit.objects.filter(code__in=_cased(codes))}
        self.awards = {a.code.lower(): a for a in AwardType.objects.filter(code__in=_cased(awards))}


def _cased(values: set[str]) -> set[str]:
    return values | {v.lower() for v in values}


def _in_scope(path: str | None, scopes: list[str] | None) -> bool:
    return scopes is None or (path is not None and any(path.startswith(s) for s in scopes))


def _holder(row: Row, lookups: Lookups, scopes, *, collective_allowed: bool) -> tuple:
    """The row's person or collective (person, unit), with an error when neither or both."""
    username, code = row.cells.get("username"), row.cells.get("unit_code")
    person = unit = None
    if username and code:
        row.errors.append(_("Name a person or a collective, not both."))
        return None, None
    if username:
        person = lookups.people.get(str(username).lower())
        if person is None:
            row.errors.append(_("Unknown person: no user “%(username)s”.") % {"username": username})
        else:
            profile = getattr(person, "profile", None)
            path = profile.unit.path if profile is not None else None
            row.holder = f"{display_name(person)} ({person.username})"
            if not _in_scope(path, scopes):
                row.errors.append(
                    _("%(name)s does not work in a unit you import records for.")
                    % {"name": display_name(person)}
                )
    elif code and collective_allowed:
        unit = lookups.units.get(str(code).lower())
        if unit is None:
            row.errors.append(_("Unknown unit: no unit with code “%(code)s”.") % {"code": code})
        else:
            row.holder = f"{unit} ({unit.code})"
            if not _in_scope(unit.path, scopes):
                row.errors.append(
                    _("%(unit)s is not a unit you import records for.") % {"unit": unit}
                )
    else:
        row.errors.append(
            _("Name the person (username) or the collective (unit code).")
            if collective_allowed
            else _("Name the person (username).")
        )
    return person, unit


def _check_row(row: Row, lookups: Lookups, scopes) -> None:
    cells, errors = row.cells, row.errors
    columns = {c.key: c for c in SHEET_OF[row.kind].columns}
    person, unit = _holder(row, lookups, scopes, collective_allowed="unit_code" in columns)
    holder = {"person": person.pk if person else None, "unit": unit.pk if unit else None}
    if row.kind == "awards":
        award = None
        if cells.get("award"):
            award = lookups.awards.get(str(cells["award"]).lower())
            if award is None:
                errors.append(
                    _("Unknown award type: no award with code “%(code)s”.")
                    % {"code": cells["award"]}
                )
            elif person and not award.accepts_individuals():
                errors.append(_("%(award)s is for collectives.") % {"award": award})
            elif unit and not award.accepts_collectives():
                errors.append(_("%(award)s is for individuals.") % {"award": award})
        else:
            errors.append(_("%(column)s is empty.") % {"column": columns["award"].label})
        year = _year(cells.get("year"), errors, columns["year"].label)
        number = _text(cells.get("decision_number"), errors, columns["decision_number"], 60)
        day = _date(cells.get("conferred_on"), errors, columns["conferred_on"].label)
        row.values = {
            **holder,
            "award_type": award.pk if award else None,
            "year": year,
            "decision_number": number,
            "conferred_on": day.isoformat() if day else None,
        }
    elif row.kind == "ratings":
        row.values = {
            **holder,
            "year": _year(cells.get("year"), errors, columns["year"].label),
            "rating": _choice(cells.get("rating"), errors, columns["rating"]),
            "reference": _text(
                cells.get("reference"), errors, columns["reference"], 200, required=False
            ),
        }
    elif row.kind == "initiatives":
        row.values = {
            "person": holder["person"],
            "title": _text(cells.get("title"), errors, columns["title"], 300),
            "level": _choice(cells.get("level"), errors, columns["level"]),
            "year": _year(cells.get("year"), errors, columns["year"].label),
            "reference": _text(
                cells.get("reference"), errors, columns["reference"], 200, required=False
            ),
        }
    else:  # discipline
        decided = _date(cells.get("decided_on"), errors, columns["decided_on"].label)
        ends = None
        if cells.get("ends_on") is not None:
            ends = _date_any(cells["ends_on"], errors, columns["ends_on"].label)
            if decided and ends and ends < decided:
                errors.append(
                    _("%(column)s is before the decision.") % {"column": columns["ends_on"].label}
                )
        row.values = {
            "person": holder["person"],
            "kind": _choice(cells.get("measure"), errors, columns["measure"]),
            "decided_on": decided.isoformat() if decided else None,
            "ends_on": ends.isoformat() if ends else None,
            "reference": _text(
                cells.get("reference"), errors, columns["reference"], 200, required=False
            ),
        }


def _date_any(value, errors: list[str], label: str) -> datetime.date | None:
    """A date that may lie in the future (a measure's effect ends later)."""
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(
        _("%(column)s: “%(value)s” is not a date (dd/mm/yyyy).") % {"column": label, "value": value}
    )
    return None


def _key(row: Row) -> tuple | None:
    """What makes two rows the same record (None while the row is not valid)."""
    v = row.values
    if row.kind == "awards":
        return ("awards", v["person"], v["unit"], v["award_type"], v["year"])
    if row.kind == "ratings":
        return ("ratings", v["person"], v["unit"], v["year"])
    if row.kind == "initiatives":
        return ("initiatives", v["person"], v["title"].casefold(), v["year"])
    return ("discipline", v["person"], v["kind"], v["decided_on"])


def _on_record(rows: list[Row]) -> set[tuple]:
    """The keys of the valid rows already on the record, one query per kind present."""
    found: set[tuple] = set()
    by_kind: dict[str, list[Row]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    for kind, kind_rows in by_kind.items():
        people = {r.values.get("person") for r in kind_rows} - {None}
        units = {r.values.get("unit") for r in kind_rows} - {None}
        holders = Q(person__in=people) | Q(unit__in=units) if units else Q(person__in=people)
        if kind == "awards":
            for p, u, a, y in ConferredAward.objects.filter(holders).values_list(
                "person", "unit", "award_type", "year"
            ):
                found.add(("awards", p, u, a, y))
        elif kind == "ratings":
            ratings = AnnualRating.objects.filter(holders)
            for p, u, y in ratings.values_list("person", "unit", "year"):
                found.add(("ratings", p, u, y))
        elif kind == "initiatives":
            for p, t, y in Initiative.objects.filter(person__in=people).values_list(
                "person", "title", "year"
            ):
                found.add(("initiatives", p, t.casefold(), y))
        else:
            for p, k, d in DisciplinaryMeasure.objects.filter(person__in=people).values_list(
                "person", "kind", "decided_on"
            ):
                found.add(("discipline", p, k, d.isoformat()))
    return found


def check(read_: Read, *, scopes: list[str] | None) -> Checked:
    """Judge every row (see the module's docstring); `scopes` are the unit paths the importer
    may import for (None: any, as the command's dry run without a user)."""
    rows = [Row(r["kind"], r["sheet"], r["number"], r["cells"]) for r in read_.rows]
    checked = Checked(read_.sha256, read_.file_name, list(read_.problems), rows)
    if not rows:
        if not checked.problems:
            checked.problems.append(_("The workbook has no rows to import."))
        return checked
    lookups = Lookups(rows)
    for row in rows:
        _check_row(row, lookups, scopes)
    valid = [r for r in rows if not r.errors]
    seen: dict[tuple, Row] = {}
    for row in valid:
        key = _key(row)
        if key in seen:
            first = seen[key]
            row.errors.append(
                _("The same record as row %(number)d of sheet “%(sheet)s”.")
                % {"number": first.number, "sheet": first.sheet}
            )
        else:
            seen[key] = row
    existing = _on_record([r for r in valid if not r.errors])
    for row in valid:
        if not row.errors and _key(row) in existing:
            row.errors.append(_("Already on the record."))
    return checked


# --- importing -----------------------------------------------------------------------------


def _record(row: Row):
    v = row.values
    source = RecordSource.IMPORTED
    if row.kind == "awards":
        return ConferredAward(
            person_id=v["person"],
            unit_id=v["unit"],
            award_type_id=v["award_type"],
            year=v["year"],
            decision_number=v["decision_number"],
            conferred_on=datetime.date.fromisoformat(v["conferred_on"]),
            source=source,
        )
    if row.kind == "ratings":
        return AnnualRating(
            person_id=v["person"],
            unit_id=v["unit"],
            year=v["year"],
            rating=v["rating"],
            reference=v["reference"],
            source=source,
        )
    if row.kind == "initiatives":
        return Initiative(
            person_id=v["person"],
            title=v["title"],
            level=v["level"],
            year=v["year"],
            reference=v["reference"],
            source=source,
        )
    return DisciplinaryMeasure(
        person_id=v["person"],
        kind=v["kind"],
        decided_on=datetime.date.fromisoformat(v["decided_on"]),
        ends_on=datetime.date.fromisoformat(v["ends_on"]) if v["ends_on"] else None,
        reference=v["reference"],
        source=source,
    )


def import_rows(read_: Read, *, actor: Actor, origin: Origin | None = None) -> Checked:
    """Import every row of the file, or none: checked again against the database inside the
    transaction, written, and audited with one event. Raises RecordRefused (with the rows and
    their errors) when anything is wrong."""
    role = policy.authorize_record_import(actor)
    scopes = policy.record_import_scopes(actor)
    with transaction.atomic():
        # Imports into one scope queue on its unit's row, so that two of the same file at once
        # cannot both pass the duplicate check (awards have no unique key to stop the second).
        list(Unit.objects.select_for_update().filter(path__in=scopes).values_list("pk"))
        checked = check(read_, scopes=scopes)
        if not checked.ok:
            raise RecordRefused(refusal_sentence(checked), checked=checked)
        for row in checked.rows:
            try:
                _record(row).save(force_insert=True)
            except IntegrityError as exc:
                row.errors.append(_("The database refused this row: %(error)s") % {"error": exc})
                raise RecordRefused(
                    _("Row %(number)d of sheet “%(sheet)s” was refused; nothing was imported.")
                    % {"number": row.number, "sheet": row.sheet},
                    checked=checked,
                ) from exc
        audit.append(
            events.record_imported(
                actor=actor,
                role=role,
                sha256=checked.sha256,
                file_name=checked.file_name,
                counts=checked.counts(),
                unit_path=scopes[0] if scopes else "",
                origin=origin,
            )
        )
    return checked


def refusal_sentence(checked: Checked) -> str:
    bad = len(checked.bad_rows)
    if checked.problems and not bad:
        return _("The file cannot be imported; nothing was imported.")
    return _("%(bad)d of %(total)d rows have errors; nothing was imported.") % {
        "bad": bad,
        "total": len(checked.rows),
    }


# --- carrying the rows from the preview to the confirmation ------------------------------


def sign(read_: Read, *, user, salt: str = SIGNING_SALT) -> str:
    return signing.dumps(
        {
            "user": user.pk,
            "sha256": read_.sha256,
            "file": read_.file_name,
            "rows": read_.rows,
            "extra": read_.extra,
        },
        salt=salt,
        compress=True,
    )


def unsign(token: str, *, user, salt: str = SIGNING_SALT) -> Read:
    """The rows the user previewed, as they were; InvalidInput if the token was altered,
    expired or is someone else's. `salt`: one per kind of import, so that one's preview cannot
    be confirmed as the other's."""
    try:
        payload = signing.loads(token, salt=salt, max_age=SIGNED_FOR_SECONDS)
    except signing.SignatureExpired as exc:
        raise InvalidInput(
            _("The preview is more than an hour old: upload the file again.")
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(_("The preview could not be read: upload the file again.")) from exc
    if payload.get("user") != user.pk:
        raise InvalidInput(_("This preview was made by someone else: upload the file again."))
    return Read(payload["sha256"], payload["file"], payload["rows"], [], payload.get("extra") or {})


# --- the template --------------------------------------------------------------------------


def template() -> bytes:
    """The workbook to fill in: the instructions first, then one sheet per kind with its
    headers in Vietnamese (row 1, read by the import) and English (row 2, skipped), each header
    with a note; data from row 3."""
    book = Workbook()
    guide = book.active
    guide.title = INSTRUCTIONS[0]
    lines = [
        ("Nhập hồ sơ thi đua, khen thưởng các năm trước", "Importing past years' records"),
        ("", ""),
        (
            "Mỗi loại một trang tính: Khen thưởng, Xếp loại, Sáng kiến, Kỷ luật. Có thể bỏ trang "
            "không dùng.",
            "One sheet per kind: Awards, Ratings, Initiatives, Discipline. Unused sheets may be "
            "removed.",
        ),
        (
            "Dòng 1: tiêu đề cột tiếng Việt (không sửa). Dòng 2: tiêu đề tiếng Anh (bỏ qua khi "
            "nhập). Dữ liệu từ dòng 3.",
            "Row 1: the Vietnamese column headers (keep them). Row 2: the English headers "
            "(skipped on import). Data from row 3.",
        ),
        (
            "Cá nhân ghi tên đăng nhập Laurel; tập thể ghi mã đơn vị (chỉ Khen thưởng và Xếp "
            "loại).",
            "A person by their Laurel username; a collective by its unit code (Awards and "
            "Ratings only).",
        ),
        (
            f"Ngày: dd/mm/yyyy hoặc ô kiểu ngày. Năm: từ {FIRST_YEAR} đến năm nay.",
            f"Dates: dd/mm/yyyy or a date cell. Years: from {FIRST_YEAR} to this year.",
        ),
        (
            "Tệp có lỗi ở bất kỳ dòng nào thì không nhập dòng nào; trang xem trước nêu lỗi "
            "từng dòng.",
            "A file with an error in any row imports nothing; the preview names each row's errors.",
        ),
        (
            f"Tối đa {MAX_ROWS} dòng và {MAX_BYTES // (1024 * 1024)} MB mỗi tệp.",
            f"At most {MAX_ROWS} rows and {MAX_BYTES // (1024 * 1024)} MB per file.",
        ),
        ("", ""),
        ("Giá trị hợp lệ (mã hoặc tên)", "Allowed values (code or name)"),
    ]
    for column_key, heading in (
        ("rating", ("Xếp loại", "Rating")),
        ("level", ("Cấp công nhận", "Recognised at")),
        ("measure", ("Hình thức kỷ luật", "Measure")),
    ):
        lines.append((f"{heading[0]}:", f"{heading[1]}:"))
        choices = CHOICES[column_key]
        for value in choices.values:
            with translation.override("vi"):
                vi = str(choices(value).label)
            with translation.override("en"):
                en = str(choices(value).label)
            lines.append((f"  {value} — {vi}", f"  {value} — {en}"))
    award_codes = list(AwardType.objects.order_by("code").values_list("code", "name_vi", "name_en"))
    if award_codes:
        lines.append(("Mã danh hiệu:", "Award codes:"))
        for code, name_vi, name_en in award_codes:
            lines.append((f"  {code} — {name_vi}", f"  {code} — {name_en or name_vi}"))
    guide.append(["Tiếng Việt", "English"])
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for vi, en in lines:
        guide.append([vi, en])
    guide.column_dimensions["A"].width = 90
    guide.column_dimensions["B"].width = 90
    for sheet in SHEETS:
        write_sheet(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_sheet(book: Workbook, sheet: Sheet):
    """A sheet of a template: its headers in Vietnamese (row 1, read by the import) and English
    (row 2, skipped), each header with its note; data from row 3."""
    ws = book.create_sheet(sheet.vi)
    ws.append([c.vi for c in sheet.columns])
    ws.append([c.en for c in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        head = ws.cell(row=1, column=index)
        head.font = Font(bold=True)
        head.comment = Comment(column.note, "Laurel")
        ws.cell(row=2, column=index).font = Font(italic=True, color="666666")
        ws.column_dimensions[head.column_letter].width = max(18, len(column.vi) + 4)
    ws.freeze_panes = "A3"
    return ws
