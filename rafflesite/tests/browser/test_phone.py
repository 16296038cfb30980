"""Every page on a 375 px wide phone screen."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, SCREENSHOTS, go_to_site_page, screenshot
from .pages import NOT_PAGES, PAGES, routes

pytestmark = pytest.mark.browser

# The grid's page of 500 numbers is too long to look at whole.
LONG = {"set-grid"}


def overflow(page):
    """How many pixels the page is wider than the screen."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_every_route_is_a_page_to_check_or_named_as_none():
    shown = {page.route for page in PAGES.values() if page.route}

    assert sorted(shown | set(NOT_PAGES)) == sorted(set(routes()))
    assert shown & set(NOT_PAGES) == set()


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen(new_page, organizer, site, name):
    page = new_page(viewport=PHONE, user=None if PAGES[name].anonymous else organizer)
    go_to_site_page(page, name, site)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Change language")).to_be_visible()
    assert overflow(page) == 0
    screenshot(page, f"phone-{name}", full_page=name not in LONG)


def test_selling_works_on_a_phone(new_page, organizer, site):
    page = new_page(viewport=PHONE, user=organizer)
    page.goto("/projects/1/sell/")

    page.get_by_label("Numbers").fill("0007, 0100-0102")
    page.get_by_label("Find a buyer").fill("Gómez")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_label("Ana María Gómez de la Torre").check()
    page.get_by_label("paid in full").check()
    page.get_by_role("button", name="Review the sale").click()
    expect(page.locator("#review-numbers")).to_have_text("0007, 0100-0102")
    assert overflow(page) == 0
    page.get_by_role("button", name="Confirm: sell paid").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Sold 0007, 0100-0102, paid, to Ana María Gómez de la Torre."
    )
    assert overflow(page) == 0


def cut_selects(page):
    """The shown selects wider than the screen, or cut narrower than their
    widest choice while the line they are on has room for it."""
    return page.evaluate(
        """() => [...document.querySelectorAll("select")]
          .filter((select) => select.offsetParent !== null)
          .filter((select) => {
            const box = select.getBoundingClientRect();
            const copy = select.cloneNode(true);
            copy.style.cssText = "position: absolute; width: auto; max-width: none";
            select.parentElement.append(copy);
            const natural = copy.getBoundingClientRect().width;
            copy.remove();
            const area = select.closest("main, header");
            const style = getComputedStyle(area);
            const room = area.clientWidth - parseFloat(style.paddingLeft)
              - parseFloat(style.paddingRight);
            return box.left < 0 || box.right > window.innerWidth
              || box.width + 0.5 < Math.min(natural, room);
          })
          .map((select) => select.name || select.id)"""
    )


# Their buttons are named in English: opened without the button pressed.
@pytest.mark.parametrize("name", [name for name in PAGES if not PAGES[name].submit])
def test_selects_fit_a_phone_screen_in_spanish(new_page, organizer, site, name):
    page = new_page(
        viewport=PHONE,
        locale="es-AR",
        user=None if PAGES[name].anonymous else organizer,
    )
    go_to_site_page(page, name, site)

    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert cut_selects(page) == []
    screenshot(page, f"phone-es-{name}", full_page=name not in LONG)


def test_jump_button_stays_by_its_input_in_spanish(new_page, organizer, site):
    page = new_page(viewport=PHONE, locale="es-AR", user=organizer)
    page.goto("/projects/1/sets/1/")
    page.locator(".toolbar").screenshot(path=SCREENSHOTS / "phone-es-grid-tools.png")

    field = page.get_by_label("Ir al número").bounding_box()
    button = page.get_by_role("button", name="Ir", exact=True).bounding_box()
    middle = button["y"] + button["height"] / 2
    assert field["y"] < middle < field["y"] + field["height"]
    assert field["x"] + field["width"] <= button["x"]
    assert button["x"] + button["width"] <= PHONE["width"]
