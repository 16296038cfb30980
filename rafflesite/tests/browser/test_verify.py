"""The verification page recomputes the draw in a real browser (verify.js).

It lives with the other browser tests to share their one Playwright and
Chromium: a second sync_playwright() in the same process fails.
"""

import pytest
from django.urls import reverse

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.tests.draws.helpers import sell, sell_earlier, state_plan
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")


@pytest.fixture
def prize(project):
    """A prize over set 000-099."""
    RaffleSetFactory(project=project, name="Booklet A", quantity=100, padding=3)
    return draws.create_prize(project=project, name="Bicycle")


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(
        owner=organizer,
        first_name="Ana 😀",
        last_name="Gómez",
        phone="+57 300 000 0001",
    )


@pytest.fixture
def lottery_draw(organizer, project, buyer, prize):
    """077 wins: 050, sold on the lottery's day, is not on the frozen list."""
    sell_earlier(project, buyer, "013, 077")
    sell(project, buyer, "050")
    state_plan(prize, lottery="National", rule="next")
    return draws.draw_lottery(prize=prize, actor=organizer, result="48050", source="TV")


@pytest.fixture
def random_draw(organizer, project, buyer, prize):
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
def test_browser_recomputes_the_draw(request, page, kind):
    draw = request.getfixturevalue(kind)

    results = recompute(page, reverse("verify:draw", args=[draw.token]))

    assert [css for css, _text in results] == ["ok", "ok"]
    assert draw.list_sha256 in results[0][1]
    assert f"{draw.winner_label}. It matches the record." in results[1][1]


def test_browser_shows_no_empty_results_before_the_button(page, random_draw):
    page.goto(reverse("verify:draw", args=[random_draw.token]))

    page.wait_for_selector("[data-verify-run]")

    assert page.is_visible("[data-verify-run]") is True
    assert page.is_visible("[data-verify] ul") is False
