"""The nomination's flow: after submission the nomination always waits on exactly one human
task — a stage review, the unit's revision, the council, the signature of the decision, or, for
an award decided at a higher level, the office's record of that level's outcome — until it ends
(rejected, withdrawn, not approved by the council, not conferred, or awarded).

This class is the flow's definition, its graph and its tables (`NominationProcess`,
`NominationTask`); it is not run through viewflow's generic activations. Each action writes its
task rows itself, in its own transaction (`workflows.services`), where `Nomination.waiting_on`
says — the same answer the `route` gateway below gives, so the graph drawn from this class is
the one the nominations follow. Why: docs/ARCHITECTURE.md, "Why viewflow stays".
"""

from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock

from nominations.stages import COUNCIL, HIGHER, REVIEW, REVISE, SIGN, Waiting

from .models import NominationProcess, NominationTask


def _waits_at(task: str):
    """The gateway's condition for one waiting task: where `Nomination.waiting_on` sends it."""

    def condition(activation) -> bool:
        waiting = activation.process.nomination.waiting_on()
        return waiting is not None and waiting.task == task

    return condition


class WaitingTask(flow.View):
    """A human task held by whoever has its role over the proposing unit (`Nomination.waiting_on`
    says which stage, role and deadline). It is done through Laurel's own pages and services,
    so it has no viewflow view."""

    def __init__(self, **kwargs):
        super().__init__(view=None, **kwargs)


class NominationFlow(flow.Flow):
    """Nomination

    From submission to the signed decision, one waiting task at a time."""

    process_class = NominationProcess
    task_class = NominationTask
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.route)

    # After every task the nomination goes where its new status sends it.
    route = (
        flow.Switch()
        .Annotation(title="Route by status")
        .Case(this.review, _waits_at(REVIEW))
        .Case(this.revise, _waits_at(REVISE))
        .Case(this.council, _waits_at(COUNCIL))
        .Case(this.sign, _waits_at(SIGN))
        .Case(this.higher, _waits_at(HIGHER))
        .Default(this.end)
    )

    review = WaitingTask().Annotation(title="Review").Next(this.route)
    revise = WaitingTask().Annotation(title="Revise and resubmit").Next(this.route)
    council = WaitingTask().Annotation(title="Council vote").Next(this.route)
    sign = WaitingTask().Annotation(title="Sign the decision").Next(this.route)
    higher = WaitingTask().Annotation(title="Await the higher level's outcome").Next(this.route)

    end = flow.End()

    def node_for(self, waiting: Waiting | None):
        """The node of a waiting task (`Nomination.waiting_on`), or the end."""
        return self.end if waiting is None else getattr(self, waiting.task)

    def start_process(self, activation, nomination):
        activation.process.nomination = nomination
        return activation.process
