"""POST, PUT and PATCH keep the same rules, and PUT replaces (case S5).

For projects, buyers, sets and prizes: every bad input is a 400 naming
the field, whichever method sent it, and nothing changes. A PUT sets
every field it leaves out to its default; a PATCH leaves it as it was.
"""

from datetime import date

import pytest

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.models import Prize, RaffleSet
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _colombia(settings):
    settings.PHONE_REGION = "CO"


@pytest.fixture
def project(organizer):
    """Project 1 "Spring Fair", whose name others may not take."""
    return ProjectFactory(owner=organizer, name="Spring Fair")


@pytest.fixture
def world(organizer, project):
    """One object of each kind to edit, next to project 1."""
    target = ProjectFactory(
        owner=organizer,
        name="Autumn",
        description="Prizes for the autumn fair.",
        currency="COP",
        draw_date=date(2027, 12, 24),
    )
    RaffleSetFactory(project=project, name="Online", quantity=100)
    RaffleSetFactory(
        project=project,
        name="Paper",
        kind="paper",
        first_number=100,
        quantity=100,
        padding=4,
    )
    BuyerFactory(
        owner=organizer,
        first_name="Ana",
        last_name="Gómez",
        email="ana@example.com",
        phone="+57 300 000 0001",
        notes="Pays on Fridays",
    )
    draws.create_prize(
        project=project,
        name="Bicycle",
        description="Red, 26 inches",
        raffle_sets=list(project.raffle_sets.filter(ref=1)),
        lottery="Lotería de Bogotá",
        lottery_date=date(2027, 12, 24),
        unsold_rule="next",
    )
    return target


# What each resource is: where to POST, what to PUT and PATCH, a valid body.

RESOURCES = {
    "project": (
        "/api/projects/",
        "/api/projects/2/",
        {"name": "Winter", "currency": "ARS"},
    ),
    "buyer": (
        "/api/buyers/",
        "/api/buyers/1/",
        {"first_name": "Luis", "phone": "300 000 0002"},
    ),
    "set": (
        "/api/projects/1/sets/",
        "/api/projects/1/sets/2/",
        {"name": "Booklets", "unit_price": "3.00", "first_number": 200, "quantity": 50},
    ),
    "prize": (
        "/api/projects/1/prizes/",
        "/api/projects/1/prizes/1/",
        {"name": "Hamper"},
    ),
}


def snapshot():
    """Every row an edit could touch, with the prizes' sets."""
    return (
        list(Project.objects.order_by("pk").values()),
        list(Buyer.objects.order_by("pk").values()),
        list(RaffleSet.objects.order_by("pk").values()),
        list(Prize.objects.order_by("pk").values()),
        list(Prize.raffle_sets.through.objects.order_by("pk").values()),
    )


def send(client, method, resource, change):
    list_url, detail_url, valid = RESOURCES[resource]
    if method == "post":
        return client.post(list_url, {**valid, **change}, format="json")
    if method == "put":
        return client.put(detail_url, {**valid, **change}, format="json")
    return client.patch(detail_url, change, format="json")


LONG = "x" * 300

BAD_INPUT = [
    ("project", {"name": LONG}, "name"),
    ("project", {"name": "   "}, "name"),
    ("project", {"name": None}, "name"),
    ("project", {"name": "SPRING fair"}, "name"),
    ("project", {"name": "  spring   FAIR "}, "name"),
    ("project", {"currency": "US"}, "currency"),
    ("project", {"currency": "U$D"}, "currency"),
    ("project", {"currency": 840}, "currency"),
    ("project", {"draw_date": "24/12/2027"}, "draw_date"),
    ("project", {"description": "x" * 10_001}, "description"),
    ("buyer", {"first_name": LONG}, "first_name"),
    ("buyer", {"first_name": "   "}, "first_name"),
    ("buyer", {"first_name": "\u200b"}, "first_name"),
    ("buyer", {"email": None}, "email"),
    ("buyer", {"last_name": LONG}, "last_name"),
    ("buyer", {"notes": "x" * 5001}, "notes"),
    ("buyer", {"email": "ana@"}, "email"),
    ("buyer", {"email": "a b@example.com"}, "email"),
    ("buyer", {"email": f"{LONG}@example.com"}, "email"),
    ("buyer", {"phone": "12"}, "phone"),
    ("buyer", {"phone": "abc"}, "phone"),
    ("buyer", {"email": "", "phone": ""}, "phone"),
    ("set", {"name": LONG}, "name"),
    ("set", {"name": "   "}, "name"),
    ("set", {"kind": "plastic"}, "kind"),
    ("set", {"quantity": 0}, "quantity"),
    ("set", {"name": "online"}, "name"),
    ("set", {"unit_price": "2.225"}, "unit_price"),
    ("set", {"unit_price": 2.5}, "unit_price"),
    ("set", {"first_number": 50}, "first_number"),
    ("prize", {"name": LONG}, "name"),
    ("prize", {"name": "   "}, "name"),
    ("prize", {"description": "x" * 5001}, "description"),
    ("prize", {"sets": [9]}, "sets"),
    ("prize", {"lottery_date": "soon"}, "lottery_date"),
    ("prize", {"unsold_rule": "maybe"}, "unsold_rule"),
    ("prize", {"position": 0}, "position"),
]


@pytest.mark.parametrize("method", ["post", "put", "patch"])
@pytest.mark.parametrize(("resource", "change", "field"), BAD_INPUT)
def test_every_method_refuses_bad_input_and_changes_nothing(
    organizer_api, world, method, resource, change, field
):
    before = snapshot()

    response = send(organizer_api, method, resource, change)

    body = response.json()
    assert response.status_code == 400
    assert body[field]
    assert body["detail"].startswith(f"{field}: ")
    assert snapshot() == before


@pytest.mark.parametrize("method", ["post", "put", "patch"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_every_method_takes_good_input(organizer_api, world, method, resource):
    response = send(organizer_api, method, resource, {})

    assert response.status_code == (201 if method == "post" else 200)


# PUT replaces the whole object; PATCH changes only what it names.


def test_put_project_resets_what_it_leaves_out(organizer_api, world, settings):
    settings.DEFAULT_CURRENCY = "EUR"

    response = organizer_api.put("/api/projects/2/", {"name": "Fall"}, format="json")

    world.refresh_from_db()
    assert response.status_code == 200
    assert (world.name, world.description, world.currency, world.draw_date) == (
        "Fall",
        "",
        "EUR",
        None,
    )


def test_patch_project_keeps_what_it_leaves_out(organizer_api, world):
    response = organizer_api.patch("/api/projects/2/", {"name": "Fall"}, format="json")

    world.refresh_from_db()
    assert response.status_code == 200
    assert (world.name, world.description, world.currency, world.draw_date) == (
        "Fall",
        "Prizes for the autumn fair.",
        "COP",
        date(2027, 12, 24),
    )


def buyer_fields():
    return Buyer.objects.values_list(
        "first_name", "last_name", "email", "phone", "notes"
    ).get(ref=1)


def test_put_buyer_resets_what_it_leaves_out(organizer_api, world):
    response = organizer_api.put(
        "/api/buyers/1/", {"first_name": "Ana", "phone": "3000000009"}, format="json"
    )

    assert response.status_code == 200
    assert buyer_fields() == ("Ana", "", "", "+573000000009", "")


def test_patch_buyer_keeps_what_it_leaves_out(organizer_api, world):
    response = organizer_api.patch(
        "/api/buyers/1/", {"phone": "3000000009"}, format="json"
    )

    assert response.status_code == 200
    assert buyer_fields() == (
        "Ana",
        "Gómez",
        "ana@example.com",
        "+573000000009",
        "Pays on Fridays",
    )


def test_put_buyer_without_any_contact_is_refused(organizer_api, world):
    before = snapshot()

    response = organizer_api.put("/api/buyers/1/", {"first_name": "Ana"}, format="json")

    assert response.status_code == 400
    assert response.json()["phone"] == ["Give at least an email or a phone."]
    assert snapshot() == before


def set_fields():
    return RaffleSet.objects.values_list(
        "name", "kind", "unit_price", "first_number", "quantity", "padding"
    ).get(ref=2)


def test_put_set_resets_what_it_leaves_out_but_the_padding(organizer_api, world):
    response = organizer_api.put(
        "/api/projects/1/sets/2/",
        {"name": "Paper", "unit_price": "2.00", "first_number": 100, "quantity": 100},
        format="json",
    )

    name, kind, price, first, quantity, padding = set_fields()
    assert response.status_code == 200
    assert response.json()["range"] == "0100-0199"
    assert (name, kind, str(price), first, quantity, padding) == (
        "Paper",
        "virtual",
        "2.00",
        100,
        100,
        4,
    )


def test_patch_set_keeps_what_it_leaves_out(organizer_api, world):
    response = organizer_api.patch(
        "/api/projects/1/sets/2/", {"unit_price": "3.00"}, format="json"
    )

    name, kind, price, first, quantity, padding = set_fields()
    assert response.status_code == 200
    assert response.json()["range"] == "0100-0199"
    assert (name, kind, str(price), first, quantity, padding) == (
        "Paper",
        "paper",
        "3.00",
        100,
        100,
        4,
    )


def prize_fields():
    prize = Prize.objects.get(position=1)
    return (
        prize.name,
        prize.description,
        [raffle_set.ref for raffle_set in prize.raffle_sets.all()],
        prize.lottery,
        prize.lottery_date,
        prize.unsold_rule,
    )


def test_put_prize_resets_what_it_leaves_out(organizer_api, world):
    response = organizer_api.put(
        "/api/projects/1/prizes/1/", {"name": "Bike"}, format="json"
    )

    assert response.status_code == 200
    assert prize_fields() == ("Bike", "", [], "", None, "")


def test_patch_prize_keeps_what_it_leaves_out(organizer_api, world):
    response = organizer_api.patch(
        "/api/projects/1/prizes/1/", {"name": "Bike"}, format="json"
    )

    assert response.status_code == 200
    assert prize_fields() == (
        "Bike",
        "Red, 26 inches",
        [1],
        "Lotería de Bogotá",
        date(2027, 12, 24),
        "next",
    )
