"""Firing the Nomination's transitions with refusals a user can read.

The transitions and their guards are on `Nomination` (django-fsm); this module only explains
a refusal: which action from which status, and which guard failed.
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed

from .exceptions import TransitionRefused
from .models import Nomination

ACTION_LABELS = {
    "submit": _("submit"),
    "approve": _("approve"),
    "return_for_revision": _("return for revision"),
    "resubmit": _("resubmit"),
    "reject": _("reject"),
    "withdraw": _("withdraw"),
    "council_approve": _("record the council's approval of"),
    "council_reject": _("record the council's rejection of"),
    "objection_return": _("return after an upheld objection"),
    "objection_reject": _("reject after an upheld objection"),
    "confer": _("confer the award of"),
}

ACTIONS = list(ACTION_LABELS)


def failed_guards(nomination: Nomination, action: str) -> list[str]:
    """The sentences of the guards that stop `action` now (empty if none do)."""
    meta = getattr(nomination, action)._django_fsm
    found = meta.get_transition(nomination.status)
    if found is None:
        return []
    return [str(c.message) for c in (found.conditions or []) if not c(nomination)]


def is_possible(nomination: Nomination, action: str) -> bool:
    """Whether the lifecycle allows `action` from the current status with every guard met."""
    meta = getattr(nomination, action)._django_fsm
    return meta.has_transition(nomination.status) and not failed_guards(nomination, action)


def fire(nomination: Nomination, action: str, **kwargs) -> str:
    """Fire a transition in memory; return the status it left. Raises TransitionRefused."""
    method = getattr(nomination, action)
    before = nomination.status
    if not method._django_fsm.has_transition(before):
        raise TransitionRefused(
            _("You cannot %(action)s a nomination that is “%(status)s”.")
            % {"action": ACTION_LABELS[action], "status": nomination.get_status_display()}
        )
    problems = failed_guards(nomination, action)
    if problems:
        raise TransitionRefused(
            _("You cannot %(action)s this nomination yet.") % {"action": ACTION_LABELS[action]},
            reasons=problems,
        )
    try:
        method(**kwargs)
    except TransitionNotAllowed as exc:  # a guard changed its mind between check and fire
        raise TransitionRefused(str(exc)) from exc
    return before
