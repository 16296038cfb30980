"""The number grid of a set: jump to a number, filter by state and buyer."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def grid_url(organizer):
    """Set 0000-1999: Ana paid 0042 and 1234, Luis reserved 0100-0102."""
    project = ProjectFactory(owner=organizer, name="Rifa del club")
    RaffleSetFactory(
        project=project, name="Online", quantity=2000, unit_price=Decimal("5.00")
    )
    ana = BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")
    luis = BuyerFactory(owner=organizer, first_name="Luis", last_name="Peña")
    sell_numbers(
        project=project,
        buyer=ana,
        numbers="42, 1234",
        actor=organizer,
        state="paid",
        method="cash",
    )
    sell_numbers(project=project, buyer=luis, numbers="100-102", actor=organizer)
    return f"/projects/{project.ref}/sets/1/"


def cells(page):
    """The grid's numbers: each cell is the target of #n-<label>."""
    return page.locator("main [id^='n-']")


def test_grid_jumps_to_a_number_on_another_page(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)
    expect(cells(page)).to_have_count(500)

    page.get_by_label("Jump to number").fill("1234")
    page.get_by_role("button", name="Go").click()

    expect(page).to_have_url(re.compile(r"\?page=3#n-1234$"))
    expect(page.locator("#n-1234")).to_be_in_viewport()
    expect(page.locator("#n-1234")).to_contain_text("paid")
    expect(cells(page).first).to_have_id("n-1000")
    expect(cells(page)).to_have_count(500)


def test_grid_jump_explains_a_number_outside_the_project(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)

    page.get_by_label("Jump to number").fill("5000")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("Not in any set of this project: 5000.")).to_be_visible()


def test_grid_filters_by_state_and_by_buyer(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)

    page.get_by_label("State").select_option("paid")
    page.get_by_role("button", name="Filter").click()
    expect(cells(page)).to_have_count(2)
    expect(cells(page).nth(0)).to_have_id("n-0042")
    expect(cells(page).nth(1)).to_have_id("n-1234")
    expect(page.get_by_text("2 matching numbers").first).to_be_visible()
    screenshot(page, "set-grid-filtered")

    page.get_by_label("State").select_option("")
    page.get_by_label("Buyer").fill("Peña")
    page.get_by_role("button", name="Filter").click()
    expect(cells(page)).to_have_count(3)
    expect(cells(page).nth(0)).to_have_id("n-0100")
    expect(cells(page).nth(2)).to_have_id("n-0102")

    page.get_by_role("link", name="Show all").click()
    expect(cells(page)).to_have_count(500)
