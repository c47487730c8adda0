from django import template
from django.utils.translation import gettext_lazy as _

from nominations.roles import Role
from nominations.stages import Status

register = template.Library()

EVENT_LABELS = {
    "nomination.created": _("Draft created"),
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
    "task.taken": _("Task taken"),
    "task.released": _("Task released"),
}


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value
