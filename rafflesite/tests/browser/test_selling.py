"""An organizer's first day, from registering to the draw list."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_organizer_sells_pays_releases_and_finds_the_paid_numbers(page):
    register(page)
    create_project(page)
    create_set(page)

    sell_to_a_new_buyer(page, "7, 12, 100-102")
    pay_in_two_parts(page, "007")
    release(page, "012")
    mark_paid(page, "100")

    page.get_by_role("link", name="Rifa Navideña").first.click()
    page.get_by_role("link", name="Draw list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Draw list · Rifa Navideña"
    )
    rows = page.locator("table.draw-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("007")
    expect(rows.nth(0)).to_contain_text("Luis Peña")
    expect(rows.nth(1)).to_contain_text("100")
    expect(rows.nth(1)).to_contain_text("Luis Peña")
    expect(page.locator("table.draw-list")).not_to_contain_text("012")
    expect(page.locator("table.draw-list")).not_to_contain_text("101")
    screenshot(page, "draw-list")


def register(page):
    page.goto("/accounts/register/")
    page.get_by_label("Username").fill("scouts15")
    page.get_by_label("Email").fill("scouts15@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("campamento-de-invierno")
    page.get_by_label("Password confirmation").fill("campamento-de-invierno")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome, scouts15!")


def create_project(page):
    page.goto("/projects/new/")
    page.get_by_label("Name").fill("Rifa Navideña")
    page.get_by_label("Currency").fill("USD")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rifa Navideña")


def create_set(page):
    page.get_by_role("link", name="Add the first set").click()
    page.get_by_label("Name").fill("Talonario 1")
    page.get_by_label("Virtual").check()
    page.get_by_label("Unit price (USD)").fill("10.00")
    page.get_by_label("First number").fill("0")
    page.get_by_label("Quantity").fill("1000")
    page.get_by_role("button", name="Create set").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Created set “Talonario 1”: numbers 000-999 at 10.00 USD each."
    )
    expect(page.locator("#n-000")).to_be_visible()
    screenshot(page, "set-grid")


def sell_to_a_new_buyer(page, numbers):
    page.get_by_role("link", name="Sell numbers").first.click()
    page.get_by_label("Numbers").fill(numbers)
    page.get_by_label("First name").fill("Luis")
    page.get_by_label("Last name").fill("Peña")
    page.get_by_label("Phone").fill("+54 9 11 2345 6789")
    page.get_by_label("reserved (to be paid later or in parts)").check()
    screenshot(page, "sell-form")
    page.get_by_role("button", name="Review the sale").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the sale")
    expect(page.locator("#review-numbers")).to_have_text("007, 012, 100-102")
    expect(page.locator("#review-buyer")).to_contain_text("Luis Peña (new buyer)")
    screenshot(page, "sell-review")
    page.get_by_role("button", name="Confirm: reserve").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text("Buyer Luis Peña added.")
    expect(status).to_contain_text("Reserved 007, 012, 100-102 for Luis Peña.")
    screenshot(page, "buyer-detail")


def pay_in_two_parts(page, label):
    page.goto(f"/projects/1/numbers/{label}/")
    payment = page.locator(
        "form", has=page.get_by_role("heading", name="Record a payment")
    )

    payment.get_by_label("Amount").fill("4.00")
    payment.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Payment of 4.00 USD recorded for number {label}; 6.00 USD still owed."
    )
    payment.get_by_label("Amount").fill("6.00")
    payment.get_by_role("button", name="Record payment").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Payment of 6.00 USD recorded; number {label} is paid."
    )
    expect(page.locator("table").first).to_contain_text("4.00 USD")
    screenshot(page, "number-paid")


def release(page, label):
    page.goto(f"/projects/1/numbers/{label}/")
    page.get_by_role("link", name="Release…").click()
    page.get_by_label("Reason").fill("Changed his mind")
    page.get_by_role("button", name="Release").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Number {label} released: it is available again."
    )


def mark_paid(page, label):
    page.goto(f"/projects/1/numbers/{label}/")
    form = page.locator("form", has=page.get_by_role("heading", name="Mark paid"))
    form.get_by_role("button", name="Mark paid").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Number {label} marked paid (10.00 USD, cash)."
    )
