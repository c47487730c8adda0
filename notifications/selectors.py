"""What a person has been told."""

from django.db.models import QuerySet

from .models import Notification
from .sentences import RELATED

# The bell counts no further than this ("99+").
UNREAD_CAP = 99


def unread(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_count(user) -> int:
    """How many notifications the user has not read, counting no further than the cap + 1."""
    return unread(user).order_by()[: UNREAD_CAP + 1].count()


def notifications_of(user) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their sentences read."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related(*RELATED)
        .order_by("-event_seq", "-id")
    )
