"""The REST API. Each view parses its input with the page's own form, calls the same service or
selector as the page, and lets domain errors through to `api.errors.handler`, which answers
with a problem (RFC 9457) carrying the same sentences. No rule lives here: who may see and do
what is `nominations.policy`'s (and the selectors'), what may happen is the services'."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import forwarding, outcomes
from approvals import selectors as council
from approvals import services as council_services
from approvals.forms import (
    AttendanceForm,
    BallotForm,
    NotCommendedForm,
    ReasonsForm,
    ResolutionForm,
    SessionForm,
    SignForm,
    WrittenOpinionForm,
)
from approvals.models import AgendaItem, CouncilSession, Objection, SignedDecision
from approvals.views import not_commended_codes, signing_agency
from audit import integrity
from audit import selectors as trail
from audit.events import label as event_label
from audit.services import Origin
from nominations import policy
from nominations import services as dossier
from nominations.exceptions import NotAllowed, TransitionRefused
from nominations.forms import EvidenceForm, HoldForm, LiftHoldForm, NominationForm
from nominations.models import AwardType, Campaign, ConferredAward, Nomination, Unit
from nominations.roles import Role
from nominations.selectors import decisions_of, visible_nominations
from nominations.stages import Status
from nominations.views import get_visible
from reporting.inspector import EventSearchForm
from workflows import services as flow
from workflows.models import NominationTask
from workflows.selectors import inbox_for
from workflows.views import ACTIONS, action_form, codes_for

from . import serializers as s
from .auth import Scoped
from .errors import invalid
from .models import Scope


class Base(APIView):
    permission_classes = [Scoped]

    @property
    def throttle_scope(self):
        return "api-read" if self.request.method in permissions.SAFE_METHODS else "api-write"


class ListBase(Base, generics.ListAPIView):
    pass


def _origin(request) -> Origin:
    return Origin.from_request(request)


def _form_data(data) -> dict:
    """JSON as a form reads it: no key for null, lists of strings for lists."""
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        out[key] = [str(v) for v in value] if isinstance(value, list) else value
    return out


def _read(serializer_class, request) -> dict:
    """The request's body in its documented shape (400 otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _refuse_form(form, message=None):
    return invalid(message or _("The form could not be accepted."), form.errors)


# --- reference data ----------------------------------------------------------------------------


class AwardTypes(ListBase):
    """Award types with their criteria (in force or not, with their legal basis) and route."""

    serializer_class = s.AwardTypeOut

    def get_queryset(self):
        return AwardType.objects.prefetch_related("route", "criteria").order_by("code")


class Campaigns(ListBase):
    serializer_class = s.CampaignOut

    def get_queryset(self):
        return Campaign.objects.order_by("-year", "code")


class Units(ListBase):
    serializer_class = s.UnitOut

    def get_queryset(self):
        return Unit.objects.order_by("path")


# --- nominations -------------------------------------------------------------------------------


def _detailed(request, nomination: Nomination) -> dict:
    """The nomination as its page shows it: dossier, evidence, the task it waits on, and what
    the caller may do now."""
    nomination.open_task = NominationTask.objects.open_for(nomination)
    nomination.allowed = [
        *policy.allowed_actions(request.user, nomination),
        *policy.allowed_actions(request.user, nomination, among=policy.HOLD_ACTIONS),
    ]
    return s.NominationOut(nomination).data


class Nominations(ListBase):
    """The nominations the caller may see, newest first (the list page's scope)."""

    serializer_class = s.NominationSummary

    def get_queryset(self):
        return visible_nominations(self.request.user)

    @extend_schema(request=s.DossierIn, responses={201: s.NominationOut})
    def post(self, request):
        """Create a draft (a unit's proposer), as the new-dossier page does."""
        if not policy.units_user_may_propose_for(request.user).exists():
            raise NotAllowed(_("Only a unit's proposer can start a nomination."))
        data = _read(s.DossierIn, request)
        form = NominationForm(_form_data(data), user=request.user)
        if not form.is_valid():
            return _refuse_form(form)
        nomination = dossier.create_draft(
            actor=request.user, origin=_origin(request), **form.cleaned_data
        )
        return Response(_detailed(request, get_visible(request, nomination.pk)), status=201)


def _dossier_as_form(nomination: Nomination) -> dict:
    """The saved dossier as its form would post it."""
    return {
        "award_type": nomination.award_type_id,
        "nominee_person": nomination.nominee_person_id,
        "nominee_unit": nomination.nominee_unit_id,
        "achievements": nomination.achievements,
        "contributions": nomination.contributions,
        "initiatives": nomination.initiatives,
    }


class NominationDetail(Base):
    @extend_schema(responses=s.NominationOut)
    def get(self, request, pk):
        return Response(_detailed(request, get_visible(request, pk)))

    @extend_schema(request=s.DossierIn, responses=s.NominationOut)
    def patch(self, request, pk):
        """Edit the dossier (the proposing unit, while a draft or returned for revision): the
        fields given, as the edit page's form takes them."""
        nomination = get_visible(request, pk)
        if not policy.may(request.user, "edit", nomination):
            raise NotAllowed(_("Only the proposing unit can edit its dossiers."))
        if not policy.can_edit_dossier(request.user, nomination):
            raise TransitionRefused(
                _("The dossier can be edited only while it is a draft or returned for revision.")
            )
        # Only the fields given change (null clears one); the others keep their saved values.
        data = {**_dossier_as_form(nomination), **_read(s.DossierIn, request)}
        form = NominationForm(
            {k: "" if v is None else v for k, v in data.items()},
            instance=nomination,
            user=request.user,
        )
        if not form.is_valid():
            return _refuse_form(form)
        changes = {f: form.cleaned_data[f] for f in dossier.DOSSIER_FIELDS}
        dossier.update_dossier(
            Nomination.objects.get(pk=pk),
            actor=request.user,
            changes=changes,
            origin=_origin(request),
        )
        return Response(_detailed(request, get_visible(request, pk)))


class EvidenceAdd(Base):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": s.EvidenceIn}, responses={201: s.EvidenceOut})
    def post(self, request, pk):
        """Attach a document to the dossier (multipart: `kind`, `file`)."""
        nomination = get_visible(request, pk)
        form = EvidenceForm(request.data, request.FILES)
        if not form.is_valid():
            return _refuse_form(form, _("Choose a document type and a file."))
        evidence = dossier.add_evidence(
            nomination,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            origin=_origin(request),
        )
        return Response(s.EvidenceOut(evidence).data, status=201)


class StageDecisions(Base):
    @extend_schema(responses=s.DecisionRecordOut(many=True))
    def get(self, request, pk):
        """What each person decided at each stage of the nomination's journey."""
        nomination = get_visible(request, pk)
        return Response(s.DecisionRecordOut(decisions_of(nomination.pk), many=True).data)


class Act(Base):
    """One of the lifecycle's actions, as the nomination's page posts it."""

    action = ""

    @classmethod
    def for_action(cls, action: str):
        doc = f"{action}: the version seen, and the reasons its form asks for."

        def post(self, request, pk):
            return cls.post(self, request, pk)

        post = extend_schema(
            request=s.ActionIn, responses=s.NominationOut, operation_id=f"nominations_{action}"
        )(post)
        view = type(f"Act_{action}", (cls,), {"action": action, "__doc__": doc, "post": post})
        return view.as_view()

    def post(self, request, pk):
        nomination = get_visible(request, pk)
        data = _read(s.ActionIn, request)
        form = action_form(self.action, _form_data(data), codes=codes_for([self.action]))
        if not form.is_valid():
            return _refuse_form(form, _("The action could not be read."))
        # Act on the nomination as the caller saw it; the service refuses if it changed since.
        nomination.version = form.cleaned_data["version"]
        kwargs = (
            {}
            if self.action in ("submit", "resubmit")
            else {"reasons": form.cleaned_data["reasons"]}
        )
        if "reason_code" in form.cleaned_data:
            kwargs["reason_code"] = form.cleaned_data["reason_code"]
        ACTIONS[self.action](nomination, actor=request.user, origin=_origin(request), **kwargs)
        return Response(_detailed(request, get_visible(request, pk)))


class Hold(Base):
    @extend_schema(request=s.HoldIn, responses=s.NominationOut, operation_id="nominations_hold")
    def post(self, request, pk):
        """Put the nomination on hold (a disciplinary matter, an investigation…)."""
        nomination = get_visible(request, pk)
        form = HoldForm(_form_data(_read(s.HoldIn, request)))
        if not form.is_valid():
            return _refuse_form(form)
        nomination.version = form.cleaned_data["version"]
        flow.place_hold(
            nomination,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            expected_end=form.cleaned_data["expected_end"],
            origin=_origin(request),
        )
        return Response(_detailed(request, get_visible(request, pk)))


class LiftHold(Base):
    @extend_schema(
        request=s.LiftHoldIn, responses=s.NominationOut, operation_id="nominations_lift_hold"
    )
    def post(self, request, pk):
        """Lift the hold, saying how the matter was resolved."""
        nomination = get_visible(request, pk)
        form = LiftHoldForm(_form_data(_read(s.LiftHoldIn, request)))
        if not form.is_valid():
            return _refuse_form(form)
        nomination.version = form.cleaned_data["version"]
        flow.lift_hold(
            nomination,
            actor=request.user,
            resolution=form.cleaned_data["resolution"],
            origin=_origin(request),
        )
        return Response(_detailed(request, get_visible(request, pk)))


def _open_task(nomination: Nomination) -> NominationTask:
    task = NominationTask.objects.open_for(nomination)
    if task is None:
        raise TransitionRefused(_("The nomination waits on no task."))
    task.nomination = nomination
    return task


class Take(Base):
    @extend_schema(request=s.VersionIn, responses=s.TaskOut, operation_id="nominations_take")
    def post(self, request, pk):
        """Take the task the nomination waits on from the shared queue."""
        nomination = get_visible(request, pk)
        nomination.version = _read(s.VersionIn, request)["version"]
        task = flow.take_task(_open_task(nomination), actor=request.user, origin=_origin(request))
        return Response(s.TaskOut(task).data)


class Release(Base):
    @extend_schema(request=s.VersionIn, responses=s.TaskOut, operation_id="nominations_release")
    def post(self, request, pk):
        """Put the task one has taken back in the shared queue."""
        nomination = get_visible(request, pk)
        nomination.version = _read(s.VersionIn, request)["version"]
        task = flow.release_task(
            _open_task(nomination), actor=request.user, origin=_origin(request)
        )
        return Response(s.TaskOut(task).data)


class Inbox(ListBase):
    """The tasks the caller has taken, and those waiting for someone with their roles."""

    serializer_class = s.TaskOut

    def get_queryset(self):
        return inbox_for(self.request.user).filter(nomination__isnull=False)


# --- the council -------------------------------------------------------------------------------


def _session(request, pk) -> CouncilSession:
    try:
        return council.session_for(request.user, pk)
    except CouncilSession.DoesNotExist:
        raise Http404(_("No such council session.")) from None


class Sessions(ListBase):
    """The council sessions of the agencies where the caller holds a council role."""

    serializer_class = s.SessionOut

    def get_queryset(self):
        return council.sessions_visible_to(self.request.user).prefetch_related("items")

    @extend_schema(request=s.SessionIn, responses={201: s.SessionOut})
    def post(self, request):
        """Plan a session (the council secretary): its agenda is what waits at council review."""
        campaigns = council.campaigns_for_planning(request.user)
        if not campaigns.exists():
            raise NotAllowed(_("Only the council secretary plans sessions."))
        agency = campaigns.first().agency
        form = SessionForm(
            _form_data(_read(s.SessionIn, request)),
            campaigns=campaigns,
            members=council_services.council_members(agency),
        )
        if not form.is_valid():
            return _refuse_form(form)
        session = council_services.plan_session(
            actor=request.user, origin=_origin(request), **form.cleaned_data
        )
        return Response(s.SessionOut(_session(request, session.pk)).data, status=201)


class SessionDetail(Base):
    @extend_schema(responses=s.SessionOut)
    def get(self, request, pk):
        return Response(s.SessionOut(_session(request, pk)).data)


class SessionOpen(Base):
    @extend_schema(request=s.AttendanceIn, responses=s.SessionOut)
    def post(self, request, pk):
        """Record who is present and open the vote (the session's secretary)."""
        session = _session(request, pk)
        form = AttendanceForm(
            _form_data(_read(s.AttendanceIn, request)), seats=council.seats(session)
        )
        if not form.is_valid():
            return _refuse_form(form)
        council_services.open_session(
            session,
            actor=request.user,
            present=form.cleaned_data["present"],
            origin=_origin(request),
        )
        return Response(s.SessionOut(_session(request, pk)).data)


class SessionClose(Base):
    @extend_schema(request=None, responses=s.SessionOut)
    def post(self, request, pk):
        """Close the vote: tally every item and move the nominations (the secretary)."""
        session = _session(request, pk)
        outcomes.close_voting(session, actor=request.user, origin=_origin(request))
        return Response(s.SessionOut(_session(request, pk)).data)


def _item(session: CouncilSession, item_pk) -> AgendaItem:
    try:
        return session.items.select_related("session").get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404(_("No such agenda item.")) from None


class Defer(Base):
    @extend_schema(request=s.ReasonsIn, responses=s.SessionOut)
    def post(self, request, pk, item_pk):
        """Take an item off this session's agenda, with reasons (the secretary)."""
        session = _session(request, pk)
        item = _item(session, item_pk)
        form = ReasonsForm(_read(s.ReasonsIn, request))
        if not form.is_valid():
            return _refuse_form(form)
        council_services.defer_item(
            item, actor=request.user, reasons=form.cleaned_data["reasons"], origin=_origin(request)
        )
        return Response(s.SessionOut(_session(request, pk)).data)


class WrittenOpinion(Base):
    @extend_schema(request=s.WrittenOpinionIn, responses=s.SessionOut)
    def post(self, request, pk, item_pk):
        """Record the written opinion an absent member sent in (the secretary)."""
        session = _session(request, pk)
        item = _item(session, item_pk)
        seats = council.seats(session)
        form = WrittenOpinionForm(
            _form_data(_read(s.WrittenOpinionIn, request)),
            absent=[seat for seat in seats if seat.present is False],
        )
        if not form.is_valid():
            return _refuse_form(form)
        member = next(x.member for x in seats if str(x.member_id) == form.cleaned_data["member"])
        council_services.record_written_opinion(
            item,
            actor=request.user,
            member=member,
            choice=form.cleaned_data["choice"],
            origin=_origin(request),
        )
        return Response(s.SessionOut(_session(request, pk)).data)


class NotCommended(Base):
    @extend_schema(request=s.NotCommendedIn, responses=s.SessionOut)
    def post(self, request, pk, item_pk):
        """Record the coded reason the council did not commend an item's nominee (the
        secretary, after the vote)."""
        session = _session(request, pk)
        item = _item(session, item_pk)
        form = NotCommendedForm(
            _form_data(_read(s.NotCommendedIn, request)), codes=not_commended_codes()
        )
        if not form.is_valid():
            return _refuse_form(form)
        outcomes.record_not_commended(
            item,
            actor=request.user,
            reason_code=form.cleaned_data["reason_code"],
            reasons=form.cleaned_data["reasons"],
            origin=_origin(request),
        )
        return Response(s.SessionOut(_session(request, pk)).data)


class Vote(Base):
    @extend_schema(
        request=s.BallotIn,
        responses=inline_serializer("Voted", {"item": serializers.IntegerField()}),
    )
    def post(self, request, pk, item_pk):
        """Cast or change one's vote on an agenda item (a member present)."""
        item = _item(_session(request, pk), item_pk)
        form = BallotForm(_read(s.BallotIn, request))
        if not form.is_valid():
            return _refuse_form(form)
        council_services.cast_ballot(
            item, actor=request.user, choice=form.cleaned_data["choice"], origin=_origin(request)
        )
        return Response({"item": item.pk})


class Objections(ListBase):
    """Open objections to candidates on public notice (the notice page's list)."""

    serializer_class = s.ObjectionOut

    def get_queryset(self):
        return council.open_objections()


class ObjectionFile(Base):
    @extend_schema(request=s.ReasonsIn, responses={201: s.ObjectionOut})
    def post(self, request, pk):
        """Object to a candidate the council approved, with reasons (anyone signed in)."""
        try:
            # Only candidates the council approved are public; nothing else is found here.
            nomination = Nomination.objects.get(pk=pk, status=Status.COUNCIL_APPROVED)
        except Nomination.DoesNotExist:
            raise Http404(_("No such candidate awaiting the decision.")) from None
        form = ReasonsForm(_read(s.ReasonsIn, request))
        if not form.is_valid():
            return _refuse_form(form)
        objection = council_services.file_objection(
            nomination,
            actor=request.user,
            reasons=form.cleaned_data["reasons"],
            origin=_origin(request),
        )
        return Response(s.ObjectionOut(objection).data, status=201)


class ObjectionResolve(Base):
    @extend_schema(request=s.ResolutionIn, responses=s.ObjectionOut)
    def post(self, request, pk):
        """Resolve an objection (the council secretary): dismiss it, or uphold it and return or
        reject the nomination."""
        try:
            objection = Objection.objects.get(pk=pk)
        except Objection.DoesNotExist:
            raise Http404(_("No such objection.")) from None
        form = ResolutionForm(
            _form_data(_read(s.ResolutionIn, request)), codes=not_commended_codes()
        )
        if not form.is_valid():
            return _refuse_form(form)
        upheld, remedy = form.outcome()
        objection = outcomes.resolve_objection(
            objection,
            actor=request.user,
            upheld=upheld,
            remedy=remedy,
            reasons=form.cleaned_data["reasons"],
            reason_code=form.cleaned_data.get("reason_code"),
            origin=_origin(request),
        )
        return Response(s.ObjectionOut(objection).data)


# --- decisions and awards ----------------------------------------------------------------------


class Decisions(ListBase):
    """Signed decisions: published acts, readable by every signed-in person."""

    serializer_class = s.SignedDecisionOut

    def get_queryset(self):
        return council.signed_decisions().order_by("-signed_at", "-id")

    @extend_schema(request=s.SignIn, responses={201: s.SignedDecisionOut})
    def post(self, request):
        """Sign a decision conferring the awards (the head of agency)."""
        agency = signing_agency(request.user)
        if agency is None:
            raise NotAllowed(_("Only the head of agency signs its decisions."))
        form = SignForm(
            _form_data(_read(s.SignIn, request)),
            candidates=Nomination.objects.filter(campaign__agency=agency),
        )
        if not form.is_valid():
            return _refuse_form(form)
        decision = outcomes.sign_decision(
            actor=request.user,
            agency=agency,
            nominations=list(form.cleaned_data["nominations"]),
            title=form.cleaned_data["title"],
            reasons=form.cleaned_data["reasons"],
            origin=_origin(request),
        )
        return Response(s.SignedDecisionOut(decision).data, status=201)


class ForwardRequests(ListBase):
    """Requests to the higher level (tờ trình) of the agencies where the reader works with the
    council: drafts, signed and settled ones."""

    serializer_class = s.ForwardRequestOut

    def get_queryset(self):
        return forwarding.requests_visible_to(self.request.user)


class ForwardRequestDetail(Base):
    @extend_schema(responses=s.ForwardRequestDetailOut)
    def get(self, request, pk):
        """A request with its nominees and the higher level's outcome for each."""
        found = forwarding.requests_visible_to(request.user).filter(pk=pk).first()
        if found is None:
            raise Http404(_("No such request."))
        found.entries_shown = forwarding.entries_of(found)
        return Response(s.ForwardRequestDetailOut(found).data)


class DecisionDetail(Base):
    @extend_schema(responses=s.SignedDecisionOut)
    def get(self, request, pk):
        try:
            decision = council.signed_decisions().get(pk=pk)
        except SignedDecision.DoesNotExist:
            raise Http404(_("No such decision.")) from None
        return Response(s.SignedDecisionOut(decision).data)


class ConferredAwards(ListBase):
    """Awards conferred on the nominations the caller may see."""

    serializer_class = s.ConferredAwardOut

    def get_queryset(self):
        return (
            ConferredAward.objects.filter(nomination__in=visible_nominations(self.request.user))
            .select_related("person")
            .order_by("-conferred_on", "-id")
        )


# --- the audit trail (inspectors) --------------------------------------------------------------


class InspectorBase(Base):
    required_scope = Scope.INSPECT

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if Role.INSPECTOR not in policy.roles_of(request.user):
            raise NotAllowed(_("This workspace is for inspectors."))


SEARCH_PARAMETERS = [
    OpenApiParameter("nomination", str, description="Its reference, e.g. N-00012."),
    OpenApiParameter("actor", str, description="A person's name or username."),
    OpenApiParameter("unit", int, description="A unit and everything under it."),
    OpenApiParameter("action", str, description="An event's action, e.g. nomination.approved."),
    OpenApiParameter("award_type", int),
    OpenApiParameter("campaign", int),
    OpenApiParameter("since", str, description="A date, YYYY-MM-DD."),
    OpenApiParameter("until", str, description="A date, YYYY-MM-DD."),
]


class AuditEvents(InspectorBase, generics.ListAPIView):
    """The inspectors' search across all events, newest first, with the same filters as the
    inspector's page; each event's data reduced to what may be shown."""

    serializer_class = s.AuditEventOut

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def get(self, request, *args, **kwargs):
        form = EventSearchForm(request.query_params)
        if not form.is_valid():
            return _refuse_form(form, _("The search could not be read."))
        page = self.paginate_queryset(trail.search_events(**form.criteria()))
        for event in page:
            event.label = event_label(event.action)
            event.data = trail.shown_data(event)
        return self.get_paginated_response(s.AuditEventOut(page, many=True).data)


class Integrity(InspectorBase):
    @extend_schema(responses=s.IntegrityOut)
    def get(self, request):
        """The last verification of the chain and the last signed checkpoint."""
        return Response(
            s.IntegrityOut(
                {"last_run": integrity.last_run(), "last_checkpoint": integrity.last_checkpoint()}
            ).data
        )
