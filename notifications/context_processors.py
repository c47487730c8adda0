"""The navigation's bell: how many notifications the user has not read, counted only when a
page shows it (one indexed query, stopping at the cap); and the timers' heartbeat, read only
when a page shows it (the admin's index, the inspectors' integrity panel)."""

from django.utils.functional import SimpleLazyObject

from .heartbeat import heartbeat
from .selectors import UNREAD_CAP, unread_count


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": {"cap": UNREAD_CAP, "unread": SimpleLazyObject(lambda: unread_count(user))}}


def timers(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"timers": SimpleLazyObject(heartbeat)}
