"""The pages of requests to the higher level (`approvals.forwarding`): the office's list of
requests and of the nominations to forward, and one request — its letter, the signature, and
the higher level's outcome for each nominee.

Views parse input and call one service; domain errors become the refused page
(`refuses_domain_errors`). The council's readers read requests (`policy.may_read_requests`); the
office prepares them and records outcomes; the head of agency signs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.services import Origin
from nominations import policy
from nominations.exceptions import NotAllowed
from nominations.models import Nomination, Unit
from nominations.web import refuses_domain_errors

from . import forwarding
from . import policy as council_policy
from .drafting import DOCX
from .forms import ForwardRequestForm, HigherOutcomeForm, LetterUploadForm
from .models import ForwardEntry, ForwardRequest
from .views import _agencies_where, _form_error


def _office_agency(user) -> Unit | None:
    agencies = _agencies_where(user, council_policy.may_prepare_requests)
    return agencies[0] if agencies else None


def _ready(agency: Unit) -> list[int]:
    return [n.pk for n, why in forwarding.to_forward(agency) if why is None]


def _candidates(pks):
    """The nominations a form offers, read with what their labels name (no query per row)."""
    return Nomination.objects.filter(pk__in=pks).select_related(
        "award_type", "nominee_person", "nominee_unit"
    )


@login_required
@require_GET
@refuses_domain_errors
def request_list(request):
    readable = _agencies_where(request.user, council_policy.may_read_requests)
    if not readable:
        raise NotAllowed(_("Requests to the higher level are for the council and its office."))
    office = _office_agency(request.user)
    to_forward, ready, form = [], [], None
    if office is not None:
        to_forward = forwarding.to_forward(office)
        ready = [n.pk for n, why in to_forward if why is None]
        form = ForwardRequestForm(candidates=_candidates(ready))
    return render(
        request,
        "forwarding/requests.html",
        {
            "requests": forwarding.requests_visible_to(request.user),
            "to_forward": to_forward,
            "form": form,
            "ready": ready,
            "is_office": office is not None,
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def request_new(request):
    agency = _office_agency(request.user)
    if agency is None:
        raise NotAllowed(_("Only the council secretary prepares requests to the higher level."))
    form = ForwardRequestForm(
        request.POST, candidates=Nomination.objects.filter(campaign__agency=agency)
    )
    if not form.is_valid():
        raise _form_error(form)
    prepared = forwarding.prepare_request(
        actor=request.user,
        agency=agency,
        nominations=list(form.cleaned_data["nominations"]),
        title=form.cleaned_data["title"],
        addressed_to=form.cleaned_data["addressed_to"],
        grounds=form.cleaned_data["grounds"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The request is prepared; it awaits the signature."))
    return redirect("forward_request", pk=prepared.pk)


def readable_request(request, pk) -> ForwardRequest:
    """The request, for a reader of the council's requests (404 unknown, refused otherwise)."""
    found = ForwardRequest.objects.select_related("agency", "campaign", "prepared_by", "signed_by")
    forward_request = found.filter(pk=pk).first()
    if forward_request is None:
        raise Http404(_("No such request."))
    if not council_policy.may_read_requests(request.user, forward_request.agency):
        raise NotAllowed(_("Requests to the higher level are for the council and its office."))
    return forward_request


@login_required
@require_GET
@refuses_domain_errors
def request_detail(request, pk):
    forward_request = readable_request(request, pk)
    entries = forwarding.entries_of(forward_request)
    agency = forward_request.agency
    is_office = council_policy.may_prepare_requests(request.user, agency)
    draft = forward_request.status == ForwardRequest.Status.DRAFT
    edit_form = None
    if is_office and draft:
        chosen = [e.nomination_id for e in entries]
        edit_form = ForwardRequestForm(
            candidates=_candidates([*chosen, *_ready(agency)]),
            initial={
                "nominations": chosen,
                "title": forward_request.title,
                "addressed_to": forward_request.addressed_to,
                "grounds": forward_request.grounds,
            },
        )
    records = is_office and not draft
    return render(
        request,
        "forwarding/request.html",
        {
            "forward_request": forward_request,
            "entries": entries,
            "is_office": is_office,
            "edit_form": edit_form,
            "upload_form": LetterUploadForm() if is_office and draft else None,
            "can_sign": draft and council_policy.may_sign(request.user, agency),
            # The bundle for a higher level that runs Laurel too (`exchange`), once signed.
            "can_export": not draft and policy.may_export_bundle(request.user, agency),
            "outcome_form": HigherOutcomeForm() if records else None,
            "pending": ForwardEntry.Outcome.PENDING,
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def request_edit(request, pk):
    forward_request = readable_request(request, pk)
    council_policy.authorize_office(request.user, forward_request.agency)
    form = ForwardRequestForm(
        request.POST,
        candidates=Nomination.objects.filter(campaign__agency=forward_request.agency),
    )
    if not form.is_valid():
        raise _form_error(form)
    forwarding.edit_request(
        forward_request,
        actor=request.user,
        nominations=list(form.cleaned_data["nominations"]),
        title=form.cleaned_data["title"],
        addressed_to=form.cleaned_data["addressed_to"],
        grounds=form.cleaned_data["grounds"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The request is saved."))
    return redirect("forward_request", pk=pk)


@login_required
@require_GET
@refuses_domain_errors
def request_letter(request, pk):
    """The letter drafted afresh from the template (DOCX)."""
    forward_request = readable_request(request, pk)
    drafted = forwarding.draft_letter(forward_request)
    response = HttpResponse(drafted.content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{drafted.name}"'
    return response


@login_required
@require_GET
@refuses_domain_errors
def request_letter_file(request, pk):
    """The edited letter the office uploaded (the one signed)."""
    forward_request = readable_request(request, pk)
    if not forward_request.letter:
        raise Http404(_("No edited letter was uploaded."))
    return FileResponse(
        forward_request.letter.open("rb"),
        as_attachment=True,
        filename=forward_request.letter_name or "letter.docx",
        content_type=DOCX,
    )


@login_required
@require_POST
@refuses_domain_errors
def request_letter_upload(request, pk):
    forward_request = readable_request(request, pk)
    form = LetterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _form_error(form)
    forwarding.upload_letter(
        forward_request,
        actor=request.user,
        upload=form.cleaned_data["file"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The edited letter is kept."))
    return redirect("forward_request", pk=pk)


@login_required
@require_POST
@refuses_domain_errors
def request_sign(request, pk):
    forward_request = readable_request(request, pk)
    signed = forwarding.sign_request(
        forward_request, actor=request.user, origin=Origin.from_request(request)
    )
    messages.success(
        request,
        _("Request %(number)s signed; its nominations are forwarded.")
        % {"number": signed.reference},
    )
    return redirect("forward_request", pk=pk)


def _entry_of(forward_request: ForwardRequest, entry_pk) -> ForwardEntry:
    entry = forward_request.entries.select_related("request").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404(_("No such nominee in this request."))
    return entry


@login_required
@require_POST
@refuses_domain_errors
def entry_outcome(request, pk, entry_pk):
    forward_request = readable_request(request, pk)
    entry = _entry_of(forward_request, entry_pk)
    form = HigherOutcomeForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _form_error(form)
    forwarding.record_outcome(
        entry,
        actor=request.user,
        outcome=form.cleaned_data["outcome"],
        decision_number=form.cleaned_data["decision_number"],
        decided_on=form.cleaned_data["decided_on"],
        reasons=form.cleaned_data["reasons"],
        document=form.cleaned_data["document"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The higher level's outcome is recorded."))
    return redirect("forward_request", pk=pk)


@login_required
@require_GET
@refuses_domain_errors
def entry_document(request, pk, entry_pk):
    forward_request = readable_request(request, pk)
    entry = _entry_of(forward_request, entry_pk)
    if not entry.document:
        raise Http404(_("No document was attached."))
    return FileResponse(entry.document.open("rb"), as_attachment=True)
