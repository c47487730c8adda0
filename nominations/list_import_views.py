"""Pages of the import of a unit's list of nominations (`list_import`): the template, the
upload and its preview (nothing written), the confirmation. Who may is
`policy.authorize_nomination_import`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Origin

from . import list_import, policy, record_import
from .exceptions import InvalidInput
from .forms import NominationImportForm
from .list_import import ListRefused
from .record_views import XLSX, _attachment
from .web import refuses_domain_errors


@login_required
@require_GET
@refuses_domain_errors
def template(request):
    policy.authorize_nomination_import(request.user)
    return _attachment(
        list_import.template(), name="laurel-nominations-template.xlsx", content_type=XLSX
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def upload(request):
    """The upload and its preview: every row with its errors. Nothing is written here."""
    policy.authorize_nomination_import(request.user)
    form = NominationImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"].size > record_import.MAX_BYTES:  # refused before it is read
                raise InvalidInput(
                    _("The file is too large (at most %(mb)d MB).")
                    % {"mb": record_import.MAX_BYTES // (1024 * 1024)}
                )
            read = list_import.read(data["file"].read(), data["file"].name or "")
        except InvalidInput as exc:
            form.add_error("file", exc.message)
        else:
            checked = list_import.check(
                read,
                actor=request.user,
                campaign=data["campaign"],
                proposing_unit=data["proposing_unit"],
            )
            return _preview(request, checked, read, status=200 if checked.ok else 400)
    return render(
        request,
        "nominations/list_import.html",
        {"form": form, "max_rows": list_import.MAX_ROWS},
        status=400 if request.method == "POST" else 200,
    )


def _preview(request, checked, read, *, status: int):
    token = ""
    if checked.ok:
        token = list_import.sign(
            read,
            user=request.user,
            campaign=checked.campaign,
            proposing_unit=checked.proposing_unit,
        )
    return render(
        request,
        "nominations/list_import_preview.html",
        {
            "checked": checked,
            "columns": list_import.SHEET.columns,
            "refusal": "" if checked.ok else checked.refusal(),
            "token": token,
        },
        status=status,
    )


@login_required
@require_POST
@refuses_domain_errors
def confirm(request):
    policy.authorize_nomination_import(request.user)
    read, campaign, unit = list_import.unsign(request.POST.get("token", ""), user=request.user)
    try:
        checked = list_import.import_rows(
            read,
            actor=request.user,
            campaign=campaign,
            proposing_unit=unit,
            origin=Origin.from_request(request),
        )
    except ListRefused as exc:
        if exc.checked is None:
            raise
        return _preview(request, exc.checked, read, status=409)
    messages.success(
        request,
        _("Imported %(count)d draft nominations for %(campaign)s.")
        % {"count": len(checked.lines), "campaign": campaign},
    )
    return redirect("nomination_list")
