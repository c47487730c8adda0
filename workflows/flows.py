"""The nomination's flow: after submission the nomination always waits on exactly one human
task — a stage review, the unit's revision, the council, or the signature of the decision —
until it ends (rejected, withdrawn, not approved by the council, or awarded).

Which review stages come, and who acts at each, is the award type's route (data): one `review`
node serves every review stage, and the `route` gateway loops back to it while the route goes on.
"""

from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock
from viewflow.workflow.nodes.view import ViewActivation

from nominations.calendar import add_working_days
from nominations.roles import Role
from nominations.stages import AWAITING_DECISION, REVIEW_STAGES, Stage, Status

from .models import NominationProcess, NominationTask

# Working days a unit has to revise a returned dossier, and the signer to sign.
REVISION_DAYS = 10
SIGNATURE_DAYS = 10


class WaitingTaskActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        process = prev_activation.process
        nomination = process.nomination
        stage, role, days = flow_task.waits_on(nomination)
        task = flow_task.flow_class.task_class(
            process=process,
            flow_task=flow_task,
            token=token,
            nomination=nomination,
            stage=stage,
            role=role,
            scope_unit_id=nomination.proposing_unit_id,
            due_on=add_working_days(timezone.localdate(), days) if days else None,
        )
        task.data = data if data is not None else {}
        task.seed = seed
        task.save()
        task.previous.add(prev_activation.task)
        return cls(task)


class WaitingTask(flow.View):
    """A human task held by whoever has `role` over the proposing unit. It is done through
    Laurel's own pages and services, so it has no viewflow view."""

    activation_class = WaitingTaskActivation

    def __init__(self, waits_on, **kwargs):
        super().__init__(view=None, **kwargs)
        self._waits_on = waits_on

    def waits_on(self, nomination) -> tuple[str, str, int]:
        """(stage, role, deadline in working days) of the task for the nomination as it is."""
        return self._waits_on(nomination)


def _at_route_stage(nomination):
    stage = nomination.award_type.route_stage(nomination.status)
    return stage.stage, stage.role, stage.deadline_working_days


# The tasks taken from a shared queue, and the action whose authority lets a user take each.
# The unit's revision is not: the unit's proposers simply resubmit.
TAKEABLE = {"review": "approve", "council": "council_approve", "sign": "confer"}


class NominationFlow(flow.Flow):
    """Nomination

    From submission to the signed decision, one waiting task at a time."""

    process_class = NominationProcess
    task_class = NominationTask
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.route)

    route = (
        flow.Switch()
        .Case(this.review, lambda a: a.process.nomination.status in REVIEW_STAGES)
        .Case(this.revise, lambda a: a.process.nomination.status == Status.RETURNED)
        .Case(this.council, lambda a: a.process.nomination.status == Stage.COUNCIL_REVIEW)
        .Case(this.sign, lambda a: a.process.nomination.status in AWAITING_DECISION)
        .Default(this.end)
    )

    review = WaitingTask(_at_route_stage).Annotation(title="Review").Next(this.route)
    revise = (
        WaitingTask(lambda n: (Status.RETURNED, Role.UNIT_PROPOSER, REVISION_DAYS))
        .Annotation(title="Revise and resubmit")
        .Next(this.route)
    )
    council = WaitingTask(_at_route_stage).Annotation(title="Council vote").Next(this.route)
    sign = (
        WaitingTask(lambda n: (n.status, Role.DECISION_SIGNER, SIGNATURE_DAYS))
        .Annotation(title="Sign the decision")
        .Next(this.route)
    )

    end = flow.End()

    def start_process(self, activation, nomination):
        activation.process.nomination = nomination
        return activation.process
