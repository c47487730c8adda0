"""Two-factor authentication in the browser, at a phone's width (390 px): a signer without an
authenticator app logs in, is sent to set one up, reads the secret, types the app's code, keeps
the recovery codes and reaches the inbox; next time the login asks for the code."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.test_phone_width import PHONE, fits, no_sideways_scroll
from tests.factories import totp_code


def test_a_signer_sets_up_the_app_then_logs_in_with_its_code(page, live_server, world, shoot):
    page.set_default_timeout(10_000)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "signer")
    page.fill("#id_password", "pw")
    page.press("#id_password", "Enter")

    page.wait_for_url(re.compile(r".*/accounts/two-factor/setup/"))
    fits(page, page.get_by_test_id("qr").locator("svg"), "the QR code")
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=world.signer, confirmed=False)
    assert device.config_url.split("secret=")[1].startswith(secret)
    no_sideways_scroll(page, "set-up")
    shoot("phone-two-factor-setup")
    page.fill("#id_code", totp_code(device))
    page.get_by_role("button", name="Confirm").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    assert codes.count() == 10
    no_sideways_scroll(page, "recovery codes")
    shoot("phone-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(re.compile(r".*/inbox/"))

    # next login: the password, then the app's code (the next 30 s step: a code is used once)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "signer")
    page.fill("#id_password", "pw")
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(r".*/accounts/second-factor/"))
    no_sideways_scroll(page, "second step")
    shoot("phone-second-factor")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    page.fill("#id_code", totp_code(device))
    page.press("#id_code", "Enter")
    page.wait_for_url(re.compile(r".*/inbox/"))
