"""Labels on every field and a visible focus, on every page of the site."""

import pytest

from .conftest import go_to_site_page
from .pages import PAGES

pytestmark = pytest.mark.browser

# The visible fields of the page that have no accessible name: no <label>
# (for= or around it) with text, no aria-label, no aria-labelledby.
UNLABELLED = """() => {
  const text = (node) => (node ? node.textContent.trim() : "");
  const named = (field) =>
    (field.getAttribute("aria-label") || "").trim() !== ""
    || (field.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .some((id) => id && text(document.getElementById(id)))
    || Array.from(field.labels).some((label) => text(label));
  const buttons = ["hidden", "submit", "button", "reset", "image"];
  return Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((field) => !buttons.includes(field.type))
    .filter((field) => field.getClientRects().length > 0)
    .filter((field) => !named(field))
    .map((field) => field.outerHTML.slice(0, 100));
}"""

# The focused element and how its outline is drawn; None past the last.
FOCUSED = """() => {
  const node = document.activeElement;
  if (node === document.body) {
    return null;
  }
  const style = getComputedStyle(node);
  return [
    node.outerHTML.slice(0, 60),
    style.outlineStyle,
    style.outlineWidth,
    style.outlineColor,
  ];
}"""
OUTLINE = ["solid", "3px", "rgb(245, 158, 11)"]
# Enough to pass the header and reach each page's own controls.
TAB_PRESSES = 25


def visit(pages, name, site):
    """PAGES[name] open in the page of its visitor."""
    page = pages[PAGES[name].anonymous]
    go_to_site_page(page, name, site)
    return page


@pytest.fixture
def pages(new_page, organizer):
    """A page logged in as the organizer, and one for anonymous visitors."""
    return {False: new_page(user=organizer), True: new_page()}


def tab_through(page):
    """FOCUSED for each Tab press, up to the last control of the page."""
    shown = []
    for _ in range(TAB_PRESSES):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        if focus is None:
            break
        shown.append(focus)
    return shown


def test_every_field_has_a_label(pages, site):
    unlabelled = {}
    for name in PAGES:
        page = visit(pages, name, site)
        unlabelled[name] = page.evaluate(UNLABELLED)

    assert {name: fields for name, fields in unlabelled.items() if fields} == {}


def test_every_control_shows_its_focus(pages, site):
    shown = {}
    for name in PAGES:
        page = visit(pages, name, site)
        shown[name] = tab_through(page)

    faint = {
        name: [focus for focus in focused if focus[1:] != OUTLINE]
        for name, focused in shown.items()
    }
    assert {name: found for name, found in faint.items() if found} == {}
    # Not a vacuous pass: the keyboard got somewhere on every page.
    assert {name for name, focused in shown.items() if len(focused) < 3} == set()
