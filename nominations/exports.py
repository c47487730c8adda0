"""Lists and reports as files: CSV (streamed, row by row, so a long list never sits in memory)
and XLSX (openpyxl's write-only workbook), both from one header and one iterable of rows.

The page's view builds the rows from the same selector, filters and policy as the page, with the
header in the reader's language; this module only writes them. A cell a spreadsheet would run
as a formula (text beginning with = + - @, a tab or a carriage return: free text written by
users) is kept as text, with a leading apostrophe. The CSV starts with a byte-order mark, so that
a spreadsheet opens the Vietnamese names as UTF-8.

`FORMATS` are the values of the `export` query parameter the pages' links send.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def wanted(request) -> str | None:
    """The export asked for by the page's link (`?export=csv|xlsx`), or None: the page itself."""
    fmt = request.GET.get("export")
    return fmt if fmt in FORMATS else None


def query(request) -> str:
    """The page's query string without its page number or export, for the export links:
    `?{{ export_query }}export=csv` exports what the page shows under the same filters."""
    params = request.GET.copy()
    for key in ("page", "export"):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def cell(value):
    """A value as a cell: numbers and dates as they are (a moment in local time, without its
    zone, which XLSX cannot hold), None as empty, anything else as text never run as a
    formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, int | float | datetime.date):
        return value
    text = str(value)
    if text[:1] in _FORMULA_STARTS and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv_text(value) -> str:
    value = cell(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file whose `write` hands back what it is given (csv.writer, streamed)."""

    def write(self, value):
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, title: str = "") -> bytes:
    """A workbook with one sheet named `title`: the header row first (in bold, frozen), then the
    rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_bold(sheet, str(h), bold) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bold(sheet, value, font):
    written = WriteOnlyCell(sheet, value=cell(value))
    written.font = font
    return written


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in title if c not in "[]:*?/\\").strip()
    return (cleaned or "Laurel")[:31]


def _disposition(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def respond(fmt: str, header: Sequence, rows: Iterable[Sequence], *, name: str, title: str = ""):
    """The file as a response: `name` without its extension; CSV streamed, XLSX whole."""
    if fmt == "csv":
        return _disposition(
            StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8"),
            f"{name}.csv",
        )
    return _disposition(
        HttpResponse(xlsx_bytes(header, rows, title=title), content_type=XLSX), f"{name}.xlsx"
    )
