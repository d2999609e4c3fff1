"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Every page a test visits should go through `axe_check(page)` (axe-core: no serious or critical violations).
Screenshots go to artifacts/screenshots/ (kept by CI as test artifacts).
"""

import os
import re
from pathlib import Path

import pytest

from tests.factories import run_seed_demo

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DEMO_PASSWORD = "sector-demo"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data `make run` loads, so browser tests see what a newcomer sees."""
    run_seed_demo()


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def axe_check(_axe, request):
    """Run axe-core on the page; fail on serious or critical violations; save a screenshot."""

    def check(page, name: str | None = None):
        results = _axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        shot(page, name or request.node.name)
        detail = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in bad
        )
        assert not bad, f"axe-core violations on {page.url}:\n{detail}"
        return results

    return check


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120] + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def totp_code_for(username: str) -> str | None:
    """The current code of the user's authenticator app, made ready to accept it: seed_demo enrolled the demo
    users with the demo secret; any other account gets one now. A code is accepted once per 30 seconds
    (replay protection), so the device forgets the last one it took (a test may sign in twice in a row)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sector.accounts.mfa.services import demo_totp_enroll
    from sector.accounts.models import User
    from sector.core.demo import DEMO_TOTP_SECRET

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        demo_totp_enroll(actor=None, user=user, secret_base32=DEMO_TOTP_SECRET)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{TOTP(device.bin_key).token():06d}"


def enter_second_factor(page, username: str) -> None:
    """On the "Confirm it is you" page after the password, enter the authenticator app's code."""
    if "/accounts/mfa/verify/" not in page.url:
        return
    page.get_by_label("6-digit code").fill(totp_code_for(username) or "")
    with page.expect_navigation():
        page.get_by_role("button", name="Verify code").click()


@pytest.fixture
def sign_in():
    """Sign in as a person does: user name and password, then the authenticator app's code (issue 13)."""

    def do(page, username: str, password: str = DEMO_PASSWORD):
        totp_code_for(username)  # every account has its app set up before it signs in
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        enter_second_factor(page, username)

    return do
