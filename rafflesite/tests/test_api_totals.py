"""Sums of money larger than any one amount: 100,000,000.00 and up."""

import pytest

from accounts.tests.factories import UserFactory
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Payment, Raffle, RaffleEvent
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory
from rafflesite.tests.openapi import assert_follows_schema

HUNDRED_MILLION = "100000000.00"


@pytest.fixture(scope="module")
def sold_out(django_db_setup, django_db_blocker):
    """A COP project of 10,000 numbers at 10,000.00, every one paid.

    Made once for the module (selling 10,000 numbers takes seconds); each
    test still runs in its own transaction, so what it changes is undone.
    """
    with django_db_blocker.unblock():
        organizer = UserFactory(username="organizer")
        project = ProjectFactory(owner=organizer, name="Rifa grande", currency="COP")
        RaffleSetFactory(project=project, unit_price="10000.00", quantity=10_000)
        buyer = BuyerFactory(owner=organizer)
        sell_numbers(
            project=project,
            buyer=buyer,
            numbers="0-9999",
            actor=organizer,
            state="paid",
        )
    yield buyer
    with django_db_blocker.unblock():
        # Row by row, the cascade would take longer than the sale did.
        # Events refuse delete() but through the plain base manager.
        RaffleEvent._base_manager.filter(project=project).delete()
        Payment.objects.filter(raffle__project=project).delete()
        Raffle.objects.filter(project=project).delete()
        project.delete()
        organizer.delete()


def test_project_detail_shows_a_total_past_eight_digits(organizer_api, sold_out):
    response = organizer_api.get("/api/projects/1/")

    assert response.status_code == 200
    assert response.json()["totals"] == {
        "quantity": 10_000,
        "available_count": 0,
        "reserved_count": 0,
        "paid_count": 10_000,
        "sold_count": 10_000,
        "collected": HUNDRED_MILLION,
        "outstanding": "0.00",
    }
    assert_follows_schema(response, "/api/projects/{project_ref}/")


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_project_update_shows_a_total_past_eight_digits(
    organizer_api, sold_out, method
):
    response = organizer_api.generic(
        method,
        "/api/projects/1/",
        '{"name": "Rifa enorme", "currency": "COP"}',
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["totals"]["collected"] == HUNDRED_MILLION
    assert_follows_schema(response, "/api/projects/{project_ref}/", method)


def test_set_list_shows_a_total_past_eight_digits(organizer_api, sold_out):
    response = organizer_api.get("/api/projects/1/sets/")

    row = response.json()["results"][0]
    assert response.status_code == 200
    assert (row["collected"], row["outstanding"]) == (HUNDRED_MILLION, "0.00")
    assert_follows_schema(response, "/api/projects/{project_ref}/sets/")


def test_set_detail_shows_a_total_past_eight_digits(organizer_api, sold_out):
    response = organizer_api.get("/api/projects/1/sets/1/")

    body = response.json()
    assert response.status_code == 200
    assert (body["collected"], body["outstanding"]) == (HUNDRED_MILLION, "0.00")
    assert_follows_schema(response, "/api/projects/{project_ref}/sets/{set_ref}/")


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_set_update_shows_a_total_past_eight_digits(organizer_api, sold_out, method):
    response = organizer_api.generic(
        method,
        "/api/projects/1/sets/1/",
        '{"name": "Todos", "unit_price": "10000.00", "quantity": 10000}',
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["name"], body["collected"]) == ("Todos", HUNDRED_MILLION)
    assert_follows_schema(
        response, "/api/projects/{project_ref}/sets/{set_ref}/", method
    )


def test_buyer_history_shows_a_total_past_eight_digits(organizer_api, sold_out):
    response = organizer_api.get(f"/api/buyers/{sold_out.ref}/history/?page_size=2")

    assert response.status_code == 200
    assert response.json()["totals"] == [
        {"currency": "COP", "count": 10_000, "paid": HUNDRED_MILLION, "owed": "0.00"}
    ]
    assert_follows_schema(response, "/api/buyers/{buyer_ref}/history/")


def test_project_totals_owed_past_eight_digits(organizer_api, organizer):
    project = ProjectFactory(owner=organizer, currency="COP")
    RaffleSetFactory(project=project, unit_price="99999999.99", quantity=20)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(project=project, buyer=buyer, numbers="0-19", actor=organizer)

    response = organizer_api.get(f"/api/projects/{project.ref}/")

    assert response.status_code == 200
    assert response.json()["totals"]["outstanding"] == "1999999999.80"
    assert_follows_schema(response, "/api/projects/{project_ref}/")


def test_money_input_keeps_its_eight_digits(organizer_api, organizer):
    project = ProjectFactory(owner=organizer)

    response = organizer_api.post(
        f"/api/projects/{project.ref}/sets/",
        {"name": "A", "unit_price": "100000000.00", "quantity": 10},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["unit_price"] == [
        "Ensure that there are no more than 10 digits in total."
    ]
