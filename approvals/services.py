"""Writes of the council's own business: planning a session, opening it with its attendance,
deferring an item, casting ballots, filing objections. None of these changes a nomination's
status; closing the vote, resolving an objection and signing a decision do, and live in
`approvals.outcomes`, which moves the nominations through `workflows.services`."""

import datetime
import hashlib
import io
from collections.abc import Iterable
from fractions import Fraction

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from audit import services as audit
from audit.services import Origin
from audit.types import Actor
from nominations.exceptions import DomainError, InvalidInput, TransitionRefused
from nominations.models import Campaign, Hold, Nomination, RoleAssignment, Unit
from nominations.roles import Role
from nominations.services import store_file
from nominations.stages import Status

from . import arithmetic, events, policy
from .models import (
    AgendaItem,
    BallotReceipt,
    Choice,
    CouncilSession,
    DecisionEntry,
    DraftDocument,
    Objection,
    OpenBallot,
    Recusal,
    SessionMember,
)
from .models.drafts import SESSION_DRAFTS

DEFAULT_QUORUM = Fraction(2, 3)


class QuorumNotMet(DomainError):
    """Too few members present: the council cannot decide anything."""

    http_status = 409


def council_members(agency: Unit) -> QuerySet:
    """Everyone holding the council-member role over the agency."""
    ancestors = [int(pk) for pk in agency.path.strip("/").split("/")]
    ids = RoleAssignment.objects.filter(
        role=Role.COUNCIL_MEMBER, unit_id__in=ancestors
    ).values_list("user_id", flat=True)
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def quorum_of(seats: list[SessionMember], items: list[AgendaItem]) -> arithmetic.Quorum:
    """The session's quorum. Each item's award type states its rule (2/3 by default); one
    attendance serves them all, so the session must meet the strictest."""
    rule = max((item.nomination.award_type.quorum for item in items), default=DEFAULT_QUORUM)
    return arithmetic.quorum(
        members=len(seats), present=sum(1 for s in seats if s.present), rule=rule
    )


def _refuse_quorum(q: arithmetic.Quorum):
    raise QuorumNotMet(
        _(
            "No quorum: %(present)d of %(members)d members are present, and at least "
            "%(needed)d are needed. The council cannot decide any item."
        )
        % {"present": q.present, "members": q.members, "needed": q.needed}
    )


def _add_waiting_nominations(session: CouncilSession) -> list[AgendaItem]:
    """Put on the agenda every nomination of the campaign waiting at council review that is on
    no other agenda (deferred ones included, unless deferred from this very session). The
    campaign's row is locked so that two sessions being prepared at once do not both take the
    same nomination."""
    Campaign.objects.select_for_update().get(pk=session.campaign_id)
    waiting = (
        Nomination.objects.filter(campaign_id=session.campaign_id, status=Status.COUNCIL_REVIEW)
        .exclude(agenda_items__status=AgendaItem.Status.PENDING)
        .exclude(agenda_items__session=session)  # deferred from this one: for a later session
        .select_related("award_type")
        .order_by("id")
    )
    last = session.items.order_by("-position").values_list("position", flat=True).first() or 0
    added = []
    for position, nomination in enumerate(waiting, start=last + 1):
        added.append(
            AgendaItem.objects.create(
                session=session,
                nomination=nomination,
                position=position,
                secret=nomination.award_type.secret_ballot,
            )
        )
    return added


def held_deferral_reasons(nomination_ids: list[int]) -> dict[int, str]:
    """Why each held nomination's item leaves the agenda (a held nomination is not voted into a
    decision: Decree 152/2025, Art. 4), read in one query. Nomination id → the sentence."""
    holds = Hold.objects.filter(nomination_id__in=nomination_ids, lifted_at__isnull=True)
    found = {h.nomination_id: h for h in holds}
    reasons = {}
    for pk in nomination_ids:
        hold = found.get(pk)
        reasons[pk] = (
            _("On hold (%(kind)s) since %(date)s: deferred until the hold is lifted.")
            % {
                "kind": hold.get_kind_display(),
                "date": timezone.localdate(hold.placed_at).isoformat(),
            }
            if hold is not None
            else _("On hold: deferred until the hold is lifted.")
        )
    return reasons


def _refuse_if_held(item: AgendaItem) -> None:
    if item.nomination.status == Status.ON_HOLD:
        raise TransitionRefused(
            _(
                "This nomination is on hold: the council does not vote on it until the hold is "
                "lifted, and the item will be deferred."
            )
        )


def plan_session(
    *,
    actor: Actor,
    campaign: Campaign,
    scheduled_on: datetime.date,
    chair: Actor,
    origin: Origin | None = None,
) -> CouncilSession:
    """The secretary plans a session of the council for the campaign: its date, chair and
    members (everyone holding the council-member role), and its agenda, the nominations waiting
    at council review."""
    agency = campaign.agency
    policy.authorize_planning(actor, agency)
    members = list(council_members(agency))
    if not members:
        raise InvalidInput(_("Nobody holds the council-member role: assign the members first."))
    if chair not in members:
        raise InvalidInput(_("The chair must be one of the council's members."))
    with transaction.atomic():
        session = CouncilSession.objects.create(
            campaign=campaign, scheduled_on=scheduled_on, chair=chair, secretary=actor
        )
        SessionMember.objects.bulk_create(
            [SessionMember(session=session, member=m) for m in members]
        )
        items = _add_waiting_nominations(session)
        audit.append(
            events.session_planned(
                session, actor=actor, members=members, agenda=items, origin=origin
            )
        )
    return session


def lock_session(session: CouncilSession) -> CouncilSession:
    return (
        CouncilSession.objects.select_for_update(of=("self",))
        .select_related("campaign__agency", "chair", "secretary")
        .get(pk=session.pk)
    )


def defer_item(item: AgendaItem, *, actor: Actor, reasons: str, origin: Origin | None = None):
    """The secretary takes an item off this session's agenda; the nomination stays at council
    review and goes on the agenda of a later session."""
    if not (reasons or "").strip():
        raise InvalidInput(_("Say why the item is deferred."))
    with transaction.atomic():
        session = lock_session(item.session)
        role = policy.authorize_secretary(actor, session)
        if session.is_closed:
            raise TransitionRefused(_("Voting has closed: the session's items are decided."))
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("nomination__proposing_unit")
            .get(pk=item.pk)
        )
        if item.status != AgendaItem.Status.PENDING:
            raise TransitionRefused(_("This item is no longer on the agenda."))
        item.status = AgendaItem.Status.DEFERRED
        item.deferral_reasons = reasons
        item.save(update_fields=["status", "deferral_reasons"])
        audit.append(
            events.item_deferred(item, actor=actor, role=role, reasons=reasons, origin=origin)
        )
    return item


def open_session(
    session: CouncilSession, *, actor: Actor, present: Iterable[int], origin: Origin | None = None
) -> CouncilSession:
    """The secretary opens the session: records who is present, checks the quorum, records who
    is recused from which item, and opens voting. Without a quorum nothing opens."""
    present_ids = {int(pk) for pk in present}
    with transaction.atomic():
        session = lock_session(session)
        role = policy.authorize_secretary(actor, session)
        if not session.is_planned:
            raise TransitionRefused(_("This session has already been opened."))
        seats = list(session.members.select_related("member__profile__unit"))
        unknown = present_ids - {s.member_id for s in seats}
        if unknown:
            raise InvalidInput(_("Only the session's members can be recorded as present."))
        for seat in seats:
            seat.present = seat.member_id in present_ids
        SessionMember.objects.bulk_update(seats, ["present"])
        # Nominations withdrawn meanwhile leave the agenda, those put on hold are deferred (with
        # the hold's reason, audited), and those arrived meanwhile join it.
        gone = list(
            session.items.filter(status=AgendaItem.Status.PENDING)
            .exclude(nomination__status=Status.COUNCIL_REVIEW)
            .select_related("nomination__proposing_unit")
        )
        held = [i for i in gone if i.nomination.status == Status.ON_HOLD]
        deferrals = held_deferral_reasons([i.nomination_id for i in held]) if held else {}
        trail = []
        for item in gone:
            if item in held:
                item.status = AgendaItem.Status.DEFERRED
                item.deferral_reasons = deferrals[item.nomination_id]
                item.save(update_fields=["status", "deferral_reasons"])
                trail.append(
                    events.item_deferred(
                        item, actor=actor, role=role, reasons=item.deferral_reasons, origin=origin
                    )
                )
            else:
                item.status = AgendaItem.Status.WITHDRAWN
                item.save(update_fields=["status"])
        _add_waiting_nominations(session)
        items = list(
            session.items.filter(status=AgendaItem.Status.PENDING).select_related(
                "nomination__award_type", "nomination__proposing_unit"
            )
        )
        if not items:
            raise TransitionRefused(_("The agenda is empty: no nomination waits for the council."))
        q = quorum_of(seats, items)
        if not q.met:
            _refuse_quorum(q)
        recusals = []
        for item in items:
            for seat in seats:
                reason = policy.recusal_reason(seat.member, item)
                if reason:
                    recusals.append(Recusal(item=item, member=seat.member, reason=reason))
        Recusal.objects.bulk_create(recusals)
        session.status = CouncilSession.Status.OPEN
        session.opened_at = timezone.now()
        session.save(update_fields=["status", "opened_at"])
        trail.append(
            events.session_opened(
                session,
                actor=actor,
                role=role,
                seats=seats,
                quorum=q,
                recusals=recusals,
                origin=origin,
            )
        )
        for event in trail:  # the deferrals', then the opening's, appended last
            audit.append(event)
    return session


def cast_ballot(
    item: AgendaItem, *, actor: Actor, choice: str, origin: Origin | None = None
) -> None:
    """A member present and not recused votes on an item: approve, disapprove or abstain.

    Open ballot: the choice is recorded with the member's name and may be changed until voting
    closes. Secret ballot: only a receipt (that the member voted) is kept, and the choice goes
    into the item's counters; it is final, and nothing links it to the member."""
    if choice not in Choice.values:
        raise InvalidInput(_("Choose approve, disapprove or abstain."))
    with transaction.atomic():
        # The item's row lock serialises every vote on it (and the tally that reads it).
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("session__campaign__agency", "nomination__proposing_unit")
            .get(pk=item.pk)
        )
        if not item.session.is_open:
            raise TransitionRefused(_("Voting is not open for this session."))
        if item.status != AgendaItem.Status.PENDING:
            raise TransitionRefused(_("This item is no longer on the agenda."))
        _refuse_if_held(item)
        seat = SessionMember.objects.filter(session=item.session, member=actor).first()
        recused = Recusal.objects.filter(item=item, member=actor).exists()
        role = policy.authorize_vote(actor, item, seat, recused)
        if item.secret:
            if BallotReceipt.objects.filter(item=item, member=actor).exists():
                raise TransitionRefused(
                    _("You have already voted on this item; a secret ballot is final.")
                )
            BallotReceipt.objects.create(item=item, member=actor)
            counter = f"secret_{choice}"
            AgendaItem.objects.filter(pk=item.pk).update(**{counter: F(counter) + 1})
            # Says that the member voted, never how.
            audit.append(events.secret_ballot_cast(item, actor=actor, role=role, origin=origin))
            return
        ballot = OpenBallot.objects.filter(item=item, member=actor).first()
        if ballot is None:
            OpenBallot.objects.create(item=item, member=actor, choice=choice)
            audit.append(
                events.open_ballot_cast(item, choice=choice, actor=actor, role=role, origin=origin)
            )
        elif ballot.choice != choice:
            before = ballot.choice
            ballot.choice = choice
            ballot.changed_at = timezone.now()
            ballot.save(update_fields=["choice", "changed_at"])
            audit.append(
                events.open_ballot_changed(
                    item, before=before, after=choice, actor=actor, role=role, origin=origin
                )
            )


def record_written_opinion(
    item: AgendaItem, *, actor: Actor, member: Actor, choice: str, origin: Origin | None = None
) -> None:
    """The secretary records the written opinion an absent member sent in: counted like a vote
    and recorded as a written opinion. For a secret ballot it is kept like one (a receipt and the
    counters); either way it is final."""
    if choice not in Choice.values:
        raise InvalidInput(_("Choose approve, disapprove or abstain."))
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("session__campaign__agency", "nomination__proposing_unit")
            .get(pk=item.pk)
        )
        role = policy.authorize_secretary(actor, item.session)
        if not item.session.is_open:
            raise TransitionRefused(_("Voting is not open for this session."))
        if item.status != AgendaItem.Status.PENDING:
            raise TransitionRefused(_("This item is no longer on the agenda."))
        _refuse_if_held(item)
        seat = SessionMember.objects.filter(session=item.session, member=member).first()
        recused = Recusal.objects.filter(item=item, member=member).exists()
        policy.check_written_opinion(item, seat, recused)
        already = (
            BallotReceipt.objects.filter(item=item, member=member).exists()
            if item.secret
            else OpenBallot.objects.filter(item=item, member=member).exists()
        )
        if already:
            raise TransitionRefused(_("This member's opinion on this item is already recorded."))
        if item.secret:
            BallotReceipt.objects.create(item=item, member=member, written=True)
            counter = f"secret_{choice}"
            AgendaItem.objects.filter(pk=item.pk).update(**{counter: F(counter) + 1})
        else:
            OpenBallot.objects.create(item=item, member=member, choice=choice, written=True)
        audit.append(
            events.written_opinion(
                item, member=member, choice=choice, actor=actor, role=role, origin=origin
            )
        )


def file_objection(
    nomination: Nomination, *, actor: Actor, reasons: str, origin: Origin | None = None
) -> Objection:
    """A staff member objects to a proposed awardee, with reasons. Until the secretary resolves
    it, no decision can confer that nomination's award."""
    if not policy.may_object(actor):
        raise InvalidInput(_("Sign in to file an objection."))
    if not (reasons or "").strip():
        raise InvalidInput(_("Write the reasons for the objection."))
    with transaction.atomic():
        # The nomination's row lock orders the objection against a signature of the decision.
        n = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("proposing_unit")
            .get(pk=nomination.pk)
        )
        if n.status != Status.COUNCIL_APPROVED:
            raise TransitionRefused(
                _("Objections concern candidates the council approved, before the decision.")
            )
        objection = Objection.objects.create(nomination=n, filed_by=actor, reasons=reasons)
        audit.append(events.objection_filed(objection, n, actor=actor, origin=origin))
    return objection


# --- edited drafts ----------------------------------------------------------------------------


def upload_draft(
    session: CouncilSession,
    *,
    kind: str,
    upload,
    actor: Actor,
    origin: Origin | None = None,
) -> DraftDocument:
    """The session's secretary replaces a drafted document (the minutes, the draft decision) by
    the edited Word file, before the decision is signed; audited with the file's hash."""
    role = policy.authorize_secretary(actor, session)
    if kind not in SESSION_DRAFTS:
        raise InvalidInput(_("Only the minutes and the draft decision can be uploaded."))
    if not session.is_closed:
        raise TransitionRefused(_("The drafts exist once voting has closed."))
    if upload is None or not upload.size:
        raise InvalidInput(_("Choose the edited Word file (.docx)."))
    if upload.size > settings.LAUREL_MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": settings.LAUREL_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    content = upload.read()
    try:
        Document(io.BytesIO(content))
    except Exception:
        raise InvalidInput(_("This file is not a Word document (.docx).")) from None
    with transaction.atomic():
        session = lock_session(session)
        if DecisionEntry.objects.filter(
            nomination__agenda_items__session=session, effect=DecisionEntry.Effect.CONFER
        ).exists():
            raise TransitionRefused(
                _("The decision is signed: its final documents no longer change.")
            )
        draft = DraftDocument(
            session=session,
            kind=kind,
            original_name=(upload.name or "draft.docx")[-255:],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        store_file(
            draft.file, "draft.docx", ContentFile(content), what=f"draft of session {session.pk}"
        )
        try:
            draft.save()
            audit.append(events.draft_uploaded(draft, actor=actor, role=role, origin=origin))
        except Exception:
            draft.file.delete(save=False)
            raise
    return draft
