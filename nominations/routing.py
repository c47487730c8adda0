"""Which task a nomination waits on, who holds it and by when: the one home of that answer.

The workflow creates each task from it (`workflows`), policy names the acting role from it, and
the inbox asks it which tasks are taken from a shared queue. A route's stages and their roles
and deadlines are the award type's data (`RouteStage`); the unit's revision and the signature
of the decision are the same for every award type.
"""

from dataclasses import dataclass

from .roles import Role
from .stages import AWAITING_DECISION, REVIEW_STAGES, Stage, Status

# Working days a unit has to revise a returned dossier, and the signer to sign.
REVISION_DAYS = 10
SIGNATURE_DAYS = 10

# The waiting tasks (the flow's nodes of the same names).
REVIEW, REVISE, COUNCIL, SIGN = "review", "revise", "council", "sign"

# The tasks taken from a shared queue, and the action whose authority lets a user take each.
# The unit's revision is not: the unit's proposers simply resubmit.
TAKE_ACTION = {REVIEW: "approve", COUNCIL: "council_approve", SIGN: "confer"}

# The task each action completes, for the actions done by whoever the task waits on.
ACTION_TASK = {
    "approve": REVIEW,
    "return_for_revision": REVIEW,
    "reject": REVIEW,
    "council_approve": COUNCIL,
    "council_reject": COUNCIL,
    "confer": SIGN,
}


@dataclass(frozen=True)
class Waiting:
    task: str  # REVIEW, REVISE, COUNCIL or SIGN
    stage: str
    role: str
    deadline_days: int

    @property
    def take_action(self) -> str | None:
        return TAKE_ACTION.get(self.task)


def waiting_on(nomination) -> Waiting | None:
    """The task the nomination waits on in its current status, or None once it waits on
    nobody (a draft, or a journey that ended)."""
    status = nomination.status
    if status in REVIEW_STAGES or status == Stage.COUNCIL_REVIEW:
        stage = nomination.award_type.route_stage(status)
        task = COUNCIL if status == Stage.COUNCIL_REVIEW else REVIEW
        return Waiting(task, stage.stage, stage.role, stage.deadline_working_days)
    if status == Status.RETURNED:
        return Waiting(REVISE, Status.RETURNED, Role.UNIT_PROPOSER, REVISION_DAYS)
    if status in AWAITING_DECISION:
        return Waiting(SIGN, status, Role.DECISION_SIGNER, SIGNATURE_DAYS)
    return None
