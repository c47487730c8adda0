"""The statutory statistics' pages: the list of forms for a year and a unit, each form with its
figures and a chart, each figure's list of records, and the XLSX of one form or of all. The
figures are `reporting.statistics.compute`; who reads which unit is `statistics.authorize`."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from nominations.models import Unit
from nominations.web import refuses_domain_errors

from . import statistics as stats

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAR_ROWS = 12


class StatisticsFilter(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Reporting year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stats.units_in_scope(user)
        self.fields["unit"].empty_label = None


def _choice(request):
    """The year and the unit asked for (or the defaults), the filter form, and its errors."""
    stats.authorize(request.user, None)  # refuses those who read no statistics at all
    data = request.GET.copy()
    data.setdefault("year", str(stats.default_year(timezone.localdate())))
    form = StatisticsFilter(data, user=request.user)
    if not form.is_valid():
        return form, None, None
    unit = stats.authorize(request.user, form.cleaned_data["unit"])
    return form, form.cleaned_data["year"], unit


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


def _form_or_404(slug: str) -> stats.StatForm:
    try:
        return stats.FORMS_BY_SLUG[slug]
    except KeyError:
        raise Http404(_("No such statistics form.")) from None


@login_required
@require_GET
@refuses_domain_errors
def statistics_index(request):
    form, year, unit = _choice(request)
    grids = [stats.compute(f, year, unit) for f in stats.FORMS] if year else []
    if grids and request.GET.get("format") == "xlsx":
        return _xlsx(grids, f"statistics-{year}-{unit.code}")
    return render(
        request,
        "reporting/statistics.html",
        {
            "form": form,
            "year": year,
            "unit": unit,
            "grids": grids,
            "not_produced": stats.NOT_PRODUCED,
            "query": _query(request),
            **_basis(year),
        },
    )


def _basis(year) -> dict:
    return {
        "basis": stats.BASIS,
        "successor": stats.SUCCESSOR,
        "caveat": stats.CAVEAT,
        "due": stats.DUE,
        "period": stats.period(year) if year else None,
    }


def _bars(grid: stats.Grid) -> list[tuple[str, int, int]]:
    """The chart: the total row's figures, column by column (the total itself left out)."""
    cells = [c for c in grid.rows[0][2][1:] if c.value is not None]
    top = max((c.value for c in cells), default=0) or 1
    return [
        (" · ".join(str(h) for h in c.column.heads[1:]), c.value, round(100 * c.value / top))
        for c in cells[:BAR_ROWS]
    ]


@login_required
@require_GET
@refuses_domain_errors
def statistics_form(request, slug):
    stat_form = _form_or_404(slug)
    form, year, unit = _choice(request)
    grid = stats.compute(stat_form, year, unit) if year else None
    if grid and request.GET.get("format") == "xlsx":
        return _xlsx([grid], f"{slug}-{year}-{unit.code}")
    return render(
        request,
        "reporting/statistics_form.html",
        {
            "form": form,
            "stat_form": stat_form,
            "grid": grid,
            "year": year,
            "unit": unit,
            "bars": _bars(grid) if grid else [],
            "query": _query(request),
            **_basis(year),
        },
    )


@login_required
@require_GET
@refuses_domain_errors
def statistics_figure(request, slug, row, column):
    stat_form = _form_or_404(slug)
    _filter, year, unit = _choice(request)
    if year is None:
        raise Http404(_("Choose a valid year."))
    try:
        found = list(stats.figure_records(stat_form, year, unit, row, column))
    except LookupError:
        raise Http404(_("This form has no such figure.")) from None
    grid_columns = {c.key: c for c in stat_form.columns()}
    return render(
        request,
        "reporting/statistics_figure.html",
        {
            "stat_form": stat_form,
            "row": stat_form.rows[row],
            "column": grid_columns[column],
            "year": year,
            "unit": unit,
            "records": found,
            "query": _query(request),
            "period": stats.period(year),
        },
    )


# --- the XLSX --------------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
FIRST_FIGURE_COLUMN = 4  # A: the row's name, B: its code, C: its unit of measure


def _sheet(book: Workbook, grid: stats.Grid, first: bool):
    sheet = book.active if first else book.create_sheet()
    sheet.title = grid.form.slug
    width = FIRST_FIGURE_COLUMN - 1 + len(grid.columns)
    start, end = grid.period
    half = max(width // 2, 1)
    lines = [
        (
            _("Form %(code)s") % {"code": grid.form.code},
            _("Reporting unit: %(unit)s") % {"unit": grid.unit},
        ),
        (str(stats.BASIS), _("Receiving unit: %(unit)s") % {"unit": stats.RECEIVER}),
        (_("Due: %(due)s") % {"due": stats.DUE}, ""),
    ]
    for left, right in lines:
        sheet.append([left])
        r = sheet.max_row
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=half)
        sheet.cell(r, half + 1, right)
        if width > half + 1:
            sheet.merge_cells(start_row=r, start_column=half + 1, end_row=r, end_column=width)
        sheet.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True)
    for text, font in (
        (str(grid.form.title).upper(), Font(bold=True, size=13)),
        (
            _("Year %(year)s (reporting period %(start)s – %(end)s)")
            % {
                "year": grid.year,
                "start": start.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            },
            Font(italic=True),
        ),
        (_("Unit of measure: %(unit)s") % {"unit": grid.form.unit_of_measure}, Font(italic=True)),
        (str(stats.CAVEAT), Font(italic=True, color="9C0006")),
    ):
        sheet.append([text])
        r = sheet.max_row
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        sheet.cell(r, 1).font = font
        sheet.cell(r, 1).alignment = CENTRE
    sheet.row_dimensions[sheet.max_row].height = 45

    header = grid.header()
    top = sheet.max_row + 1
    depth = len(header)
    for i, label in enumerate((" ", _("Code"), _("Unit of measure"))):
        sheet.cell(top, i + 1, label)
        sheet.merge_cells(
            start_row=top, start_column=i + 1, end_row=top + depth - 1, end_column=i + 1
        )
    for level, cells in enumerate(header):
        for c in cells:
            row, col = top + level, FIRST_FIGURE_COLUMN + c["first"]
            sheet.cell(row, col, c["text"])
            if c["colspan"] > 1 or c["rowspan"] > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + c["rowspan"] - 1,
                    end_column=col + c["colspan"] - 1,
                )
    letters = ["A", "B", "C", *[str(i + 1) for i in range(len(grid.columns))]]
    sheet.append(letters)
    for r in range(top, sheet.max_row + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(r, c)
            cell.font = Font(bold=True)
            cell.alignment = CENTRE
            cell.border = BOX

    for _i, row, cells in grid.rows:
        label = ("    " * row.indent) + str(row.label)
        sheet.append([label, row.code, str(row.unit_of_measure), *[c.value for c in cells]])
        r = sheet.max_row
        for c in range(1, width + 1):
            sheet.cell(r, c).border = BOX
            if c > 1:
                sheet.cell(r, c).alignment = Alignment(horizontal="center")
        if row.heading or not row.code or row.code == "01":
            sheet.cell(r, 1).font = Font(bold=True)

    sheet.append([])
    for text in (str(grid.form.note), str(stats.SUCCESSOR)):
        sheet.append([text])
        r = sheet.max_row
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        sheet.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[r].height = 45
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 7
    sheet.column_dimensions["C"].width = 12
    sheet.freeze_panes = sheet.cell(top + depth + 1, FIRST_FIGURE_COLUMN)


def _xlsx(grids: list[stats.Grid], name: str) -> HttpResponse:
    book = Workbook()
    for i, grid in enumerate(grids):
        _sheet(book, grid, first=i == 0)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
