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


def test_grid_sells_the_numbers_ticked_by_click_and_shift_click(
    organizer_page, grid_url
):
    page = organizer_page
    page.goto(grid_url)

    page.get_by_label("Tick 0003").click()
    page.get_by_label("Tick 0040").click()
    # A shift-click ticks the run from the last click; paid 0042 has no box.
    page.get_by_label("Tick 0044").click(modifiers=["Shift"])
    expect(page.locator("#selection-status")).to_have_text(
        "Ticked: 0003, 0040-0041, 0043-0044 (5)."
    )
    page.get_by_role("button", name="Sell ticked").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sell or reserve numbers")
    expect(page.get_by_label("Numbers")).to_have_value("0003, 0040-0041, 0043-0044")
    expect(page.locator("#numbers-echo")).to_have_text(
        "0003, 0040-0041, 0043-0044: 5 numbers, 25.00 USD."
    )
    screenshot(page, "sell-ticked")


def test_grid_offers_to_tick_only_the_states_its_page_shows(organizer_page, grid_url):
    page = organizer_page
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(f"{grid_url}?state=reserved")

    page.get_by_role("button", name="Tick all reserved here").click()

    expect(page.locator("#selection-status")).to_have_text("Ticked: 0100-0102 (3).")
    expect(page.get_by_role("button", name="Tick all available here")).to_have_count(0)
    page.get_by_role("button", name="Clear ticks").click()
    expect(page.locator("#number-grid input:checked")).to_have_count(0)
    assert errors == []


def test_grid_legend_names_every_state_with_its_symbol(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)

    legend = page.get_by_role("list", name="Legend").get_by_role("listitem")
    expect(legend).to_have_text(["○ available", "◐ reserved", "● paid"])
    for item in legend.all():
        expect(item).to_be_visible()
    for label, symbol, state in [
        ("0000", "○", "available"),
        ("0100", "◐", "reserved"),
        ("0042", "●", "paid"),
    ]:
        expect(page.locator(f"#n-{label} .symbol")).to_have_text(symbol)
        expect(page.locator(f"#n-{label}")).to_contain_text(state)
        # The legend's colour is the colour of the cells in that state.
        colours = [
            page.locator(selector).evaluate("e => getComputedStyle(e).backgroundColor")
            for selector in (f".legend .state-{state}", f"li:has(#n-{label})")
        ]
        assert colours[0] == colours[1]


# The keyboard


def tick_box(page, label):
    return page.get_by_label(f"Tick {label}", exact=True)


def columns(page):
    """How many numbers one row of the grid holds at this width."""
    return page.evaluate(
        """() => {
          const cells = Array.from(document.querySelectorAll("#number-grid > li"));
          return cells.filter((cell) => cell.offsetTop === cells[0].offsetTop).length;
        }"""
    )


def test_grid_arrow_keys_move_between_numbers(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)
    width = columns(page)
    tick_box(page, "0040").focus()

    page.keyboard.press("ArrowRight")
    expect(tick_box(page, "0041")).to_be_focused()
    # Paid 0042 has no box: its link is its stop.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#n-0042")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(tick_box(page, "0043")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(tick_box(page, f"{43 + width:04}")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(tick_box(page, "0043")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#n-0042")).to_be_focused()
    page.keyboard.press("End")
    expect(tick_box(page, "0499")).to_be_focused()
    page.keyboard.press("Home")
    expect(tick_box(page, "0000")).to_be_focused()
    assert width > 1


def test_grid_space_ticks_a_number_and_names_it(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)
    status = page.locator("#selection-status")
    tick_box(page, "0001").focus()

    page.keyboard.press("Space")
    expect(tick_box(page, "0001")).to_be_checked()
    expect(status).to_have_text("Ticked: 0001 (1).")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")

    expect(status).to_have_text("Ticked: 0001, 0003 (2).")
    expect(tick_box(page, "0002")).not_to_be_checked()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Space")
    expect(status).to_have_text("Ticked: 0001-0003 (3).")


def test_grid_enter_opens_the_number(organizer_page, grid_url):
    page = organizer_page
    page.goto(grid_url)
    tick_box(page, "0100").focus()

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/projects/1/numbers/0100/$"))
    expect(tick_box(page, "0100")).to_have_count(0)


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_grid_is_one_tab_stop_on_the_way_to_selling(organizer_page, grid_url, key):
    page = organizer_page
    page.goto(grid_url)
    sell = page.get_by_role("button", name="Sell ticked")
    expect(page.get_by_role("link", name="Skip past the numbers")).to_be_hidden()
    page.get_by_role("button", name="Clear ticks").focus()

    page.keyboard.press("Tab")
    expect(tick_box(page, "0000")).to_be_focused()
    for step in ("ArrowRight", "Space", "ArrowRight", "ArrowRight", "Space"):
        page.keyboard.press(step)
    page.keyboard.press("Tab")
    expect(sell).to_be_focused()
    # Back into the grid at the number left.
    page.keyboard.press("Shift+Tab")
    expect(tick_box(page, "0003")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press(key)

    expect(page.get_by_role("heading", level=1)).to_have_text("Sell or reserve numbers")
    expect(page.get_by_label("Numbers")).to_have_value("0001, 0003")


def test_grid_jump_enters_the_grid_at_that_number(organizer_page, grid_url):
    page = organizer_page
    page.goto(f"{grid_url}?page=3#n-1234")
    page.get_by_role("button", name="Clear ticks").focus()

    page.keyboard.press("Tab")

    expect(page.locator("#n-1234")).to_be_focused()


def test_grid_without_javascript_skips_to_the_actions(new_page, organizer, grid_url):
    page = new_page(user=organizer, java_script_enabled=False)
    page.goto(grid_url)
    tick_box(page, "0007").focus()
    page.keyboard.press("Space")
    skip = page.get_by_role("link", name="Skip past the numbers to the actions")
    expect(skip).not_to_be_in_viewport()

    skip.focus()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sell ticked")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sell or reserve numbers")
    expect(page.get_by_label("Numbers")).to_have_value("0007")
