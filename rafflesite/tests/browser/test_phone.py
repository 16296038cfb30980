"""The pages on a 375 px wide phone screen."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.services import record_payment, sell_numbers
from raffles.tests.factories import RaffleSetFactory

from .conftest import PHONE, screenshot

pytestmark = pytest.mark.browser

PAGES = {
    "dashboard": "/",
    "projects": "/projects/",
    "project": "/projects/1/",
    "set-grid": "/projects/1/sets/1/",
    "sell-form": "/projects/1/sell/",
    "number": "/projects/1/numbers/0042/",
    "draw-list": "/projects/1/draw-list/",
    "buyers": "/buyers/",
    "buyer": "/buyers/1/",
    "sale-review": "/projects/1/sell/?numbers=0007,0100-0102&buyer=1",
    "mark-paid": "/projects/1/mark-paid/",
    "mark-paid-review": "/projects/1/mark-paid/?numbers=0042,1234",
    "release": "/projects/1/numbers/0042/release/",
    "refund": "/projects/1/numbers/7777/refund/",
    "project-edit": "/projects/1/edit/",
    "set-edit": "/projects/1/sets/1/edit/",
    "buyer-edit": "/buyers/1/edit/",
    "password": "/accounts/password/",
    "prizes": "/projects/1/prizes/",
    "draws": "/projects/1/draws/",
    "draw-form": "/projects/1/prizes/2/draw/",
    "draw-record": "/projects/1/draws/1/1/",
}
# Pages reached by a form: open the path, then press this button.
SUBMIT = {"sale-review": "Review the sale"}


@pytest.fixture
def project(organizer):
    """Set 0000-9999; Ana Gómez de la Torre holds 0042 (part paid) and 1234.

    She paid 7777 in full; it won the first of two prizes.
    """
    project = ProjectFactory(
        owner=organizer, name="Rifa Anual del Club Atlético 2027", currency="COP"
    )
    RaffleSetFactory(
        project=project,
        name="Talonarios en papel",
        quantity=10_000,
        unit_price=Decimal("25000.00"),
    )
    buyer = BuyerFactory(
        owner=organizer,
        first_name="Ana María",
        last_name="Gómez de la Torre",
        email="ana.maria.gomez.de.la.torre+rifa@example.com",
        phone="+57 300 000 0001",
    )
    raffles = sell_numbers(
        project=project, buyer=buyer, numbers="42, 1234", actor=organizer
    )
    record_payment(
        raffle=raffles[0], amount=Decimal("10000"), method="cash", actor=organizer
    )
    sell_numbers(
        project=project,
        buyer=buyer,
        numbers="7777",
        actor=organizer,
        state="paid",
        method="bank_transfer",
    )
    first = draws.create_prize(
        project=project,
        name="Motocicleta 125 cc con casco y seguro por un año",
        description="Entregada en la sede del club el día del sorteo.",
    )
    draws.draw_random(prize=first, actor=organizer)
    draws.create_prize(
        project=project,
        name="Canasta navideña familiar",
        lottery="Lotería de Bogotá, sorteo extraordinario de Navidad",
        lottery_date=datetime.date(2027, 12, 24),
        unsold_rule="next",
    )
    return project


def overflow(page):
    """How many pixels the page is wider than the screen."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen(new_page, organizer, project, name):
    page = new_page(viewport=PHONE, user=organizer)

    page.goto(PAGES[name])
    if name in SUBMIT:
        page.get_by_role("button", name=SUBMIT[name]).click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Change language")).to_be_visible()
    assert overflow(page) == 0
    # The grid's page of 500 numbers is too long to look at whole.
    screenshot(page, f"phone-{name}", full_page=name != "set-grid")


def test_log_in_page_fits_a_phone_screen(new_page, transactional_db):
    page = new_page(viewport=PHONE)

    page.goto("/accounts/login/")

    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert overflow(page) == 0
    screenshot(page, "phone-login")


def test_selling_works_on_a_phone(new_page, organizer, project):
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
