from django.urls import reverse

from audit.events import Event
from audit.models import AuditEvent


def test_an_inspectors_login_is_an_audit_event(client, world):
    response = client.post(reverse("login"), {"username": "inspector", "password": "pw"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Event.INSPECTOR_LOGIN)
    assert event.actor == world.inspector and event.role == "inspector"
    assert event.origin_ip == "127.0.0.1"


def test_other_logins_are_not_audit_events(client, world):
    client.post(reverse("login"), {"username": "proposer", "password": "pw"})
    assert not AuditEvent.objects.filter(action=Event.INSPECTOR_LOGIN).exists()


def test_a_failed_inspector_login_is_recorded_as_a_failure_not_a_login(client, world):
    client.post(reverse("login"), {"username": "inspector", "password": "wrong"})
    assert not AuditEvent.objects.filter(action=Event.INSPECTOR_LOGIN).exists()
    failed = AuditEvent.objects.get()
    assert failed.action == Event.LOGIN_FAILED and failed.data["username"] == "inspector"
