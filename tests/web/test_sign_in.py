"""Signing in: who must pass a second factor and where they are sent without it, the login's
second step (the app's code, a recovery code once), setting up and changing a second factor,
sessions ending when idle, and every one of these in the audit trail and the inspector's search.
"""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.events import Event
from audit.models import AuditEvent
from nominations import services as dossier
from nominations.roles import Role
from tests.factories import UserFactory, person, totp_code, totp_device


def _login(client, username, password="pw", **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def _setup_url(next_url):
    return f"{reverse('two_factor_setup')}?next={next_url.replace('/', '%2F')}"


# --- who must have a second factor, and where they are sent --------------------------------

# (the person, a page of their role that must not open without the second factor)
REQUIRED = [
    ("signer", "decisions"),
    ("secretary", "council_sessions"),
    ("inspector", "inspector_home"),
    ("admin", "delegations"),  # the administrator role
    ("staff_user", "admin:index"),  # is_staff: the admin site
]
OPTIONAL = [("proposer", "inbox"), ("party_reviewer", "inbox"), ("member", "council_sessions")]


def _who(world, name):
    if name == "staff_user":
        return UserFactory(is_staff=True)
    return getattr(world, name)


@pytest.mark.parametrize(("who", "page"), REQUIRED)
def test_a_required_role_without_a_device_is_sent_to_set_one_up(plain_client, world, who, page):
    plain_client.force_login(_who(world, who))
    url = reverse(page)
    response = plain_client.get(url)
    assert response.status_code == 302
    assert response.url == _setup_url(url)
    # the inbox too: nothing opens before the set-up
    assert plain_client.get(reverse("inbox")).url.startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize(("who", "page"), REQUIRED)
def test_a_required_role_with_a_device_is_asked_for_its_code(plain_client, world, who, page):
    user = _who(world, who)
    totp_device(user)
    plain_client.force_login(user)
    response = plain_client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor"))


@pytest.mark.parametrize(("who", "page"), OPTIONAL)
def test_an_optional_role_is_not_asked(plain_client, world, who, page):
    plain_client.force_login(getattr(world, who))
    assert plain_client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize(("who", "page"), REQUIRED[:3])
def test_with_the_second_factor_passed_the_page_opens(client, world, who, page):
    client.force_login(_who(world, who))  # the tests' client passes the second factor
    assert client.get(reverse(page)).status_code == 200


def test_a_signer_cannot_sign_by_posting_without_the_second_factor(plain_client, world):
    plain_client.force_login(world.signer)
    response = plain_client.post(reverse("decision_sign"), {"anything": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))
    assert not AuditEvent.objects.filter(action=Event.DECISION_SIGNED).exists()


def test_a_delegated_signer_must_have_it_too(plain_client, world):
    deputy = person(world.agency, username="deputy")
    dossier.grant_delegation(
        principal=world.signer,
        delegate=deputy,
        role=Role.DECISION_SIGNER,
        unit=world.agency,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=3),
        reason="Leave",
    )
    plain_client.force_login(deputy)
    assert plain_client.get(reverse("inbox")).url.startswith(reverse("two_factor_setup"))


def test_the_demo_switch_turns_the_requirement_off_and_every_page_says_so(
    plain_client, world, settings
):
    settings.LAUREL_REQUIRE_2FA = False
    plain_client.force_login(world.signer)
    page = plain_client.get(reverse("decisions"))
    assert page.status_code == 200
    assert 'data-testid="two-factor-off"' in page.content.decode()


# --- the login's second step ----------------------------------------------------------------


def test_the_second_step_refuses_a_wrong_code_and_accepts_the_right_one(plain_client, world):
    device = totp_device(world.signer)
    response = _login(plain_client, "signer", next=reverse("decisions"))
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor"))
    # the password alone opens nothing
    assert plain_client.get(reverse("decisions")).url.startswith(reverse("second_factor"))
    assert not _events(Event.LOGIN)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = f"{(int(totp_code(device)) + 1) % 1000000:06d}"
        page = plain_client.post(response.url, {"code": wrong})
        assert page.status_code == 200 and "That code is not right." in page.content.decode()
        failed = _events(Event.LOGIN_FAILED)[-1]
        assert failed.actor == world.signer and failed.data["step"] == "second_factor"
        # each wrong code doubles the wait before the next one is even tried
        page = plain_client.post(response.url, {"code": totp_code(device)})
        assert "Too many wrong codes" in page.content.decode()
        clock.shift(datetime.timedelta(seconds=5))
        done = plain_client.post(response.url, {"code": totp_code(device)})
    assert done.status_code == 302 and done.url == reverse("decisions")
    assert plain_client.get(reverse("decisions")).status_code == 200
    login = _events(Event.LOGIN)[-1]
    assert login.actor == world.signer and login.data["second_factor"] == "app"
    assert login.data["roles"] == [Role.DECISION_SIGNER]


def test_an_optional_role_with_a_device_is_asked_for_it_too(plain_client, world):
    totp_device(world.proposer)
    response = _login(plain_client, "proposer")
    assert response.url.startswith(reverse("second_factor"))
    assert plain_client.get(reverse("inbox")).url.startswith(reverse("second_factor"))


def test_a_recovery_code_works_once(plain_client, world):
    device = totp_device(world.signer)
    codes = _set_up_codes(world.signer, device)
    _login(plain_client, "signer")
    done = plain_client.post(reverse("second_factor"), {"code": codes[0]})
    assert done.status_code == 302
    assert plain_client.get(reverse("decisions")).status_code == 200
    assert _events(Event.RECOVERY_CODE_USED)[-1].actor == world.signer
    assert _events(Event.LOGIN)[-1].data["second_factor"] == "recovery_code"

    plain_client.post(reverse("logout"))
    _login(plain_client, "signer")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        again = plain_client.post(reverse("second_factor"), {"code": codes[0]})
        assert again.status_code == 200 and "That code is not right." in again.content.decode()
        assert len(_events(Event.RECOVERY_CODE_USED)) == 1
        clock.shift(datetime.timedelta(seconds=5))  # past the wait a wrong code brings
        # another, unused, still works
        assert plain_client.post(reverse("second_factor"), {"code": codes[1]}).status_code == 302


def _set_up_codes(user, device):
    """Recovery codes as the set-up makes them (through the page, as the person would)."""
    client = Client()
    client.force_login(user)
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    page = client.post(reverse("two_factor_setup"), {"code": totp_code(device)})
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page.content.decode())
    assert len(codes) == 10
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the code may be used again
    return codes


# --- setting up, new codes, turning it off --------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_secret_then_the_codes_once(plain_client, world):
    plain_client.force_login(world.signer)
    page = plain_client.get(reverse("two_factor_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert "Your role requires a second factor" in html
    device = TOTPDevice.objects.get(user=world.signer, confirmed=False)
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', html).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20 random bytes, base32
    # the same secret on reload, until confirmed
    assert secret in plain_client.get(reverse("two_factor_setup")).content.decode()

    refused = plain_client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code is not right." in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=world.signer, confirmed=True).exists()

    done = plain_client.post(
        reverse("two_factor_setup"), {"code": totp_code(device), "next": "/decisions/"}
    )
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    assert len(re.findall(r'<li class="col">[a-z2-7]{8}</li>', done.content.decode())) == 10
    assert StaticToken.objects.filter(device__user=world.signer).count() == 10
    # this session passed it: signing opens
    assert plain_client.get(reverse("decisions")).status_code == 200
    added = _events(Event.SECOND_FACTOR_ADDED)[-1]
    assert added.actor == world.signer and added.subject_id == str(world.signer.pk)
    # the codes page is not shown again: the settings page counts them, never lists them
    settings_page = plain_client.get(reverse("two_factor")).content.decode()
    assert "10 recovery codes left." in settings_page
    assert not re.search(r'<li class="col">[a-z2-7]{8}</li>', settings_page)


def test_the_password_alone_cannot_replace_the_owners_app(plain_client, world):
    totp_device(world.proposer)
    plain_client.force_login(world.proposer)  # password only; the code still owed
    response = plain_client.get(reverse("two_factor_setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor"))
    assert not TOTPDevice.objects.filter(user=world.proposer, confirmed=False).exists()


def test_new_recovery_codes_replace_the_old(client, world):
    device = totp_device(world.signer)
    old = _set_up_codes(world.signer, device)
    client.force_login(world.signer)
    page = client.post(reverse("two_factor_codes"))
    new = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new)
    assert _events(Event.RECOVERY_CODES_REGENERATED)[-1].actor == world.signer


def test_turning_it_off_removes_the_devices_and_a_required_role_must_set_it_up_again(client, world):
    device = totp_device(world.signer)
    _set_up_codes(world.signer, device)
    client.force_login(world.signer)
    response = client.post(reverse("two_factor_remove"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.signer).exists()
    assert not StaticToken.objects.filter(device__user=world.signer).exists()
    assert _events(Event.SECOND_FACTOR_REMOVED)[-1].actor == world.signer
    assert client.get(reverse("decisions")).url.startswith(reverse("two_factor_setup"))


def test_an_optional_role_may_set_it_up_and_turn_it_off(plain_client, world):
    client = plain_client
    client.force_login(world.proposer)
    assert "Off: logging in" in client.get(reverse("two_factor")).content.decode()
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=world.proposer)
    client.post(reverse("two_factor_setup"), {"code": totp_code(device)})
    assert "On: logging in" in client.get(reverse("two_factor")).content.decode()
    client.post(reverse("two_factor_remove"))
    assert client.get(reverse("inbox")).status_code == 200


# --- idle sessions ----------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_minutes(client, world, settings):
    settings.LAUREL_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(world.proposer)
        assert client.get(reverse("inbox")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("inbox")).status_code == 200  # activity: the clock restarts
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("inbox")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(reverse("inbox"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert client.get(reverse("inbox")).url.startswith(reverse("login"))  # logged out
    ended = _events(Event.LOGOUT)[-1]
    assert ended.actor == world.proposer and ended.data["ended"] == "idle"


# --- the audit trail: login, logout, failures, lockout ----------------------------------------


def test_login_and_logout_are_recorded(plain_client, world):
    assert _login(plain_client, "proposer").status_code == 302
    login = _events(Event.LOGIN)[-1]
    assert login.actor == world.proposer and login.origin_ip == "127.0.0.1"
    assert login.data == {"roles": [Role.UNIT_PROPOSER], "second_factor": "none"}
    plain_client.post(reverse("logout"))
    logout = _events(Event.LOGOUT)[-1]
    assert logout.actor == world.proposer and logout.data["ended"] == "user"


def test_a_failed_login_records_the_username_and_address_never_the_password(plain_client, world):
    password = "Secret-Guess-4711"
    _login(plain_client, "proposer", password=password)
    _login(plain_client, "nobody-such", password=password)
    failed = _events(Event.LOGIN_FAILED)
    assert [e.data["username"] for e in failed] == ["proposer", "nobody-such"]
    assert all(e.origin_ip == "127.0.0.1" and e.actor is None for e in failed)
    for event in AuditEvent.objects.all():
        stored = " ".join(str(v) for v in event.__dict__.values())
        assert password not in stored


def test_repeated_failures_lock_the_login_and_the_lockout_is_recorded(
    plain_client, world, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(plain_client, "proposer", password="wrong")
    locked = _events(Event.LOCKED_OUT)
    assert locked and locked[-1].data["username"] == "proposer"
    # locked: even the right password is refused, and that too is recorded
    assert _login(plain_client, "proposer").status_code in (403, 429)
    assert len(_events(Event.LOCKED_OUT)) == len(locked) + 1
    assert not _events(Event.LOGIN)


def test_an_inspectors_login_after_the_second_step_is_still_an_inspector_login(plain_client, world):
    device = totp_device(world.inspector)
    _login(plain_client, "inspector")
    plain_client.post(reverse("second_factor"), {"code": totp_code(device)})
    event = AuditEvent.objects.get(action=Event.INSPECTOR_LOGIN)
    assert event.actor == world.inspector and event.data["second_factor"] == "app"


def test_every_sign_in_event_is_found_in_the_inspectors_search(
    plain_client, client, world, settings
):
    device = totp_device(world.signer)
    codes = _set_up_codes(world.signer, device)
    _login(plain_client, "ghost", password="nope")  # failed
    _login(plain_client, "signer")
    plain_client.post(reverse("second_factor"), {"code": codes[0]})  # recovery code, login
    plain_client.post(reverse("two_factor_codes"))  # new codes
    plain_client.post(reverse("two_factor_remove"))  # removed
    plain_client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(plain_client, "proposer", password="wrong")  # … then locked out
    client.force_login(world.inspector)
    for action in [
        Event.LOGIN,
        Event.LOGOUT,
        Event.LOGIN_FAILED,
        Event.LOCKED_OUT,
        Event.SECOND_FACTOR_ADDED,
        Event.SECOND_FACTOR_REMOVED,
        Event.RECOVERY_CODES_REGENERATED,
        Event.RECOVERY_CODE_USED,
    ]:
        page = client.get(reverse("inspector_events"), {"action": action.value})
        assert page.status_code == 200, action
        html = page.content.decode()
        assert f'<option value="{action.value}" selected>' in html, action  # in the filter
        assert f"<strong>{action.label}</strong>" in html, action
    failures = client.get(reverse("inspector_events"), {"action": Event.LOGIN_FAILED.value})
    assert "Username tried: ghost" in failures.content.decode()


@pytest.mark.parametrize("weak", ["12345678", "password", "short1", "signer12"])
def test_djangos_password_validators_refuse_weak_passwords(world, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=world.signer)
    validate_password("Lau-rel 7 cành nguyệt quế", user=world.signer)
