import pytest
from django.db import transaction

from audit import services as audit
from audit.events import Event
from nominations import services as dossier
from nominations.models import Nomination
from nominations.roles import Role
from notifications.models import Notification
from notifications.services import notify_until_caught_up
from tests.factories import person


@pytest.fixture
def proposer2(world):
    """A second proposer of the world's unit (the first drafts everything)."""
    return person(world.unit, Role.UNIT_PROPOSER, username="proposer2")


@pytest.fixture
def new(world):
    """new(award_type=None): a fresh draft by the world's proposer, nominating `staff` the first
    time and a colleague of theirs after (one achievement, one award)."""
    made = []

    def _new(award_type=None):
        nominee = world.staff if not made else person(world.unit)
        made.append(nominee)
        return dossier.create_draft(
            actor=world.proposer,
            campaign=world.campaign,
            award_type=award_type or world.full,
            proposing_unit=world.unit,
            nominee_person=nominee,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
        )

    return _new


@pytest.fixture
def told():
    """told(step): run `step()`, read the trail, and return who was newly told of what, as a
    set of (username, kind). The trail is read up to date first, so only the step counts."""

    def _told(step):
        notify_until_caught_up()
        last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = step()
        notify_until_caught_up()
        _told.result = result
        return {
            (n.recipient.username, n.kind)
            for n in Notification.objects.filter(id__gt=last).select_related("recipient")
        }

    return _told


def record_hold(nomination: Nomination, *, actor, event: Event, to_state: str) -> None:
    """A hold placed or lifted, as its event (the holds' services are another part's work):
    what this app reads of it is the event alone."""
    with transaction.atomic():
        audit.record(
            event,
            actor=actor,
            subject_type="nomination",
            subject_id=nomination.pk,
            **nomination.audit_context(),
            from_state=nomination.status,
            to_state=to_state,
        )
