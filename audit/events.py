"""The events of the audit trail: every name a writer appends and a reader looks for is here,
once, with its label. Writers pass an `Event` to `audit.record` (it refuses anything else);
readers (reports, search, labels, tests) compare with the same members, so a renamed or new
event is one edit and a misspelt one fails at once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    # A nomination's dossier.
    NOMINATION_CREATED = "nomination.created", _("Draft created")
    DOSSIER_EDITED = "nomination.dossier_edited", _("Dossier edited")
    EVIDENCE_ADDED = "nomination.evidence_added", _("Document attached")
    EVIDENCE_REMOVED = "nomination.evidence_removed", _("Document removed")
    # A nomination's transitions (one per stage-decision outcome).
    SUBMITTED = "nomination.submitted", _("Submitted")
    RESUBMITTED = "nomination.resubmitted", _("Resubmitted")
    APPROVED = "nomination.approved", _("Approved")
    RETURNED = "nomination.returned", _("Returned for revision")
    REJECTED = "nomination.rejected", _("Rejected")
    WITHDRAWN = "nomination.withdrawn", _("Withdrawn")
    COUNCIL_APPROVED = "nomination.council_approved", _("Approved by the council")
    COUNCIL_REJECTED = "nomination.council_rejected", _("Not approved by the council")
    CONFERRED = "nomination.conferred", _("Award conferred")
    HOLD_PLACED = "nomination.held", _("Put on hold")
    HOLD_LIFTED = "nomination.hold_lifted", _("Hold lifted")
    HOLD_END_PASSED = "nomination.hold_end_passed", _("A hold's expected end date passed")
    # The tasks a nomination waits on.
    TASK_TAKEN = "task.taken", _("Task taken")
    TASK_RELEASED = "task.released", _("Task released")
    TASK_REMINDED = "task.reminded", _("Reminder of the task's due date")
    TASK_ESCALATED = "task.escalated", _("Overdue task escalated")
    TASK_REASSIGNED = "task.reassigned", _("Task reassigned")
    # The council.
    SESSION_PLANNED = "council.session_planned", _("Council session planned")
    SESSION_OPENED = "council.session_opened", _("Attendance recorded; voting opened")
    ITEM_DEFERRED = "council.item_deferred", _("Deferred to a later council session")
    VOTING_CLOSED = "council.voting_closed", _("Voting closed and tallied")
    BALLOT_CAST = "ballot.cast", _("Voted")
    BALLOT_CHANGED = "ballot.changed", _("Changed an open vote")
    WRITTEN_OPINION = "ballot.written_opinion", _("Written opinion of an absent member recorded")
    NOT_COMMENDED_REASON = "council.not_commended_reason", _("Reason for not commending recorded")
    OBJECTION_FILED = "objection.filed", _("Objection filed")
    OBJECTION_UPHELD = "objection.upheld", _("Objection upheld")
    OBJECTION_DISMISSED = "objection.dismissed", _("Objection dismissed")
    NOTICE_ENDED = "council.notice_ended", _("Public notice ended; ready for the decision")
    DRAFT_UPLOADED = "council.draft_uploaded", _("Edited draft document uploaded")
    DECISION_SIGNED = "decision.signed", _("Decision signed")
    REQUEST_PREPARED = "request.prepared", _("Request to the higher level prepared or edited")
    # Awards decided at a higher level: the request (tờ trình) and the higher level's outcome.
    REQUEST_SIGNED = "request.signed", _("Request to the higher level signed")
    FORWARDED = "nomination.forwarded", _("Forwarded to the higher level")
    HIGHER_CONFERRED = "nomination.higher_conferred", _("Conferred by the higher level")
    HIGHER_NOT_CONFERRED = "nomination.higher_not_conferred", _("Not conferred by the higher level")
    HIGHER_RETURNED = (
        "nomination.higher_returned",
        _("Returned by the higher level for more documents"),
    )
    BUNDLE_EXPORTED = "exchange.bundle_exported", _("Exchange bundle exported")
    BUNDLE_IMPORTED = "exchange.bundle_imported", _("Exchange bundle imported")
    BUNDLE_REFUSED = "exchange.bundle_refused", _("Exchange bundle refused")
    # Consultations (hiệp y) with other bodies before the council decides.
    CONSULTATION_OPENED = "consultation.opened", _("Consultation requested")
    CONSULTATION_OPINION = "consultation.opinion_recorded", _("Consultation opinion recorded")
    CONSULTATION_COMPLETED = "consultation.completed", _("Consultation completed")
    AWARD_REVOKED = "award.revoked", _("Award revoked by a correcting decision")
    REVOCATION_PROPOSED = "revocation.proposed", _("Revocation of the award proposed")
    REVOCATION_CONCLUDED = (
        "revocation.council_concluded",
        _("Council's conclusion on the revocation recorded"),
    )
    RECOVERY_RECORDED = (
        "revocation.recovery_recorded",
        _("Recovery of the certificate and money recorded"),
    )
    # People and their capacities.
    DELEGATION_GRANTED = "delegation.granted", _("Delegation granted")
    DELEGATION_REVOKED = "delegation.revoked", _("Delegation revoked")
    # Personal API tokens (the api app): issued and revoked by their holder.
    API_TOKEN_ISSUED = "api_token.issued", _("API token issued")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    # The record eligibility reads, and the registrations to the movement.
    RECORD_IMPORTED = "record.imported", _("Past years' records imported")
    NOMINATIONS_IMPORTED = "nominations.imported", _("List of nominations imported")
    REGISTRATION_RECORDED = "registration.recorded", _("Emulation registration recorded")
    # Signing in: every login, logout, refusal and change to a second factor.
    LOGIN = "auth.login", _("Logged in")
    LOGOUT = "auth.logout", _("Logged out")
    LOGIN_FAILED = "auth.login_failed", _("Login failed")
    LOCKED_OUT = "auth.locked_out", _("Login locked after repeated failures")
    SECOND_FACTOR_ADDED = "auth.second_factor_added", _("Two-factor authentication set up")
    SECOND_FACTOR_REMOVED = "auth.second_factor_removed", _("Two-factor authentication turned off")
    RECOVERY_CODES_REGENERATED = "auth.recovery_codes_regenerated", _("New recovery codes made")
    RECOVERY_CODE_USED = "auth.recovery_code_used", _("Recovery code used to log in")
    # Inspection (an inspector's login is this event rather than `LOGIN`).
    INSPECTOR_LOGIN = "inspector.login", _("Inspector logged in")
    INSPECTOR_EXPORTED = "inspector.exported", _("Audit trail exported")
    VERIFICATION_RUN = "audit.verification_run", _("Audit trail verified")


# Somebody judging a nomination at a stage (the stage is the event's `from_state` and its
# data's `stage`): separation of duties forbids one person two of these on one journey.
JUDGEMENTS = frozenset(
    {
        Event.APPROVED,
        Event.RETURNED,
        Event.REJECTED,
        Event.COUNCIL_APPROVED,
        Event.COUNCIL_REJECTED,
        Event.CONFERRED,
    }
)

# The events that send a dossier back to its unit for revision (a reviewer's return, an upheld
# objection's, or the higher level's return for more documents): the resubmission is compared
# with the dossier as returned.
RETURNS = frozenset({Event.RETURNED, Event.HIGHER_RETURNED})

# What changes the dossier between a return and the resubmission.
DOSSIER_EDITS = frozenset({Event.DOSSIER_EDITED, Event.EVIDENCE_ADDED, Event.EVIDENCE_REMOVED})

# An objection filed stays open until one of these names it (data.objection or the subject).
OBJECTION_CLOSED = frozenset({Event.OBJECTION_UPHELD, Event.OBJECTION_DISMISSED})


def label(action: str) -> str:
    """An event's name as people read it; an unknown name (none is written) as it stands."""
    try:
        return Event(action).label
    except ValueError:
        return action
