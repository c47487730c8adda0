"""The timers' heartbeat: `run_timers` records each run (`TimerRun`); the admin's index and the
inspectors' integrity panel warn when it has not finished one for longer than
`LAUREL_TIMERS_STALE_MINUTES`, and say nothing while it runs."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from notifications import heartbeat, services
from notifications.models import TimerRun
from tests.factories import login_verified

# The clock's starting point: now (the test clients' sessions last a working day).
START = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
STALE = 'data-testid="timers-stale"'


def run_timers():
    call_command("run_timers", stdout=io.StringIO())


def page(client, name) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def inspector_client(world):
    client = Client()
    login_verified(client, world.inspector)  # an inspector passes the second factor
    return client


@pytest.fixture
def admin_client(world, django_user_model):
    """A superuser of the site's admin (the world's "admin" holds the administrator's role)."""
    client = Client()
    login_verified(
        client, django_user_model.objects.create_superuser("root", "root@example.org", "x")
    )
    return client


def test_never_run_is_stale_on_the_admin_index_and_the_integrity_panel(
    admin_client, inspector_client, world
):
    assert STALE in page(admin_client, "admin:index")
    panel = page(inspector_client, "inspector_home")
    assert STALE in panel
    assert "have never finished a run" in panel


def test_a_run_a_minute_ago_shows_no_warning_and_the_panel_says_when(
    admin_client, inspector_client, world
):
    with time_machine.travel(START, tick=False):
        run_timers()
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        assert STALE not in page(admin_client, "admin:index")
        panel = page(inspector_client, "inspector_home")
        assert STALE not in panel
        assert "Running" in panel and "last finished" in panel
    run = TimerRun.objects.get(name="run_timers")
    assert run.ok and run.message.startswith("run_timers: ")


def test_longer_than_the_limit_without_a_finished_run_is_stale(
    admin_client, inspector_client, world, settings
):
    settings.LAUREL_TIMERS_STALE_MINUTES = 15
    with time_machine.travel(START, tick=False):
        run_timers()
    with time_machine.travel(START + datetime.timedelta(minutes=15), tick=False):
        assert STALE not in page(admin_client, "admin:index")  # exactly the limit: not yet
    with time_machine.travel(START + datetime.timedelta(minutes=16), tick=False):
        assert STALE in page(admin_client, "admin:index")
        panel = page(inspector_client, "inspector_home")
        assert STALE in panel
        assert "last finished a run 16 minutes ago" in panel


def test_a_failing_run_starts_but_does_not_finish_and_says_why(admin_client, world, monkeypatch):
    with time_machine.travel(START, tick=False):
        run_timers()

    def broken(*args, **kwargs):
        raise RuntimeError("mail server unreachable")

    monkeypatch.setattr(services, "send_pending_emails", broken)
    with time_machine.travel(START + datetime.timedelta(minutes=30), tick=False):
        with pytest.raises(CommandError):
            run_timers()
        run = TimerRun.objects.get(name="run_timers")
        assert run.last_started_at == START + datetime.timedelta(minutes=30)
        assert run.last_finished_at == START  # the last run that finished
        assert run.ok is False and "mail server unreachable" in run.message
        body = page(admin_client, "admin:index")
        assert STALE in body and "mail server unreachable" in body


def test_the_heartbeat_is_read_only_by_the_pages_that_show_it(client, world):
    client.force_login(world.proposer)
    assert heartbeat.heartbeat().stale
    assert STALE not in page(client, "inbox")
