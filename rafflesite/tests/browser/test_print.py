"""Case E3: a draw list of 1,000 numbers printed to PDF by Chromium."""

import re
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


def test_printed_draw_list_holds_every_row(organizer_page, project, tmp_path):
    page = organizer_page
    page.goto(f"/projects/{project.ref}/draw-list/")
    expect(page.locator("table.draw-list tbody tr")).to_have_count(1000)
    screenshot(page, "draw-list-1000", full_page=False)

    pdf = tmp_path / "draw-list.pdf"
    margins = dict.fromkeys(("top", "right", "bottom", "left"), "1cm")
    page.pdf(path=pdf, format="A4", margin=margins)
    SCREENSHOTS.joinpath("draw-list-1000.pdf").write_bytes(pdf.read_bytes())

    pages = [sheet.extract_text() for sheet in PdfReader(pdf).pages]
    rows = [
        re.findall(rf"^(\d{{3}}) Comprador(\d) Peña .* {SET_NAME}$", text, re.M)
        for text in pages
    ]
    labels = [label for sheet in rows for label, _ in sheet]
    assert labels == [f"{n:03d}" for n in range(1000)]
    # Each row whole on one line: its number and the buyer it was sold to.
    assert all(
        int(label) // 100 == int(block) for sheet in rows for label, block in sheet
    )
    assert len(pages) > 10
    for text in pages:
        assert "Number Buyer Phone Set" in text
    whole = "\n".join(pages)
    for hidden in ("Log out", "Change language", "Download CSV", "Skip to content"):
        assert hidden not in whole
