"""The council's acts that move nominations: closing the vote (each item to council approved or
not approved, with its tally), resolving an objection, and signing a numbered decision that
confers the awards. Each is one transaction with the transitions, decision records, audit
events and task bookkeeping of `workflows.services`."""

import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditEvent
from audit.services import Origin
from audit.types import Actor
from nominations import policy as nomination_policy
from nominations.calendar import add_working_days
from nominations.exceptions import InvalidInput, NotAllowed, TransitionRefused
from nominations.models import (
    ConferredAward,
    Hold,
    HoldKind,
    Nomination,
    ReasonCode,
    ReasonUse,
    StageDecision,
    Unit,
)
from nominations.people import display_name
from nominations.stages import AWAITING_DECISION, Status
from workflows import services as transitions

from . import arithmetic, consultations, events
from . import policy as council_policy
from .models import (
    AgendaItem,
    BallotReceipt,
    CouncilSession,
    DecisionCounter,
    DecisionEntry,
    DraftDocument,
    Objection,
    OpenBallot,
    Recusal,
    SessionMember,
    SignedDecision,
    Tally,
)
from .notice import holidays_for, notice_ends_on, notice_over
from .services import QuorumNotMet, held_deferral_reasons, lock_session, quorum_of

# --- closing the vote ----------------------------------------------------------------------


class _Decided(NamedTuple):
    """An item the vote decides: its result, and the tally row that records it."""

    item: AgendaItem
    result: arithmetic.ItemResult
    tally_row: Tally


def close_voting(
    session: CouncilSession, *, actor: Actor, origin: Origin | None = None
) -> CouncilSession:
    """The secretary closes the vote. Every item on the agenda is tallied against its award
    type's threshold and base and moves to council approved or not approved, with its tally
    record, decision record and audit event; the minutes are generated and kept. Closing a
    closed session changes nothing.

    The whole agenda is handled at once, in a fixed number of statements whatever its length:
    its nominations locked together, the ballots read in one aggregate, the tallies, decision
    records, tasks and events written in bulk, the chain's head locked once."""
    with transaction.atomic():
        session = lock_session(session)
        role = council_policy.authorize_secretary(actor, session)
        if session.is_closed:
            return session
        if not session.is_open:
            raise TransitionRefused(_("Voting has not been opened for this session."))
        seats, items = _lock_agenda(session)
        pending = _lock_nominations(items)
        held = _defer_undecidable(pending)
        pending = [i for i in pending if i.pk not in held]
        quorum = _check_quorum(seats, pending)
        counts = _count_ballots(pending)
        decided, withdrawn, minutes_items = _tally_agenda(items, seats, counts)
        _write_tallies(decided, withdrawn)
        trail = [
            events.item_deferred(item, actor=actor, role=role, reasons=reasons, origin=origin)
            for item, reasons in held.values()
        ]
        trail += _move_nominations(session, decided, actor=actor, origin=origin)
        _close_session(session, seats, quorum, minutes_items)
        # The outcomes' events, then the session's, appended in order with the head locked once.
        trail.append(events.voting_closed(session, actor=actor, role=role, origin=origin))
        audit.bulk_append(trail)
    return session


def _lock_agenda(session: CouncilSession) -> tuple[list[SessionMember], list[AgendaItem]]:
    """The seats and the agenda, its items locked so that no vote or deferral lands mid-count."""
    seats = list(session.members.select_related("member").order_by("id"))
    items = list(
        AgendaItem.objects.select_for_update(of=("self",))
        .filter(session=session)
        .prefetch_related("recusals__member")
        .order_by("position")
    )
    return seats, items


def _lock_nominations(items: list[AgendaItem]) -> list[AgendaItem]:
    """Lock the nominations the vote moves (the pending items', returned); read the others'."""
    pending = [i for i in items if i.status == AgendaItem.Status.PENDING]
    locked = Nomination.objects.lock_many(i.nomination_id for i in pending)
    others = {
        n.pk: n
        for n in Nomination.objects.filter(
            pk__in=[i.nomination_id for i in items if i.nomination_id not in locked]
        ).select_related("award_type", "nominee_person", "nominee_unit")
    }
    for item in items:
        item.nomination = locked.get(item.nomination_id) or others[item.nomination_id]
    return pending


def _defer_undecidable(pending: list[AgendaItem]) -> dict[int, tuple[AgendaItem, str]]:
    """Defer the items the council may not decide yet, the reason in the minutes: those whose
    nomination was put on hold while voting was open (Decree 152/2025, Art. 4), and those whose
    consultation (hiệp y) is still open — neither every body has answered nor the due date has
    passed. Each goes on a later session's agenda. Item id → (item, reasons)."""
    held = [i for i in pending if i.nomination.status == Status.ON_HOLD]
    reasons = held_deferral_reasons([i.nomination_id for i in held]) if held else {}
    consulting = consultations.still_open_reasons(
        i.nomination_id for i in pending if i.nomination_id not in reasons
    )
    reasons.update(consulting)
    deferred = [i for i in pending if i.nomination_id in reasons]
    if not deferred:
        return {}
    for item in deferred:
        item.status = AgendaItem.Status.DEFERRED
        item.deferral_reasons = reasons[item.nomination_id]
    AgendaItem.objects.bulk_update(deferred, ["status", "deferral_reasons"])
    return {item.pk: (item, item.deferral_reasons) for item in deferred}


def _check_quorum(seats: list[SessionMember], pending: list[AgendaItem]) -> arithmetic.Quorum:
    """The quorum, kept for the minutes; opening checked it, and attendance cannot change since."""
    quorum = quorum_of(seats, pending)
    if not quorum.met:
        raise QuorumNotMet(_("No quorum: the council cannot decide any item."))
    return quorum


def _count_ballots(items: list[AgendaItem]) -> dict[int, tuple[int, int, int, int]]:
    """Item id → (approve, disapprove, abstain, written): two aggregate reads for any agenda."""
    ids = [i.pk for i in items]
    by_choice = {
        f"{c}": Count("id", filter=Q(choice=c)) for c in ("approve", "disapprove", "abstain")
    }
    written = Count("id", filter=Q(written=True))
    open_rows = (
        OpenBallot.objects.filter(item_id__in=ids)
        .order_by()
        .values("item_id")
        .annotate(**by_choice, written=written)
        .values_list("item_id", *by_choice, "written")
    )
    ballots = {item_id: (a, d, ab, w) for item_id, a, d, ab, w in open_rows}
    receipts = dict(
        BallotReceipt.objects.filter(item_id__in=ids)
        .order_by()
        .values("item_id")
        .annotate(written=written)
        .values_list("item_id", "written")
    )
    counts: dict[int, tuple[int, int, int, int]] = {}
    for item in items:
        if item.secret:  # its choices are only counters; its receipts say which were written
            counts[item.pk] = (
                item.secret_approve,
                item.secret_disapprove,
                item.secret_abstain,
                receipts.get(item.pk, 0),
            )
        else:
            counts[item.pk] = ballots.get(item.pk, (0, 0, 0, 0))
    return counts


def _tally_agenda(
    items: list[AgendaItem], seats: list[SessionMember], counts: dict
) -> tuple[list[_Decided], list[int], list[dict]]:
    """Each item's fate in agenda order: decided (with its tally), withdrawn, or as it stood."""
    present_ids = {s.member_id for s in seats if s.present}
    today = timezone.localdate()
    # notice days → end date: one calendar read per distinct length
    notice_ends: dict[int, datetime.date] = {}
    decided, withdrawn, minutes_items = [], [], []
    for item in items:
        entry = _minutes_entry(item)
        if item.status == AgendaItem.Status.DEFERRED:
            minutes_items.append({**entry, "outcome": "deferred", "reasons": item.deferral_reasons})
            continue
        if item.status != AgendaItem.Status.PENDING:
            minutes_items.append({**entry, "outcome": item.status})
            continue
        if item.nomination.status != Status.COUNCIL_REVIEW:  # withdrawn while voting was open
            item.status = AgendaItem.Status.WITHDRAWN
            withdrawn.append(item.pk)
            minutes_items.append({**entry, "outcome": AgendaItem.Status.WITHDRAWN})
            continue
        recused = list(item.recusals.all())
        result = _tally_item(item, seats, present_ids, recused, counts[item.pk])
        notice_days = item.nomination.award_type.public_notice_days if result.passed else 0
        tally_row = _tally_row(item, result, _notice_end(notice_ends, today, notice_days))
        item.status = AgendaItem.Status.DECIDED
        decided.append(_Decided(item, result, tally_row))
        minutes_items.append(_minutes_of_decided(entry, item, result, tally_row, recused))
    return decided, withdrawn, minutes_items


def _tally_item(
    item: AgendaItem,
    seats: list[SessionMember],
    present_ids: set[int],
    recused: list[Recusal],
    counts: tuple[int, int, int, int],
) -> arithmetic.ItemResult:
    """The item's result by its award type's rule, in exact arithmetic (`arithmetic.tally_item`)."""
    award = item.nomination.award_type
    approve, disapprove, abstain, written = counts
    return arithmetic.tally_item(
        members=len(seats),
        present=len(present_ids),
        recused=len(recused),
        recused_present=sum(1 for r in recused if r.member_id in present_ids),
        approve=approve,
        disapprove=disapprove,
        abstain=abstain,
        written=written,
        vote_base=award.vote_base,
        threshold_percent=award.vote_threshold_percent,
        quorum_rule=award.quorum,
    )


def _notice_end(cache: dict, today, days: int):
    """The public notice's last day (None without one), each length read from the calendar once."""
    if not days:
        return None
    if days not in cache:
        cache[days] = add_working_days(today, days)
    return cache[days]


def _tally_row(item: AgendaItem, result: arithmetic.ItemResult, notice_ends_on) -> Tally:
    """The result with the rule it was counted under (which may change later), unsaved for bulk."""
    award = item.nomination.award_type
    return Tally(
        item=item,
        members=result.members,
        present=result.present,
        recused=result.recused,
        base=result.base,
        approve=result.approve,
        disapprove=result.disapprove,
        abstain=result.abstain,
        not_voted=result.not_voted,
        written=result.written,
        threshold_percent=award.vote_threshold_percent,
        vote_base=award.vote_base,
        quorum_met=result.quorum_met,
        passed=result.passed,
        secret=item.secret,
        notice_ends_on=notice_ends_on,
    )


def _minutes_entry(item: AgendaItem) -> dict:
    """What the minutes name of every item, whatever its fate, so they list the whole agenda."""
    nomination = item.nomination
    return {
        "position": item.position,
        "nomination": nomination.pk,
        "reference": nomination.reference,
        "nominee": nomination.nominee_name,
        "award": str(nomination.award_type),
        "secret": item.secret,
    }


def _minutes_of_decided(
    entry: dict,
    item: AgendaItem,
    result: arithmetic.ItemResult,
    tally_row: Tally,
    recused: list[Recusal],
) -> dict:
    """A decided item in the minutes: its outcome, the rule, the counts and who was recused."""
    award = item.nomination.award_type
    return {
        **entry,
        "outcome": "approved" if result.passed else "rejected",
        "threshold": arithmetic.percent_text(award.vote_threshold_percent),
        "vote_base": award.vote_base,
        "base": result.base,
        "needed": arithmetic.approvals_needed(
            base=result.base, threshold_percent=award.vote_threshold_percent
        ),
        "approve": result.approve,
        "disapprove": result.disapprove,
        "abstain": result.abstain,
        "not_voted": result.not_voted,
        "written": result.written,
        "recused": [{"member": display_name(r.member), "reason": r.reason} for r in recused],
        "notice_ends_on": tally_row.notice_ends_on.isoformat()
        if tally_row.notice_ends_on
        else None,
    }


def _write_tallies(decided: list[_Decided], withdrawn: list[int]) -> None:
    """Write the tallies and the items' new statuses in bulk, so a long agenda costs no more."""
    Tally.objects.bulk_create([d.tally_row for d in decided])
    for status, pks in (
        (AgendaItem.Status.DECIDED, [d.item.pk for d in decided]),
        (AgendaItem.Status.WITHDRAWN, withdrawn),
    ):
        if pks:
            AgendaItem.objects.filter(pk__in=pks).update(status=status)


def _move_nominations(
    session: CouncilSession, decided: list[_Decided], *, actor, origin: Origin | None
) -> list[AuditEvent]:
    """Move the decided nominations in one batch; their events come back unsaved, to append last."""
    return transitions.record_council_outcomes(
        [
            (
                d.item.nomination,
                d.result.passed,
                _outcome_reasons(d.item, d.result),
                {"session": session.pk, "tally": d.tally_row.pk},
            )
            for d in decided
        ],
        actor=actor,
        origin=origin,
    )


def _outcome_reasons(item: AgendaItem, result: arithmetic.ItemResult) -> str:
    """The decision record's reasons: the counts and the rule, so the record stands alone."""
    return _(
        "Council session #%(session)d: %(approve)d approve, %(disapprove)d disapprove, "
        "%(abstain)d abstain (%(written)d by written opinion), %(not_voted)d did not vote; "
        "threshold %(threshold)s%% of %(base)d (%(base_kind)s)."
    ) % {
        "written": result.written,
        "session": item.session_id,
        "approve": result.approve,
        "disapprove": result.disapprove,
        "abstain": result.abstain,
        "not_voted": result.not_voted,
        "threshold": arithmetic.percent_text(item.nomination.award_type.vote_threshold_percent),
        "base": result.base,
        "base_kind": item.nomination.award_type.get_vote_base_display(),
    }


def _close_session(
    session: CouncilSession,
    seats: list[SessionMember],
    quorum: arithmetic.Quorum,
    minutes_items: list[dict],
) -> None:
    """Close the session, keeping the minutes on it as the record of the sitting."""
    session.status = CouncilSession.Status.CLOSED
    session.closed_at = timezone.now()
    session.minutes = {
        "session": session.pk,
        "campaign": str(session.campaign),
        "scheduled_on": session.scheduled_on.isoformat(),
        "opened_at": session.opened_at.isoformat() if session.opened_at else None,
        "closed_at": session.closed_at.isoformat(),
        "chair": display_name(session.chair),
        "secretary": display_name(session.secretary),
        "attendance": [
            {
                "member": display_name(s.member),
                "present": bool(s.present),
                "chair": s.member_id == session.chair_id,
            }
            for s in seats
        ],
        "quorum": {
            "members": quorum.members,
            "present": quorum.present,
            "needed": quorum.needed,
            "rule": f"{quorum.rule.numerator}/{quorum.rule.denominator}",
            "met": quorum.met,
        },
        "items": minutes_items,
    }
    session.save(update_fields=["status", "closed_at", "minutes"])


def record_not_commended(
    item: AgendaItem,
    *,
    actor: Actor,
    reason_code: ReasonCode,
    reasons: str = "",
    origin: Origin | None = None,
) -> StageDecision:
    """The session's secretary records why the council did not commend a nominee: a coded
    reason for "not commended" (`ReasonCode`), and words if wanted, once, after the vote. The
    vote decided the outcome and its decision record was written when voting closed; the code
    completes that record (`StageDecision.reason_code`, empty until now) and its event says so."""
    with transaction.atomic():
        session = lock_session(item.session)
        role = council_policy.authorize_secretary(actor, session)
        found = (
            AgendaItem.objects.select_related("tally", "nomination__proposing_unit")
            .filter(pk=item.pk, session=session)
            .first()
        )
        if found is None or found.status != AgendaItem.Status.DECIDED or found.tally.passed:
            raise TransitionRefused(_("Only an item the council did not approve takes this."))
        nomination = found.nomination
        decision = (
            StageDecision.objects.select_for_update()
            .filter(nomination=nomination, outcome=StageDecision.Outcome.COUNCIL_REJECTED)
            .order_by("-decided_at", "-id")
            .first()
        )
        if decision is None:
            raise TransitionRefused(_("The council's outcome for this item is not recorded."))
        if decision.reason_code_id is not None:
            raise TransitionRefused(
                _("The reason is already recorded for %(ref)s.") % {"ref": nomination.reference}
            )
        code = ReasonCode.objects.filter(pk=reason_code.pk).first()
        if code is None or not code.serves(ReasonUse.NOT_COMMENDED):
            raise InvalidInput(_("This reason can no longer be chosen for “not commended”."))
        if code.needs_text and not (reasons or "").strip():
            raise InvalidInput(
                _("Write the reason out: “%(label)s” needs it.") % {"label": code.label}
            )
        decision.reason_code = code
        decision.save(update_fields=["reason_code"])
        audit.append(
            events.not_commended_reason(
                decision,
                nomination,
                session=session,
                reasons=(reasons or "").strip(),
                actor=actor,
                role=role,
                origin=origin,
            )
        )
    return decision


def resolve_objection(
    objection: Objection,
    *,
    actor: Actor,
    upheld: bool,
    reasons: str,
    remedy: str = "",
    reason_code: ReasonCode | None = None,
    origin: Origin | None = None,
) -> Objection:
    """The secretary resolves an objection, with reasons. Upheld: the nomination goes back to
    the proposing unit or is rejected (`remedy`) — a rejection may carry a coded reason for
    "not commended" (`reason_code`). Dismissed: it proceeds to the decision."""
    if not (reasons or "").strip():
        raise InvalidInput(_("Write the reasons for the resolution."))
    if upheld and remedy not in Objection.Remedy.values:
        raise InvalidInput(_("Say whether the upheld objection returns or rejects the nomination."))
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("nomination__proposing_unit", "nomination__award_type")
            .get(pk=objection.pk)
        )
        if objection.status != Objection.Status.OPEN:
            raise TransitionRefused(_("This objection has already been resolved."))
        nomination = objection.nomination
        role = council_policy.authorize_resolving(actor, nomination)
        if upheld:
            transitions.uphold_objection(
                nomination,
                actor=actor,
                remedy=remedy,
                reasons=reasons,
                origin=origin,
                data={"objection": objection.pk},
                reason_code=reason_code,
            )
        elif nomination.status != Status.COUNCIL_APPROVED:
            raise TransitionRefused(_("The nomination is no longer awaiting the decision."))
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.remedy = remedy if upheld else ""
        objection.resolved_by = actor
        objection.resolution_reasons = reasons
        objection.resolved_at = timezone.now()
        objection.save()
        resolved = events.objection_upheld if upheld else events.objection_dismissed
        audit.append(resolved(objection, nomination, actor=actor, role=role, origin=origin))
    return objection


# --- signed decisions ----------------------------------------------------------------------


def next_decision_number(agency: Unit, year: int) -> int:
    """The agency's next decision number for the year. The counter row is locked until the
    transaction commits, so concurrent signatures take consecutive, distinct numbers."""
    DecisionCounter.objects.get_or_create(agency=agency, year=year)
    counter = DecisionCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def why_not_signable(
    nomination: Nomination,
    today=None,
    *,
    has_open_objection: bool | None = None,
    holidays=None,
    held_kind: str | None = None,
    consulting: str | None = None,
) -> str | None:
    """Why the decision cannot confer this nomination's award now, or None. Lists pass what
    they read for all rows at once (open objections, holidays, the kind of an open hold, why
    its consultation is still open — "" if none is)."""
    if nomination.status == Status.ON_HOLD:
        if held_kind is None:
            hold = nomination.open_hold()
            held_kind = hold.kind if hold else ""
        kind = HoldKind(held_kind).label if held_kind in HoldKind.values else "—"
        return _(
            "%(ref)s is on hold (%(kind)s): it cannot be conferred until the hold is lifted."
        ) % {"ref": nomination.reference, "kind": kind}
    if nomination.status not in AWAITING_DECISION:
        return _("%(ref)s is “%(status)s”, not awaiting the decision.") % {
            "ref": nomination.reference,
            "status": nomination.get_status_display(),
        }
    if has_open_objection is None:
        has_open_objection = nomination.objections.filter(status=Objection.Status.OPEN).exists()
    if has_open_objection:
        return _("%(ref)s has an open objection.") % {"ref": nomination.reference}
    if consulting is None:
        consulting = consultations.still_open_reasons([nomination.pk]).get(nomination.pk, "")
    if consulting:
        return f"{nomination.reference}: {consulting}"
    if not notice_over(nomination, today, holidays):
        ends = notice_ends_on(nomination, holidays)
        assert ends is not None  # a notice that is not over has a last day
        return _("%(ref)s is on public notice until %(date)s.") % {
            "ref": nomination.reference,
            "date": ends.isoformat(),
        }
    return None


def sign_decision(
    *,
    actor: Actor,
    agency: Unit,
    nominations: list[Nomination],
    title: str,
    reasons: str = "",
    origin: Origin | None = None,
) -> SignedDecision:
    """The head of agency signs a numbered decision conferring the awards of a batch of
    nominations awaiting the decision, whose public notice is over and with no open objection.
    Each nomination moves to awarded and the award goes on the nominee's record."""
    role = council_policy.authorize_signing(actor, agency)
    if not nominations:
        raise InvalidInput(_("Choose the nominations the decision confers."))
    if not (title or "").strip():
        raise InvalidInput(_("Give the decision a title."))
    with transaction.atomic():
        # Locked in id order, so two signatures over overlapping batches cannot deadlock.
        locked = list(
            Nomination.objects.select_for_update(of=("self",))
            .filter(pk__in=[n.pk for n in nominations])
            .select_related(
                "award_type", "campaign", "proposing_unit", "nominee_person", "nominee_unit"
            )
            .order_by("pk")
        )
        problems = []
        for n in locked:
            if n.campaign.agency_id != agency.pk:
                problems.append(_("%(ref)s is not this agency's.") % {"ref": n.reference})
                continue
            problem = why_not_signable(n)
            if problem:
                problems.append(problem)
                continue
            # An award decided at a higher level goes up in a request instead (the lifecycle's
            # guard on `confer` says so, naming that level).
            decided_above = n.failed_guards("confer")
            if decided_above:
                problems.extend(decided_above)
                continue
            conflict = nomination_policy.conflict_of_interest(actor, n)
            if conflict:
                problems.append(f"{n.reference}: {conflict}")
        if problems:
            raise TransitionRefused(_("The decision cannot be signed."), reasons=problems)
        today = timezone.localdate()
        decision = SignedDecision.objects.create(
            agency=agency,
            year=today.year,
            number=next_decision_number(agency, today.year),
            title=title,
            reasons=reasons,
            signed_by=actor,
        )
        for n in locked:
            DecisionEntry.objects.create(
                decision=decision, nomination=n, effect=DecisionEntry.Effect.CONFER
            )
            transitions.confer(
                n,
                actor=actor,
                origin=origin,
                check_owner=False,
                data={"decision": decision.pk, "decision_number": decision.reference},
            )
            ConferredAward.objects.create(
                nomination=n,
                award_type=n.award_type,
                campaign=n.campaign,
                year=n.campaign.year,
                person=n.nominee_person,
                unit=n.nominee_unit,
                decision_id=decision.pk,
                decision_number=decision.reference,
                conferred_on=today,
            )
        # The edited drafts of the sessions that approved these awards become the decision's
        # final files, and no longer change (approvals.services.upload_draft).
        DraftDocument.objects.filter(
            session__items__nomination__in=[n.pk for n in locked], decision__isnull=True
        ).update(decision=decision)
        audit.append(
            events.decision_signed(decision, confers=locked, actor=actor, role=role, origin=origin)
        )
    return decision


def sign_correction(
    decision: SignedDecision,
    *,
    actor: Actor,
    revoke: list[Nomination],
    reasons: str,
    origin: Origin | None = None,
) -> SignedDecision:
    """A signed decision never changes: a correction is a new numbered decision that references
    it and revokes the awards it conferred on the named nominations (they leave the nominees'
    records as in force)."""
    role = council_policy.authorize_signing(actor, decision.agency)
    if not revoke:
        raise InvalidInput(_("Name the nominations whose award the correction revokes."))
    if not (reasons or "").strip():
        raise InvalidInput(_("Write the grounds of the correction."))
    with transaction.atomic():
        conferred = {
            e.nomination_id for e in decision.entries.filter(effect=DecisionEntry.Effect.CONFER)
        }
        awards = list(
            ConferredAward.objects.select_for_update()
            .filter(nomination_id__in=[n.pk for n in revoke])
            .select_related("nomination__proposing_unit")
            .order_by("pk")
        )
        problems = [
            _("%(ref)s was not conferred by this decision.") % {"ref": n.reference}
            for n in revoke
            if n.pk not in conferred
        ]
        named = {n.pk: n for n in revoke}  # the awards were read by these nominations' ids
        problems += [
            _("%(ref)s has already been revoked by %(number)s.")
            % {"ref": named[a.nomination_id].reference, "number": a.revoked_by_number}
            for a in awards
            if a.nomination_id is not None and a.revoked_at
        ]
        if problems:
            raise NotAllowed(_("The correction cannot be signed."), reasons=problems)
        today = timezone.localdate()
        correction = SignedDecision.objects.create(
            agency=decision.agency,
            year=today.year,
            number=next_decision_number(decision.agency, today.year),
            title=_("Correction of decision %(number)s") % {"number": decision.reference},
            reasons=reasons,
            signed_by=actor,
            corrects=decision,
        )
        now = timezone.now()
        for award in awards:
            assert award.nomination_id is not None  # read by the nominations' ids
            DecisionEntry.objects.create(
                decision=correction,
                nomination_id=award.nomination_id,
                effect=DecisionEntry.Effect.REVOKE,
            )
            award.revoked_at = now
            award.revoked_by_decision_id = correction.pk
            award.revoked_by_number = correction.reference
            award.save(update_fields=["revoked_at", "revoked_by_decision_id", "revoked_by_number"])
            audit.append(
                events.award_revoked(
                    award,
                    correction,
                    decision,
                    reasons=reasons,
                    actor=actor,
                    role=role,
                    origin=origin,
                )
            )
        audit.append(
            events.correction_signed(
                correction,
                decision,
                revoked=awards,
                reasons=reasons,
                actor=actor,
                role=role,
                origin=origin,
            )
        )
    return correction


def awaiting_signature(agency: Unit) -> list[tuple[Nomination, str | None]]:
    """Nominations of the agency's campaigns awaiting the signed decision, each with why it cannot
    be signed yet (None: it can); those put on hold while awaiting it are listed with their hold.
    A fixed number of queries, whatever the length of the list."""
    open_hold = Hold.objects.filter(nomination=OuterRef("pk"), lifted_at__isnull=True)
    candidates = list(
        Nomination.objects.filter(campaign__agency=agency)
        .annotate(
            held_at=Subquery(open_hold.values("held_status")[:1]),
            held_kind=Subquery(open_hold.values("kind")[:1]),
        )
        .filter(
            Q(status__in=AWAITING_DECISION)
            | Q(status=Status.ON_HOLD, held_at__in=AWAITING_DECISION)
        )
        .select_related(
            "award_type", "campaign", "proposing_unit", "nominee_person", "nominee_unit"
        )
        .annotate(
            open_objection=Exists(
                Objection.objects.filter(nomination=OuterRef("pk"), status=Objection.Status.OPEN)
            )
        )
        .order_by("id")
    )
    holidays = holidays_for(candidates)
    consulting = consultations.still_open_reasons(n.pk for n in candidates)
    return [
        (
            n,
            why_not_signable(
                n,
                has_open_objection=n.open_objection,
                holidays=holidays,
                held_kind=n.held_kind,
                consulting=consulting.get(n.pk, ""),
            ),
        )
        for n in candidates
    ]
