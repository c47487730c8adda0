"""The quota report: for a campaign (and a unit, if chosen), each quota's limit, how many
nominations count against it, how many were awarded, and how far under or over it is, as a
table with a bar per row, and as CSV or XLSX. Who may read which quotas is
`nominations.policy.quota_report_scope`; the figures are `nominations.quotas.standings` (one
query, whatever the number of quotas)."""

import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from nominations import policy, quotas
from nominations.exceptions import NotAllowed
from nominations.models import Campaign, Unit
from nominations.web import refuses_domain_errors

BAR_WIDTH = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class QuotaFilter(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, scope: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-year", "-id")
        within = Unit.objects.none()
        for path in scope:
            within |= Unit.objects.filter(path__startswith=path)
        self.fields["unit"].queryset = within.order_by("path")
        self.fields["campaign"].empty_label = None


def _bar(standing: quotas.Standing) -> dict:
    """The row's bar: what counts against the quota, the limit marked on the same scale."""
    scale = max(standing.limit, standing.counted, 1)
    return {
        "width": BAR_WIDTH,
        "counted": round(BAR_WIDTH * min(standing.counted, standing.limit) / scale, 1),
        "over_x": round(BAR_WIDTH * standing.limit / scale, 1),
        "over": round(BAR_WIDTH * max(standing.counted - standing.limit, 0) / scale, 1),
        "limit_x": round(BAR_WIDTH * standing.limit / scale, 1),
    }


def report(user, campaign, unit=None) -> list[quotas.Standing]:
    """The standings the user may read for the campaign, within `unit` if given."""
    scope = policy.quota_report_scope(user)
    if unit is not None:
        if not any(unit.path.startswith(p) for p in scope):
            raise NotAllowed(_("You may not read this unit's quotas."))
        scope = [unit.path]
    return quotas.standings(campaign, within_paths=scope)


COLUMNS = [
    gettext_lazy("Award"),
    gettext_lazy("Unit"),
    gettext_lazy("Base"),
    gettext_lazy("Size of the base"),
    gettext_lazy("Share (%)"),
    gettext_lazy("Limit"),
    gettext_lazy("Counted"),
    gettext_lazy("Awarded"),
    gettext_lazy("Left (negative: over)"),
    gettext_lazy("Legal basis"),
]


def _row(s: quotas.Standing) -> list:
    return [
        str(s.quota.award_type),
        str(s.quota.unit),
        s.quota.get_base_display(),
        "" if s.base is None else s.base,
        "" if s.quota.share_percent is None else format(s.quota.share_percent.normalize(), "f"),
        s.limit,
        s.counted,
        s.awarded,
        s.left,
        s.basis,
    ]


def _csv(standings, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # so that a spreadsheet opens the Vietnamese names as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(c) for c in COLUMNS])
    writer.writerows(_row(s) for s in standings)
    return response


def _xlsx(standings, name: str, title: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Quotas")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(c) for c in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    over = PatternFill("solid", fgColor="FFE699")
    for s in standings:
        sheet.append(_row(s))
        if s.over:
            for cell in sheet[sheet.max_row]:
                cell.fill = over
    for column, width in zip("ABCDEFGHIJ", (34, 30, 24, 10, 10, 8, 8, 8, 10, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
@refuses_domain_errors
def quota_report(request):
    scope = policy.quota_report_scope(request.user)
    if not scope:
        raise NotAllowed(
            _("The quota report is for unit heads, reviewers, the council and inspectors.")
        )
    form = QuotaFilter(request.GET or None, scope=scope)
    campaign = unit = None
    if form.is_bound and form.is_valid():
        campaign, unit = form.cleaned_data["campaign"], form.cleaned_data["unit"]
    campaign = campaign or form.fields["campaign"].queryset.first()
    standings = report(request.user, campaign, unit) if campaign else []
    name = f"quotas-{campaign.code if campaign else 'none'}" + (f"-{unit.code}" if unit else "")
    wanted = request.GET.get("format")
    if wanted == "csv":
        return _csv(standings, name)
    if wanted == "xlsx":
        title = _("Quotas: %(campaign)s") % {"campaign": campaign}
        return _xlsx(standings, name, f"{title}" + (f" — {unit}" if unit else ""))
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reporting/quotas.html",
        {
            "form": form,
            "campaign": campaign,
            "unit": unit,
            "rows": [(s, _bar(s)) for s in standings],
            "over_count": sum(1 for s in standings if s.over),
            "query": query.urlencode(),
        },
    )
