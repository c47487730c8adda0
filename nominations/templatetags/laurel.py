from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from nominations.roles import Role
from nominations.stages import Status

register = template.Library()

EVENT_LABELS = {
    "nomination.created": _("Draft created"),
    "inspector.login": _("Inspector logged in"),
    "nomination.dossier_edited": _("Dossier edited"),
    "nomination.evidence_added": _("Document attached"),
    "nomination.evidence_removed": _("Document removed"),
    "nomination.submitted": _("Submitted"),
    "nomination.resubmitted": _("Resubmitted"),
    "nomination.approved": _("Approved"),
    "nomination.returned": _("Returned for revision"),
    "nomination.rejected": _("Rejected"),
    "nomination.withdrawn": _("Withdrawn"),
    "nomination.council_approved": _("Approved by the council"),
    "nomination.council_rejected": _("Not approved by the council"),
    "nomination.conferred": _("Award conferred"),
    "council.item_deferred": _("Deferred to a later council session"),
    "ballot.cast": _("Voted"),
    "ballot.changed": _("Changed an open vote"),
    "ballot.written_opinion": _("Written opinion of an absent member recorded"),
    "objection.filed": _("Objection filed"),
    "objection.upheld": _("Objection upheld"),
    "objection.dismissed": _("Objection dismissed"),
    "award.revoked": _("Award revoked by a correcting decision"),
    "task.taken": _("Task taken"),
    "task.released": _("Task released"),
    "council.session_planned": _("Council session planned"),
    "council.session_opened": _("Attendance recorded; voting opened"),
    "council.voting_closed": _("Voting closed and tallied"),
    "decision.signed": _("Decision signed"),
    "delegation.granted": _("Delegation granted"),
    "delegation.revoked": _("Delegation revoked"),
    "objection.resolved": _("Objection resolved"),
    "objection.withdrawn": _("Objection withdrawn"),
    "audit.verification_run": _("Audit trail verified"),
}

# The states of a council session, which its events record too (the same labels as the model's).
SESSION_STATES = {"planned": _("Planned"), "open": _("Voting open"), "closed": _("Closed")}


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return SESSION_STATES.get(value, value)


@register.filter
def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced: paging keeps the filters."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def field_label(name: str) -> str:
    """A dossier field's name as the form labels it ("initiatives" → "Initiatives")."""
    from nominations.models import Nomination

    try:
        return Nomination._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field since renamed: its recorded name is all there is
        return name


@register.filter
def at_most(value, cap) -> str:
    """A count that stopped at `cap` shown as "1000+"."""
    value, cap = int(str(value)), int(cap)  # str: the navigation's lazy count proxies no int()
    return f"{cap}+" if value > cap else str(value)
