"""The pages in English (the default) and in Spanish."""

import datetime
import re
from decimal import Decimal
from html import unescape
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.models import Payment, Raffle
from raffles.services import record_payment, sell_numbers, void_payment
from raffles.tests.factories import RaffleSetFactory
from rafflesite.tests.test_translations import CATALOG, read_po

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


@pytest.fixture
def spanish(organizer_client):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return organizer_client


@pytest.fixture
def project(organizer):
    """Numbers 0-9 at 617.25 USD; Ana paid 3 and 4 and reserved 5."""
    project = ProjectFactory(owner=organizer, name="Rifa Navideña", currency="USD")
    RaffleSetFactory(
        project=project, name="Talonario", quantity=10, unit_price=Decimal("617.25")
    )
    ana = BuyerFactory(owner=organizer, first_name="Ana")
    sell_numbers(
        project=project,
        buyer=ana,
        numbers="3-4",
        actor=organizer,
        state="paid",
        method="cash",
    )
    sell_numbers(project=project, buyer=ana, numbers="5", actor=organizer)
    return project


def test_pages_are_english_by_default(client):
    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Iniciar sesión" not in html


def test_pages_follow_the_browser_language(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es-AR,es;q=0.9")

    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html


def test_language_switcher_is_on_every_page(client):
    response = client.get("/accounts/register/")

    html = response.content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/accounts/register/">' in html
    assert '<option value="es"' in html
    assert "Change language" in html


def test_language_switcher_switches_and_goes_back(organizer_client, project):
    response = organizer_client.post(
        "/i18n/setlang/", {"language": "es", "next": "/projects/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    html = organizer_client.get("/").content.decode()
    assert "Sus proyectos" in html
    assert "Your projects" not in html


def test_dashboard_in_spanish_shows_formatted_amounts(spanish, project):
    response = spanish.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sus proyectos" in html
    assert "3 de 10 números vendidos (30,0%)" in html
    assert "1 serie" in html
    assert f"1{NBSP}234,50 USD" in html
    assert "617,25 USD" in html
    assert "Recaudado" in html
    assert "Collected" not in html


def test_dashboard_in_english_shows_formatted_amounts(organizer_client, project):
    html = organizer_client.get("/").content.decode()

    assert "3 of 10 numbers sold (30.0%)" in html
    assert "1,234.50 USD" in html
    assert "617.25 USD" in html


def test_sales_bar_widths_stay_machine_readable(spanish, organizer):
    project = ProjectFactory(owner=organizer, name="Grande")
    RaffleSetFactory(project=project, name="Todo", quantity=2000)
    ana = BuyerFactory(owner=organizer, first_name="Ana")
    sell_numbers(project=project, buyer=ana, numbers="0-1233", actor=organizer)

    html = spanish.get("/").content.decode()

    assert '<rect class="bar-reserved" width="617" height="10" />' in html
    assert f"1{NBSP}234 de 2{NBSP}000 números vendidos" in unescape(html)


def test_service_errors_are_in_spanish(spanish, project):
    response = spanish.post(
        f"/projects/{project.ref}/sell/",
        {"numbers": "7, abc", "state": "reserved", "method": "cash", "buyer": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "«abc» no es un número ni un rango como 100-105." in html


def test_payment_message_is_in_spanish_with_amounts(spanish, project):
    buyer = BuyerFactory(owner=project.owner, first_name="Luis")
    sell_numbers(project=project, buyer=buyer, numbers="7", actor=project.owner)

    response = spanish.post(
        f"/projects/{project.ref}/numbers/7/payments/",
        {
            "payment-amount": "300",
            "payment-method": "cash",
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-reference": "",
        },
        follow=True,
    )

    html = response.content.decode()
    assert (
        "Pago de 300,00 USD registrado para el número 7; quedan 317,25 USD por pagar."
    ) in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Marked 5-6 paid: 2 numbers, 1,234.50 USD."),
        ("es", f"Marcados como pagados: 5-6 (2 números, 1{NBSP}234,50 USD)."),
    ],
)
def test_mark_paid_many_message_formats_the_total(
    organizer_client, project, language, message
):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    luis = BuyerFactory(owner=project.owner, first_name="Luis")
    sell_numbers(project=project, buyer=luis, numbers="6", actor=project.owner)

    response = organizer_client.post(
        f"/projects/{project.ref}/mark-paid/",
        {
            "numbers": "5-6",
            "method": "cash",
            "paid_on": timezone.localdate().isoformat(),
            "reference": "",
            "reviewed": "5-6",
        },
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [message]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Payment of 1,234.50 USD on number 1 voided; 2,500.00 USD still owed."),
        (
            "es",
            f"Pago de 1{NBSP}234,50 USD del número 1 anulado; "
            f"quedan 2{NBSP}500,00 USD por pagar.",
        ),
    ],
)
def test_void_message_formats_the_amounts(
    organizer_client, organizer, language, message
):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    project = ProjectFactory(owner=organizer, name="Grande", currency="USD")
    RaffleSetFactory(project=project, quantity=10, unit_price=Decimal("2500.00"))
    buyer = BuyerFactory(owner=organizer)
    [raffle] = sell_numbers(project=project, buyer=buyer, numbers="1", actor=organizer)
    record_payment(raffle=raffle, amount="1234.50", method="cash", actor=organizer)

    response = organizer_client.post(
        f"/projects/{project.ref}/numbers/1/payments/1/void/",
        {"reason": "Transfer bounced"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [message]


def english_phrases():
    """Catalog phrases of two words or more whose Spanish differs, no blanks."""
    entries = read_po(CATALOG / "django.po")
    return [
        entry["msgid"]
        for entry in entries
        if " " in entry["msgid"]
        and "%" not in entry["msgid"]
        and "<" not in entry["msgid"]
        and entry["msgstr"] != [entry["msgid"]]
    ]


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def busy_project(project):
    """The project, plus what the other pages show.

    Number 5 has a payment that counts and a voided one; Luis and set 2
    hold nothing, so they can be deleted; prize 1 is drawn, prize 2 not.
    """
    owner = project.owner
    RaffleSetFactory(project=project, name="Vacía", first_number=10, quantity=10)
    BuyerFactory(owner=owner, first_name="Luis")
    five = Raffle.objects.get(project=project, number=5)
    record_payment(raffle=five, amount="100", method="cash", actor=owner)
    wrong = record_payment(raffle=five, amount="50", method="card", actor=owner)
    void_payment(payment=wrong, actor=owner, reason="Tarjeta rechazada")
    bicycle = draws.create_prize(project=project, name="Bicicleta")
    draws.create_prize(project=project, name="Canasta")
    draws.draw_random(prize=bicycle, actor=owner)
    return project


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/projects/",
        "/projects/new/",
        "/projects/{p}/",
        "/projects/{p}/edit/",
        "/projects/{p}/delete/",
        "/projects/{p}/sets/new/",
        "/projects/{p}/sets/1/",
        "/projects/{p}/sets/1/?state=paid",
        "/projects/{p}/sets/1/edit/",
        "/projects/{p}/sets/1/delete/",
        "/projects/{p}/sets/2/delete/",
        "/projects/{p}/sell/",
        "/projects/{p}/sell/?numbers=1-2",
        "/projects/{p}/mark-paid/",
        "/projects/{p}/mark-paid/?numbers=5",
        "/projects/{p}/mark-paid/?numbers=3",
        "/projects/{p}/activity/",
        "/projects/{p}/numbers/3/",
        "/projects/{p}/numbers/5/",
        "/projects/{p}/numbers/5/?correct=2",
        "/projects/{p}/numbers/5/release/",
        "/projects/{p}/numbers/3/refund/",
        "/projects/{p}/numbers/5/payments/1/void/",
        "/projects/{p}/numbers/5/payments/1/correct/",
        "/projects/{p}/draw-list/",
        "/projects/{p}/draw-list/?layout=slips",
        "/projects/{p}/prizes/",
        "/projects/{p}/prizes/1/edit/",
        "/projects/{p}/prizes/2/delete/",
        "/projects/{p}/prizes/2/draw/",
        "/projects/{p}/draws/",
        "/projects/{p}/draws/1/1/",
        "/buyers/",
        "/buyers/new/",
        "/buyers/1/",
        "/buyers/1/edit/",
        "/buyers/1/delete/",
        "/buyers/2/delete/",
        "/accounts/password/",
    ],
)
def test_spanish_pages_show_no_english_phrase(spanish, busy_project, path):
    response = spanish.get(path.format(p=busy_project.ref))

    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert [phrase for phrase in english_phrases() if phrase in text] == []


@pytest.mark.parametrize(
    "sale",
    [
        {"buyer": "1"},
        {"new-first_name": "Luis", "new-phone": "+573000000009", "state": "paid"},
    ],
)
def test_spanish_sale_review_shows_no_english_phrase(spanish, busy_project, sale):
    data = {"numbers": "1-2", "state": "reserved", "method": "cash", **sale}

    response = spanish.post(f"/projects/{busy_project.ref}/sell/", data)

    text = visible_text(response.content.decode())
    assert response.templates[0].name == "raffles/sell_review.html"
    assert [phrase for phrase in english_phrases() if phrase in text] == []


def test_whatsapp_receipt_is_in_spanish(spanish, project):
    response = spanish.get("/buyers/1/")

    text = (
        "Hola Ana, estos son sus números de la rifa:\n"
        "• Rifa Navideña: 3-4 (pagados); 5 (reservado)\n"
        f"Pagado: 1{NBSP}234,50 USD. Falta pagar: 617,25 USD.\n"
        "¡Gracias!"
    )
    url = "https://wa.me/?text=" + quote(text, safe="")
    html = response.content.decode()
    assert response.context["whatsapp_url"] == url
    assert f'href="{url}"' in html
    assert ">Compartir por WhatsApp</a>" in html


def title(html):
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S)[1].split())


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{p}/edit/",
        "/projects/{p}/delete/",
        "/projects/{p}/sets/1/edit/",
        "/projects/{p}/sets/2/delete/",
    ],
)
def test_spanish_titles_of_things_take_no_personal_a(spanish, busy_project, path):
    response = spanish.get(path.format(p=busy_project.ref))

    page_title = title(response.content.decode())
    assert response.status_code == 200
    assert not page_title.startswith(("Editar a ", "Eliminar a "))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/buyers/1/edit/", "Editar a Ana"),
        ("/buyers/2/delete/", "Eliminar a Luis"),
    ],
)
def test_spanish_titles_of_buyers_take_the_personal_a(
    spanish, busy_project, path, expected
):
    response = spanish.get(path)

    assert title(response.content.decode()).startswith(expected)


# Needs the translations of tr-pages.json in the catalog.


def test_prize_list_in_spanish_draws_with_a_verb_under_a_noun(spanish, project):
    draws.create_prize(project=project, name="Bicicleta")

    html = spanish.get(f"/projects/{project.ref}/prizes/").content.decode()

    assert '<th scope="col">Sorteo</th>' in html
    assert re.search(r'href="/projects/\d+/prizes/1/draw/">Sortear</a>', html)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2000", "No está en ninguna serie de este proyecto: 2000."),
        ("2000, 3000", "No están en ninguna serie de este proyecto: 2000, 3000."),
    ],
)
def test_unknown_numbers_in_spanish_agree_in_number(spanish, project, typed, message):
    response = spanish.post(
        f"/projects/{project.ref}/mark-paid/",
        {
            "numbers": typed,
            "method": "cash",
            "paid_on": timezone.localdate().isoformat(),
        },
    )

    assert message in unescape(response.content.decode())


def test_draw_list_file_name_in_spanish(spanish, project):
    response = spanish.get(f"/projects/{project.ref}/draw-list.csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="lista-del-sorteo-rifa-navidena.csv"; '
        "filename*=UTF-8''lista-del-sorteo%20Rifa%20Navide%C3%B1a.csv"
    )


@pytest.fixture
def one_number_project(organizer):
    """A set of one number, 7, paid by Ana."""
    project = ProjectFactory(owner=organizer, name="Rifa chica")
    RaffleSetFactory(project=project, name="Única", first_number=7, quantity=1)
    ana = BuyerFactory(owner=organizer, first_name="Ana")
    sell_numbers(
        project=project,
        buyer=ana,
        numbers="7",
        actor=organizer,
        state="paid",
        method="cash",
    )
    return project


@pytest.mark.parametrize(
    ("language", "bar", "sold"),
    [
        (
            "en",
            'aria-label="1 paid, 0 reserved, 0 available"',
            "1 of 1 number sold (100.0%)",
        ),
        (
            "es",
            'aria-label="1 pagado, 0 reservados, 0 disponibles"',
            "1 de 1 número vendido (100,0%)",
        ),
    ],
)
def test_sales_progress_agrees_with_its_counts(
    organizer_client, one_number_project, language, bar, sold
):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = organizer_client.get(f"/projects/{one_number_project.ref}/").content

    text = " ".join(html.decode().split())
    assert bar in text
    assert sold in text


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "This deletes the set and its only number (7-7). It cannot be undone."),
        ("es", "Esto elimina la serie y su único número (7-7). No se puede deshacer."),
    ],
)
def test_set_delete_counts_a_single_number(
    organizer_client, organizer, language, sentence
):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, first_number=7, quantity=1)
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = organizer_client.get(f"/projects/{project.ref}/sets/1/delete/")

    assert sentence in " ".join(response.content.decode().split())


# Short dates: English names the month, Spanish stays day first

MOMENT = datetime.datetime(2026, 12, 2, 19, 15, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "label", "when", "day"),
    [
        ("en", "Date", "Dec. 2, 2026, 7:15 p.m.", "Dec. 2, 2026"),
        ("es", "Fecha", "02/12/2026 19:15", "02/12/2026"),
    ],
)
def test_number_page_writes_short_dates_unambiguously(
    organizer_client, project, settings, language, label, when, day
):
    settings.TIME_ZONE = "UTC"
    Raffle.objects.filter(project=project, number=3).update(paid_at=MOMENT)
    Payment.objects.filter(raffle__number=3).update(paid_at=MOMENT)
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = organizer_client.get(f"/projects/{project.ref}/numbers/3/")

    html = " ".join(response.content.decode().split())
    assert f"<dd> {when} </dd>" in html
    assert f'<td data-label="{label}">{day}</td>' in html


@pytest.mark.parametrize(
    ("language", "label", "day"),
    [("en", "Draw date", "Dec. 24, 2027"), ("es", "Fecha del sorteo", "24/12/2027")],
)
def test_project_list_writes_the_draw_date_unambiguously(
    organizer_client, organizer, language, label, day
):
    ProjectFactory(owner=organizer, draw_date=datetime.date(2027, 12, 24))
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = organizer_client.get("/projects/")

    assert f'<td data-label="{label}">{day}</td>' in response.content.decode()
