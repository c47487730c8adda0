"""Pages for writing a dossier. Views parse input, call one selector or service, and let domain
errors through to `refuses_domain_errors`, which answers with the error's HTTP status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from audit.services import Origin

from . import eligibility, exports, policy, registration, services
from .exceptions import DomainError, InvalidInput, NotAllowed, TransitionRefused
from .filters import NominationFilter
from .forms import DelegationForm, EligibilityPreviewForm, EvidenceForm, NominationForm
from .models import Delegation, Evidence, Nomination
from .selectors import nomination_for, visible_nominations
from .stages import ACTION_LABELS
from .tables import NominationTable
from .web import refuses_domain_errors

LIST_PAGE_SIZE = 25


def get_visible(request, pk) -> Nomination:
    try:
        return nomination_for(request.user, pk)
    except Nomination.DoesNotExist:
        raise Http404(_("No such nomination.")) from None


@login_required
@require_GET
def nomination_list(request):
    filters = NominationFilter(
        request.GET or None, queryset=visible_nominations(request.user), user=request.user
    )
    table = NominationTable(filters.qs)
    fmt = exports.wanted(request)
    if fmt:  # the list as filtered and sorted, every page of it
        RequestConfig(request, paginate=False).configure(table)
        header, rows = table.export()
        return exports.respond(fmt, header, rows, name="laurel-nominations", title=_("Nominations"))
    RequestConfig(request, paginate={"per_page": LIST_PAGE_SIZE}).configure(table)
    return render(
        request,
        "nominations/list.html",
        {
            "filters": filters,
            "table": table,
            "filtered": filters.is_bound and any(request.GET.get(f) for f in filters.filters),
            # Read from the roles already loaded: holding the role means having its unit.
            "can_propose": policy.may_propose(request.user),
            "export_query": exports.query(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def nomination_create(request):
    if not policy.units_user_may_propose_for(request.user).exists():
        raise NotAllowed(_("Only a unit's proposer can start a nomination."))
    form = NominationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.create_draft(
                actor=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draft saved. Attach the evidence, then submit."))
            return redirect("nomination_detail", pk=nomination.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "nominations/form.html",
        {"form": form, **_form_checklist(request, form)},
        status=status,
    )


def _form_checklist(request, form, nomination=None) -> dict:
    """The checklist the dossier form opens with: the nominee as posted (a form sent back with
    an error), else as saved; laurel.js redraws it as the proposer changes the choices
    (`eligibility_preview`)."""
    judged = None
    if form.is_bound:
        data = form.data.copy()
        if nomination is not None:  # its campaign is fixed: the form does not send it
            data["campaign"] = nomination.campaign_id
        preview = EligibilityPreviewForm(data, user=request.user)
        if preview.is_valid():
            judged = preview.nomination(nomination.pk if nomination else None)
    elif nomination is not None and (nomination.nominee_person_id or nomination.nominee_unit_id):
        judged = nomination
    return {"checklist": eligibility.evaluate(judged) if judged is not None else None}


@login_required
@require_GET
@refuses_domain_errors
def eligibility_preview(request):
    """The dossier form's live checklist: which of the award's criteria the chosen nominee
    meets, for the campaign chosen (an HTML fragment for laurel.js; a page without it)."""
    if not policy.may_propose(request.user):
        raise NotAllowed(_("Only a unit's proposer can start a nomination."))
    form = EligibilityPreviewForm(request.GET, user=request.user)
    pk = None
    if request.GET.get("nomination", "").isdigit():
        pk = get_visible(request, int(request.GET["nomination"])).pk
    evaluation = eligibility.evaluate(form.nomination(pk)) if form.is_valid() else None
    return render(
        request,
        "nominations/_eligibility.html",
        {"evaluation": evaluation, "live": True, "for_proposer": True},
    )


def _form_page_extras(request, nomination) -> dict:
    """What the edit page shows besides the dossier form: the evidence and, where the user may,
    the submit button (it posts to the same action as the nomination's page)."""
    actions = policy.allowed_actions(request.user, nomination)
    submit = next((a for a in ("submit", "resubmit") if a in actions), None)
    # Someone who may submit but whose dossier is not ready is told what is missing.
    blockers = []
    unregistered = registration.refusal(nomination) if submit else None
    if unregistered:  # the submission would be refused: say why instead of offering it
        submit, blockers = None, [unregistered]
    if submit is None and not blockers:
        for action in ("submit", "resubmit"):
            if policy.may(request.user, action, nomination):
                blockers = nomination.failed_guards(action)
            if blockers:
                break
    return {
        "can_edit": True,
        "evidence_form": EvidenceForm(),
        "submit_action": submit,
        "submit_label": ACTION_LABELS[submit] if submit else "",
        "submit_blockers": blockers,
    }


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def nomination_edit(request, pk):
    nomination = get_visible(request, pk)
    if not policy.may(request.user, "edit", nomination):
        raise NotAllowed(_("Only the proposing unit can edit its dossiers."))
    if not policy.can_edit_dossier(request.user, nomination):
        raise TransitionRefused(
            _("The dossier can be edited only while it is a draft or returned for revision.")
        )
    form = NominationForm(request.POST or None, instance=nomination, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in services.DOSSIER_FIELDS}
        # The form wrote its values on the instance; the service works on a fresh locked copy.
        try:
            services.update_dossier(
                Nomination.objects.get(pk=pk),
                actor=request.user,
                changes=changes,
                origin=Origin.from_request(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Dossier saved."))
            return redirect("nomination_detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":  # the page shows the dossier as saved, not the rejected input
        nomination = get_visible(request, pk)
    return render(
        request,
        "nominations/form.html",
        {
            "form": form,
            "nomination": nomination,
            **_form_page_extras(request, nomination),
            **_form_checklist(request, form, nomination),
        },
        status=status,
    )


def _wants_json(request) -> bool:
    """An upload sent by laurel.js (with a progress bar) rather than by the plain form."""
    return request.headers.get(
        "X-Requested-With"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("Accept", "")


def _back(request, pk):
    """Back to the page the form was on: the dossier's edit page or the nomination's page."""
    if request.POST.get("back") == "edit":
        return redirect("nomination_edit", pk=pk)
    return redirect("nomination_detail", pk=pk)


@login_required
@require_POST
@refuses_domain_errors
def evidence_add(request, pk):
    as_json = _wants_json(request)
    nomination = get_visible(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose a document type and a file."), reasons=_errors(form))
        evidence = services.add_evidence(
            nomination,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            origin=Origin.from_request(request),
        )
    except DomainError as exc:
        if as_json:  # laurel.js shows the errors beside its progress bar
            return _json_refusal(exc)
        raise
    if as_json:
        return JsonResponse(
            {
                "ok": True,
                "errors": [],
                # The dossier's new version: the page's action forms act on it from now on.
                "version": evidence.nomination.version,
                "evidence": {
                    "id": evidence.pk,
                    "name": evidence.original_name,
                    "kind": evidence.get_kind_display(),
                    "size": evidence.size,
                },
            }
        )
    messages.success(request, _("Document attached."))
    return _back(request, pk)


def _json_refusal(exc: DomainError) -> JsonResponse:
    errors = [exc.message, *exc.reasons]
    return JsonResponse({"ok": False, "errors": errors}, status=exc.http_status)


@login_required
@require_POST
@refuses_domain_errors
def evidence_remove(request, pk, evidence_pk):
    nomination = get_visible(request, pk)
    evidence = _evidence_of(nomination, evidence_pk)
    services.remove_evidence(evidence, actor=request.user, origin=Origin.from_request(request))
    messages.success(request, _("Document removed."))
    return _back(request, pk)


@login_required
@require_GET
def evidence_download(request, pk, evidence_pk):
    nomination = get_visible(request, pk)
    evidence = _evidence_of(nomination, evidence_pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type="application/octet-stream",
    )


def _evidence_of(nomination, evidence_pk) -> Evidence:
    try:
        return nomination.evidence.get(pk=evidence_pk)
    except Evidence.DoesNotExist:
        raise Http404(_("No such document.")) from None


def _errors(form) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".strip(": ")
        for f, e in form.errors.items()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request):
    form = DelegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_delegation(
                principal=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Delegation granted."))
            return redirect("delegations")
    given = Delegation.objects.filter(principal=request.user).select_related("delegate", "unit")
    received = Delegation.objects.filter(delegate=request.user).select_related("principal", "unit")
    return render(
        request,
        "nominations/delegations.html",
        {
            "form": form,
            "can_delegate": bool(form.fields["role"].choices),
            "given": given,
            "received": received,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@refuses_domain_errors
def delegation_revoke(request, pk):
    try:
        delegation = Delegation.objects.filter(policy.delegations_visible_q(request.user)).get(
            pk=pk
        )
    except Delegation.DoesNotExist:
        raise Http404(_("No such delegation.")) from None
    services.revoke_delegation(delegation, actor=request.user, origin=Origin.from_request(request))
    messages.success(request, _("Delegation revoked."))
    return redirect("delegations")
