"""End-to-end tests: Debian's Chromium driven by Playwright against the live test server.

Screenshots of each major screen are saved under test-artifacts/screenshots/ (and, on failure,
of the page as it was) so a reviewer can look at what the tests saw.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

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
    def _login(username: str, password: str = "pw"):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.press("#id_password", "Enter")
        page.wait_for_url(re.compile(r".*/inbox/"))

    return _login


# The council of ten and the award type with council rules, shared with the council's own tests.
from tests.approvals.conftest import award, members  # noqa: E402, F401
