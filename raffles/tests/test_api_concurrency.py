"""S1 through the API: many clients selling one number at the same moment."""

import threading

import pytest
from django.core.cache import cache
from django.db import connections
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tokens import RefreshToken
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Payment, Raffle, RaffleEvent
from raffles.tests.factories import RaffleSetFactory
from rafflesite.db import is_mariadb

THREADS = 20


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def shop():
    if not is_mariadb():
        pytest.skip("needs MariaDB: SQLite has no concurrent writers")
    organizer = UserFactory(username="concurrent")
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=1000)
    buyers = [BuyerFactory(owner=organizer) for _ in range(THREADS)]
    token = str(RefreshToken.for_user(organizer).access_token)
    return project, buyers, token


def sell_at_once(project, buyers, token, number):
    """Each thread: its own connection and client, released together."""
    start = threading.Barrier(len(buyers))
    answers = [None] * len(buyers)

    def sell(index, buyer):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            start.wait()
            response = client.post(
                f"/api/projects/{project.ref}/sales/",
                {"buyer": buyer.ref, "numbers": number, "state": "paid"},
                format="json",
            )
            answers[index] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=sell, args=(index, buyer))
        for index, buyer in enumerate(buyers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_one_number_sold_by_twenty_clients_at_once(shop, round_):
    project, buyers, token = shop
    number = f"{42 + round_:03d}"

    answers = sell_at_once(project, buyers, token, number)

    statuses = sorted(status for status, _body in answers)
    refused = [body for status, body in answers if status == 409]
    raffle = Raffle.objects.get(project=project, number=42 + round_)
    assert statuses == [201] + [409] * (THREADS - 1)
    assert all(body["unavailable"] == [number] for body in refused)
    assert all(number in body["detail"] for body in refused)
    assert raffle.state == "paid"
    winner = next(body for status, body in answers if status == 201)
    assert raffle.buyer.ref == winner["buyer"]
    assert Payment.objects.filter(raffle=raffle).count() == 1
    assert RaffleEvent.objects.filter(raffle=raffle).count() == 1
    sold = Raffle.objects.filter(project=project).exclude(state="available")
    assert sold.count() == 1
