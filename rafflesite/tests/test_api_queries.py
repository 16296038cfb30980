"""Every endpoint that reads or writes one object, or a sale of many, runs
the same number of queries for a small project and a big one.

The lists have their own tests next to their endpoints.
"""

from decimal import Decimal

import pytest

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle
from raffles.services import mark_paid, record_payment, sell_numbers
from raffles.tests.factories import RaffleSetFactory
from rafflesite.db import is_mariadb


def build(organizer, size):
    """Project 1 with `size` sets of ten numbers at different prices.

    Buyer 1 (Ana) has paid one number of every set (1, 11, 21, ...) and
    Buyer 2 (Luis) reserved one (2, 12, 22, ...). Number 3 is reserved by
    Ana and number 4 paid by her, each after `size` payments.
    """
    project = ProjectFactory(owner=organizer, name="Rifa", currency="COP")
    for index in range(size):
        RaffleSetFactory(
            project=project,
            name=f"Booklet {index}",
            first_number=index * 10,
            quantity=10,
            padding=3,
            unit_price=Decimal(100 + index),
        )
    ana = BuyerFactory(owner=organizer, first_name="Ana", phone="+573000000001")
    luis = BuyerFactory(owner=organizer, first_name="Luis")
    every_set = [index * 10 for index in range(size)]
    sell_numbers(
        project=project,
        buyer=ana,
        numbers=[first + 1 for first in every_set],
        actor=organizer,
        state="paid",
    )
    sell_numbers(
        project=project,
        buyer=luis,
        numbers=[first + 2 for first in every_set],
        actor=organizer,
    )
    for raffle in sell_numbers(
        project=project, buyer=ana, numbers="3, 4", actor=organizer
    ):
        for _ in range(size):
            record_payment(raffle=raffle, amount="0.01", method="cash", actor=organizer)
    mark_paid(
        raffle=Raffle.objects.get(project=project, number=4),
        method="cash",
        actor=organizer,
    )


def sale(size, state):
    # A number of every set: numbers 5, 15, 25, ...
    numbers = [index * 10 + 5 for index in range(size)]
    return {"buyer": 2, "numbers": numbers, "state": state}


# (method, address, body or a function of the size, queries, answer)
ENDPOINTS = {
    # Project, its sets (each keeps its totals).
    "project detail": ("get", "/api/projects/1/", None, 2, 200),
    # Project; locked project, name check, save; answer as the detail.
    "project put": (
        "put",
        "/api/projects/1/",
        {"name": "Rifa 2028", "currency": "COP"},
        8,
        200,
    ),
    "project patch": ("patch", "/api/projects/1/", {"name": "Rifa 2028"}, 8, 200),
    # Project, set, the project's sets.
    "set detail": ("get", "/api/projects/1/sets/1/", None, 3, 200),
    # A put without a padding keeps it (no look for prizes with a plan).
    "set put": (
        "put",
        "/api/projects/1/sets/1/",
        {"name": "Online", "unit_price": "5.00", "quantity": 10},
        10,
        200,
    ),
    "set patch": ("patch", "/api/projects/1/sets/1/", {"unit_price": "5.00"}, 9, 200),
    "buyer detail": ("get", "/api/buyers/1/", None, 1, 200),
    "buyer put": (
        "put",
        "/api/buyers/1/",
        {"first_name": "Ana", "phone": "+573000000002"},
        2,
        200,
    ),
    "buyer patch": ("patch", "/api/buyers/1/", {"notes": "Pays on Fridays"}, 2, 200),
    # Buyer, count, page, totals per currency.
    "buyer history": ("get", "/api/buyers/1/history/", None, 4, 200),
    # A number of every set, at every price, in one sale.
    "sale reserved": (
        "post",
        "/api/projects/1/sales/",
        lambda size: sale(size, "reserved"),
        11,
        201,
    ),
    "sale paid": (
        "post",
        "/api/projects/1/sales/",
        lambda size: sale(size, "paid"),
        12,
        201,
    ),
    "payment": (
        "post",
        "/api/projects/1/numbers/3/payments/",
        {"amount": "0.01", "method": "cash"},
        11,
        201,
    ),
    "payment of the rest": (
        "post",
        "/api/projects/1/numbers/3/payments/",
        {"method": "cash"},
        12,  # one more: the latest payment's time is the fully-paid time
        201,
    ),
    "release": (
        "post",
        "/api/projects/1/numbers/3/release/",
        {"reason": "Changed her mind"},
        12,  # one more: whether a prize waits for its lottery's draw
        200,
    ),
    "refund": (
        "post",
        "/api/projects/1/numbers/4/refund/",
        {"reason": "Paid twice"},
        12,  # one more: whether a prize waits for its lottery's draw
        200,
    ),
    # Project, count, page, sets.
    "draw list": ("get", "/api/projects/1/draw-list/", None, 4, 200),
    "draw list of a set": (
        "get",
        "/api/projects/1/draw-list/?set=1",
        None,
        5,
        200,
    ),
    # Project, sets, the rows (streamed).
    "draw list csv": ("get", "/api/projects/1/draw-list.csv", None, 3, 200),
}


# Endpoints that move numbers first share-lock the organizer's and the
# project's rows (raffles/services.py, lock order), two more queries on
# MariaDB; SQLite locks the whole database instead.
SHARED_LOCKS = {
    "sale reserved",
    "sale paid",
    "payment",
    "payment of the rest",
    "release",
    "refund",
}


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_queries_do_not_grow(
    organizer_api, organizer, django_assert_num_queries, endpoint, size
):
    method, address, body, queries, status = ENDPOINTS[endpoint]
    if endpoint in SHARED_LOCKS and is_mariadb():
        queries += 2
    build(organizer, size)
    if callable(body):
        body = body(size)

    with django_assert_num_queries(queries):
        response = getattr(organizer_api, method)(address, body, format="json")
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == status
