import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit import events
from nominations import people, policy
from nominations.models import HoldKind, Nomination, StageDecision
from nominations.roles import Role
from nominations.stages import Status

register = template.Library()


# The states of a council session, which its events record too (the same labels as the model's).
SESSION_STATES = {"planned": _("Planned"), "open": _("Voting open"), "closed": _("Closed")}


@register.filter
def event_label(action: str) -> str:
    return events.label(action)


@register.filter
def status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return SESSION_STATES.get(value, value)


@register.filter
def display_name(user) -> str:
    """A person as every page names them: `nominations.people.display_name`."""
    return people.display_name(user) if user else ""


@register.filter
def isodate(value):
    """An event's date as recorded in its data (ISO 8601 text), as a date the `date` filter
    shows in the reader's format; anything else as it stands."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@register.filter
def decision_label(value: str) -> str:
    """A stage decision's outcome (`StageDecision.Outcome`), as recorded in an event's data."""
    try:
        return StageDecision.Outcome(value).label
    except ValueError:
        return value


@register.filter
def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


@register.filter
def hold_kind_label(value: str) -> str:
    """Why a nomination is held (`HoldKind`), as people read it."""
    try:
        return HoldKind(value).label
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced: paging keeps the filters."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def field_label(name: str) -> str:
    """A dossier field's name as the form labels it ("initiatives" → "Initiatives")."""
    try:
        return Nomination._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field since renamed: its recorded name is all there is
        return name


@register.filter
def at_most(value, cap) -> str:
    """A count that stopped at `cap` shown as "1000+"."""
    value, cap = int(str(value)), int(cap)  # str: the navigation's lazy count proxies no int()
    return f"{cap}+" if value > cap else str(value)


@register.simple_tag(takes_context=True)
def nominee_record_url(context, nomination) -> str:
    """The address of the nominee's record across years, if the reader may see it ("" if not):
    the nominee's name links to it."""
    user = context["request"].user
    if nomination.nominee_person_id:
        profile = getattr(nomination.nominee_person, "profile", None)
        path = profile.unit.path if profile is not None else None
        if policy.may_see_record(user, path):
            return reverse("person_record", args=[nomination.nominee_person_id])
    elif nomination.nominee_unit_id and policy.may_see_record(user, nomination.nominee_unit.path):
        return reverse("unit_record", args=[nomination.nominee_unit_id])
    return ""
