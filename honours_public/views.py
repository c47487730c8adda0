"""The public honour roll, the verification page and the documents: no login, nothing shown that
a published decision does not print (docs/DOMAIN.md, "The public honour roll")."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from approvals import drafting, forwarding, verification
from approvals.forwarding_views import readable_request
from nominations.policy import may_see_record
from nominations.views import get_visible
from nominations.web import refuses_domain_errors

from . import documents, selectors
from .forms import CodeForm, RollFilter

PAGE_SIZE = 25


@require_GET
def roll(request):
    form = RollFilter(request.GET or None, years=selectors.years())
    chosen = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is left out of cleaned_data, so it is ignored
        chosen = form.cleaned_data
    awards = selectors.roll(
        year=chosen.get("year"), unit=chosen.get("unit"), award_type=chosen.get("award")
    )
    page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.annotate(page.object_list)
    return render(request, "honours/roll.html", {"form": form, "page": page})


def _verify_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("honour_verify_code", args=[code]))


@require_GET
def verify(request, code: str | None = None):
    if code is None and "code" in request.GET:
        form = CodeForm(request.GET)
        if form.is_valid():
            typed = verification.normalise(form.cleaned_data["code"])
            return redirect("honour_verify_code", code=typed or "-")
    else:
        form = CodeForm(initial={"code": verification.grouped(code) if code else ""})
    found = verification.lookup(code) if code else None
    return render(
        request,
        "honours/verify.html",
        {
            "form": form,
            "asked": code is not None,
            "found": found,
            "code": verification.grouped(found.code) if found else code,
            "verify_url": _verify_url(request, found.code) if found else "",
        },
        status=404 if code is not None and found is None else 200,
    )


def _found_or_404(code: str) -> verification.Verified:
    found = verification.lookup(code)
    if found is None:
        raise Http404(_("No signed decision has this verification code."))
    return found


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _file_name(found: verification.Verified) -> str:
    d = found.decision
    return f"QD-{d.number:03d}-{d.year}-{d.agency.code.upper()}"


@require_GET
def decision_pdf(request, code: str):
    found = _found_or_404(code)
    content = documents.decision_pdf(found, _verify_url(request, found.code))
    return _pdf_response(content, f"{_file_name(found)}.pdf")


@require_GET
def certificate_pdf(request, code: str, position: int):
    found = _found_or_404(code)
    if not 1 <= position <= len(found.conferred):
        raise Http404(_("This decision conferred no such award."))
    award = found.conferred[position - 1]
    content = documents.certificate_pdf(found, award, _verify_url(request, found.code))
    return _pdf_response(content, f"{_file_name(found)}-{position}.pdf")


def _achievement_report_of(request, pk: int):
    """The nomination (404 unless the user may see it), its nominee's profile and the prior
    awards the reader may see, for the achievement report in either format."""
    nomination = get_visible(request, pk)
    holder_unit = (
        nomination.nominee_unit
        if nomination.nominee_unit_id
        else getattr(getattr(nomination.nominee_person, "profile", None), "unit", None)
    )
    whole = may_see_record(request.user, holder_unit.path if holder_unit else None)
    return nomination, selectors.prior_awards(nomination, whole_record=whole)


@login_required
@require_GET
def achievement_report_pdf(request, pk: int):
    """Not public: the dossier's achievement report, for whoever may see the nomination."""
    nomination, prior = _achievement_report_of(request, pk)
    content = documents.achievement_report_pdf(nomination, prior, timezone.localdate())
    return _pdf_response(content, f"bao-cao-thanh-tich-{nomination.reference}.pdf")


@login_required
@require_GET
@refuses_domain_errors
def achievement_report_docx(request, pk: int):
    """The same report as an editable Word file, from the administrators' template for the
    award type (or the built-in one): for whoever may see the nomination."""
    nomination, prior = _achievement_report_of(request, pk)
    profile = (
        getattr(nomination.nominee_person, "profile", None)
        if nomination.nominee_person_id
        else None
    )
    drafted = drafting.achievement_report(nomination, profile, prior, timezone.localdate())
    response = HttpResponse(drafted.content, content_type=drafting.DOCX)
    response["Content-Disposition"] = f'attachment; filename="{drafted.name}"'
    return response


@login_required
@require_GET
@refuses_domain_errors
def request_letter_pdf(request, pk: int):
    """Not public: the request to the higher level as PDF, for the council and its office (as
    the request's page)."""
    forward_request = readable_request(request, pk)
    entries = forwarding.entries_of(forward_request)
    content = documents.request_letter_pdf(forward_request, entries, timezone.localdate())
    name = (
        f"to-trinh-{forward_request.number:03d}-{forward_request.year}.pdf"
        if forward_request.number
        else f"du-thao-to-trinh-{forward_request.pk}.pdf"
    )
    return _pdf_response(content, name)
