"""What an action did, in one sentence a person reads: the nomination's reference, what
happened to it, and where it is now — whom it waits on (by role) and for what.

"N-00035 was approved and sent to the party committee for its opinion."

The one home of these sentences: every page that acts on a nomination says it with
`after_action`. Where the nomination goes is read from `Nomination.waiting_on()` (the stage it
waits at and the role that acts there, which a route may set), never assumed from the action.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Role
from .stages import Stage, Status

# Who holds the nomination next, by the role the task waits on: the subject of the sentence's
# destination ("sent to the unit head …"), with its article.
HOLDER = {
    Role.UNIT_PROPOSER: pgettext_lazy("next holder", "the proposing unit"),
    Role.UNIT_HEAD: pgettext_lazy("next holder", "the unit head"),
    Role.PARTY_COMMITTEE_REVIEWER: pgettext_lazy("next holder", "the party committee"),
    Role.LEADERSHIP_REVIEWER: pgettext_lazy("next holder", "the agency's leadership"),
    Role.COUNCIL_SECRETARY: pgettext_lazy("next holder", "the Emulation and Commendation Council"),
    Role.COUNCIL_MEMBER: pgettext_lazy("next holder", "the Emulation and Commendation Council"),
    Role.DECISION_SIGNER: pgettext_lazy("next holder", "the signer"),
}

# What the holder is to do, by the stage (or status) the nomination waits at.
PURPOSE = {
    Stage.UNIT_REVIEW: pgettext_lazy("next holder's task", "for confirmation"),
    Stage.PARTY_COMMITTEE_REVIEW: pgettext_lazy("next holder's task", "for its opinion"),
    Stage.LEADERSHIP_REVIEW: pgettext_lazy("next holder's task", "for review"),
    Stage.COUNCIL_REVIEW: pgettext_lazy("next holder's task", "for its vote"),
    Status.RETURNED: pgettext_lazy("next holder's task", "for revision"),
    Status.APPROVED: pgettext_lazy("next holder's task", "for the award decision"),
    Status.COUNCIL_APPROVED: pgettext_lazy("next holder's task", "for the award decision"),
}

# The action, once the nomination waits on someone again.
SENT = {
    "submit": _("%(reference)s was submitted and sent to %(holder)s %(purpose)s."),
    "resubmit": _("%(reference)s was resubmitted and sent to %(holder)s %(purpose)s."),
    "approve": _("%(reference)s was approved and sent to %(holder)s %(purpose)s."),
    "return_for_revision": _("%(reference)s was returned to %(holder)s %(purpose)s."),
}

# The action, when the journey ends with it.
ENDED = {
    "reject": _("%(reference)s was rejected."),
    "withdraw": _("%(reference)s was withdrawn."),
}

# A hold placed: the nomination waits on nobody until it is lifted (lifting it says where it
# is now, as any other action below).
HELD = _("%(reference)s is on hold until the matter is resolved; nobody acts on it meanwhile.")

# Any other action (the council's, the signature's): where the nomination is now.
WAITS = _("%(reference)s is now with %(holder)s %(purpose)s.")
STANDS = _("%(reference)s is now “%(status)s”.")


def after_action(action: str, nomination) -> str:
    """The sentence shown once `action` has been done on `nomination` (as it is now)."""
    reference = nomination.reference
    if action in ENDED:
        return str(ENDED[action] % {"reference": reference})
    if action == "hold":
        return str(HELD % {"reference": reference})
    waiting = nomination.waiting_on()
    if waiting is None:
        return str(STANDS % {"reference": reference, "status": nomination.get_status_display()})
    values = {
        "reference": reference,
        # A route may give a stage to any role: one without a phrase is named by its label.
        "holder": HOLDER.get(waiting.role) or Role(waiting.role).label,
        "purpose": PURPOSE[waiting.stage],
    }
    return str(SENT.get(action, WAITS) % values)
