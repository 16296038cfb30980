"""A deadlock, a Galera conflict or a lock timeout is a 503 that says
nothing was changed, never a 500.

The fault is injected at the database boundary: the insert of the sale's
history raises the error MariaDB's driver raises, after the numbers were
already updated, so the tests also see the transaction rolled back.
"""

import sqlite3
from contextlib import contextmanager
from decimal import Decimal

import MySQLdb
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle, RaffleEvent
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

DETAIL = "The database was busy, so nothing was changed. Please try again."
BUSY = {
    "deadlock": MySQLdb.OperationalError(
        1213, "Deadlock found when trying to get lock; try restarting transaction"
    ),
    "galera conflict": MySQLdb.OperationalError(
        1213,
        "WSREP detected deadlock/conflict and aborted the transaction. "
        "Try restarting the transaction",
    ),
    "lock wait": MySQLdb.OperationalError(
        1205, "Lock wait timeout exceeded; try restarting transaction"
    ),
    "galera node not ready": MySQLdb.OperationalError(
        1047, "WSREP has not yet prepared node for application use"
    ),
    "sqlite locked": sqlite3.OperationalError("database is locked"),
}
GONE = MySQLdb.OperationalError(2013, "Lost connection to server during query")


@contextmanager
def failing_history_insert(error):
    """Raise `error` as Django does (its OperationalError, from the
    driver's) when the sale writes its history."""

    def execute(execute, sql, params, many, context):
        if sql.startswith("INSERT") and "raffles_raffleevent" in sql:
            raise OperationalError(*error.args) from error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=100, unit_price=Decimal("10.00"))
    return project


@pytest.fixture
def ana(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana")


def unchanged(project, buyers):
    sold = Raffle.objects.filter(project=project).exclude(state="available")
    return (
        sold.count() == 0
        and RaffleEvent.objects.count() == 0
        and Buyer.objects.count() == buyers
    )


def web_sale(client, project):
    """A sale to a new buyer, confirmed: the buyer is created first."""
    return client.post(
        f"/projects/{project.ref}/sell/",
        {
            "numbers": "7, 12",
            "buyer": "",
            "state": "paid",
            "method": "cash",
            "paid_on": timezone.localdate().isoformat(),
            "reference": "",
            "confirm": "1",
            "new-first_name": "Luis",
            "new-phone": "+54 9 11 4567-8901",
        },
    )


def text_of(response):
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("error", BUSY.values(), ids=BUSY.keys())
def test_busy_database_on_a_web_sale_is_a_503_page(
    organizer_client, project, ana, error, caplog
):
    with failing_history_insert(error):
        response = web_sale(organizer_client, project)

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    page = text_of(response)
    assert "<h1>The database was busy</h1>" in page
    assert f"<p>{DETAIL}</p>" in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert unchanged(project, buyers=1)
    (record,) = [r for r in caplog.records if r.name == "rafflesite.middleware"]
    assert record.levelname == "WARNING"
    assert record.getMessage() == (
        f"Database busy on POST /projects/{project.ref}/sell/ "
        f"({OperationalError(*error.args)}): answered 503, nothing was changed"
    )


@pytest.mark.parametrize("error", BUSY.values(), ids=BUSY.keys())
def test_busy_database_on_an_api_sale_is_a_503_with_a_detail(
    organizer_api, project, ana, error, caplog
):
    with failing_history_insert(error):
        response = organizer_api.post(
            f"/api/projects/{project.ref}/sales/",
            {"buyer": ana.ref, "numbers": "7, 12", "state": "reserved"},
            format="json",
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {"detail": DETAIL}
    assert unchanged(project, buyers=1)
    assert [
        r.levelname for r in caplog.records if r.name == "rafflesite.middleware"
    ] == ["WARNING"]


def test_other_database_errors_stay_server_errors_on_the_web(organizer, project):
    client = Client(raise_request_exception=False)
    client.force_login(organizer)

    with failing_history_insert(GONE):
        response = web_sale(client, project)

    assert response.status_code == 500
    assert unchanged(project, buyers=0)


def test_other_database_errors_stay_server_errors_in_the_api(organizer, project, ana):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(organizer)

    with failing_history_insert(GONE):
        response = client.post(
            f"/api/projects/{project.ref}/sales/",
            {"buyer": ana.ref, "numbers": "7", "state": "reserved"},
            format="json",
        )

    assert response.status_code == 500
    assert unchanged(project, buyers=1)
