from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle, RaffleSet
from raffles.services import release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

SET_URL = "/projects/1/sets/1/"
NBSP = "\N{NO-BREAK SPACE}"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def set_data(**changes):
    data = {
        "name": "Talonario Ñandú 🎟️",
        "kind": "paper",
        "unit_price": "2.50",
        "first_number": "0",
        "quantity": "100",
        "padding": "",
    }
    return {**data, **changes}


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")


@pytest.fixture
def raffle_set(project):
    return RaffleSetFactory(project=project, name="Online", quantity=1000)


def sell(project, numbers, state="reserved", buyer=None):
    buyer = buyer or BuyerFactory(owner=project.owner)
    return sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
        method="cash" if state == "paid" else "",
    )


def numbers_of(raffle_set):
    return list(
        Raffle.objects.filter(raffle_set=raffle_set)
        .order_by("number")
        .values_list("number", flat=True)
    )


# Isolation: every page, three ways.

PAGES = [
    "/projects/1/sets/new/",
    SET_URL,
    "/projects/1/sets/1/edit/",
    "/projects/1/sets/1/delete/",
]


@pytest.mark.parametrize("url", PAGES)
def test_set_page_answers_its_owner(organizer_client, raffle_set, url):
    assert organizer_client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_set_page_is_404_for_another_organizer(
    client, raffle_set, other_organizer, url
):
    client.force_login(other_organizer)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES[1:])
def test_set_page_is_404_from_another_organizers_own_project(
    client, raffle_set, other_organizer, url
):
    # Their own project 1 has no set 1: ours stays out of reach.
    ProjectFactory(owner=other_organizer)
    client.force_login(other_organizer)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_set_action_is_404_for_another_organizer(
    client, raffle_set, other_organizer, url
):
    client.force_login(other_organizer)

    response = client.post(url, set_data(name="Taken over", quantity="10"))

    assert response.status_code == 404
    assert list(RaffleSet.objects.values_list("name", "quantity")) == [("Online", 1000)]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_set_page_sends_anonymous_to_login(client, raffle_set, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert RaffleSet.objects.count() == 1


# Create


def test_new_set_page_proposes_the_next_free_number(organizer_client, raffle_set):
    response = organizer_client.get("/projects/1/sets/new/")

    form = response.context["form"]
    assert form["first_number"].value() == 1000
    assert form.fields["unit_price"].label == "Unit price (USD)"


def test_new_set_creates_its_numbers(organizer_client, project):
    response = organizer_client.post("/projects/1/sets/new/", set_data())

    raffle_set = RaffleSet.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == SET_URL
    assert messages_of(response) == [
        "Created set “Talonario Ñandú 🎟️”: numbers 00-99 at 2.50 USD each."
    ]
    assert raffle_set.name == "Talonario Ñandú 🎟️"
    assert (raffle_set.kind, raffle_set.unit_price, raffle_set.padding) == (
        "paper",
        Decimal("2.50"),
        2,
    )
    assert numbers_of(raffle_set) == list(range(100))
    page = organizer_client.get(SET_URL)
    assert "<h1>Talonario Ñandú 🎟️</h1>".encode() in page.content


@pytest.mark.parametrize(
    ("language", "currency", "message"),
    [
        (
            "en",
            "ARS",
            "Created set “Talonario Ñandú 🎟️”: numbers 00-99 at 1,500.00 ARS each.",
        ),
        (
            "en",
            "CLP",
            "Created set “Talonario Ñandú 🎟️”: numbers 00-99 at 1,500 CLP each.",
        ),
        (
            "es",
            "ARS",
            "Serie «Talonario Ñandú 🎟️» creada: números 00-99 a "
            f"1{NBSP}500,00 ARS cada uno.",
        ),
    ],
)
def test_new_set_message_gives_the_price_in_the_projects_currency(
    organizer_client, project, language, currency, message
):
    project.currency = currency
    project.save(update_fields=["currency"])
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = organizer_client.post(
        "/projects/1/sets/new/", set_data(unit_price="1500")
    )

    assert messages_of(response) == [message]


def test_new_set_takes_a_padding(organizer_client, project):
    organizer_client.post(
        "/projects/1/sets/new/", set_data(first_number="500", padding="4")
    )

    raffle_set = RaffleSet.objects.get(project=project)
    assert raffle_set.range_label == "0500-0599"


def test_new_set_refuses_an_overlap_naming_the_clash(organizer_client, project):
    first = organizer_client.post(
        "/projects/1/sets/new/",
        set_data(name="A", first_number="500", quantity="1000"),
    )

    second = organizer_client.post(
        "/projects/1/sets/new/",
        set_data(name="B", first_number="1000", quantity="1000"),
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].errors == {
        "first_number": [
            "Numbers 1000-1999 overlap set “A” (0500-1499): numbers are unique "
            "across a project."
        ]
    }
    assert list(RaffleSet.objects.values_list("name", flat=True)) == ["A"]
    assert Raffle.objects.count() == 1000


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"quantity": "0"}, {"quantity": ["A set needs at least one number."]}),
        ({"quantity": "-5"}, {"quantity": ["A set needs at least one number."]}),
        (
            {"quantity": "100001"},
            {"quantity": ["A set can have at most 100,000 numbers."]},
        ),
        ({"quantity": "lots"}, {"quantity": ["Enter a whole number."]}),
        ({"unit_price": "2.225"}, {"unit_price": ["Use at most two decimal places."]}),
        ({"unit_price": "-1"}, {"unit_price": ["The price cannot be negative."]}),
        (
            {"unit_price": "NaN"},
            {"unit_price": ["Enter an amount such as 1,234.50."]},
        ),
        (
            {"name": "x" * 300},
            {"name": ["Ensure this value has at most 120 characters (it has 300)."]},
        ),
        ({"name": ""}, {"name": ["This field is required."]}),
        (
            {"first_number": "-1"},
            {"first_number": ["The first number must be 0 or more."]},
        ),
        ({"padding": "0"}, {"padding": ["The padding must be between 1 and 10."]}),
        (
            {"kind": "wood"},
            {
                "kind": [
                    "Select a valid choice. wood is not one of the available choices."
                ]
            },
        ),
    ],
)
def test_new_set_refuses_bad_input(organizer_client, project, changes, errors):
    response = organizer_client.post("/projects/1/sets/new/", set_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert RaffleSet.objects.count() == 0
    assert Raffle.objects.count() == 0


def test_new_set_refuses_a_taken_name(organizer_client, raffle_set):
    response = organizer_client.post(
        "/projects/1/sets/new/", set_data(name="ONLINE", first_number="1000")
    )

    assert response.context["form"].errors == {
        "name": ["A set named “ONLINE” already exists in this project."]
    }
    assert RaffleSet.objects.count() == 1


def test_new_set_shows_errors_next_to_their_field(organizer_client, project):
    response = organizer_client.post("/projects/1/sets/new/", set_data(quantity="0"))

    html = response.content.decode()
    error = html.index("A set needs at least one number.")
    assert html.index('for="id_quantity"') < error < html.index('name="quantity"')


# Edit


def test_edit_set_page_shows_current_values(organizer_client, raffle_set):
    response = organizer_client.get("/projects/1/sets/1/edit/")

    form = response.context["form"]
    assert (form["name"].value(), form["quantity"].value()) == ("Online", 1000)
    assert form["padding"].value() == 3


def test_edit_set_grows_it_at_the_end(organizer_client, raffle_set):
    response = organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="Online", unit_price="2.00", quantity="1500", padding="3"),
    )

    raffle_set.refresh_from_db()
    assert response["Location"] == SET_URL
    assert messages_of(response) == [
        "Saved set “Online”: numbers 000-1499 at 2.00 USD each."
    ]
    assert numbers_of(raffle_set) == list(range(1500))


def test_edit_set_takes_a_wider_padding(organizer_client, raffle_set):
    organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="Online", unit_price="2.00", quantity="1000", padding="5"),
    )

    raffle_set.refresh_from_db()
    assert raffle_set.range_label == "00000-00999"


def test_edit_set_takes_a_padding_narrower_than_its_numbers(
    organizer_client, raffle_set
):
    organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="Online", unit_price="2.00", quantity="1000", padding="2"),
    )

    raffle_set.refresh_from_db()
    assert (raffle_set.padding, raffle_set.range_label) == (2, "00-999")


def test_edit_set_renames_it(organizer_client, raffle_set):
    organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="En línea 🌐", unit_price="2.00", quantity="1000"),
    )

    raffle_set.refresh_from_db()
    assert raffle_set.name == "En línea 🌐"


def test_edit_set_refuses_another_sets_name(organizer_client, raffle_set):
    RaffleSetFactory(project=raffle_set.project, name="Paper", first_number=1000)

    response = organizer_client.post(
        "/projects/1/sets/1/edit/", set_data(name="PAPER", quantity="1000")
    )

    assert response.context["form"].errors == {
        "name": ["A set named “PAPER” already exists in this project."]
    }
    raffle_set.refresh_from_db()
    assert raffle_set.name == "Online"


def test_edit_set_price_keeps_sold_numbers_price(organizer_client, raffle_set):
    [sold] = sell(raffle_set.project, "5")

    organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="Online", unit_price="3.00", quantity="1000"),
    )

    sold.refresh_from_db()
    raffle_set.refresh_from_db()
    assert raffle_set.unit_price == Decimal("3.00")
    assert sold.price == Decimal("2.00")


def test_edit_set_shrinks_while_numbers_are_available(organizer_client, raffle_set):
    sell(raffle_set.project, "10-20", state="paid")

    response = organizer_client.post(
        "/projects/1/sets/1/edit/", set_data(name="Online", quantity="100")
    )

    assert response.status_code == 302
    assert numbers_of(raffle_set) == list(range(100))


def test_edit_set_refuses_to_shrink_past_sold_numbers(organizer_client, raffle_set):
    sell(raffle_set.project, "100-599", state="paid")

    response = organizer_client.post(
        "/projects/1/sets/1/edit/", set_data(name="Online", quantity="100")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "quantity": [
            "Numbers 100-599 are or were reserved or paid, so they cannot be "
            "removed: their history must stay."
        ]
    }
    raffle_set.refresh_from_db()
    assert raffle_set.quantity == 1000
    assert raffle_set.unit_price == Decimal("2.00")
    assert len(numbers_of(raffle_set)) == 1000


def released(project, numbers):
    """Sell `numbers`, then release them: available again, with a history."""
    for raffle in sell(project, numbers):
        release_number(raffle=raffle, actor=project.owner)


def test_edit_set_refuses_to_shrink_past_numbers_with_history(
    organizer_client, raffle_set
):
    released(raffle_set.project, "040-045, 099")

    response = organizer_client.post(
        "/projects/1/sets/1/edit/", set_data(name="Online", quantity="40")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "quantity": [
            "Numbers 040-045, 099 are or were reserved or paid, so they cannot be "
            "removed: their history must stay."
        ]
    }
    assert len(numbers_of(raffle_set)) == 1000


def test_delete_set_refuses_numbers_with_history(organizer_client, raffle_set):
    released(raffle_set.project, "007")

    response = organizer_client.post("/projects/1/sets/1/delete/")

    assert response.context["form"].non_field_errors() == [
        "Number 007 is or was reserved or paid, so it cannot be removed: its "
        "history must stay."
    ]
    assert Raffle.objects.count() == 1000


def test_edit_set_refuses_to_move_sold_numbers(organizer_client, raffle_set):
    sell(raffle_set.project, "7")

    response = organizer_client.post(
        "/projects/1/sets/1/edit/", set_data(name="Online", first_number="2000")
    )

    assert response.context["form"].errors == {
        "first_number": [
            "Number 007 is or was reserved or paid, so it cannot be removed: its "
            "history must stay."
        ]
    }
    raffle_set.refresh_from_db()
    assert raffle_set.first_number == 0


def test_edit_set_refuses_to_grow_into_another_set(organizer_client, raffle_set):
    RaffleSetFactory(project=raffle_set.project, name="Paper", first_number=1000)

    response = organizer_client.post(
        "/projects/1/sets/1/edit/", set_data(name="Online", quantity="1050")
    )

    assert response.context["form"].errors == {
        "first_number": [
            "Numbers 1000-1049 overlap set “Paper” (1000-1099): numbers are unique "
            "across a project."
        ]
    }
    raffle_set.refresh_from_db()
    assert raffle_set.quantity == 1000


def test_edit_set_refuses_price_with_three_decimals(organizer_client, raffle_set):
    response = organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="Online", unit_price="2.999", quantity="1000"),
    )

    assert response.context["form"].errors == {
        "unit_price": ["Use at most two decimal places."]
    }
    raffle_set.refresh_from_db()
    assert raffle_set.unit_price == Decimal("2.00")


# Delete


def test_delete_set_asks_first(organizer_client, raffle_set):
    response = organizer_client.get("/projects/1/sets/1/delete/")

    assert response.status_code == 200
    assert "This deletes the set and its 1,000 numbers (000-999)." in (
        response.content.decode()
    )
    assert RaffleSet.objects.count() == 1


def test_delete_set_deletes_it_and_its_numbers(organizer_client, raffle_set):
    response = organizer_client.post("/projects/1/sets/1/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/projects/1/"
    assert messages_of(response) == ["Deleted set “Online” and its numbers 000-999."]
    assert RaffleSet.objects.count() == 0
    assert Raffle.objects.count() == 0


def test_delete_set_refuses_with_sold_numbers(organizer_client, raffle_set):
    sell(raffle_set.project, "100-599", state="paid")

    response = organizer_client.post("/projects/1/sets/1/delete/")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Numbers 100-599 are or were reserved or paid, so they cannot be removed: "
        "their history must stay."
    ]
    assert RaffleSet.objects.count() == 1
    assert Raffle.objects.count() == 1000


# The number grid


def text_of(response):
    """The page's HTML with every run of white space made one space."""
    return " ".join(response.content.decode().split())


def grid_labels(response):
    return [raffle.label for raffle in response.context["grid"].raffles]


def test_grid_shows_the_first_block(organizer_client, raffle_set):
    response = organizer_client.get(SET_URL)

    grid = response.context["grid"]
    assert grid_labels(response) == [f"{n:03}" for n in range(500)]
    assert (grid.page, grid.page_labels) == (1, ["000-499", "500-999"])
    assert (grid.previous, grid.next) == (None, 2)


@pytest.mark.parametrize(
    ("page", "first", "last"),
    [
        ("2", "500", "999"),
        ("9", "500", "999"),
        ("0", "000", "499"),
        ("x", "000", "499"),
    ],
)
def test_grid_pages_stay_in_the_set(organizer_client, raffle_set, page, first, last):
    response = organizer_client.get(f"{SET_URL}?page={page}")

    labels = grid_labels(response)
    assert (labels[0], labels[-1], len(labels)) == (first, last, 500)


def test_grid_shows_state_by_class_and_text(organizer_client, raffle_set):
    buyer = BuyerFactory(owner=raffle_set.project.owner, first_name="Ana 😀")
    sell(raffle_set.project, "7", state="paid", buyer=buyer)
    sell(raffle_set.project, "8", buyer=buyer)

    html = text_of(organizer_client.get(SET_URL))

    assert (
        '<li class="cell state-paid"> <a id="n-007" href="/projects/1/numbers/007/" '
        'title="007 · paid · Ana 😀 Gómez">007<span class="symbol" '
        'aria-hidden="true">●</span><span class="visually-hidden">paid, '
        "Ana 😀 Gómez</span></a> </li>"
    ) in html
    assert '<li class="cell state-reserved">' in html
    assert '◐</span><span class="visually-hidden">reserved, Ana 😀 Gómez</span>' in html
    assert '○</span><span class="visually-hidden">available</span>' in html


def test_grid_offers_a_labelled_tick_box_on_unpaid_numbers(
    organizer_client, raffle_set
):
    sell(raffle_set.project, "7", state="paid")
    sell(raffle_set.project, "8")

    html = text_of(organizer_client.get(SET_URL))

    assert (
        '<label class="pick"> <input type="checkbox" name="numbers" value="008" '
        'data-state="reserved"> <span class="visually-hidden">Tick 008</span> '
        "</label>"
    ) in html
    assert 'value="009" data-state="available"' in html
    assert 'value="007"' not in html
    assert html.count('type="checkbox" name="numbers"') == 499


def test_grid_form_sends_ticked_numbers_to_sell_or_mark_paid(
    organizer_client, raffle_set
):
    sell(raffle_set.project, "700")  # reserved: it can be marked paid
    html = text_of(organizer_client.get(f"{SET_URL}?page=2"))

    form = html[html.index('<form method="post" action="/projects/1/sell/"') :]
    form = form[: form.index("</form>")]
    assert 'id="grid-form" class="grid-form">' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="pick" value="1">' in form
    assert '<input type="hidden" name="next" value="/projects/1/sets/1/?page=2">' in (
        form
    )
    assert 'formaction="/projects/1/mark-paid/" id="mark-paid-ticked"' in html
    assert '<script src="/static/js/grid.js" defer></script>' in html


GRID_PICK = {
    "pick": "1",
    "next": "/projects/1/sets/1/",
    "numbers": ["003", "004", "005", "010"],
}


def test_grid_selection_arrives_on_the_sell_page(organizer_client, raffle_set):
    response = organizer_client.post("/projects/1/sell/", GRID_PICK)

    assert response.status_code == 200
    assert response.context["form"]["numbers"].value() == "003-005, 010"
    assert response.context["form"].errors == {}
    assert response.context["next"] == "/projects/1/sets/1/"
    assert Raffle.objects.exclude(state="available").count() == 0


def test_grid_selection_arrives_on_the_mark_paid_page(organizer_client, raffle_set):
    sell(raffle_set.project, "3-5, 10")

    response = organizer_client.post("/projects/1/mark-paid/", GRID_PICK)

    assert response.status_code == 200
    assert response.context["form"]["numbers"].value() == "003-005, 010"
    assert response.context["reviewable"] is True
    assert response.context["next"] == "/projects/1/sets/1/"
    assert Raffle.objects.filter(state="paid").count() == 0


def test_grid_filters_by_state(organizer_client, raffle_set):
    sell(raffle_set.project, "3, 600-601")
    sell(raffle_set.project, "4", state="paid")

    response = organizer_client.get(f"{SET_URL}?state=reserved")

    assert grid_labels(response) == ["003", "600", "601"]
    assert response.context["grid"].matches == 3
    assert "3 matching numbers" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "queries", "shown", "actions"),
    [
        (
            "",
            6,
            ["tick-available", "tick-reserved", "clear-ticks"],
            ["sell-ticked", "mark-paid-ticked"],
        ),
        ("?state=available", 7, ["tick-available", "clear-ticks"], ["sell-ticked"]),
        (
            "?state=reserved",
            7,
            ["tick-reserved", "clear-ticks"],
            ["mark-paid-ticked"],
        ),
        ("?state=paid", 7, [], []),
        ("?page=2", 6, ["tick-available", "clear-ticks"], ["sell-ticked"]),
    ],
)
def test_grid_offers_to_tick_only_the_states_on_its_page(
    organizer_client,
    raffle_set,
    django_assert_num_queries,
    query,
    queries,
    shown,
    actions,
):
    sell(raffle_set.project, "3")
    sell(raffle_set.project, "4", state="paid")
    tools = ["tick-available", "tick-reserved", "clear-ticks"]

    with django_assert_num_queries(queries):
        html = organizer_client.get(SET_URL + query).content.decode()

    assert [tool for tool in tools if f'id="{tool}"' in html] == shown
    assert ('id="tick-tools"' in html) == bool(shown)
    buttons = ["sell-ticked", "mark-paid-ticked"]
    assert [button for button in buttons if f'id="{button}"' in html] == actions
    assert ("there is nothing to tick" in html) == (not actions)


def test_grid_filters_by_buyer(organizer_client, raffle_set):
    owner = raffle_set.project.owner
    ana = BuyerFactory(owner=owner, first_name="Ana", last_name="Peña")
    sell(raffle_set.project, "9, 700", buyer=ana)
    sell(raffle_set.project, "10")

    response = organizer_client.get(f"{SET_URL}?buyer=peña")

    assert grid_labels(response) == ["009", "700"]


def test_grid_pages_through_a_filter(organizer_client, raffle_set):
    sell(raffle_set.project, "0-599", state="paid")

    response = organizer_client.get(f"{SET_URL}?state=paid&page=2")

    grid = response.context["grid"]
    assert grid_labels(response) == [f"{n:03}" for n in range(500, 600)]
    assert (grid.page, grid.page_labels, grid.matches) == (2, ["1", "2"], 600)
    assert 'href="?state=paid&amp;page=1"' in response.content.decode()


def test_grid_reports_a_bad_filter(organizer_client, raffle_set):
    response = organizer_client.get(f"{SET_URL}?state=lost")

    assert response.context["filters"].errors == {
        "state": ["Select a valid choice. lost is not one of the available choices."]
    }
    assert len(grid_labels(response)) == 500


@pytest.mark.parametrize(
    ("typed", "location"),
    [
        ("7", f"{SET_URL}?page=1#n-007"),
        ("007", f"{SET_URL}?page=1#n-007"),
        ("999", f"{SET_URL}?page=2#n-999"),
        ("1200", "/projects/1/sets/2/?page=1#n-1200"),
    ],
)
def test_grid_jumps_to_a_number(organizer_client, raffle_set, typed, location):
    RaffleSetFactory(project=raffle_set.project, first_number=1000, quantity=500)

    response = organizer_client.get(f"{SET_URL}?number={typed}&state=paid")

    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0007", "Too many digits for this project's numbers: 0007."),
        ("5000", "Not in any set of this project: 5000."),
        ("7-9", "Type one number, such as 7 or 007."),
        ("siete", "Type one number, such as 7 or 007."),
        ("²", "Type one number, such as 7 or 007."),
        ("٧", "Type one number, such as 7 or 007."),
    ],
)
def test_grid_explains_a_bad_jump(organizer_client, raffle_set, typed, message):
    response = organizer_client.get(f"{SET_URL}?number={typed}")

    assert response.status_code == 200
    assert response.context["jump"].errors == {"number": [message]}
    assert 'href="?page=2"' in response.content.decode()


@pytest.mark.parametrize("quantity", [2_000, 100_000])
@pytest.mark.parametrize(
    ("query", "queries", "shown"),
    [
        # Session, user, project, set, the project's sets with their
        # totals (a sold number: no Delete link, no query), the block.
        ("", 6, 500),
        ("?page=2", 6, 500),
        ("?page=999999", 6, 500),
        # ... or the page's keys (counted on the set's row), then its rows.
        ("?state=paid", 7, 500),
        ("?state=paid&page=2", 7, 10),
        ("?state=available&page=2", 7, 500),
        ("?state=available&page=999999", 7, 490),
        # ... or the buyers that match, a count of their numbers, the
        # page's keys, then its rows.
        ("?buyer=Gómez", 9, 500),
        ("?buyer=Gómez&page=2", 9, 10),
        ("?buyer=Gómez&state=paid&page=2", 9, 10),
    ],
)
def test_grid_query_count_is_constant(
    organizer_client,
    project,
    django_assert_num_queries,
    quantity,
    query,
    queries,
    shown,
):
    RaffleSetFactory(project=project, quantity=quantity)
    sell(project, "1-510", state="paid")

    with django_assert_num_queries(queries):
        response = organizer_client.get(SET_URL + query)

    assert len(response.context["grid"].raffles) == shown


@pytest.mark.parametrize("query", ["state=paid", "buyer=Peña"])
@pytest.mark.parametrize(
    ("page", "shown", "first", "last"),
    [
        ("1", 1, 0, 499),
        ("2", 2, 500, 999),
        ("3", 3, 1000, 1299),
        ("4", 3, 1000, 1299),
        ("0", 1, 0, 499),
        ("x", 1, 0, 499),
    ],
)
def test_grid_filtered_pages_hold_their_numbers_in_order(
    organizer_client, project, query, page, shown, first, last
):
    RaffleSetFactory(project=project, quantity=2000)
    luis = BuyerFactory(owner=project.owner, first_name="Luis", last_name="Peña")
    sell(project, "0-1299", state="paid", buyer=luis)
    sell(project, "1300-1310")

    response = organizer_client.get(f"{SET_URL}?{query}&page={page}")

    grid = response.context["grid"]
    assert grid_labels(response) == [f"{n:04}" for n in range(first, last + 1)]
    assert (grid.page, grid.page_labels, grid.matches) == (
        shown,
        ["1", "2", "3"],
        1300,
    )


# Prices typed as the language writes them


@pytest.mark.parametrize(
    ("language", "typed", "price"),
    [
        ("es", "1234,50", Decimal("1234.50")),
        ("es", "5.000,50", Decimal("5000.50")),
        ("es", f"5{NBSP}000,50", Decimal("5000.50")),
        ("es", "5 000,50", Decimal("5000.50")),
        ("es", "1234.50", Decimal("1234.50")),
        ("es", "5.000", Decimal("5000.00")),
        ("en", "5,000.50", Decimal("5000.50")),
        ("en", "1234.50", Decimal("1234.50")),
    ],
)
def test_new_set_takes_a_price_as_the_language_writes_it(
    organizer_client, project, language, typed, price
):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    organizer_client.post("/projects/1/sets/new/", set_data(unit_price=typed))

    assert RaffleSet.objects.get(project=project).unit_price == price


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "1234,50"), ("en", "5.000,50"), ("es", "1,234.50")]
)
def test_new_set_refuses_a_price_it_cannot_read_for_sure(
    organizer_client, project, language, typed
):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = organizer_client.post(
        "/projects/1/sets/new/", set_data(unit_price=typed)
    )

    example = "1,234.50" if language == "en" else f"1{NBSP}234,50"
    assert response.context["form"].errors["unit_price"] == [
        "Enter an amount such as 1,234.50."
        if language == "en"
        else f"Ingrese un monto como {example}."
    ]
    assert RaffleSet.objects.filter(project=project).count() == 0


@pytest.mark.parametrize("typed", ["5.000", "2.505"])
def test_new_set_in_english_refuses_a_thousands_dot_rather_than_cut_it(
    organizer_client, project, typed
):
    """ "5.000" is five thousand in Spanish; in English it would read as 5.00."""
    response = organizer_client.post(
        "/projects/1/sets/new/", set_data(unit_price=typed)
    )

    assert response.context["form"].errors["unit_price"] == [
        "Use at most two decimal places."
    ]
    assert RaffleSet.objects.filter(project=project).count() == 0


def test_edit_set_fills_in_the_price_in_spanish(organizer_client, raffle_set):
    RaffleSet.objects.filter(pk=raffle_set.pk).update(unit_price=Decimal("5000.00"))
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = organizer_client.get("/projects/1/sets/1/edit/")

    assert f'value="5{NBSP}000,00"' in response.content.decode()


def test_edit_set_takes_a_spanish_price(organizer_client, raffle_set):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    organizer_client.post(
        "/projects/1/sets/1/edit/",
        set_data(name="Online", unit_price="5.000,50", quantity="1000"),
    )

    raffle_set.refresh_from_db()
    assert raffle_set.unit_price == Decimal("5000.50")


def test_delete_set_page_names_the_real_problem_for_a_released_number(
    organizer_client, raffle_set
):
    released(raffle_set.project, "007")

    response = organizer_client.get("/projects/1/sets/1/delete/")

    page = response.content.decode()
    assert response.context["problem"] == (
        "Number 007 is or was reserved or paid, so it cannot be removed: its "
        "history must stay."
    )
    assert "Set “Online” cannot be deleted" in page
    assert "Delete set</button>" not in page
    assert "release or refund" not in page


def test_delete_set_page_offers_the_button_for_a_set_without_history(
    organizer_client, raffle_set
):
    response = organizer_client.get("/projects/1/sets/1/delete/")

    assert response.context["problem"] is None
    assert "Delete set</button>" in response.content.decode()


@pytest.mark.parametrize(
    ("history", "shown"), [(None, True), ("reserved", False), ("released", False)]
)
def test_set_page_shows_delete_only_when_the_set_can_go(
    organizer_client, raffle_set, history, shown
):
    if history == "reserved":
        sell(raffle_set.project, "5")
    elif history == "released":
        released(raffle_set.project, "5")

    response = organizer_client.get(SET_URL)

    assert ('href="/projects/1/sets/1/delete/"' in response.content.decode()) is shown


def test_kind_reads_the_same_in_the_table_the_page_and_the_form(
    organizer_client, project
):
    RaffleSetFactory(project=project, name="Booklets", kind="paper", quantity=10)

    table = organizer_client.get("/projects/1/").content.decode()
    page = organizer_client.get(SET_URL).content.decode()
    form = organizer_client.get("/projects/1/sets/new/")

    assert '<td data-label="Kind">Paper</td>' in table
    assert " ".join(page.split()).count("<dt>Kind</dt> <dd> Paper </dd>") == 1
    assert list(form.context["form"].fields["kind"].choices) == [
        ("virtual", "Virtual"),
        ("paper", "Paper"),
    ]
