"""The nomination's flow: after submission the nomination always waits on exactly one human
task — a stage review, the unit's revision, the council, or the signature of the decision —
until it ends (rejected, withdrawn, not approved by the council, or awarded).

Which review stages come, and who acts at each, is the award type's route (data): one `review`
node serves every review stage. Each node is routed straight to the task the nomination's new
status calls for (`Routed`), rather than through a gateway node: a gateway would write a task row
of its own on every action, the costliest part of an action after the action itself.
"""

from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.lock import select_for_update_lock
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from nominations import routing
from nominations.calendar import add_working_days

from .models import NominationProcess, NominationTask


class RoutedActivationMixin:
    """Create the next task from the nomination's status (NominationFlow.route_to)."""

    @Activation.status.transition(source=STATUS.DONE)
    def create_next(self):
        node = self.flow_class.instance.route_to(self.process.nomination)
        yield node._create(self, self.task.token)


class RoutedStartActivation(RoutedActivationMixin, StartHandleActivation):
    pass


class Routed:
    """Node mixin: the next node depends on the nomination's status; `Routes(...)` names the
    possible ones so the flow's graph (and chart) still shows every edge."""

    _routes = ()

    def Routes(self, *nodes):
        self._routes = nodes
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._routes = [this.resolve(instance, node) for node in self._routes]

    def _outgoing(self):
        for node in self._routes:
            yield Edge(src=self, dst=node, edge_class="next")


class RoutedStart(Routed, flow.StartHandle):
    activation_class = RoutedStartActivation


class WaitingTaskActivation(RoutedActivationMixin, ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        process = prev_activation.process
        nomination = process.nomination
        waiting = routing.waiting_on(nomination)
        task = flow_task.flow_class.task_class(
            process=process,
            flow_task=flow_task,
            token=token,
            nomination=nomination,
            stage=waiting.stage,
            role=waiting.role,
            scope_unit_id=nomination.proposing_unit_id,
            due_on=add_working_days(timezone.localdate(), waiting.deadline_days),
        )
        task.data = data if data is not None else {}
        task.seed = seed
        task.save()
        task.previous.add(prev_activation.task)
        return cls(task)


class WaitingTask(Routed, flow.View):
    """A human task held by whoever has its role over the proposing unit (`routing.waiting_on`
    says which stage, role and deadline). It is done through Laurel's own pages and services,
    so it has no viewflow view."""

    activation_class = WaitingTaskActivation

    def __init__(self, **kwargs):
        super().__init__(view=None, **kwargs)


class NominationFlow(flow.Flow):
    """Nomination

    From submission to the signed decision, one waiting task at a time."""

    process_class = NominationProcess
    task_class = NominationTask
    lock_impl = select_for_update_lock

    start = RoutedStart(this.start_process).Routes(this.review, this.council)

    review = (
        WaitingTask()
        .Annotation(title="Review")
        .Routes(this.review, this.revise, this.council, this.sign, this.end)
    )
    revise = WaitingTask().Annotation(title="Revise and resubmit").Routes(this.review, this.council)
    council = (
        WaitingTask().Annotation(title="Council vote").Routes(this.sign, this.revise, this.end)
    )
    sign = WaitingTask().Annotation(title="Sign the decision").Routes(this.revise, this.end)

    end = flow.End()

    def route_to(self, nomination):
        """The node a nomination in its current status waits on (or the end)."""
        waiting = routing.waiting_on(nomination)
        return self.end if waiting is None else getattr(self, waiting.task)

    def start_process(self, activation, nomination):
        activation.process.nomination = nomination
        return activation.process
