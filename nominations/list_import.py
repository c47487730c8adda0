"""Importing a unit's list of nominations for one campaign from a workbook: one sheet, a row per
nominee (`template()` writes it). The pattern and the reading are `record_import`'s:

- `read(data, name)`: the sheet's rows as plain values (`record_import.read` with this sheet),
  or the file's problems. Reads nothing from the database.
- `check(read_, actor=…, campaign=…, proposing_unit=…)`: every row judged as the dossier form
  judges a draft (`NominationForm`, with the row's person, collective and award named by
  username, unit code and award code) and then as the service does (`services.check_draft`:
  the proposer's scope, the nominee of the unit, one award per campaign, the registration), with
  the same sentences, each error naming its column; and two rows for the same nominee and award
  refused. Writes nothing: the preview shows its answer.
- `import_rows(read_, …)`: `check` again inside one transaction, then each draft created by
  `services.create_draft` (so each is audited as NOMINATION_CREATED) and one
  `Event.NOMINATIONS_IMPORTED` for the file. Any error imports nothing (`ListRefused`, with
  every row and its errors), even one the database finds half-way.

The rows travel from the preview to the confirmation signed (`record_import.sign`, its own salt,
bound to the user, with the campaign and unit chosen).
"""

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from audit import services as audit
from audit.services import Origin
from audit.types import Actor

from . import events, policy, services
from .exceptions import DomainError, InvalidInput
from .forms import NominationForm
from .models import AwardType, Campaign, Nomination, Unit
from .people import display_name
from .record_import import (
    HOLDER_USERNAME,
    UNIT_CODE,
    Column,
    Lookups,
    Read,
    RecordRefused,
    Sheet,
    write_sheet,
)
from .record_import import read as read_workbook
from .record_import import sign as sign_rows
from .record_import import unsign as unsign_rows

MAX_ROWS = 500
SIGNING_SALT = "laurel.nomination-import"

AWARD = Column(
    "award",
    "Mã danh hiệu",
    "Award code",
    "Mã danh hiệu / hình thức khen thưởng đề nghị (xem Hướng dẫn). / The award type's code (see "
    "Instructions).",
)
ACHIEVEMENTS = Column(
    "achievements",
    "Tóm tắt thành tích",
    "Achievements",
    "Tóm tắt thành tích (cần có trước khi trình). / The achievements summary (needed before "
    "submitting).",
    optional=True,
)
CONTRIBUTIONS = Column(
    "contributions",
    "Đóng góp",
    "Contributions",
    "Đóng góp (không bắt buộc). / Contributions (optional).",
    optional=True,
)
INITIATIVES = Column(
    "initiatives",
    "Sáng kiến",
    "Initiatives",
    "Sáng kiến, giải pháp (không bắt buộc). / Initiatives (optional).",
    optional=True,
)
SHEET = Sheet(
    "nominations",
    "Danh sách đề nghị",
    "Nominations",
    (HOLDER_USERNAME, UNIT_CODE, AWARD, ACHIEVEMENTS, CONTRIBUTIONS, INITIATIVES),
)
# The dossier form's fields, by the column that gives them (the others are the page's choices).
COLUMN_OF_FIELD = {
    "nominee_person": HOLDER_USERNAME,
    "nominee_unit": UNIT_CODE,
    "award_type": AWARD,
    "achievements": ACHIEVEMENTS,
    "contributions": CONTRIBUTIONS,
    "initiatives": INITIATIVES,
}


class ListRefused(RecordRefused):
    """The list cannot be imported: its problems, and every row with its errors (`checked`:
    this module's `Checked`), carried as the record import carries its own."""


@dataclass
class Line:
    number: int
    cells: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column's label or "", why)
    nominee: str = ""  # as the preview shows it
    values: dict = field(default_factory=dict)  # create_draft's arguments, once valid

    @property
    def shown(self) -> list:
        return [self.cells.get(c.key) for c in SHEET.columns]

    def refuse(self, column: Column | None, sentence) -> None:
        self.errors.append((column.label if column else "", str(sentence)))


@dataclass
class Checked:
    sha256: str
    file_name: str
    campaign: Campaign
    proposing_unit: Unit
    problems: list[str]
    lines: list[Line]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.lines) and not any(r.errors for r in self.lines)

    @property
    def bad_lines(self) -> list[Line]:
        return [r for r in self.lines if r.errors]

    def refusal(self) -> str:
        bad = len(self.bad_lines)
        if self.problems and not bad:
            return _("The file cannot be imported; nothing was imported.")
        return _("%(bad)d of %(total)d rows have errors; nothing was imported.") % {
            "bad": bad,
            "total": len(self.lines),
        }


def read(data: bytes, file_name: str) -> Read:
    return read_workbook(data, file_name, sheets=(SHEET,), max_rows=MAX_ROWS)


def _resolve(line: Line, lookups: Lookups) -> tuple:
    """The row's nominee (person or collective) and award type, by username, code and code."""
    cells = line.cells
    username, code = cells.get("username"), cells.get("unit_code")
    person = unit = award = None
    if username and code:
        line.refuse(None, _("Choose either a person or a collective, not both."))
    elif username:
        person = lookups.people.get(str(username).lower())
        if person is None:
            line.refuse(
                HOLDER_USERNAME,
                _("Unknown person: no user “%(username)s”.") % {"username": username},
            )
        else:
            line.nominee = f"{display_name(person)} ({person.username})"
    elif code:
        unit = lookups.units.get(str(code).lower())
        if unit is None:
            line.refuse(
                UNIT_CODE, _("Unknown unit: no unit with code “%(code)s”.") % {"code": code}
            )
        else:
            line.nominee = f"{unit} ({unit.code})"
    else:
        line.refuse(None, _("Name the person (username) or the collective (unit code)."))
    if cells.get("award"):
        award = lookups.awards.get(str(cells["award"]).lower())
        if award is None:
            line.refuse(
                AWARD,
                _("Unknown award type: no award with code “%(code)s”.") % {"code": cells["award"]},
            )
    else:
        line.refuse(AWARD, _("%(column)s is empty.") % {"column": AWARD.label})
    return person, unit, award


def _check_line(line: Line, lookups: Lookups, *, actor, campaign, proposing_unit) -> None:
    person, unit, award = _resolve(line, lookups)
    if line.errors:
        return
    text = {k: "" if line.cells.get(k) is None else str(line.cells[k]) for k in COLUMN_OF_FIELD}
    form = NominationForm(
        {
            "campaign": campaign.pk,
            "proposing_unit": proposing_unit.pk,
            "award_type": award.pk,
            "nominee_person": person.pk if person else "",
            "nominee_unit": unit.pk if unit else "",
            "achievements": text["achievements"],
            "contributions": text["contributions"],
            "initiatives": text["initiatives"],
        },
        user=actor,
    )
    if not form.is_valid():
        for name, errors in form.errors.items():
            for error in errors:
                line.refuse(COLUMN_OF_FIELD.get(name), error)
        return
    line.values = {k: form.cleaned_data[k] for k in COLUMN_OF_FIELD}
    draft = Nomination(
        campaign=campaign, proposing_unit=proposing_unit, created_by=actor, **line.values
    )
    try:
        services.check_draft(draft, actor=actor)
    except DomainError as exc:
        line.refuse(None, exc)


def check(read_: Read, *, actor, campaign: Campaign, proposing_unit: Unit) -> Checked:
    """Judge every row (see the module's docstring). Writes nothing."""
    lines = [Line(r["number"], r["cells"]) for r in read_.rows]
    checked = Checked(
        read_.sha256, read_.file_name, campaign, proposing_unit, list(read_.problems), lines
    )
    if not lines:
        if not checked.problems:
            checked.problems.append(_("The workbook has no rows to import."))
        return checked
    lookups = Lookups(lines)
    seen: dict[tuple, Line] = {}
    for line in lines:
        _check_line(line, lookups, actor=actor, campaign=campaign, proposing_unit=proposing_unit)
        if line.errors:
            continue
        key = (
            line.values["nominee_person"],
            line.values["nominee_unit"],
            line.values["award_type"],
        )
        if key in seen:
            line.refuse(
                None,
                _("The same nominee and award as row %(number)d.") % {"number": seen[key].number},
            )
        else:
            seen[key] = line
    return checked


def import_rows(
    read_: Read,
    *,
    actor: Actor,
    campaign: Campaign,
    proposing_unit: Unit,
    origin: Origin | None = None,
) -> Checked:
    """Create a draft for every row, or none (see the module's docstring)."""
    role = policy.authorize_nomination_import(actor, proposing_unit)
    with transaction.atomic():
        checked = check(read_, actor=actor, campaign=campaign, proposing_unit=proposing_unit)
        if not checked.ok:
            raise ListRefused(checked.refusal(), checked=checked)
        made = []
        for line in checked.lines:
            try:
                made.append(
                    services.create_draft(
                        actor=actor,
                        campaign=campaign,
                        proposing_unit=proposing_unit,
                        origin=origin,
                        **line.values,
                    )
                )
            except DomainError as exc:  # written by someone else since the check
                line.refuse(None, exc)
                raise ListRefused(
                    _("Row %(number)d was refused; nothing was imported.")
                    % {"number": line.number},
                    checked=checked,
                ) from exc
        audit.append(
            events.nominations_imported(
                actor=actor,
                role=role,
                sha256=checked.sha256,
                file_name=checked.file_name,
                campaign_id=campaign.pk,
                unit_path=proposing_unit.path,
                nominations=[n.pk for n in made],
                origin=origin,
            )
        )
    return checked


def sign(read_: Read, *, user, campaign: Campaign, proposing_unit: Unit) -> str:
    read_.extra = {"campaign": campaign.pk, "unit": proposing_unit.pk}
    return sign_rows(read_, user=user, salt=SIGNING_SALT)


def unsign(token: str, *, user) -> tuple[Read, Campaign, Unit]:
    """The rows previewed, with the campaign and unit chosen; InvalidInput if the token was
    altered, expired or is someone else's, or names what no longer exists."""
    read_ = unsign_rows(token, user=user, salt=SIGNING_SALT)
    try:
        campaign = Campaign.objects.get(pk=read_.extra["campaign"])
        unit = Unit.objects.get(pk=read_.extra["unit"])
    except (KeyError, Campaign.DoesNotExist, Unit.DoesNotExist) as exc:
        raise InvalidInput(_("The preview could not be read: upload the file again.")) from exc
    return read_, campaign, unit


def template() -> bytes:
    """The workbook to fill in: the instructions (with the award codes), then the sheet."""
    book = Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    lines = [
        ("Nhập danh sách đề nghị khen thưởng của đơn vị", "Importing a unit's list of nominations"),
        ("", ""),
        (
            "Chọn đợt thi đua và đơn vị đề nghị trên trang nhập; mỗi dòng là một hồ sơ nháp.",
            "Choose the campaign and the proposing unit on the import page; each row is a draft.",
        ),
        (
            "Dòng 1: tiêu đề cột tiếng Việt (không sửa). Dòng 2: tiêu đề tiếng Anh (bỏ qua khi "
            "nhập). Dữ liệu từ dòng 3.",
            "Row 1: the Vietnamese column headers (keep them). Row 2: the English headers "
            "(skipped on import). Data from row 3.",
        ),
        (
            "Cá nhân ghi tên đăng nhập Laurel; tập thể ghi mã đơn vị.",
            "A person by their Laurel username; a collective by its unit code.",
        ),
        (
            "Tệp có lỗi ở bất kỳ dòng nào thì không nhập dòng nào; trang xem trước nêu lỗi "
            "từng dòng.",
            "A file with an error in any row imports nothing; the preview names each row's errors.",
        ),
        (f"Tối đa {MAX_ROWS} dòng mỗi tệp.", f"At most {MAX_ROWS} rows per file."),
        ("", ""),
        ("Mã danh hiệu:", "Award codes:"),
    ]
    for code, name_vi, name_en in AwardType.objects.order_by("code").values_list(
        "code", "name_vi", "name_en"
    ):
        lines.append((f"  {code} — {name_vi}", f"  {code} — {name_en or name_vi}"))
    guide.append(["Tiếng Việt", "English"])
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for vi, en in lines:
        guide.append([vi, en])
    guide.column_dimensions["A"].width = 90
    guide.column_dimensions["B"].width = 90
    write_sheet(book, SHEET)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
