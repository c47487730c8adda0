"""Pages of the record across years: a person's or a collective's record, the import of past
years' records (template, upload and preview, confirmation) and the emulation registration
(the list per year and unit, its exports, registering). Views parse input, call one selector
or service and render; who may do what is `nominations.policy`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Origin

from . import exports, policy, record_import, registration
from .exceptions import InvalidInput, NotAllowed
from .forms import RecordImportForm, RegistrationForm
from .models import Unit
from .people import display_name
from .record_import import RecordRefused
from .selectors import record_of
from .web import refuses_domain_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the record page -----------------------------------------------------------------------


@login_required
@require_GET
def person_record(request, pk):
    person = get_object_or_404(get_user_model().objects.select_related("profile__unit"), pk=pk)
    profile = getattr(person, "profile", None)
    if not policy.may_see_record(request.user, profile.unit.path if profile else None):
        raise Http404(_("No such record."))
    return render(
        request,
        "nominations/record.html",
        {
            "holder_name": display_name(person),
            "holder_detail": f"{person.username} · {profile.unit}" if profile else person.username,
            "is_person": True,
            "years": _with_proposals(request.user, record_of(person=person)),
        },
    )


@login_required
@require_GET
def unit_record(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    if not policy.may_see_record(request.user, unit.path):
        raise Http404(_("No such record."))
    return render(
        request,
        "nominations/record.html",
        {
            "holder_name": str(unit),
            "holder_detail": unit.code,
            "is_person": False,
            "years": _with_proposals(request.user, record_of(unit=unit)),
        },
    )


def _with_proposals(user, years):
    """Mark the awards whose revocation the reader may propose (`may_propose_revocation`): in
    force, conferred by a signed decision, with no proposal open."""
    for year in years:
        for award in year.awards:
            award.may_propose_revocation = bool(
                award.nomination_id
                and award.decision_id
                and not award.revoked_at
                and not any(r.is_open for r in award.revocations_shown)
                and policy.revocation_proposer_role(user, award.nomination)
            )
    return years


# --- importing past years' records -------------------------------------------------------


def _may_import(request) -> None:
    if not policy.may_import_record(request.user):
        raise NotAllowed(
            _(
                "Only the council's secretary (the emulation office) or an administrator can "
                "import records."
            )
        )


@login_required
@require_GET
@refuses_domain_errors
def record_import_template(request):
    _may_import(request)
    return _attachment(
        record_import.template(), name="laurel-record-template.xlsx", content_type=XLSX
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def record_import_upload(request):
    """The upload, and its preview: every row with its errors. Nothing is written here."""
    _may_import(request)
    form = RecordImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > record_import.MAX_BYTES:
            form.add_error(
                "file",
                _("The file is too large (at most %(mb)d MB).")
                % {"mb": record_import.MAX_BYTES // (1024 * 1024)},
            )
        else:
            try:
                read = record_import.read(upload.read(), upload.name or "")
            except InvalidInput as exc:
                form.add_error("file", exc.message)
            else:
                checked = record_import.check(
                    read, scopes=policy.record_import_scopes(request.user)
                )
                return _preview(request, checked, read, status=200 if checked.ok else 400)
    return render(
        request,
        "nominations/record_import.html",
        {"form": form, "max_rows": record_import.MAX_ROWS},
        status=400 if request.method == "POST" else 200,
    )


def _preview(request, checked, read, *, status: int):
    return render(
        request,
        "nominations/record_preview.html",
        {
            "checked": checked,
            "sheets": [
                (sheet, record_import.kind_label(sheet.kind), rows)
                for sheet, rows in checked.by_kind()
                if rows
            ],
            "refusal": "" if checked.ok else record_import.refusal_sentence(checked),
            "token": record_import.sign(read, user=request.user) if checked.ok else "",
        },
        status=status,
    )


@login_required
@require_POST
@refuses_domain_errors
def record_import_confirm(request):
    _may_import(request)
    read = record_import.unsign(request.POST.get("token", ""), user=request.user)
    try:
        checked = record_import.import_rows(
            read, actor=request.user, origin=Origin.from_request(request)
        )
    except RecordRefused as exc:
        if exc.checked is None:
            raise
        return _preview(request, exc.checked, read, status=409)
    counts = checked.counts()
    messages.success(
        request,
        _("Imported %(rows)d rows: %(counts)s.")
        % {
            "rows": sum(counts.values()),
            "counts": ", ".join(
                f"{record_import.kind_label(kind)} {n}" for kind, n in counts.items() if n
            ),
        },
    )
    return redirect("record_import")


# --- emulation registration ----------------------------------------------------------------


def _year(request) -> int:
    """The year asked for (this year if none, or none that makes sense)."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        return this_year
    return year if 1945 <= year <= 2100 else this_year


def _chosen_unit(request):
    """The unit whose registrations are listed, among those the user reads (404 otherwise)."""
    units = policy.record_units(request.user)
    wanted = request.GET.get("unit")
    if wanted:
        try:
            return units, units.get(pk=int(wanted))
        except (ValueError, Unit.DoesNotExist):
            raise Http404(_("No such unit.")) from None
    return units, units.order_by("path").first()


@login_required
@require_GET
@refuses_domain_errors
def registration_list(request):
    year = _year(request)
    units, unit = _chosen_unit(request)
    if unit is None:
        raise NotAllowed(_("Your roles do not cover any unit's registrations."))
    return render(
        request,
        "nominations/registrations.html",
        {
            "year": year,
            "unit": unit,
            "units": units.order_by("path"),
            "rows": registration.registrations(year=year, unit=unit),
            "can_register": policy.units_user_may_register_for(request.user).exists(),
        },
    )


@login_required
@require_GET
def registration_export(request, fmt):
    year = _year(request)
    _units, unit = _chosen_unit(request)
    if unit is None:
        raise Http404(_("No such unit."))
    header, rows = registration.export_rows(registration.registrations(year=year, unit=unit))
    return exports.respond(
        fmt, header, rows, name=f"dang-ky-thi-dua-{year}-{unit.code}", title=f"{year} {unit.code}"
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def registration_new(request):
    if not policy.units_user_may_register_for(request.user).exists():
        raise NotAllowed(_("Only a unit's proposer can register its people and collectives."))
    form = RegistrationForm(
        request.POST or None, user=request.user, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = registration.register(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                people=list(data["people"]),
                collectives=list(data["collectives"]),
                commitments=data["commitments"],
                origin=Origin.from_request(request),
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(count)d registered for %(year)d.")
                % {"count": len(made), "year": data["year"]},
            )
            return redirect(
                f"{reverse('registrations')}?year={data['year']}&unit={data['unit'].pk}"
            )
    return render(
        request,
        "nominations/registration_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
