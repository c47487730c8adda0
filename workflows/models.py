"""viewflow's process and task, made for nominations.

One process per submitted nomination. A task records who the nomination waits on: the stage,
the role and the unit scope are columns (not JSON), so an inbox is one indexed query.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.managers import TaskQuerySet
from viewflow.workflow.models import AbstractProcess, AbstractTask
from viewflow.workflow.status import STATUS

from nominations.compiled import Compiled

# A task not yet done: what a nomination is waiting on.
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class NominationProcess(AbstractProcess):
    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.PROTECT, related_name="process"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("nomination process")
        verbose_name_plural = _("nomination processes")


class NominationTaskQuerySet(TaskQuerySet):
    def open_for(self, nomination) -> "NominationTask | None":
        """The task the nomination waits on, if any (compiled once per connection: every
        action reads it)."""
        return _OPEN_FOR.first(nomination=nomination.pk)


_OPEN_FOR = Compiled(
    "workflows.NominationTask",
    lambda nomination: (
        NominationTask.objects.filter(nomination_id=nomination, status__in=OPEN)
        .select_related("process", "owner")
        .order_by("-created")[:1]
    ),
    nomination=int,
)


class NominationTask(AbstractTask):
    process = models.ForeignKey(NominationProcess, on_delete=models.CASCADE, related_name="tasks")
    data = models.JSONField(default=dict, blank=True)

    # viewflow's own fields, as viewflow defines them but without the indexes an action would
    # pay for and no query uses: every action inserts a task and finishes another (a status
    # change, so never a HOT update), writing every index of the table twice. `status` and
    # `owner` are indexed in Meta (without a LIKE index; `owner` as `task_owner_idx`'s
    # lead); Laurel's flow has no timer or job nodes, which `scheduled` and `external_task_id`
    # serve, and no per-object task permissions.
    status = models.CharField(
        _("Status"), choices=STATUS.choices, default=STATUS.NEW, max_length=50
    )
    scheduled = models.DateTimeField(_("Scheduled"), blank=True, null=True)
    external_task_id = models.CharField(  # noqa: DJ001 (viewflow's definition)
        blank=True, max_length=50, null=True, verbose_name=_("External Task ID")
    )
    owner = models.ForeignKey(
        blank=True,
        null=True,
        db_index=False,
        on_delete=models.CASCADE,
        to=settings.AUTH_USER_MODEL,
        verbose_name=_("Owner"),
    )
    owner_permission_content_type = models.ForeignKey(
        to=ContentType, on_delete=models.CASCADE, db_index=False, blank=True, null=True
    )

    # Who the nomination waits on (human tasks only): the holder of `role` over `scope_unit`.
    nomination = models.ForeignKey(
        "nominations.Nomination",
        on_delete=models.PROTECT,
        db_index=False,  # `task_nomination_idx` leads with it
        null=True,
        blank=True,
        related_name="tasks",
    )
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    scope_unit = models.ForeignKey(
        "nominations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    # What the deadlines' job has done about this task (`workflows.deadlines`): each is set in
    # the transaction that records its audit event, so a reminder or an escalation is done once.
    reminded_before_at = models.DateTimeField(
        _("reminded before the due date"), null=True, blank=True
    )
    reminded_due_at = models.DateTimeField(_("reminded on the due date"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    objects = NominationTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["role", "status"], name="task_queue_idx"),
            # The shared queue of a role in the inbox's order: PostgreSQL walks it from the
            # earliest due date and stops after a page (or at the count's cap) instead of
            # sorting every waiting task of the role (13,920 for the agency's party committee).
            models.Index(
                fields=["role", "due_on", "created"],
                condition=models.Q(status="NEW", owner__isnull=True),
                name="task_waiting_idx",
            ),
            models.Index(fields=["owner", "status"], name="task_owner_idx"),
            models.Index(fields=["nomination", "status"], name="task_nomination_idx"),
            models.Index(fields=["status"], name="task_status_idx"),
        ]


class DashboardSummary(models.Model):
    """The dashboard's figures for one scope (the (role, unit) pairs its users hold), as of
    `refreshed_at`: written by the timers job (`workflows.summary.refresh`), read by the
    dashboard of the widest views. Never written by an action."""

    key = models.CharField(_("scope"), max_length=64, unique=True)
    figures = models.JSONField(_("figures"), default=dict)
    refreshed_at = models.DateTimeField(_("as of"))

    class Meta:
        verbose_name = _("dashboard summary")
        verbose_name_plural = _("dashboard summaries")

    def __str__(self):
        return f"{self.key[:12]} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
