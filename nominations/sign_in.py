"""Signing in: the second factor (a TOTP device and its recovery codes, django-otp's models), and
the audit events of every login, logout, refusal and change to a second factor. Who must have a
second factor is `policy.needs_second_factor`; the pages are `nominations/sign_in_views.py`,
the enforcement `nominations/middleware.py`.

A person has at most one confirmed TOTP device (their authenticator app) and one static device
holding their unused recovery codes. Setting up writes an unconfirmed device; a code from the app
confirms it, and only then are recovery codes made (and shown once).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import services as audit
from audit.events import Event
from audit.services import Origin
from audit.types import Actor

from . import events, policy
from .exceptions import InvalidInput

RECOVERY_CODES = 10
_APP = "app"  # the TOTP device's name
_RECOVERY = "recovery"  # the static device's name


def has_second_factor(user) -> bool:
    """Whether the user has a confirmed authenticator app (one query)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def is_verified(request) -> bool:
    """Whether this session passed the second factor with a device the user still has (one
    query, asked only of those who must have a second factor: django-otp's own middleware would
    load the device on every request of everyone)."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != request.user.pk or not device.confirmed:
        del request.session[DEVICE_ID_SESSION_KEY]
        return False
    return True


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device the set-up page shows (its secret, its QR code), made on first
    visit and kept until confirmed, so reloading the page shows the same secret."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_APP, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The device's key as authenticator apps take it typed in: base32, in groups of four."""
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@dataclass(frozen=True)
class Verified:
    device: Device
    recovery: bool  # a recovery code (now spent) rather than the app's code


def confirm_setup(user: Actor, code: str, *, origin: Origin | None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; make the recovery codes. Returns the
    device and the codes (to be shown once)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
        )
        if device is None:
            raise InvalidInput(_("Start the set-up again: no authenticator app is waiting."))
        if not device.verify_token(_digits(code)):
            raise InvalidInput(_("That code is not right. Check the app's clock and try again."))
        # One app at a time: a new one replaces the old.
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_codes(user)
        audit.append(
            events.second_factor_changed(Event.SECOND_FACTOR_ADDED, user, actor=user, origin=origin)
        )
    return device, codes


def regenerate_codes(user: Actor, *, origin: Origin | None) -> list[str]:
    """New recovery codes replace the old ones (all of them, used or not)."""
    with transaction.atomic():
        if not has_second_factor(user):
            raise InvalidInput(_("Set up two-factor authentication first."))
        codes = _new_codes(user)
        audit.append(
            events.second_factor_changed(
                Event.RECOVERY_CODES_REGENERATED, user, actor=user, origin=origin
            )
        )
    return codes


def remove(user: Actor, *, actor: Actor, origin: Origin | None) -> None:
    """Remove the user's app and recovery codes. Whoever must have a second factor is asked to
    set one up again at their next page."""
    with transaction.atomic():
        deleted = 0
        for model in (TOTPDevice, StaticDevice):
            deleted += model.objects.filter(user_id=user.pk).delete()[0]
        if not deleted:
            raise InvalidInput(_("Two-factor authentication is not set up."))
        audit.append(
            events.second_factor_changed(
                Event.SECOND_FACTOR_REMOVED, user, actor=actor, origin=origin
            )
        )


def verify(user: Actor, code: str, *, origin: Origin | None) -> Verified | None:
    """The login's second step: the app's code, or a recovery code (spent by its use). None for
    a wrong code, which is a failed login in the audit trail; django-otp makes each wrong code
    double the wait before the next is tried (InvalidInput while waiting)."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    totp = _digits(code)
    throttled = False
    # Six digits are the app's code; anything else is tried as a recovery code.
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if totp else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            throttled = throttled or not device.verify_is_allowed()[0]
            if code and device.verify_token(totp or code):
                recovery = model is StaticDevice
                if recovery:
                    audit.append(
                        events.second_factor_changed(
                            Event.RECOVERY_CODE_USED, user, actor=user, origin=origin
                        )
                    )
                return Verified(device, recovery)
    with transaction.atomic():
        audit.append(
            events.login_failed(user.get_username(), step="second_factor", user=user, origin=origin)
        )
    if throttled:
        raise InvalidInput(_("Too many wrong codes: wait a minute, then try again."))
    return None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk).count()


def _digits(code: str) -> str:
    """The app's six digits ("123 456" as well), or "" for anything else."""
    code = code.replace(" ", "")
    return code if len(code) == 6 and code.isdigit() else ""


def _new_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=_RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


# --- the audit trail of signing in ---------------------------------------------------------


def record_login(user: Actor, *, second_factor: str, origin: Origin | None = None) -> None:
    """Every completed login is an audit event (an inspector's is `INSPECTOR_LOGIN`).
    `second_factor`: "none", "app" or "recovery_code"."""
    with transaction.atomic():
        audit.append(
            events.login(
                user,
                roles=sorted(policy.roles_of(user)),
                second_factor=second_factor,
                origin=origin,
            )
        )


def record_logout(user: Actor, *, ended: str, origin: Origin | None = None) -> None:
    with transaction.atomic():
        audit.append(events.logout(user, ended=ended, origin=origin))


def record_failed_login(username: str, *, locked_out: bool, origin: Origin | None) -> None:
    """A refused password step: the username tried and the address, never the password; when
    django-axes refused it for repeated failures, the lockout."""
    with transaction.atomic():
        if locked_out:
            audit.append(events.locked_out(username, origin=origin))
        else:
            audit.append(events.login_failed(username, step="password", origin=origin))
