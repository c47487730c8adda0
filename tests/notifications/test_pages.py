"""The bell, the notifications page, marking read, and the email preferences page."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Kind, Notification, Preference
from notifications.services import notify_until_caught_up
from tests.web.pages import assert_breadcrumb


def _unread_badge(page: str) -> str | None:
    found = re.search(r'data-testid="unread-count">([^<]+)<', page)
    return found.group(1) if found else None


def _submitted(new, walk, count):
    for _ in range(count):
        walk(new(), "submit")
    notify_until_caught_up()


def test_the_bell_counts_what_is_unread(client, world, new, walk):
    client.force_login(world.unit_head)
    assert _unread_badge(client.get(reverse("inbox")).content.decode()) is None
    _submitted(new, walk, 2)
    assert _unread_badge(client.get(reverse("inbox")).content.decode()) == "2"


def test_the_page_says_what_happened_newest_first_and_links_to_the_nomination(
    client, world, new, walk
):
    first = walk(new(), "submit")
    second = walk(new(world.short), "submit")
    notify_until_caught_up()
    client.force_login(world.unit_head)
    page = client.get(reverse("notifications")).content.decode()
    assert_breadcrumb(page, "Notifications")
    lines = re.findall(r'href="/nominations/(\d+)/"[^>]*>([^<]+)</a>', page)
    assert [int(pk) for pk, _text in lines] == [second.pk, first.pk]
    assert lines[1][1] == (
        f"{first.reference} ({first.nominee_name}, {first.award_type.name}) "
        "is waiting for your review (Unit head confirmation)."
    )


def test_marking_one_read_then_all(client, world, new, walk):
    _submitted(new, walk, 3)
    client.force_login(world.unit_head)
    one = Notification.objects.filter(recipient=world.unit_head).first()
    response = client.post(reverse("notification_read", args=[one.pk]))
    assert response.status_code == 302
    assert _unread_badge(client.get(reverse("inbox")).content.decode()) == "2"
    client.post(reverse("notifications_read_all"))
    assert _unread_badge(client.get(reverse("inbox")).content.decode()) is None
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_marks_anothers_notification(client, world, new, walk):
    _submitted(new, walk, 1)
    theirs = Notification.objects.get()
    client.force_login(world.leader)
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notification_read", args=[theirs.pk])).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_the_csrf_token(world, new, walk):
    _submitted(new, walk, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.unit_head)
    assert strict.post(reverse("notifications_read_all")).status_code == 403
    assert Notification.objects.get().read_at is None


def test_the_page_costs_the_same_queries_for_two_or_twenty(client, world, new, walk):
    client.force_login(world.unit_head)
    _submitted(new, walk, 2)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("notifications")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    _submitted(new, walk, 18)
    assert queries() == few


def test_preferences_are_saved_and_shown(client, world):
    client.force_login(world.proposer)
    page = client.get(reverse("notification_preferences"))
    assert page.status_code == 200
    assert "No email address is on file for you" in page.content.decode()
    response = client.post(
        reverse("notification_preferences"),
        {"email_kinds": [Kind.TASK, Kind.AWARDED], "daily_digest": "on", "language": "vi"},
    )
    assert response.status_code == 302
    saved = Preference.objects.get(user=world.proposer)
    assert saved.email_kinds == [Kind.TASK, Kind.AWARDED]
    assert saved.daily_digest and saved.language == "vi"
    refused = client.post(reverse("notification_preferences"), {"language": "fr"})
    assert refused.status_code == 400


def test_a_task_that_moved_on_says_where_the_nomination_is_now(client, world, new, walk):
    nomination = walk(new(), "submit")
    notify_until_caught_up()
    client.force_login(world.unit_head)
    assert "now:" not in client.get(reverse("notifications")).content.decode()
    walk(nomination, "approve")
    assert "now: Party committee review" in client.get(reverse("notifications")).content.decode()
