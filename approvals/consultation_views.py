"""The pages of consultations (hiệp y, `approvals.consultations`): the office's list of open
consultations with their due dates (and the letter opening one on several nominations), opening
one from a nomination's page, recording a body's answer, and the body's letter itself.

The nomination's page shows its consultations through the `consultations_panel` tag
(`approvals.templatetags.consultations`): the page is the workflow's, which does not read the
council's layer. Views parse input and call one service; refusals become the refused page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Origin
from nominations.exceptions import NotAllowed
from nominations.views import get_visible
from nominations.web import refuses_domain_errors

from . import consultations
from . import policy as council_policy
from .forms import ConsultationForm, OpinionForm
from .models import ConsultationOpinion, ConsultedBody
from .views import _agencies_where, _form_error


def active_bodies():
    return ConsultedBody.objects.filter(active=True).order_by("name_vi")


def _back_to_nomination(request, pk, **kwargs) -> str:
    return reverse("nomination_detail", args=[pk]) + "#consultations"


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def consultation_list(request):
    """The office's open consultations, the earliest due first (overdue ones flagged: the
    timers complete them the day after their due date), and the letter for several nominees."""
    if not _agencies_where(request.user, council_policy.may_consult):
        raise NotAllowed(
            _("Only an agency's council secretary (its office) consults other bodies.")
        )
    today = timezone.localdate()
    default_due = consultations.default_due_on(today)
    form = ConsultationForm(
        request.POST or None,
        bodies=active_bodies(),
        nominations=consultations.consultable_for(request.user),
        default_due=default_due,
    )
    if request.method == "POST":
        if not form.is_valid():
            raise _form_error(form)
        opened = consultations.open_consultations(
            form.cleaned_data["nominations"],
            actor=request.user,
            bodies=form.cleaned_data["bodies"],
            due_on=form.cleaned_data["due_on"],
            letter_number=form.cleaned_data["letter_number"],
            origin=Origin.from_request(request),
        )
        messages.success(
            request,
            ngettext(
                "Consultation requested on %(count)d nomination.",
                "Consultation requested on %(count)d nominations.",
                len(opened),
            )
            % {"count": len(opened)},
        )
        return redirect("consultations")
    rows = list(consultations.open_for_office(request.user))
    for c in rows:
        c.overdue = c.due_on < today
        c.answered = sum(1 for o in c.opinions.all() if o.answer != o.Answer.PENDING)
    return render(
        request,
        "council/consultations.html",
        {"consultations": rows, "form": form, "today": today},
    )


@login_required
@require_POST
@refuses_domain_errors(back=_back_to_nomination)
def consultation_open(request, pk):
    nomination = get_visible(request, pk)
    form = ConsultationForm(request.POST, bodies=active_bodies())
    if not form.is_valid():
        raise _form_error(form)
    consultations.open_consultations(
        [nomination],
        actor=request.user,
        bodies=form.cleaned_data["bodies"],
        due_on=form.cleaned_data["due_on"],
        letter_number=form.cleaned_data["letter_number"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("Consultation requested."))
    return redirect(_back_to_nomination(request, pk))


def _opinion_of(nomination, opinion_pk) -> ConsultationOpinion:
    opinion = (
        ConsultationOpinion.objects.select_related("body", "consultation")
        .filter(pk=opinion_pk, consultation__nomination=nomination)
        .first()
    )
    if opinion is None:
        raise Http404(_("No such opinion."))
    return opinion


@login_required
@require_POST
@refuses_domain_errors(back=_back_to_nomination)
def opinion_record(request, pk, opinion_pk):
    nomination = get_visible(request, pk)
    opinion = _opinion_of(nomination, opinion_pk)
    council_policy.authorize_consulting(request.user, nomination.campaign.agency)
    form = OpinionForm(request.POST, request.FILES)
    if not form.is_valid():
        raise _form_error(form)
    consultations.record_opinion(
        opinion,
        actor=request.user,
        answer=form.cleaned_data["answer"],
        reasons=form.cleaned_data["reasons"],
        upload=form.cleaned_data["document"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The opinion of %(body)s is recorded.") % {"body": opinion.body})
    return redirect(_back_to_nomination(request, pk))


@login_required
@require_GET
def opinion_document(request, pk, opinion_pk):
    """The body's letter, to whoever may read the nomination (as its evidence is)."""
    nomination = get_visible(request, pk)
    opinion = _opinion_of(nomination, opinion_pk)
    if not opinion.document:
        raise Http404(_("No such document."))
    return FileResponse(
        opinion.document.open("rb"),
        as_attachment=True,
        filename=opinion.document_name or "document",
        content_type="application/octet-stream",
    )
