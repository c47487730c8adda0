"""End-to-end tests: Debian's Chromium driven by Playwright against the live test server.

Screenshots of each major screen are saved under test-artifacts/screenshots/ (and, on failure,
of the page as it was) so a reviewer can look at what the tests saw.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from nominations import policy
from tests.factories import totp_code, totp_device

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    for stale in ARTIFACTS.glob("FAILED-*.png"):
        stale.unlink()
    if not Path(CHROMIUM).exists():
        for item in items:
            if "tests/e2e/" in str(item.fspath):
                item.add_marker(
                    pytest.mark.skip(reason="Chromium not installed: run `make e2e-deps`")
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The browser asks for English, the language the tests read (the site's default is vi).
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture
def shoot(page):
    """shoot("inbox-reviewer"): save a full-page screenshot of the current screen."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shoot(name: str):
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "page" in item.funcargs:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        item.funcargs["page"].screenshot(
            path=str(ARTIFACTS / f"FAILED-{item.name}.png"), full_page=True
        )


@pytest.fixture
def login(page, live_server):
    """Log in through the form; whoever must have a second factor (a signer, the council's
    secretary, an inspector, an administrator) is given an authenticator app and types its
    code at the second step, as a person would."""

    def _login(username: str, password: str = "pw"):
        user = get_user_model().objects.get(username=username)
        device = None
        if policy.needs_second_factor(user):
            device = totp_device(user)
            # The same person may log in twice within one code's 30 seconds.
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.press("#id_password", "Enter")
        if device is not None:
            page.wait_for_url(re.compile(r".*/accounts/second-factor/"))
            page.fill("#id_code", totp_code(device))
            page.press("#id_code", "Enter")
        page.wait_for_url(re.compile(r".*/inbox/"))

    return _login


# The council of ten and the award type with council rules, shared with the council's own tests.
from tests.approvals.conftest import award, members  # noqa: E402, F401
