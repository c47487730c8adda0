"""The inbox, a nomination's page with its timeline and actions, and the actions themselves."""

import difflib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import EventData, timeline
from audit.services import Origin
from nominations import eligibility, exports, policy
from nominations.calendar import add_working_days, calendar_between
from nominations.exceptions import InvalidInput, ReasonsRequired
from nominations.forms import ActionForm, EvidenceForm, HoldForm, LiftHoldForm, ReassignForm
from nominations.models import Nomination, ReasonCode
from nominations.models.reasons import ACTION_USE
from nominations.people import display_name
from nominations.selectors import decisions_of, last_return
from nominations.sentences import after_action
from nominations.stages import ACTION_LABELS, TAKE_ACTION, Status
from nominations.templatetags.laurel import hold_kind_label, role_label, status_label
from nominations.views import get_visible
from nominations.web import refuses_domain_errors

from . import services
from .context_processors import forget_inbox_count, remember_inbox_count
from .models import NominationTask
from .selectors import INBOX_COUNT_CAP, inbox_parts, mark_overdue, waiting_counts, with_names

# The action a page may post, and the service that performs it.
ACTIONS = {
    "submit": services.submit,
    "resubmit": services.resubmit,
    "approve": services.approve,
    "return_for_revision": services.return_for_revision,
    "reject": services.reject,
    "withdraw": services.withdraw,
}
REASONS_REQUIRED = {"return_for_revision", "reject"}
# A reviewer's decisions, offered side by side on the review screen.
DECISIONS = ("approve", "return_for_revision", "reject")


# The shared queue is shown a page at a time: an agency-wide reviewer may have thousands waiting.
INBOX_PAGE_SIZE = 50


# A task is "due soon" when its deadline falls within this many working days.
DUE_SOON_WORKING_DAYS = 3


@login_required
@require_GET
def inbox(request):
    fmt = exports.wanted(request)
    if fmt:
        return _inbox_export(request, fmt)
    today = timezone.localdate()
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    mine, waiting = inbox_parts(request.user)
    mine = list(mine)
    waiting_count, waiting_overdue, waiting_soon = waiting_counts(
        waiting, today, soon, INBOX_COUNT_CAP
    )
    paginator = Paginator(waiting, INBOX_PAGE_SIZE)
    # Already counted; a queue longer than the cap is paged through its first tasks.
    paginator.count = min(waiting_count, INBOX_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    tasks = list(page)
    with_names([*mine, *tasks])
    for t in tasks:  # a held nomination's task waits for the hold's lifting, not for a taker
        t.takeable = t.flow_task.name in TAKE_ACTION and not t.hold_kind
    # One read of the holidays serves every count of days overdue.
    first_due = min((t.due_on for t in (*mine, *tasks) if t.due_on), default=today)
    mark_overdue([*mine, *tasks], today, calendar_between(min(first_due, today), today))
    counts = {
        "taken": len(mine),
        "waiting": waiting_count,
        "overdue": sum(1 for t in mine if t.due_on and t.due_on < today) + waiting_overdue,
        "soon": sum(1 for t in mine if t.due_on and today <= t.due_on <= soon) + waiting_soon,
    }
    remember_inbox_count(request.user, counts["taken"] + counts["waiting"])  # for the badge
    return render(
        request,
        "workflows/inbox.html",
        {
            "mine": mine,
            "waiting": tasks,
            "page": page,
            "counts": counts,
            "cap": INBOX_COUNT_CAP,
            "today": today,
            "soon": soon,
            "soon_days": DUE_SOON_WORKING_DAYS,
        },
    )


def _inbox_export(request, fmt: str):
    """The inbox as a file: the tasks taken by the user, then those waiting for their roles (the
    first `INBOX_COUNT_CAP` by due date, as the page lists them), with what the page shows."""
    today = timezone.localdate()
    mine, waiting = inbox_parts(request.user)
    mine, waiting = list(mine), list(waiting[:INBOX_COUNT_CAP])
    with_names([*mine, *waiting])
    mark_overdue([*mine, *waiting], today)
    header = [
        _("List"),
        _("Nomination"),
        _("Nominee"),
        _("Award"),
        _("Unit"),
        _("Waiting for"),
        _("Role"),
        _("Due"),
        _("Working days overdue"),
        _("On hold"),
    ]
    rows = [
        [
            where,
            t.nomination.reference,
            t.nomination.nominee_name,
            t.nomination.award_type.name,
            t.nomination.proposing_unit.name,
            status_label(t.stage),
            role_label(t.role),
            t.due_on,
            t.overdue_days or "",
            hold_kind_label(t.hold_kind) if t.hold_kind else "",
        ]
        for where, tasks in ((_("Taken by me"), mine), (_("Waiting for my roles"), waiting))
        for t in tasks
    ]
    return exports.respond(fmt, header, rows, name="laurel-inbox", title=_("My inbox"))


@login_required
@require_GET
def nomination_detail(request, pk):
    return _detail_page(request, get_visible(request, pk))


def action_form(action: str, data=None, codes=(), *, override: bool = False) -> ActionForm:
    """The action's form, offering the coded reasons in use for it (of `codes`, read once);
    approving over criteria not met or not yet known (`override`) asks for the approver's
    reasons."""
    use = ACTION_USE.get(action)
    offered = [c for c in codes if c.serves(use)] if use else []
    required = action in REASONS_REQUIRED or (override and action == "approve")
    form = ActionForm(data, reasons_required=required, codes=offered, auto_id=f"%s-{action}")
    if override and action == "approve":
        form.fields["reasons"].label = _("Reasons for approving despite the criteria")
    return form


def codes_for(actions) -> list[ReasonCode]:
    """The coded reasons in use, read once for every form of the page that offers them."""
    if not any(a in ACTION_USE for a in actions):
        return []
    return list(ReasonCode.objects.filter(active=True))


def _detail_page(request, nomination, *, failed=None, failed_action=None):
    """The nomination's page; after an action posted with an error in its form (`failed`, for
    `failed_action`), the same page again with that form's error on its field (status 400)."""
    task = NominationTask.objects.open_for(nomination)
    actions = policy.allowed_actions(request.user, nomination)
    taken_by_other = task is not None and task.owner_id not in (None, request.user.pk)
    if taken_by_other:
        actions = [a for a in actions if a == "withdraw"]
    # A hold completes no task: whoever may, holds or lifts whoever has taken the task.
    holds = policy.allowed_actions(request.user, nomination, among=policy.HOLD_ACTIONS)
    if failed is not None and failed_action not in [*actions, *holds]:  # no form to show it in
        raise _unreadable(failed)
    can_edit = policy.can_edit_dossier(request.user, nomination)
    returned = last_return(nomination.pk) if nomination.status != Status.DRAFT else None
    changes = _changes_since(returned.dossier, nomination.dossier_snapshot()) if returned else []
    recent = _recent_events(request, nomination)
    today = timezone.localdate()
    mark_overdue([task], today)
    checklist, live = eligibility.checklist_for(nomination)
    # Approving over a criterion not met (advisory) or not known yet needs reasons: the override.
    override = checklist.to_override if live and checklist and "approve" in actions else []
    # Each action with its form: the one posted with an error, or a fresh one.
    codes = codes_for(actions)
    offered = [
        (
            a,
            ACTION_LABELS[a],
            failed if a == failed_action else action_form(a, codes=codes, override=bool(override)),
        )
        for a in actions
    ]
    return render(
        request,
        "workflows/detail.html",
        {
            "nomination": nomination,
            "task": task,
            "today": today,
            "overdue": task is not None and task.due_on is not None and task.due_on < today,
            "stopped_at": _left_from(recent["events"], nomination.status),
            "taken_by_other": taken_by_other,
            "hold": nomination.open_hold(),
            "hold_form": failed if failed_action == "hold" else HoldForm(auto_id="%s-hold"),
            "may_hold": "hold" in holds,
            "lift_form": failed
            if failed_action == "lift_hold"
            else LiftHoldForm(auto_id="%s-lift"),
            "may_lift": "lift_hold" in holds,
            "reassign_form": _reassign_form(request, nomination, task),
            "can_take": task is not None
            and task.owner_id is None
            and nomination.status != Status.ON_HOLD
            and task.flow_task.name in TAKE_ACTION
            and policy.may(request.user, TAKE_ACTION[task.flow_task.name], nomination),
            "actions": offered,
            "choices": [o for o in offered if o[0] in DECISIONS],
            "can_edit": can_edit,
            "evidence_form": EvidenceForm(),
            **recent,
            "decisions": decisions_of(nomination.pk),
            "returned": returned,
            "changes": changes,
            "diff": _field_diffs(changes),
            "route": nomination.award_type.stages,
            "checklist": checklist,
            "checklist_live": live,
            "override": override,
            "proposer_view": bool({"submit", "resubmit"} & set(actions)) or can_edit,
            # Shown again at the action's address: changing language comes back to the page.
            "this_page": nomination_url(nomination.pk) if failed is not None else None,
        },
        status=200 if failed is None else 400,
    )


# The page shows the latest events; the whole history is one click (or the inspector's timeline)
# away, so a long history does not make every visit slow.
TIMELINE_PAGE = 50


def _recent_events(request, nomination) -> dict:
    events = timeline(nomination.pk)
    total = events.count()
    if request.GET.get("history") != "all" and total > TIMELINE_PAGE:
        events = reversed(events.order_by("-seq")[:TIMELINE_PAGE])
    events = list(events)
    for e in events:  # read, never saved: the template asks for keys most events lack
        e.data = EventData(e.data or {})
    return {"events": events, "events_total": total, "events_page": TIMELINE_PAGE}


def _changes_since(before: dict, now: dict) -> list[tuple[str, str, str]]:
    return [(k, before.get(k, ""), v) for k, v in now.items() if before.get(k, "") != v]


@login_required
@require_POST
@refuses_domain_errors(back=lambda request, pk, action: nomination_url(pk))
def act(request, pk, action):
    if action not in ACTIONS:
        raise Http404(_("No such action."))
    nomination = get_visible(request, pk)
    form = action_form(action, request.POST, codes=codes_for([action]))
    if not form.is_valid():
        if set(form.errors) <= {"reasons", "reason_code"}:
            # The form is on the nomination's page: show it again, the error on its field.
            return _detail_page(request, nomination, failed=form, failed_action=action)
        raise _unreadable(form)
    # Act on the nomination as the actor saw it; the service refuses if it changed since.
    nomination.version = form.cleaned_data["version"]
    kwargs = {} if action in ("submit", "resubmit") else {"reasons": form.cleaned_data["reasons"]}
    if "reason_code" in form.cleaned_data:
        kwargs["reason_code"] = form.cleaned_data["reason_code"]
    try:
        done = ACTIONS[action](
            nomination, actor=request.user, origin=Origin.from_request(request), **kwargs
        )
    except ReasonsRequired as exc:
        # Approving over the criteria needs reasons: the page again, the error on the field.
        form.add_error("reasons", exc.message)
        return _detail_page(request, nomination, failed=form, failed_action=action)
    forget_inbox_count(request.user)
    messages.success(request, after_action(action, done))
    return redirect("nomination_detail", pk=pk)


@login_required
@require_POST
@refuses_domain_errors(back=lambda request, pk: nomination_url(pk))
def hold(request, pk):
    """Put the nomination on hold (the form on its page): the kind, the details, the expected
    end. A form error shows the page again with the error on its field (400)."""
    nomination = get_visible(request, pk)
    form = HoldForm(request.POST, auto_id="%s-hold")
    if not form.is_valid():
        if "version" in form.errors:
            raise _unreadable(form)
        return _detail_page(request, nomination, failed=form, failed_action="hold")
    nomination.version = form.cleaned_data["version"]
    held = services.place_hold(
        nomination,
        actor=request.user,
        kind=form.cleaned_data["kind"],
        reason=form.cleaned_data["reason"],
        expected_end=form.cleaned_data["expected_end"],
        origin=Origin.from_request(request),
    )
    forget_inbox_count(request.user)
    messages.success(request, after_action("hold", held.nomination))
    return redirect("nomination_detail", pk=pk)


@login_required
@require_POST
@refuses_domain_errors(back=lambda request, pk: nomination_url(pk))
def lift_hold(request, pk):
    """Lift the nomination's hold (the form of its page's banner), saying how it was resolved."""
    nomination = get_visible(request, pk)
    form = LiftHoldForm(request.POST, auto_id="%s-lift")
    if not form.is_valid():
        if "version" in form.errors:
            raise _unreadable(form)
        return _detail_page(request, nomination, failed=form, failed_action="lift_hold")
    nomination.version = form.cleaned_data["version"]
    lifted = services.lift_hold(
        nomination,
        actor=request.user,
        resolution=form.cleaned_data["resolution"],
        origin=Origin.from_request(request),
    )
    forget_inbox_count(request.user)
    messages.success(request, after_action("lift_hold", lifted.nomination))
    return redirect("nomination_detail", pk=pk)


def _unreadable(form) -> InvalidInput:
    """An action form that cannot be shown again on the page: each error named by its field."""
    reasons = [f"{capfirst(form[f].label)}: {' '.join(e)}" for f, e in form.errors.items()]
    return InvalidInput(_("The action could not be read."), reasons=reasons)


def nomination_url(pk) -> str:
    return reverse("nomination_detail", args=[pk])


def _task_or_404(request, task_pk) -> NominationTask:
    try:
        task = NominationTask.objects.select_related("nomination").get(pk=task_pk)
    except NominationTask.DoesNotExist:
        raise Http404(_("No such task.")) from None
    get_visible(request, task.nomination_id)  # 404 unless the user may see the nomination
    return task


@login_required
@require_POST
@refuses_domain_errors
def take(request, task_pk):
    task = _task_or_404(request, task_pk)
    services.take_task(task, actor=request.user, origin=Origin.from_request(request))
    messages.success(request, _("The task is yours now."))
    return redirect("nomination_detail", pk=task.nomination_id)


@login_required
@require_POST
@refuses_domain_errors
def release(request, task_pk):
    task = _task_or_404(request, task_pk)
    services.release_task(task, actor=request.user, origin=Origin.from_request(request))
    messages.success(request, _("The task is back in the shared queue."))
    return redirect("inbox")


@login_required
@require_POST
@refuses_domain_errors
def reassign(request, task_pk):
    """Whoever an overdue task was escalated to gives it to another holder of its role (the
    form on the nomination's page); anyone else is refused with the reason."""
    task = _task_or_404(request, task_pk)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(
            _("Choose who is given the task."),
            reasons=[e for es in form.errors.values() for e in es],
        )
    assert task.nomination is not None  # `_task_or_404` found it through its nomination
    task.nomination.version = form.cleaned_data["version"]
    owner = form.cleaned_data["owner"]
    services.reassign_task(
        task, new_owner=owner, actor=request.user, origin=Origin.from_request(request)
    )
    forget_inbox_count(request.user)
    messages.success(request, _("The task is now %(name)s's.") % {"name": display_name(owner)})
    return redirect("nomination_detail", pk=task.nomination_id)


def _reassign_form(request, nomination, task):
    """The reassignment form, for whoever an escalated task was escalated to (None otherwise)."""
    if (
        task is None
        or task.escalated_at is None
        or nomination.status == Status.ON_HOLD
        or not policy.may_reassign(request.user, task.role, nomination)
    ):
        return None
    return ReassignForm(
        role=task.role,
        unit=nomination.proposing_unit,
        exclude=task.owner_id,
        initial={"version": nomination.version},
        auto_id="%s-reassign",
    )


# --- the review screen's presentation helpers ----------------------------------------------


def _left_from(events, status: str) -> str | None:
    """The status the nomination left to enter its current one (where it was returned,
    rejected or withdrawn), read from the events the page shows anyway: no extra query."""
    for event in reversed(events):
        if event.to_state == status and event.from_state:
            return event.from_state
    return None


def _dossier_labels() -> dict:
    field = Nomination._meta.get_field
    return {
        "award_type": _("Award"),
        "nominee": _("Nominee"),
        "achievements": field("achievements").verbose_name,
        "contributions": field("contributions").verbose_name,
        "initiatives": field("initiatives").verbose_name,
    }


def _field_diffs(changes) -> list[dict]:
    """Each changed field as before/after texts cut into segments, the changed words marked,
    so the reviewer sees what was rewritten without comparing two long texts by eye."""
    labels = _dossier_labels()
    return [
        {"field": field, "label": labels.get(field, field), **_word_diff(str(old), str(new))}
        for field, old, new in changes
    ]


def _word_diff(old: str, new: str) -> dict:
    a, b = re.findall(r"\s+|\S+", old), re.findall(r"\s+|\S+", new)
    before, after = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            before.append(("".join(a[i1:i2]), op != "equal"))
        if j2 > j1:
            after.append(("".join(b[j1:j2]), op != "equal"))
    return {"old": old, "new": new, "before": before, "after": after}
