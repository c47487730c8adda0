"""A nomination's route drawn as a server-side SVG: the dossier, the award type's stages in
order and the decision, with done stages ticked, the current one highlighted and the rest muted.

Drawn on the server so it needs no JavaScript and obeys the Content-Security-Policy (no inline
styles: colours come from classes in laurel.css). The SVG is an image with a title; the same
steps are also given as a visually hidden list for screen readers.
"""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from nominations.stages import AWAITING_DECISION, PROGRESS, STAGE_ORDER, Status

register = template.Library()

DONE, CURRENT, TODO, STOPPED = "done", "current", "todo", "stopped"

# Statuses with which the journey ended short of an award.
ENDED = {Status.REJECTED, Status.WITHDRAWN, Status.COUNCIL_REJECTED, Status.NOT_CONFERRED}

ROW, TOP, WIDTH = 54, 22, 360


@dataclass
class Step:
    key: str
    label: str
    note: str
    state: str
    rank: int
    returned_here: bool = False

    @property
    def state_label(self) -> str:
        return {
            DONE: _("done"),
            CURRENT: _("current stage"),
            TODO: _("to come"),
            STOPPED: _("stopped here"),
        }[self.state]


def route_steps(nomination, *, stopped_at: str | None = None) -> list[Step]:
    """The steps of the nomination's journey and where it stands on each.

    `stopped_at` is the status a rejection, withdrawal or return left (read from the history by
    the view); without it a finished journey stops at the furthest stage it reached.
    """
    award_type = nomination.award_type
    status = nomination.standing_status  # a held nomination is drawn where it was held
    steps = [Step("draft", _("Dossier"), _("Proposing unit"), TODO, PROGRESS[Status.DRAFT])]
    for stage in award_type.stages:
        note = stage.get_role_display()
        if stage.deadline_working_days:
            note = _("%(role)s · %(days)d working days") % {
                "role": note,
                "days": stage.deadline_working_days,
            }
        steps.append(
            Step(stage.stage, stage.get_stage_display(), note, TODO, PROGRESS[stage.stage])
        )
    decision_note = _("Decision signer")
    if award_type.public_notice_days:
        decision_note = _("after %(days)d working days of public notice") % {
            "days": award_type.public_notice_days
        }
    higher = award_type.decided_at_higher_level
    if higher:
        # The agency's part ends with the signed request; the award is the higher level's.
        steps.append(
            Step(
                "decision",
                _("Request to the higher level"),
                decision_note,
                TODO,
                PROGRESS[Status.APPROVED],
            )
        )
        steps.append(
            Step(
                Status.FORWARDED.value,
                _("Higher level"),
                award_type.higher_authority or _("the higher level"),
                TODO,
                PROGRESS[Status.AWARDED],
            )
        )
    else:
        steps.append(Step("decision", _("Decision"), decision_note, TODO, PROGRESS[Status.AWARDED]))

    if status == Status.AWARDED:
        for s in steps:
            s.state = DONE
    elif status in (Status.DRAFT, Status.RETURNED):
        steps[0].state = CURRENT
        if status == Status.RETURNED:
            steps[0].note = _("Returned for revision")
            for s in steps:
                s.returned_here = s.key == stopped_at
    elif status in ENDED:
        where = stopped_at if stopped_at in STAGE_ORDER else None
        if status == Status.COUNCIL_REJECTED:
            where = Status.COUNCIL_REVIEW.value
        if status == Status.NOT_CONFERRED:
            where = Status.FORWARDED.value
        if where is None and stopped_at in (Status.DRAFT, Status.RETURNED):
            where = "draft"
        rank = next((s.rank for s in steps if s.key == where), None)
        if rank is None:  # no history to tell: the furthest stage reached
            reached = [s for s in steps if s.rank <= nomination.progress]
            rank = reached[-1].rank if reached else 0
        for s in steps:
            s.state = DONE if s.rank < rank else STOPPED if s.rank == rank else TODO
    else:
        # At a stage, or approved and awaiting the decision (which ranks past every stage).
        rank = PROGRESS.get(status, 0)
        current = next((s for s in steps if s.key == status), None)
        if status == Status.FORWARDED:  # the request is signed: only the higher level remains
            rank = PROGRESS[Status.AWARDED]
        if current is None:
            awaiting_request = higher and status in AWAITING_DECISION
            current = steps[-2] if awaiting_request else steps[-1]
        for s in steps:
            s.state = DONE if s.rank < rank and s is not current else TODO
        current.state = CURRENT
    if nomination.status == Status.ON_HOLD:
        current = next((s for s in steps if s.state == CURRENT), None)
        if current is not None:
            current.note = _("On hold")
    return steps


def _marker(state: str, cx: int, cy: int) -> str:
    if state == DONE:
        return format_html(
            '<circle class="dot" cx="{}" cy="{}" r="11"/>'
            '<path class="mark" d="M{} {} l4 4 l8 -9" fill="none" stroke-width="2.5"/>',
            cx,
            cy,
            cx - 6,
            cy,
        )
    if state == CURRENT:
        return format_html(
            '<circle class="ring" cx="{0}" cy="{1}" r="15" fill="none" stroke-width="2"/>'
            '<circle class="dot" cx="{0}" cy="{1}" r="11"/>'
            '<circle class="mark" cx="{0}" cy="{1}" r="4"/>',
            cx,
            cy,
        )
    if state == STOPPED:
        return format_html(
            '<circle class="dot" cx="{0}" cy="{1}" r="11"/>'
            '<path class="mark" d="M{2} {3} l8 8 M{4} {3} l-8 8" fill="none" stroke-width="2.5"/>',
            cx,
            cy,
            cx - 4,
            cy - 4,
            cx + 4,
        )
    return format_html('<circle class="dot" cx="{}" cy="{}" r="11" stroke-width="2"/>', cx, cy)


@register.simple_tag
def route_diagram(nomination, stopped_at=None, id_prefix="route"):
    """{% route_diagram nomination stopped_at=stopped_at %}: the SVG and its text."""
    steps = route_steps(nomination, stopped_at=stopped_at)
    current = next((s for s in steps if s.state in (CURRENT, STOPPED)), None)
    title = _("Route of %(reference)s") % {"reference": nomination.reference}
    if current is not None:
        title = _("%(title)s; %(state)s: %(stage)s") % {
            "title": title,
            "state": current.state_label,
            "stage": current.label,
        }
    cx, height = 22, TOP + ROW * (len(steps) - 1) + 30
    rows = []
    for i, step in enumerate(steps):
        cy = TOP + i * ROW
        line = ""
        if i:
            line = format_html(
                '<line class="link {}" x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="2"/>',
                DONE if steps[i - 1].state == DONE and step.state != TODO else TODO,
                cx,
                cy - ROW + 15,
                cx,
                cy - 15,
            )
        flag = " returned-here" if step.returned_here else ""
        current_attr = mark_safe(' aria-current="step"') if step.state == CURRENT else ""
        rows.append(
            format_html(
                '{}<g class="step {}{}" data-stage="{}"{}>{}'
                '<text class="label" x="{}" y="{}">{}</text>'
                '<text class="note" x="{}" y="{}">{}</text></g>',
                line,
                step.state,
                flag,
                step.key,
                current_attr,
                _marker(step.state, cx, cy),
                cx + 26,
                cy - 1,
                step.label,
                cx + 26,
                cy + 15,
                step.note,
            )
        )
    svg = format_html(
        '<svg class="route-map" role="img" aria-labelledby="{0}-title" viewBox="0 0 {1} {2}" '
        'width="{1}" height="{2}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title>{4}</svg>',
        id_prefix,
        WIDTH,
        height,
        title,
        mark_safe("".join(rows)),
    )
    text = format_html_join(
        "",
        '<li data-stage="{}"{}>{} — {}{}</li>',
        (
            (
                s.key,
                mark_safe(' aria-current="step"') if s.state == CURRENT else "",
                s.label,
                s.state_label,
                format_html(" ({})", _("returned here")) if s.returned_here else "",
            )
            for s in steps
        ),
    )
    return format_html(
        '<div class="route-diagram">{}<ol class="visually-hidden" aria-label="{}">{}</ol></div>',
        svg,
        _("Route"),
        text,
    )
