"""The council's audit events: one builder per event, so what each records is said once.
`approvals.services` and `approvals.outcomes` append what these build.

A secret ballot's events say that a member voted, never how: their builders take no choice.
"""

from collections.abc import Iterable

from audit import services as audit
from audit.events import Event
from audit.models import AuditEvent
from audit.services import Origin
from audit.types import Actor
from nominations.models import ConferredAward, Nomination, Revocation, StageDecision
from nominations.people import display_name
from nominations.roles import Role

from .arithmetic import Quorum
from .models import (
    AgendaItem,
    Consultation,
    ConsultationOpinion,
    CouncilSession,
    DraftDocument,
    ForwardRequest,
    Objection,
    Recusal,
    SessionMember,
    SignedDecision,
)


def _session(session: CouncilSession) -> dict:
    return {
        "subject_type": "council_session",
        "subject_id": session.pk,
        "campaign_id": session.campaign_id,
        "unit_path": session.campaign.agency.path,
    }


def _item(item: AgendaItem) -> dict:
    return {
        "subject_type": "agenda_item",
        "subject_id": item.pk,
        **item.nomination.audit_context(),
    }


def session_planned(
    session: CouncilSession,
    *,
    actor: Actor,
    members: Iterable[Actor],
    agenda: Iterable[AgendaItem],
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.SESSION_PLANNED,
        actor=actor,
        role=Role.COUNCIL_SECRETARY,
        **_session(session),
        to_state=session.status,
        data={
            "scheduled_on": session.scheduled_on.isoformat(),
            "chair": display_name(session.chair),
            "members": [display_name(m) for m in members],
            "agenda": [item.nomination_id for item in agenda],
        },
        origin=origin,
    )


def session_opened(
    session: CouncilSession,
    *,
    actor: Actor,
    role: str,
    seats: list[SessionMember],
    quorum: Quorum,
    recusals: list[Recusal],
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.SESSION_OPENED,
        actor=actor,
        role=role,
        **_session(session),
        from_state=CouncilSession.Status.PLANNED,
        to_state=session.status,
        data={
            "present": [display_name(s.member) for s in seats if s.present],
            "absent": [display_name(s.member) for s in seats if not s.present],
            "quorum": {
                "members": quorum.members,
                "present": quorum.present,
                "needed": quorum.needed,
            },
            "recused": [
                {"item": r.item_id, "member": display_name(r.member), "reason": r.reason}
                for r in recusals
            ],
        },
        origin=origin,
    )


def item_deferred(
    item: AgendaItem, *, actor: Actor, role: str, reasons: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.ITEM_DEFERRED,
        actor=actor,
        role=role,
        **_item(item),
        comment=reasons,
        data={"session": item.session_id},
        origin=origin,
    )


def secret_ballot_cast(
    item: AgendaItem, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.BALLOT_CAST,
        actor=actor,
        role=role,
        **_item(item),
        data={"session": item.session_id, "secret": True},
        origin=origin,
    )


def open_ballot_cast(
    item: AgendaItem, *, choice: str, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.BALLOT_CAST,
        actor=actor,
        role=role,
        **_item(item),
        data={"session": item.session_id, "secret": False, "choice": choice},
        origin=origin,
    )


def open_ballot_changed(
    item: AgendaItem, *, before: str, after: str, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.BALLOT_CHANGED,
        actor=actor,
        role=role,
        **_item(item),
        data={"session": item.session_id, "secret": False, "from": before, "to": after},
        origin=origin,
    )


def written_opinion(
    item: AgendaItem,
    *,
    member: Actor,
    choice: str,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    """An absent member's written opinion, recorded by the secretary; on a secret ballot, that
    it was given, not what it says."""
    data = {"session": item.session_id, "secret": item.secret, "member": display_name(member)}
    if not item.secret:
        data["choice"] = choice
    return audit.build(
        Event.WRITTEN_OPINION, actor=actor, role=role, **_item(item), data=data, origin=origin
    )


def voting_closed(
    session: CouncilSession, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    """The session's event, taking the minutes into the chain."""
    return audit.build(
        Event.VOTING_CLOSED,
        actor=actor,
        role=role,
        **_session(session),
        from_state=CouncilSession.Status.OPEN,
        to_state=session.status,
        data={"minutes": session.minutes},
        origin=origin,
    )


def not_commended_reason(
    decision: StageDecision,
    nomination: Nomination,
    *,
    session: CouncilSession,
    reasons: str,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    """The coded reason the secretary recorded for a nomination the council did not approve,
    on its decision record (`StageDecision.reason_code`), with the secretary's words."""
    return audit.build(
        Event.NOT_COMMENDED_REASON,
        actor=actor,
        role=role,
        subject_type="nomination",
        subject_id=nomination.pk,
        **nomination.audit_context(),
        comment=reasons,
        data={"session": session.pk, "decision": decision.pk, **decision.reason_code.event_data()},
        origin=origin,
    )


def objection_filed(
    objection: Objection, nomination: Nomination, *, actor: Actor, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.OBJECTION_FILED,
        actor=actor,
        subject_type="objection",
        subject_id=objection.pk,
        **nomination.audit_context(),
        comment=objection.reasons,
        origin=origin,
    )


def _objection_resolved(
    event: Event, objection: Objection, nomination: Nomination, actor, role, origin
) -> AuditEvent:
    return audit.build(
        event,
        actor=actor,
        role=role,
        subject_type="objection",
        subject_id=objection.pk,
        **nomination.audit_context(),
        comment=objection.resolution_reasons,
        data={"remedy": objection.remedy},
        origin=origin,
    )


def objection_upheld(
    objection: Objection, nomination: Nomination, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return _objection_resolved(Event.OBJECTION_UPHELD, objection, nomination, actor, role, origin)


def objection_dismissed(
    objection: Objection, nomination: Nomination, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return _objection_resolved(
        Event.OBJECTION_DISMISSED, objection, nomination, actor, role, origin
    )


def draft_uploaded(
    draft: DraftDocument, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.DRAFT_UPLOADED,
        actor=actor,
        role=role,
        **_session(draft.session),
        comment=draft.original_name,
        data={
            "draft": draft.pk,
            "kind": draft.kind,
            "file": draft.original_name,
            "size": draft.size,
            "sha256": draft.sha256,
        },
        origin=origin,
    )


def decision_signed(
    decision: SignedDecision,
    *,
    confers: list[Nomination],
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.DECISION_SIGNED,
        actor=actor,
        role=role,
        subject_type="signed_decision",
        subject_id=decision.pk,
        unit_path=decision.agency.path,
        comment=decision.title,
        data={
            "number": decision.reference,
            "confers": [{"nomination": n.pk, "nominee": n.nominee_name} for n in confers],
        },
        origin=origin,
    )


def correction_signed(
    correction: SignedDecision,
    corrected: SignedDecision,
    *,
    revoked: list[ConferredAward],
    reasons: str,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.DECISION_SIGNED,
        actor=actor,
        role=role,
        subject_type="signed_decision",
        subject_id=correction.pk,
        unit_path=corrected.agency.path,
        comment=reasons,
        data={
            "number": correction.reference,
            "corrects": corrected.reference,
            "revokes": [a.nomination_id for a in revoked],
        },
        origin=origin,
    )


def award_revoked(
    award: ConferredAward,
    correction: SignedDecision,
    corrected: SignedDecision,
    *,
    reasons: str,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.AWARD_REVOKED,
        actor=actor,
        role=role,
        subject_type="signed_decision",
        subject_id=correction.pk,
        **award.nomination.audit_context(),
        comment=reasons,
        data={"decision": correction.reference, "revokes": corrected.reference},
        origin=origin,
    )


def notice_ended(item: AgendaItem, ends_on) -> AuditEvent:
    """The timers found the item's public notice over with no objection open: the decision may
    be signed. Nobody acted (actor None): `run_timers` recorded it."""
    return audit.build(
        Event.NOTICE_ENDED,
        actor=None,
        **_item(item),
        from_state=item.nomination.status,
        to_state=item.nomination.status,
        data={"notice_ended_on": ends_on.isoformat(), "session": item.session_id},
    )


# --- consultations (hiệp y) ---------------------------------------------------------------


def _consultation(consultation: Consultation) -> dict:
    nomination = consultation.nomination
    return {
        "subject_type": "consultation",
        "subject_id": consultation.pk,
        **nomination.audit_context(),
        "from_state": nomination.status,
        "to_state": nomination.status,
    }


def consultation_opened(
    consultation: Consultation,
    *,
    bodies: Iterable,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.CONSULTATION_OPENED,
        actor=actor,
        role=role,
        **_consultation(consultation),
        data={
            "bodies": [b.code for b in bodies],
            "due_on": consultation.due_on.isoformat(),
            "letter_number": consultation.letter_number,
        },
        origin=origin,
    )


def consultation_opinion(
    opinion: ConsultationOpinion, *, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.CONSULTATION_OPINION,
        actor=actor,
        role=role,
        **_consultation(opinion.consultation),
        comment=opinion.reasons,
        data={
            "body": opinion.body.code,
            "answer": opinion.answer,
            "document": opinion.document_name,
        },
        origin=origin,
    )


def consultation_completed(
    consultation: Consultation,
    *,
    answers: dict[str, str],
    actor: Actor | None = None,
    role: str = "",
    origin: Origin | None = None,
) -> AuditEvent:
    """Every body has answered (the actor recorded the last answer), or the due date has passed
    and the timers recorded the silent bodies as raising no objection (actor None). `answers`:
    each body's code → its answer, as the consultation ends."""
    return audit.build(
        Event.CONSULTATION_COMPLETED,
        actor=actor,
        role=role,
        **_consultation(consultation),
        data={
            "answers": answers,
            "due_on": consultation.due_on.isoformat(),
            "by_deadline": actor is None,
        },
        origin=origin,
    )


# --- revocation of an award ----------------------------------------------------------------


def _revocation(revocation: Revocation, nomination: Nomination) -> dict:
    return {
        "subject_type": "revocation",
        "subject_id": revocation.pk,
        **nomination.audit_context(),
    }


def revocation_proposed(
    revocation: Revocation,
    nomination: Nomination,
    *,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.REVOCATION_PROPOSED,
        actor=actor,
        role=role,
        **_revocation(revocation, nomination),
        to_state=revocation.status,
        comment=revocation.grounds,
        data={
            "ground": revocation.ground,
            "documents": revocation.documents,
            "award": revocation.award_id,
            "decision": revocation.award.decision_number,
        },
        origin=origin,
    )


def revocation_concluded(
    revocation: Revocation,
    nomination: Nomination,
    *,
    actor: Actor,
    role: str,
    passed: bool,
    needed: int,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.REVOCATION_CONCLUDED,
        actor=actor,
        role=role,
        **_revocation(revocation, nomination),
        from_state=Revocation.Status.PROPOSED,
        to_state=revocation.status,
        data={
            "met_on": revocation.council_met_on.isoformat() if revocation.council_met_on else None,
            "members": revocation.council_members,
            "present": revocation.council_present,
            "for": revocation.votes_for,
            "against": revocation.votes_against,
            "abstain": revocation.votes_abstain,
            "needed": needed,
            "passed": passed,
        },
        origin=origin,
    )


def recovery_recorded(
    revocation: Revocation,
    nomination: Nomination,
    *,
    actor: Actor,
    role: str,
    changes: dict[str, list],
    origin: Origin | None,
) -> AuditEvent:
    """`changes`: field → [value before, value after] (dates as ISO text, money in VND)."""
    return audit.build(
        Event.RECOVERY_RECORDED,
        actor=actor,
        role=role,
        **_revocation(revocation, nomination),
        data={"decision": revocation.decision_number, "changes": changes},
        origin=origin,
    )


# --- requests to the higher level (`approvals.forwarding`) ----------------------------------


def _request(request: ForwardRequest) -> dict:
    return {
        "subject_type": "forward_request",
        "subject_id": request.pk,
        "campaign_id": request.campaign_id,
        "unit_path": request.agency.path,
    }


def _nominees(nominations: Iterable[Nomination]) -> list[dict]:
    return [{"nomination": n.pk, "nominee": n.nominee_name} for n in nominations]


def request_prepared(
    request: ForwardRequest,
    *,
    nominations: list[Nomination],
    edited: bool,
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.REQUEST_PREPARED,
        actor=actor,
        role=role,
        **_request(request),
        comment=request.title,
        data={
            "edited": edited,
            "title": request.title,
            "addressed_to": request.addressed_to,
            "grounds": request.grounds,
            "nominees": _nominees(nominations),
        },
        origin=origin,
    )


def letter_uploaded(
    request: ForwardRequest, *, size: int, actor: Actor, role: str, origin: Origin | None
) -> AuditEvent:
    return audit.build(
        Event.DRAFT_UPLOADED,
        actor=actor,
        role=role,
        **_request(request),
        comment=request.letter_name,
        data={
            "kind": "request_letter",
            "file": request.letter_name,
            "size": size,
            "sha256": request.letter_sha256,
        },
        origin=origin,
    )


def request_signed(
    request: ForwardRequest,
    *,
    forwards: list[Nomination],
    actor: Actor,
    role: str,
    origin: Origin | None,
) -> AuditEvent:
    return audit.build(
        Event.REQUEST_SIGNED,
        actor=actor,
        role=role,
        **_request(request),
        comment=request.title,
        data={
            "number": request.reference,
            "addressed_to": request.addressed_to,
            "letter_sha256": request.letter_sha256,
            "forwards": _nominees(forwards),
        },
        origin=origin,
    )
