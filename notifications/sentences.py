"""What a notification says, in the reader's language (the page's, or the email's
`translation.override`): one sentence naming the nomination, its nominee and its award."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nominations.stages import AWAITING_DECISION, Stage, Status

from .models import Kind, Notification

# The related rows a sentence reads: select them with the notifications (no query per line).
RELATED = (
    "nomination__award_type",
    "nomination__nominee_person",
    "nomination__nominee_unit",
)


def _about(n: Notification) -> str:
    nomination = n.nomination
    return _("%(reference)s (%(nominee)s, %(award)s)") % {
        "reference": nomination.reference,
        "nominee": nomination.nominee_name,
        "award": nomination.award_type.name,
    }


def _task(n: Notification, about: str) -> str:
    if n.stage == Stage.COUNCIL_REVIEW:
        return _("%(nomination)s is waiting for the council: put it on a session's agenda.") % {
            "nomination": about
        }
    if n.stage in AWAITING_DECISION:
        return _("%(nomination)s is waiting for your decision to confer the award.") % {
            "nomination": about
        }
    if n.stage == Status.RETURNED:
        return _("%(nomination)s is back with your unit for revision.") % {"nomination": about}
    return _("%(nomination)s is waiting for your review (%(stage)s).") % {
        "nomination": about,
        "stage": Status(n.stage).label if n.stage in Status.values else n.stage,
    }


def _stage(n: Notification) -> str:
    return str(Status(n.stage).label) if n.stage in Status.values else n.stage


def _deadline(n: Notification, about: str) -> str:
    """A reminder of a task's due date, or its escalation (told to its holder and to the role
    above alike)."""
    values = {"nomination": about, "stage": _stage(n)}
    if n.due_on is None:  # not written without one; said plainly all the same
        return _("Reminder: %(nomination)s is waiting for you (%(stage)s).") % values
    values["due"] = date_format(n.due_on, "SHORT_DATE_FORMAT")
    if n.kind == Kind.ESCALATED:
        return (
            _(
                "%(nomination)s is overdue (%(stage)s, due %(due)s) and has been escalated to the "
                "role above, who may give it to someone else."
            )
            % values
        )
    told_on = timezone.localdate(n.created_at)
    if told_on < n.due_on:
        return _("Reminder: %(nomination)s is waiting for you (%(stage)s), due %(due)s.") % values
    if told_on == n.due_on:
        return _("Reminder: %(nomination)s is waiting for you (%(stage)s) and is due today.") % (
            values
        )
    return _("Reminder: %(nomination)s is waiting for you (%(stage)s); it was due %(due)s.") % (
        values
    )


def sentence(n: Notification) -> str:
    about = _about(n)
    if n.kind == Kind.TASK:
        return _task(n, about)
    if n.kind in (Kind.REMINDER, Kind.ESCALATED):
        return _deadline(n, about)
    text = {
        Kind.RETURNED: _("%(nomination)s was returned for revision."),
        Kind.REJECTED: _("%(nomination)s was rejected."),
        Kind.NOT_APPROVED: _("%(nomination)s was not approved by the council."),
        Kind.AWARDED: _("%(nomination)s: the award has been conferred."),
        Kind.OBJECTION: _("An objection was filed against %(nomination)s."),
        Kind.HELD: _("%(nomination)s was put on hold."),
        Kind.READY_TO_SIGN: _(
            "The public notice of %(nomination)s is over with no objection open: the decision "
            "can be signed."
        ),
        Kind.CONSULTATION_COMPLETED: _(
            "The consultation on %(nomination)s is complete: every body has answered or the "
            "due date has passed. Read their opinions before the council decides."
        ),
        Kind.HOLD_END_PASSED: _(
            "The hold on %(nomination)s is past its expected end date: lift it once the matter "
            "is resolved."
        ),
    }.get(Kind(n.kind), "%(nomination)s")
    return text % {"nomination": about}


def _site(path: str) -> str:
    return settings.LAUREL_SITE_URL.rstrip("/") + path


def _footer() -> str:
    return _("Choose which notifications reach you by email: %(url)s") % {
        "url": _site(reverse("notification_preferences"))
    }


def email(n: Notification) -> tuple[str, str]:
    """The subject and body of the email of one notification."""
    line = sentence(n)
    url = _site(reverse("nomination_detail", args=[n.nomination_id]))
    return f"Laurel: {line}", f"{line}\n\n{url}\n\n-- \n{_footer()}\n"


def digest(notifications: list[Notification]) -> tuple[str, str]:
    """The subject and body of a day's digest."""
    count = len(notifications)
    subject = ngettext(
        "Laurel: %(count)d notification", "Laurel: %(count)d notifications", count
    ) % {"count": count}
    lines = [
        f"- {sentence(n)}\n  {_site(reverse('nomination_detail', args=[n.nomination_id]))}"
        for n in notifications
    ]
    body = "\n".join(lines)
    return subject, f"{body}\n\n-- \n{_footer()}\n"
