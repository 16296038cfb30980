"""Real-browser tests: Playwright drives Debian's Chromium against live_server.

Every test here is skipped, with its reason, where /usr/bin/chromium is
missing (`scripts/system-deps.sh browser` installs it). Screenshots of the
pages go to screenshots/ (ignored by git) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from .pages import PAGES, fill_site, url_of

# Playwright's sync API runs an event loop in this thread; Django would
# then refuse the tests' own database queries as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

expect.set_options(timeout=10_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/system-deps.sh browser")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """Open pages on the live server: new_page(), new_page(viewport=PHONE).

    Other options go to the browser context: java_script_enabled=False.
    """
    contexts = []

    def open_page(viewport=DESKTOP, locale="en-US", user=None, **options):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale=locale, **options
        )
        # Generous: CI shares two cores between the server and the browser.
        context.set_default_timeout(20_000)
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie(user, live_server.url)])
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def organizer_page(new_page, organizer):
    return new_page(user=organizer)


@pytest.fixture
def site(organizer):
    """The data behind pages.PAGES; what their paths need besides."""
    return fill_site(organizer)


def go_to_site_page(page, name, site):
    """Open PAGES[name] in `page`, its form sent if it has one."""
    shown = PAGES[name]
    page.goto(url_of(shown, site))
    if shown.submit:
        with page.expect_navigation():
            page.get_by_role("button", name=shown.submit).click()


def session_cookie(user, url):
    """A logged-in session for `user`, as the cookie the browser sends."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": url}


def screenshot(page, name, full_page=True):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)
