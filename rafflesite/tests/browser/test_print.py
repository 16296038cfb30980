"""Case E3: a draw list of 1,000 numbers printed to PDF by Chromium."""

import re
import unicodedata
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

from .conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser

SET_NAME = "Talonario único"


@pytest.fixture
def project(organizer):
    """Set 000-999, every number paid, 100 numbers to each of 10 buyers."""
    project = ProjectFactory(owner=organizer, name="Rifa Navideña", currency="USD")
    RaffleSetFactory(
        project=project, name=SET_NAME, quantity=1000, unit_price=Decimal("1.00")
    )
    for block in range(10):
        buyer = BuyerFactory(
            owner=organizer,
            first_name=f"Comprador{block}",
            last_name="Peña",
            phone=f"+54 9 11 2345 67{block:02d}",
        )
        sell_numbers(
            project=project,
            buyer=buyer,
            numbers=f"{block * 100}-{block * 100 + 99}",
            actor=organizer,
            state="paid",
            method="cash",
        )
    return project


# One printed row: its number, the buyer it was sold to and that buyer's
# phone (masked, but for its last digits), whole on one line.
ROW = re.compile(r"^(\d{3}) Comprador(\d) Peña \+54 [* -]+\*7(\d{2})$")
COLUMNS = "Number Buyer Phone"
NAVIGATION = (
    "Skip to content",
    "Raffle manager",
    "Buyers",
    "Log out",
    "Change language",
    "Download CSV",
    "Slips to cut out",
)


def test_printed_draw_list_holds_every_row(organizer_page, project, tmp_path):
    page = organizer_page
    page.goto(f"/projects/{project.ref}/draw-list/")
    expect(page.locator("table.draw-list tbody tr")).to_have_count(1000)
    screen = page.locator("body").inner_text()
    for hidden in NAVIGATION:
        # On screen the page has it: the PDF must have left it out.
        assert hidden in screen or page.get_by_text(hidden).count()
    screenshot(page, "draw-list-1000", full_page=False)

    page.emulate_media(media="print")
    rows = page.locator("table.draw-list tbody tr")
    assert rows.first.evaluate("row => getComputedStyle(row).breakInside") == "avoid"
    head = page.locator("table.draw-list thead")
    assert head.evaluate("h => getComputedStyle(h).display") == "table-header-group"

    pdf = tmp_path / "draw-list.pdf"
    margins = dict.fromkeys(("top", "right", "bottom", "left"), "1cm")
    page.pdf(path=pdf, format="A4", margin=margins)
    SCREENSHOTS.joinpath("draw-list-1000.pdf").write_bytes(pdf.read_bytes())

    # NFKC undoes the font's ligatures: "Raﬄe" is "Raffle" again.
    pages = [
        unicodedata.normalize("NFKC", sheet.extract_text()).splitlines()
        for sheet in PdfReader(pdf).pages
    ]
    assert len(pages) > 10
    caption = f"Rifa Navideña · {SET_NAME} (000-999) · "
    labels = []
    for number, lines in enumerate(pages):
        # The set's caption and the column titles head every printed page,
        # right above its first row.
        top = next(i for i, line in enumerate(lines) if line.startswith(caption))
        assert lines[top + 1] == COLUMNS, f"page {number + 1}"
        assert [line for line in lines if line == COLUMNS] == [COLUMNS]
        if number > 0:
            assert top == 0, f"page {number + 1} starts with {lines[:2]}"
        body = lines[top + 2 :]
        if number == len(pages) - 1:
            assert body.pop() == f"{SET_NAME}: 1,000 paid numbers."
        # Nothing but whole rows below the titles: no half of a row split
        # across two pages, each row's number, buyer and phone together.
        for line in body:
            match = ROW.fullmatch(line)
            assert match, f"page {number + 1}: {line!r}"
            label, buyer, phone = match.groups()
            assert int(label) // 100 == int(buyer) == int(phone)
            labels.append(label)
    assert labels == [f"{n:03d}" for n in range(1000)]
    whole = "\n".join(line for lines in pages for line in lines)
    for hidden in NAVIGATION:
        assert hidden not in whole


@pytest.fixture
def slips_project(organizer):
    """Set 000-299, every number paid, 100 numbers to each of 3 buyers."""
    project = ProjectFactory(owner=organizer, name="Rifa Navideña", currency="USD")
    RaffleSetFactory(
        project=project, name=SET_NAME, quantity=300, unit_price=Decimal("1.00")
    )
    for block in range(3):
        buyer = BuyerFactory(
            owner=organizer,
            first_name=f"Comprador{block}",
            last_name="Peña",
            phone=f"+54 9 11 2345 67{block:02d}",
        )
        sell_numbers(
            project=project,
            buyer=buyer,
            numbers=f"{block * 100}-{block * 100 + 99}",
            actor=organizer,
            state="paid",
            method="cash",
        )
    return project


# One printed slip: its number, then its buyer, the buyer's masked phone and
# the set, all on one page.
SLIP = re.compile(
    rf"^(\d{{3}}) Comprador(\d) Peña \+54 [* -]+\*7(\d{{2}}) "
    rf"{SET_NAME} · Rifa Navideña$"
)


def slips_of(lines):
    """A printed page's lines joined into slips, each from its number on."""
    slips = []
    for line in lines:
        if re.fullmatch(r"\d{3}", line) or not slips:
            slips.append(line)
        else:
            slips[-1] += " " + line
    return slips


def test_printed_slips_hold_every_number_whole(organizer_page, slips_project, tmp_path):
    page = organizer_page
    page.goto(f"/projects/{slips_project.ref}/draw-list/?layout=slips")
    expect(page.locator("li.slip")).to_have_count(300)
    screenshot(page, "draw-list-slips-300", full_page=False)

    page.emulate_media(media="print")
    slip = page.locator("li.slip").first
    assert slip.evaluate("s => getComputedStyle(s).breakInside") == "avoid"
    pdf = tmp_path / "slips.pdf"
    margins = dict.fromkeys(("top", "right", "bottom", "left"), "1cm")
    page.pdf(path=pdf, format="A4", margin=margins)
    SCREENSHOTS.joinpath("draw-list-slips-300.pdf").write_bytes(pdf.read_bytes())

    pages = [
        unicodedata.normalize("NFKC", sheet.extract_text()).splitlines()
        for sheet in PdfReader(pdf).pages
    ]
    assert len(pages) > 10
    labels = []
    for number, lines in enumerate(pages):
        # A slip cut by a page break would leave half of it on each page:
        # every page holds whole slips only, each starting with its number.
        for text in slips_of(lines):
            match = SLIP.fullmatch(text)
            assert match, f"page {number + 1}: {text!r}"
            label, buyer, phone = match.groups()
            assert int(label) // 100 == int(buyer) == int(phone)
            labels.append(label)
    assert labels == [f"{n:03d}" for n in range(300)]
    whole = "\n".join(line for lines in pages for line in lines)
    for hidden in (*NAVIGATION, "One slip per paid number"):
        assert hidden not in whole
