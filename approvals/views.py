"""The council's pages: sessions (agenda, attendance, voting, results, minutes), a member's
ballot page, the public notice with its objections, and the signed decisions.

Views parse input, call one selector or service, and let domain errors through to
`refuses_domain_errors`, which answers with the refused page and the error's status. Who may
see what is `approvals.policy`'s and the selectors'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import Origin
from nominations import exports, quotas
from nominations.calendar import working_days_between
from nominations.eligibility import Evaluation
from nominations.exceptions import DomainError, InvalidInput, NotAllowed
from nominations.models import Nomination, ReasonCode, ReasonUse, StageDecision, Unit
from nominations.policy import assignments
from nominations.stages import Status
from nominations.web import refuses_domain_errors

from . import arithmetic, consultations, drafting, outcomes, selectors, verification
from . import policy as council_policy
from . import services as council_services
from .forms import (
    AttendanceForm,
    BallotForm,
    CorrectionForm,
    DraftUploadForm,
    NotCommendedForm,
    ReasonsForm,
    ResolutionForm,
    SessionForm,
    SignForm,
    WrittenOpinionForm,
)
from .models import (
    AgendaItem,
    CouncilSession,
    DecisionEntry,
    DraftDocument,
    Objection,
    SignedDecision,
)
from .models.drafts import SESSION_DRAFTS
from .notice import holidays_for, notice_ends_on


def _form_error(form) -> InvalidInput:
    reasons = [
        f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
        for f, e in form.errors.items()
    ]
    return InvalidInput(_("The form could not be accepted."), reasons=reasons)


def _session_or_404(request, pk) -> CouncilSession:
    try:
        return selectors.session_for(request.user, pk)
    except CouncilSession.DoesNotExist:
        raise Http404(_("No such council session.")) from None


def _item_of(session, item_pk) -> AgendaItem:
    try:
        return session.items.select_related("session").get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404(_("No such agenda item.")) from None


def _agencies_where(user, check) -> list[Unit]:
    units = Unit.objects.filter(kind=Unit.Kind.AGENCY)
    return [u for u in units if check(user, u)] if assignments(user) else []


# --- sessions ------------------------------------------------------------------------------


@login_required
@require_GET
@refuses_domain_errors
def session_list(request):
    if not _agencies_where(request.user, council_policy.may_read_sessions):
        raise NotAllowed(_("The council's sessions are for its members."))
    return render(
        request,
        "council/sessions.html",
        {
            "sessions": selectors.sessions_visible_to(request.user),
            "can_plan": selectors.campaigns_for_planning(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def session_new(request):
    campaigns = selectors.campaigns_for_planning(request.user)
    if not campaigns.exists():
        raise NotAllowed(_("Only the council secretary plans sessions."))
    agency = campaigns.first().agency
    form = SessionForm(
        request.POST or None,
        campaigns=campaigns,
        members=council_services.council_members(agency),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = council_services.plan_session(
                actor=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Session planned with the nominations waiting."))
            return redirect("council_session", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "council/session_new.html", {"form": form}, status=status)


@login_required
@require_GET
def session_detail(request, pk):
    session = _session_or_404(request, pk)
    seats = selectors.seats(session)
    is_secretary = session.secretary_id == request.user.pk
    items = selectors.agenda(session)
    consultations.attach_to_items(items)
    absent = [s for s in seats if s.present is False]
    for item in items:  # one form per item, with its own field ids
        item.written_form = WrittenOpinionForm(absent=absent, prefix=f"item{item.pk}")
        item.bar = _tally_bar(item.tally) if item.status == AgendaItem.Status.DECIDED else None
        # The eligibility kept with the nomination's last check: read from its row, no query.
        item.checklist = Evaluation.from_json(item.nomination.eligibility)
    pending = [i for i in items if i.status == AgendaItem.Status.PENDING]
    _not_commended(items, can_record=is_secretary)
    standings = _agenda_quotas(session, items)
    return render(
        request,
        "council/session.html",
        {
            "quotas": standings,
            "session": session,
            "seats": seats,
            "present_count": sum(1 for s in seats if s.present),
            "items": items,
            "open_ballots": selectors.open_ballots(session),
            "is_secretary": is_secretary,
            "is_member": any(s.member_id == request.user.pk for s in seats),
            "attendance_form": AttendanceForm(seats=seats) if is_secretary else None,
            "can_record_written": is_secretary and session.is_open and absent,
            "minutes": session.minutes,
            "minutes_present": [
                a["member"] for a in (session.minutes or {}).get("attendance", []) if a["present"]
            ],
            "minutes_absent": [
                a["member"]
                for a in (session.minutes or {}).get("attendance", [])
                if not a["present"]
            ],
            "drafts": _drafts_of(session, is_secretary) if session.is_closed else None,
            # Once closed the minutes keep the quorum as it was; before, the service's rule.
            "quorum": (session.minutes or {}).get("quorum")
            if session.is_closed
            else council_services.quorum_of(seats, pending),
        },
    )


def _drafts_of(session, is_secretary: bool) -> list[dict]:
    """The drafted documents of a closed session: each kind, its newest edited file (if any)
    and, for the secretary, the form to upload an edited one."""
    latest = drafting.latest_drafts(session)
    return [
        {
            "kind": kind,
            "label": kind.label,
            "edited": latest.get(kind),
            "form": DraftUploadForm(prefix=kind) if is_secretary else None,
        }
        for kind in SESSION_DRAFTS
    ]


def _not_commended(items: list[AgendaItem], *, can_record: bool) -> None:
    """Each item the council did not approve, with the coded reason on its decision record
    (`item.reason_code`, one query for the agenda) and, for the secretary while none is
    recorded, the form to record one."""
    rejected = [i for i in items if i.status == AgendaItem.Status.DECIDED and not i.tally.passed]
    if not rejected:
        return
    codes = {
        d.nomination_id: d.reason_code
        for d in StageDecision.objects.filter(
            nomination__in=[i.nomination_id for i in rejected],
            outcome=StageDecision.Outcome.COUNCIL_REJECTED,
        )
        .select_related("reason_code")
        .order_by("decided_at", "id")
    }
    offered = not_commended_codes() if can_record else []
    for item in rejected:
        item.reason_code = codes.get(item.nomination_id)
        if offered and item.reason_code is None:
            item.not_commended_form = NotCommendedForm(codes=offered, prefix=f"nc{item.pk}")


def _agenda_quotas(session, items: list[AgendaItem]) -> list:
    """The quotas over the agenda's award types and its nominations' units (counted / limit,
    over or not), and each item flagged when a quota it counts under is over: one query."""
    if not items:
        return []
    paths = {p for i in items for p in quotas.paths_up(i.nomination.proposing_unit.path)}
    standings = quotas.standings(
        session.campaign,
        award_type_ids={i.nomination.award_type_id for i in items},
        unit_paths=paths,
    )
    for item in items:
        n = item.nomination
        item.over_quotas = [
            s
            for s in standings
            if s.over
            and s.quota.award_type_id == n.award_type_id
            and n.proposing_unit.path.startswith(s.quota.unit.path)
        ]
    return standings


BAR_WIDTH = 240


def _tally_bar(tally) -> dict:
    """One item's count as a stacked bar drawn on the server: approvals, disapprovals,
    abstentions, members who did not vote and, over all members, those absent; the threshold
    marked where the approvals must reach."""
    counted = tally.approve + tally.disapprove + tally.abstain + tally.not_voted
    parts = [
        ("approve", tally.approve, _("Approve"), "#1f6f43"),
        ("disapprove", tally.disapprove, _("Disapprove"), "#a12222"),
        ("abstain", tally.abstain, _("Abstain"), "#8a93a6"),
        ("not-voted", tally.not_voted, _("Did not vote"), "#d8dde6"),
        ("absent", max(tally.base - counted, 0), _("Absent"), "#ffffff"),
    ]
    scale = max(tally.base, counted, 1)
    segments, x = [], 0.0
    for key, count, label, fill in parts:
        if count:
            width = BAR_WIDTH * count / scale
            segments.append(
                {
                    "key": key,
                    "count": count,
                    "label": label,
                    "fill": fill,
                    "x": round(x, 1),
                    "width": round(width, 1),
                }
            )
            x += width
    needed = arithmetic.approvals_needed(base=tally.base, threshold_percent=tally.threshold_percent)
    threshold_x = BAR_WIDTH * float(tally.threshold_percent) * tally.base / 100 / scale
    title = ngettext(
        "%(approve)d approve, %(disapprove)d disapprove, %(abstain)d abstain, "
        "%(not_voted)d did not vote; %(needed)d approval needed of %(base)d (%(threshold)s%%)",
        "%(approve)d approve, %(disapprove)d disapprove, %(abstain)d abstain, "
        "%(not_voted)d did not vote; %(needed)d approvals needed of %(base)d (%(threshold)s%%)",
        needed,
    ) % {
        "approve": tally.approve,
        "disapprove": tally.disapprove,
        "abstain": tally.abstain,
        "not_voted": tally.not_voted,
        "needed": needed,
        "base": tally.base,
        "threshold": arithmetic.percent_text(tally.threshold_percent),
    }
    return {
        "width": BAR_WIDTH,
        "segments": segments,
        "threshold_x": round(min(threshold_x, BAR_WIDTH), 1),
        "needed": needed,
        "title": title,
    }


@login_required
@require_POST
@refuses_domain_errors
def session_open(request, pk):
    session = _session_or_404(request, pk)
    form = AttendanceForm(request.POST, seats=selectors.seats(session))
    if not form.is_valid():
        raise _form_error(form)
    council_services.open_session(
        session,
        actor=request.user,
        present=form.cleaned_data["present"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("Attendance recorded; voting is open."))
    return redirect("council_session", pk=pk)


@login_required
@require_POST
@refuses_domain_errors
def item_defer(request, pk, item_pk):
    session = _session_or_404(request, pk)
    item = _item_of(session, item_pk)
    form = ReasonsForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    council_services.defer_item(
        item,
        actor=request.user,
        reasons=form.cleaned_data["reasons"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("Item deferred to a later session."))
    return redirect("council_session", pk=pk)


@login_required
@require_POST
@refuses_domain_errors
def written_opinion(request, pk, item_pk):
    session = _session_or_404(request, pk)
    item = _item_of(session, item_pk)
    seats = selectors.seats(session)
    form = WrittenOpinionForm(
        request.POST, absent=[s for s in seats if s.present is False], prefix=f"item{item.pk}"
    )
    if not form.is_valid():
        raise _form_error(form)
    member = next(s.member for s in seats if str(s.member_id) == form.cleaned_data["member"])
    council_services.record_written_opinion(
        item,
        actor=request.user,
        member=member,
        choice=form.cleaned_data["choice"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The written opinion is recorded."))
    return redirect("council_session", pk=pk)


def not_commended_codes() -> list[ReasonCode]:
    return list(ReasonCode.offered_for(ReasonUse.NOT_COMMENDED))


@login_required
@require_POST
@refuses_domain_errors
def item_not_commended(request, pk, item_pk):
    session = _session_or_404(request, pk)
    item = _item_of(session, item_pk)
    form = NotCommendedForm(request.POST, codes=not_commended_codes())
    if not form.is_valid():
        raise _form_error(form)
    outcomes.record_not_commended(
        item,
        actor=request.user,
        reason_code=form.cleaned_data["reason_code"],
        reasons=form.cleaned_data["reasons"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The reason is recorded."))
    return redirect("council_session", pk=pk)


@login_required
@require_POST
@refuses_domain_errors
def session_close(request, pk):
    session = _session_or_404(request, pk)
    outcomes.close_voting(session, actor=request.user, origin=Origin.from_request(request))
    messages.success(request, _("Voting closed; the results and minutes are below."))
    return redirect("council_session", pk=pk)


MINUTES_HEADER = [
    gettext_lazy("Position"),
    gettext_lazy("Nomination"),
    gettext_lazy("Nominee"),
    gettext_lazy("Award"),
    gettext_lazy("Secret ballot"),
    gettext_lazy("Base"),
    gettext_lazy("Approve"),
    gettext_lazy("Disapprove"),
    gettext_lazy("Abstain"),
    gettext_lazy("Did not vote"),
    gettext_lazy("Written opinions"),
    gettext_lazy("Recused"),
    gettext_lazy("Outcome"),
]


@login_required
@require_GET
def session_minutes_export(request, pk, fmt="csv"):
    """The minutes' per-item counts as a spreadsheet (counts only: never who chose what)."""
    session = _session_or_404(request, pk)
    if not session.is_closed:
        raise Http404(_("The minutes exist once voting has closed."))
    rows = [
        [
            item["position"],
            item["reference"],
            item["nominee"],
            item["award"],
            item["secret"],
            item.get("base", ""),
            item.get("approve", ""),
            item.get("disapprove", ""),
            item.get("abstain", ""),
            item.get("not_voted", ""),
            item.get("written", ""),
            "; ".join(r["member"] for r in item.get("recused", [])),
            item["outcome"],
        ]
        for item in session.minutes.get("items", [])
    ]
    return exports.respond(
        fmt,
        MINUTES_HEADER,
        rows,
        name=f"council-session-{pk}",
        title=_("Council session #%(pk)s: minutes") % {"pk": pk},
    )


@login_required
@require_GET
def session_agenda_export(request, pk, fmt):
    """The session's agenda as its page shows it to the reader: each item with its ballot, its
    status and its votes (an open ballot's counts as they stand; a secret one's only once
    tallied; never who chose what)."""
    session = _session_or_404(request, pk)
    header = [
        _("Position"),
        _("Nomination"),
        _("Nominee"),
        _("Proposing unit"),
        _("Award"),
        _("Ballot"),
        _("Status"),
        _("Ballots cast"),
        _("Approve"),
        _("Disapprove"),
        _("Abstain"),
        _("Did not vote"),
        _("Base"),
        _("Passed"),
    ]
    rows = []
    for item in selectors.agenda(session):
        n = item.nomination
        votes: list = [""] * 6
        if item.status == AgendaItem.Status.DECIDED:
            t = item.tally
            votes = [
                t.approve,
                t.disapprove,
                t.abstain,
                t.not_voted,
                t.base,
                _("Yes") if t.passed else _("No"),
            ]
        elif item.status == AgendaItem.Status.PENDING and not item.secret:
            votes = [item.open_approve, item.open_disapprove, item.open_abstain, "", "", ""]
        counted = item.status in (AgendaItem.Status.PENDING, AgendaItem.Status.DECIDED)
        rows.append(
            [
                item.position,
                n.reference,
                n.nominee_name,
                n.proposing_unit.name,
                n.award_type.name,
                _("Secret ballot") if item.secret else _("Open ballot"),
                item.get_status_display(),
                (item.receipts_count if item.secret else item.open_count) if counted else "",
                *votes,
            ]
        )
    return exports.respond(
        fmt,
        header,
        rows,
        name=f"council-session-{pk}-agenda",
        title=_("Council session #%(pk)s: agenda") % {"pk": pk},
    )


# --- drafted documents ---------------------------------------------------------------------


def _closed_session_or_404(request, pk, kind: str) -> CouncilSession:
    session = _session_or_404(request, pk)
    if kind not in SESSION_DRAFTS:
        raise Http404(_("No such document."))
    if not session.is_closed:
        raise Http404(_("The minutes exist once voting has closed."))
    return session


@login_required
@require_GET
@refuses_domain_errors
def session_draft(request, pk, kind):
    """The minutes or the draft decision, drafted afresh from the template (DOCX)."""
    session = _closed_session_or_404(request, pk, kind)
    drafted = drafting.session_draft(session, kind, timezone.localdate())
    response = HttpResponse(drafted.content, content_type=drafting.DOCX)
    response["Content-Disposition"] = f'attachment; filename="{drafted.name}"'
    return response


@login_required
@require_POST
@refuses_domain_errors
def session_draft_upload(request, pk, kind):
    session = _closed_session_or_404(request, pk, kind)
    form = DraftUploadForm(request.POST, request.FILES, prefix=kind)
    if not form.is_valid():
        raise _form_error(form)
    council_services.upload_draft(
        session,
        kind=kind,
        upload=form.cleaned_data["file"],
        actor=request.user,
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The edited draft is attached to the session."))
    return redirect("council_session", pk=pk)


@login_required
@require_GET
def session_draft_file(request, pk, draft_pk):
    """An edited draft as uploaded, for whoever may read the session."""
    session = _session_or_404(request, pk)
    try:
        draft = session.drafts.get(pk=draft_pk)
    except DraftDocument.DoesNotExist:
        raise Http404(_("No such document.")) from None
    return FileResponse(
        draft.file.open("rb"),
        as_attachment=True,
        filename=draft.original_name,
        content_type=drafting.DOCX,
    )


# --- ballots -------------------------------------------------------------------------------


@login_required
@require_GET
@refuses_domain_errors
def ballot_page(request, pk):
    session = _session_or_404(request, pk)
    seat = selectors.seat_of(request.user, session)
    if seat is None:
        raise NotAllowed(_("Only the session's members vote."))
    state = selectors.my_ballot_state(request.user, session)
    pending = [i for i in selectors.agenda(session) if i.status == AgendaItem.Status.PENDING]
    consultations.attach_to_items(pending)  # each item's opinions, before the member votes
    items = [(item, state.get(item.pk, {})) for item in pending]
    votable = [mine for _item, mine in items if not mine.get("recused")]
    return render(
        request,
        "council/ballot.html",
        {
            "session": session,
            "seat": seat,
            "items": items,
            "form": BallotForm(),
            "votable_count": len(votable),
            "voted_count": sum(1 for mine in votable if mine.get("voted")),
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def ballot_cast(request, pk, item_pk):
    session = _session_or_404(request, pk)
    item = _item_of(session, item_pk)
    form = BallotForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    council_services.cast_ballot(
        item,
        actor=request.user,
        choice=form.cleaned_data["choice"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("Your vote is recorded."))
    return redirect("council_ballot", pk=pk)


# --- public notice and objections ----------------------------------------------------------


@login_required
@require_GET
def notice(request):
    today = timezone.localdate()
    candidates = list(selectors.on_notice())
    holidays = holidays_for(candidates)
    rows = [(n, notice_ends_on(n, holidays)) for n in candidates]
    return render(
        request,
        "council/notice.html",
        {
            # Working days left, as the notice itself is counted.
            "running": [
                (n, end, working_days_between(today, end, holidays))
                for n, end in rows
                if end and end > today
            ],
            "ended": [(n, end, None) for n, end in rows if not end or end <= today],
            "objection_form": ReasonsForm(),
            "resolution_form": ResolutionForm(codes=not_commended_codes()),
            "objections": selectors.open_objections(),
            "can_resolve": bool(_agencies_where(request.user, council_policy.may_plan_sessions)),
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def objection_file(request, pk):
    try:
        # Only candidates the council approved are public; nothing else is found here.
        nomination = Nomination.objects.get(pk=pk, status=Status.COUNCIL_APPROVED)
    except Nomination.DoesNotExist:
        raise Http404(_("No such candidate awaiting the decision.")) from None
    form = ReasonsForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    council_services.file_objection(
        nomination,
        actor=request.user,
        reasons=form.cleaned_data["reasons"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("Your objection is filed; the council secretary will resolve it."))
    return redirect("council_notice")


@login_required
@require_POST
@refuses_domain_errors
def objection_resolve(request, pk):
    try:
        objection = Objection.objects.get(pk=pk)
    except Objection.DoesNotExist:
        raise Http404(_("No such objection.")) from None
    form = ResolutionForm(request.POST, codes=not_commended_codes())
    if not form.is_valid():
        raise _form_error(form)
    upheld, remedy = form.outcome()
    outcomes.resolve_objection(
        objection,
        actor=request.user,
        upheld=upheld,
        remedy=remedy,
        reasons=form.cleaned_data["reasons"],
        reason_code=form.cleaned_data.get("reason_code"),
        origin=Origin.from_request(request),
    )
    messages.success(request, _("The objection is resolved."))
    return redirect("council_notice")


# --- decisions -----------------------------------------------------------------------------


def signing_agency(user) -> Unit | None:
    agencies = _agencies_where(user, council_policy.may_sign)
    return agencies[0] if agencies else None


@login_required
@require_GET
def decision_list(request):
    agency = signing_agency(request.user)
    awaiting, to_forward, form = [], [], None
    if agency is not None:
        awaiting = outcomes.awaiting_signature(agency)
        # Awards a higher level confers go up in a request instead (`approvals.forwarding`).
        to_forward = [(n, w) for n, w in awaiting if n.award_type.decided_at_higher_level]
        awaiting = [(n, w) for n, w in awaiting if not n.award_type.decided_at_higher_level]
        ready = [n.pk for n, why in awaiting if why is None]
        form = SignForm(candidates=Nomination.objects.filter(pk__in=ready))
    return render(
        request,
        "council/decisions.html",
        {
            "decisions": selectors.signed_decisions(),
            "awaiting": awaiting,
            "to_forward": to_forward,
            "form": form,
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def decision_sign(request):
    agency = signing_agency(request.user)
    if agency is None:
        raise NotAllowed(_("Only the head of agency signs its decisions."))
    form = SignForm(
        request.POST,
        candidates=Nomination.objects.filter(campaign__agency=agency),
    )
    if not form.is_valid():
        raise _form_error(form)
    decision = outcomes.sign_decision(
        actor=request.user,
        agency=agency,
        nominations=list(form.cleaned_data["nominations"]),
        title=form.cleaned_data["title"],
        reasons=form.cleaned_data["reasons"],
        origin=Origin.from_request(request),
    )
    messages.success(request, _("Decision %(number)s signed.") % {"number": decision.reference})
    return redirect("decision_detail", pk=decision.pk)


def _final_files(decision: SignedDecision) -> list[DraftDocument]:
    newest: dict[tuple[int, str], DraftDocument] = {}
    for draft in decision.final_files.order_by("-uploaded_at", "-id"):
        newest.setdefault((draft.session_id, draft.kind), draft)
    return list(newest.values())


def _decision_or_404(pk) -> SignedDecision:
    try:
        return selectors.signed_decisions().get(pk=pk)
    except SignedDecision.DoesNotExist:
        raise Http404(_("No such decision.")) from None


@login_required
@require_GET
def decision_detail(request, pk):
    decision = _decision_or_404(pk)
    entries = list(selectors.signed_decision_entries(decision))
    can_correct = council_policy.may_sign(request.user, decision.agency)
    conferred = [e.nomination_id for e in entries if e.effect == DecisionEntry.Effect.CONFER]
    code = verification.code_of(decision)
    return render(
        request,
        "council/decision.html",
        {
            "decision": decision,
            "entries": entries,
            # The award types it names, each with its legal basis in the reader's language.
            "awards": list(
                {e.nomination.award_type_id: e.nomination.award_type for e in entries}.values()
            ),
            "corrections": decision.corrections.all(),
            # The edited drafts it kept (newest of each kind), for readers of the council.
            "final_files": _final_files(decision)
            if council_policy.may_read_sessions(request.user, decision.agency)
            else [],
            # Printed on the decision and its certificates; the public page verifies it.
            "code": code,
            "code_shown": verification.grouped(code) if code else "",
            "correction_form": CorrectionForm(
                conferred=Nomination.objects.filter(
                    pk__in=conferred, conferred_award__revoked_at__isnull=True
                )
            )
            if can_correct and conferred
            else None,
        },
    )


@login_required
@require_POST
@refuses_domain_errors
def decision_correct(request, pk):
    decision = _decision_or_404(pk)
    form = CorrectionForm(
        request.POST, conferred=Nomination.objects.filter(decision_entries__decision=decision)
    )
    if not form.is_valid():
        raise _form_error(form)
    correction = outcomes.sign_correction(
        decision,
        actor=request.user,
        revoke=list(form.cleaned_data["nominations"]),
        reasons=form.cleaned_data["reasons"],
        origin=Origin.from_request(request),
    )
    messages.success(
        request, _("Correcting decision %(number)s signed.") % {"number": correction.reference}
    )
    return redirect("decision_detail", pk=correction.pk)
