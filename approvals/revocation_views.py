"""The pages of a revocation (`approvals.revocations`): proposing to revoke an award, the list
of proposals, and one proposal with the step that is the reader's to take — the council's
conclusion and the recovery (the council secretary), the decision (the head of agency).

Views parse input and call one service; domain errors become the refused page
(`refuses_domain_errors`). Who may read a proposal: whoever may read the holder's record
(`nominations.policy.may_see_record`), the agency's decision signer, and its proposer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Origin
from nominations import policy as nomination_policy
from nominations.models import Nomination, Revocation
from nominations.roles import Role
from nominations.web import refuses_domain_errors

from . import policy as council_policy
from . import revocations
from .forms import CouncilConclusionForm, RecoveryForm, RevocationProposalForm
from .views import _form_error


def _readable() -> object:
    return Revocation.objects.select_related(
        "award__award_type",
        "award__person__profile__unit",
        "award__unit",
        "award__nomination__proposing_unit",
        "award__nomination__campaign__agency",
        "proposed_by",
        "council_recorded_by",
    )


def _holder_path(revocation: Revocation) -> str | None:
    award = revocation.award
    if award.unit_id:
        return award.unit.path
    profile = getattr(award.person, "profile", None)
    return profile.unit.path if profile else None


def may_read(user, revocation: Revocation) -> bool:
    agency = revocation.award.nomination.campaign.agency
    return (
        revocation.proposed_by_id == user.pk
        or nomination_policy.may_see_record(user, _holder_path(revocation))
        or council_policy.may_sign(user, agency)
    )


def _revocation_or_404(request, pk) -> Revocation:
    revocation = _readable().filter(pk=pk).first()
    if revocation is None or not may_read(request.user, revocation):
        raise Http404(_("No such revocation."))
    return revocation


@login_required
@require_GET
def revocation_list(request):
    rows = [r for r in _readable().order_by("-proposed_at", "-id") if may_read(request.user, r)]
    return render(request, "council/revocations.html", {"revocations": rows})


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def revocation_propose(request, pk):
    nomination = (
        Nomination.objects.select_related(
            "award_type", "campaign__agency", "proposing_unit", "nominee_person", "nominee_unit"
        )
        .filter(pk=pk)
        .first()
    )
    if nomination is None or not nomination_policy.revocation_proposer_role(
        request.user, nomination
    ):
        raise Http404(_("No such award."))
    form = RevocationProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revocation = revocations.propose_revocation(
            nomination,
            actor=request.user,
            ground=form.cleaned_data["ground"],
            grounds=form.cleaned_data["grounds"],
            documents=form.cleaned_data["documents"],
            origin=Origin.from_request(request),
        )
        messages.success(request, _("The revocation is proposed to the council."))
        return redirect("revocation_detail", pk=revocation.pk)
    return render(
        request,
        "council/revocation_propose.html",
        {"nomination": nomination, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def revocation_detail(request, pk):
    revocation = _revocation_or_404(request, pk)
    agency = revocation.award.nomination.campaign.agency
    is_secretary = nomination_policy.holds(request.user, Role.COUNCIL_SECRETARY, agency)
    status = Revocation.Status
    return render(
        request,
        "council/revocation.html",
        {
            "revocation": revocation,
            "award": revocation.award,
            "council_form": CouncilConclusionForm()
            if is_secretary and revocation.status == status.PROPOSED
            else None,
            "may_sign": council_policy.may_sign(request.user, agency)
            and revocation.status == status.SUPPORTED,
            "recovery_form": RecoveryForm(
                initial={name: getattr(revocation, name) for name in revocations.RECOVERY_FIELDS}
            )
            if is_secretary and revocation.status == status.REVOKED
            else None,
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def revocation_council(request, pk):
    revocation = _revocation_or_404(request, pk)
    form = CouncilConclusionForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    revocation = revocations.record_council_conclusion(
        revocation, actor=request.user, origin=Origin.from_request(request), **form.cleaned_data
    )
    messages.success(request, revocation.get_status_display())
    return redirect("revocation_detail", pk=revocation.pk)


@login_required
@require_POST
@refuses_domain_errors
def revocation_sign(request, pk):
    revocation = _revocation_or_404(request, pk)
    decision = revocations.sign_revocation(
        revocation, actor=request.user, origin=Origin.from_request(request)
    )
    messages.success(
        request, _("Decision %(number)s revokes the award.") % {"number": decision.reference}
    )
    return redirect("revocation_detail", pk=revocation.pk)


@login_required
@require_POST
@refuses_domain_errors
def revocation_recovery(request, pk):
    revocation = _revocation_or_404(request, pk)
    form = RecoveryForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    revocations.record_recovery(
        revocation, actor=request.user, origin=Origin.from_request(request), **form.cleaned_data
    )
    messages.success(request, _("What was recovered is recorded."))
    return redirect("revocation_detail", pk=revocation.pk)
