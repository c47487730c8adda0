"""The statuses of a nomination and the review stages a route is made of."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNIT_REVIEW = "unit_review", _("Unit head confirmation")
    PARTY_COMMITTEE_REVIEW = "party_committee_review", _("Party committee review")
    LEADERSHIP_REVIEW = "leadership_review", _("Leadership review")
    COUNCIL_REVIEW = "council_review", _("Council review")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    APPROVED = "approved", _("Approved, awaiting decision")
    COUNCIL_APPROVED = "council_approved", _("Approved by the council")
    COUNCIL_REJECTED = "council_rejected", _("Not approved by the council")
    AWARDED = "awarded", _("Awarded")
    ON_HOLD = "on_hold", _("On hold")
    # Awards decided at a higher level (`AwardType.decided_at_higher_level`): after the
    # council, the nomination goes up in a signed request and waits on that level's outcome.
    FORWARDED = "forwarded", _("Forwarded to the higher level")
    NOT_CONFERRED = "not_conferred", _("Not conferred by the higher level")


class Stage(models.TextChoices):
    """A stage a route may include, in the order they can appear. A route is an ordered subset."""

    UNIT_REVIEW = Status.UNIT_REVIEW.value, Status.UNIT_REVIEW.label
    PARTY_COMMITTEE_REVIEW = (
        Status.PARTY_COMMITTEE_REVIEW.value,
        Status.PARTY_COMMITTEE_REVIEW.label,
    )
    LEADERSHIP_REVIEW = Status.LEADERSHIP_REVIEW.value, Status.LEADERSHIP_REVIEW.label
    COUNCIL_REVIEW = Status.COUNCIL_REVIEW.value, Status.COUNCIL_REVIEW.label


STAGE_ORDER = [s.value for s in Stage]

# Stages where one reviewer approves, returns or rejects. The council stage is decided by a vote.
REVIEW_STAGES = [Stage.UNIT_REVIEW, Stage.PARTY_COMMITTEE_REVIEW, Stage.LEADERSHIP_REVIEW]

AWAITING_DECISION = [Status.APPROVED, Status.COUNCIL_APPROVED]

# Statuses in which a nomination may be put on hold (Decree 152/2025, Art. 4: held, not
# rejected, while its nominee is under discipline, investigation, inspection or a complaint):
# wherever it waits on somebody's review, the unit's revision or the decision. Not a draft (the
# unit simply does not submit it) and not once its journey has ended. Lifting the hold returns
# it to the status it was held in (`Hold.held_status`).
HOLDABLE = [*Stage, Status.RETURNED, *AWAITING_DECISION]

# Statuses in which the nomination is still the proposing unit's to withdraw. A held nomination
# may be withdrawn if it was held in one of the others (`Nomination.withdraw`'s guard).
WITHDRAWABLE = [Status.DRAFT, Status.RETURNED, *Stage, Status.ON_HOLD]

FINAL = [
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.COUNCIL_REJECTED,
    Status.NOT_CONFERRED,
    Status.AWARDED,
]

# Statuses in which a nomination no longer claims its nominee's award: another nomination of the
# same nominee for the same award in the same campaign may then be made (one achievement, one
# award).
CLOSED_UNAWARDED = [
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.COUNCIL_REJECTED,
    Status.NOT_CONFERRED,
]

# How far along its journey a status is. Returned, rejected and withdrawn nominations have no rank
# of their own: they keep the furthest rank reached (`Nomination.progress`).
PROGRESS: dict[str, int] = {
    Status.DRAFT: 0,
    Status.UNIT_REVIEW: 1,
    Status.PARTY_COMMITTEE_REVIEW: 2,
    Status.LEADERSHIP_REVIEW: 3,
    Status.COUNCIL_REVIEW: 4,
    Status.APPROVED: 5,
    Status.COUNCIL_APPROVED: 5,
    Status.COUNCIL_REJECTED: 5,
    # Up at the higher level it is still short of the award; stored progress never moves back.
    Status.FORWARDED: 5,
    Status.NOT_CONFERRED: 5,
    Status.AWARDED: 6,
}

# Who acts at each stage unless the route says otherwise.
DEFAULT_STAGE_ROLE = {
    Stage.UNIT_REVIEW: Role.UNIT_HEAD,
    Stage.PARTY_COMMITTEE_REVIEW: Role.PARTY_COMMITTEE_REVIEWER,
    Stage.LEADERSHIP_REVIEW: Role.LEADERSHIP_REVIEWER,
    Stage.COUNCIL_REVIEW: Role.COUNCIL_SECRETARY,
}

# The transitions of the lifecycle (`Nomination`), as a refusal names them.
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
    "hold": _("put on hold"),
    "lift_hold": _("lift the hold on"),
    "forward": _("forward to the higher level"),
    "higher_confer": _("record the higher level's conferral of"),
    "higher_not_confer": _("record the higher level's refusal of"),
    "higher_return": _("record the higher level's return of"),
}

ACTIONS = list(ACTION_LABELS)


# --- where a nomination waits (`Nomination.waiting_on`) ------------------------------------

# Working days a unit has to revise a returned dossier, and the signer to sign.
REVISION_DAYS = 10
SIGNATURE_DAYS = 10
# A forwarded nomination waits on a level Laurel does not drive: its office learns the outcome
# when that level decides, typically within a quarter. The task is reminded, never escalated
# (`workflows.deadlines`): nobody in the agency can make the higher level answer sooner.
HIGHER_LEVEL_DAYS = 60

# The waiting tasks (the flow's nodes of the same names).
REVIEW, REVISE, COUNCIL, SIGN = "review", "revise", "council", "sign"
HIGHER = "higher"

# The tasks taken from a shared queue, and the action whose authority lets a user take each.
# The unit's revision is not: the unit's proposers simply resubmit.
TAKE_ACTION = {
    REVIEW: "approve",
    COUNCIL: "council_approve",
    SIGN: "confer",
    HIGHER: "higher_confer",
}

# The task each action completes, for the actions done by whoever the task waits on.
ACTION_TASK = {
    "approve": REVIEW,
    "return_for_revision": REVIEW,
    "reject": REVIEW,
    "council_approve": COUNCIL,
    "council_reject": COUNCIL,
    "confer": SIGN,
    # An award decided at a higher level: the signed request takes the place of the decision,
    # and the office records what that level decided.
    "forward": SIGN,
    "higher_confer": HIGHER,
    "higher_not_confer": HIGHER,
    "higher_return": HIGHER,
}


@dataclass(frozen=True)
class Waiting:
    task: str  # REVIEW, REVISE, COUNCIL, SIGN or HIGHER
    stage: str
    role: str
    deadline_days: int


def task_at(stage: str) -> str:
    """The waiting task of a route stage: the council's vote, or a reviewer's review."""
    return COUNCIL if stage == Stage.COUNCIL_REVIEW else REVIEW
