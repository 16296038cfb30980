"""The Spanish interface, chosen with the language switcher or by the browser."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

from .conftest import screenshot

pytestmark = pytest.mark.browser

NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture
def project(organizer):
    """Numbers 00-99 at 617.25 ARS; Ana paid 03 and 04."""
    project = ProjectFactory(owner=organizer, name="Rifa Navideña", currency="ARS")
    RaffleSetFactory(
        project=project, name="Talonario", quantity=100, unit_price=Decimal("617.25")
    )
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez"),
        numbers="3-4",
        actor=organizer,
        state="paid",
        method="cash",
    )
    return project


def test_language_switcher_turns_the_pages_spanish(organizer_page, project):
    page = organizer_page
    page.goto(f"/projects/{project.ref}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # By keyboard: pick the language, tab to the button, press Enter.
    page.get_by_label("Language").focus()
    page.get_by_label("Language").select_option("es")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change language")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{page.url.split('/projects/')[0]}/projects/1/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Vender números")).to_be_visible()
    expect(page.get_by_role("heading", name="Series")).to_be_visible()
    expect(page.get_by_text(f"1{NBSP}234,50 ARS").first).to_be_visible()
    screenshot(page, "project-es")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sus proyectos")
    expect(page.get_by_text("2 de 100 números vendidos (2,0%)")).to_be_visible()
    screenshot(page, "dashboard-es")

    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar idioma").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your projects")


def test_spanish_sale_form_reports_errors_in_spanish(new_page, organizer, project):
    page = new_page(locale="es-AR", user=organizer)
    page.goto(f"/projects/{project.ref}/sell/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vender o reservar números"
    )

    page.get_by_label("Números").fill("7, abc")
    page.get_by_label("Nombre").fill("Luis")
    page.get_by_role("button", name="Revisar la venta").click()
    expect(
        page.get_by_text("Indique al menos un correo o un teléfono.")
    ).to_be_visible()
    screenshot(page, "sell-form-errors-es")

    page.get_by_label("Teléfono").fill("+54 9 11 2345 6789")
    page.get_by_role("button", name="Revisar la venta").click()

    expect(
        page.get_by_text("«abc» no es un número ni un rango como 100-105.")
    ).to_be_visible()


def test_spanish_draw_list_dates_and_amounts(new_page, organizer, project):
    page = new_page(locale="es-AR", user=organizer)

    page.goto(f"/projects/{project.ref}/draw-list/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lista del sorteo · Rifa Navideña"
    )
    expect(page.get_by_text("Solo números pagados.")).to_be_visible()
    expect(page.get_by_role("cell", name=f"1{NBSP}234,50 ARS").first).to_be_visible()
    expect(page.get_by_role("cell", name="Ana Gómez")).to_have_count(2)
