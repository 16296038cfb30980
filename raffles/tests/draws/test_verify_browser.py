"""The verification page recomputes the draw in a real browser (verify.js)."""

import shutil

import pytest
from django.urls import reverse

from raffles import draws
from raffles.tests.draws.helpers import sell

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
    pytest.mark.usefixtures("pages", "transactional_db"),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's
    # own database calls are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"]
        )
        yield browser.new_page()
        browser.close()


@pytest.fixture
def lottery_draw(organizer, project, raffle_set, buyer, prize):
    sell(project, buyer, "013, 077")
    return draws.draw_lottery(
        prize=prize,
        actor=organizer,
        result="48050",
        source="TV",
        lottery="National",
        unsold_rule="next",
    )


@pytest.fixture
def random_draw(organizer, project, raffle_set, buyer, prize):
    sell(project, buyer, "001-099")
    return draws.draw_random(prize=prize, actor=organizer)


def recompute(page, url):
    page.goto(url)
    page.click("[data-verify-run]")
    page.wait_for_selector('[data-verify-out="winner"].ok, [data-verify-out].bad')
    return [
        (node.get_attribute("class"), node.inner_text())
        for node in page.query_selector_all("[data-verify-out]")
    ]


@pytest.mark.parametrize("kind", ["random_draw", "lottery_draw"])
def test_browser_recomputes_the_draw(request, live_server, browser_page, kind):
    draw = request.getfixturevalue(kind)
    url = live_server.url + reverse("verify:draw", args=[draw.token])

    results = recompute(browser_page, url)

    assert [css for css, _text in results] == ["ok", "ok"]
    assert draw.list_sha256 in results[0][1]
    assert f"{draw.winner_label}. It matches the record." in results[1][1]
