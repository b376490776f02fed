"""Browser tests: Debian's Chromium, headless, driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium
(`apt-get install chromium`; `.ci/run` installs it when missing). Without it
the browser tests are skipped with that reason.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from claims import roles

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django then refuses
    # ORM calls from that thread unless told they are safe. They are: the loop only
    # drives the browser, and the live server answers from its own thread. Set only
    # while the browser runs: later tests (`check --deploy` in a subprocess) must not inherit it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save the page as test-artifacts/screenshots/<name>.png (git-ignored) for a human to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, *, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The live server with the demo loaded. Live-server tests flush the database, role groups included."""
    from claims.demo import load_demo

    roles.sync_groups(Group, Permission)
    load_demo()
    return live_server


@pytest.fixture
def as_reviewer(page, demo_site):
    """Log in as the demo reviewer through the login page; return the page on the overview."""
    page.goto(f"{demo_site.url}/accounts/login/")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill("reviewer-demo-pass")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{demo_site.url}/")
    return page


@pytest.fixture
def signed_in(browser, live_server):
    """`signed_in(user, width=, height=, javascript=)`: a new page signed in as `user` (its session cookie, no
    login page) at that screen size, its paths relative to the live server (`page.goto("/claims/")`). For tests
    that bring their own data rather than the demo (4 s to load)."""
    from django.conf import settings

    from tests.helpers import logged_in

    contexts = []

    def open_page(user, *, width: int = 1366, height: int = 900, javascript: bool = True):
        cookie = logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="en-GB",
            java_script_enabled=javascript,
            base_url=live_server.url,
        )
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
