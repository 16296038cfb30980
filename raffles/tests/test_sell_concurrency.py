"""S1 and S3 through the real sell page: separate logged-in sessions, each
thread on its own database connection, confirming sales at one moment.

MariaDB only (see test_concurrency.py for why not SQLite).
"""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle, State
from raffles.services import release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory

ROUNDS = 20


def session(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def confirmed_sale(numbers, buyer=None, new_buyer=None):
    """The POST of a sale's review page, confirming it."""
    data = {
        "numbers": numbers,
        "buyer": buyer.ref if buyer else "",
        "state": "reserved",
        "method": "cash",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "",
        "confirm": "1",
    }
    for name, value in (new_buyer or {}).items():
        data[f"new-{name}"] = value
    return data


def post_together(url, clients, posts):
    """Each client posts its data in its own thread, released together.

    Returns each response, or the exception its request raised.
    """
    start = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def post(index):
        try:
            start.wait(timeout=30)
            answers[index] = clients[index].post(url, posts[index])
        except Exception as error:  # handed back to the test
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def page_text(response):
    return " ".join(response.content.decode().split())


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_selling_s1_two_sessions_one_last_number(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=1000)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="000-041, 043-999",
        actor=organizer,
    )
    ana = BuyerFactory(owner=organizer, first_name="Ana")
    luis = BuyerFactory(owner=organizer, first_name="Luis")
    clients = [session(organizer), session(organizer)]
    url = reverse("raffles:sell", args=[project.ref])
    # Every other round the second clerk registers a new buyer in the sale:
    # the organizer's row is then held to number the buyer.
    new = {"first_name": "Luis", "last_name": "Nuevo", "phone": "+57 300 000 0001"}

    for round_ in range(ROUNDS):
        second = (
            confirmed_sale("42", luis)
            if round_ % 2
            else confirmed_sale("42", new_buyer=new)
        )

        answers = post_together(url, clients, [confirmed_sale("042", ana), second])

        statuses = [getattr(answer, "status_code", answer) for answer in answers]
        assert sorted(statuses, key=str) == [200, 302], statuses
        refused = answers[statuses.index(200)]
        assert "Number 042 (reserved) is no longer available." in page_text(refused)
        raffle = Raffle.objects.select_related("buyer").get(project=project, number=42)
        winner = ["Ana", "Luis"][statuses.index(302)]
        assert (raffle.state, raffle.buyer.first_name) == (State.RESERVED, winner)
        assert project.raffles.exclude(state=State.AVAILABLE).count() == 1000
        release_number(raffle=raffle, actor=organizer)


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_selling_s3_two_sessions_same_new_buyer(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=100)
    clients = [session(organizer), session(organizer)]
    url = reverse("raffles:sell", args=[project.ref])
    ana = {"first_name": "Ana", "last_name": "Gómez", "phone": "+54 9 11 2345-6789"}

    for round_ in range(ROUNDS):
        first, second = f"{2 * round_:02d}", f"{2 * round_ + 1:02d}"

        answers = post_together(
            url,
            clients,
            [
                confirmed_sale(first, new_buyer=ana),
                confirmed_sale(second, new_buyer=ana),
            ],
        )

        statuses = [getattr(answer, "status_code", answer) for answer in answers]
        assert statuses == [302, 302], statuses

    sold = Raffle.objects.filter(project=project, state=State.RESERVED)
    assert sold.count() == 2 * ROUNDS
    assert sold.values("buyer").distinct().count() == 2 * ROUNDS
    assert sorted(Buyer.objects.values_list("ref", flat=True)) == list(
        range(1, 2 * ROUNDS + 1)
    )
    assert set(Buyer.objects.values_list("phone", flat=True)) == {"+5491123456789"}
