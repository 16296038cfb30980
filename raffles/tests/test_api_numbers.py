from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import override_settings

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle
from raffles.services import record_payment, release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, name="Online", kind="virtual", quantity=1000)
    RaffleSetFactory(project=project, name="Paper", first_number=1000, quantity=100)
    return project


@pytest.fixture
def ana(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana 😀", last_name="Gómez")


@pytest.fixture
def luis(organizer):
    return BuyerFactory(owner=organizer, first_name="Luis", last_name="Pérez")


def numbers_url(project, query=""):
    return f"/api/projects/{project.ref}/numbers/{query}"


def labels(response):
    return [row["label"] for row in response.json()["results"]]


def test_number_list_is_by_number_with_labels(organizer_api, project):
    response = organizer_api.get(numbers_url(project, "?page_size=3"))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1100
    assert body["results"][0] == {
        "number": 0,
        "label": "000",
        "set": 1,
        "state": "available",
        "buyer": None,
        "buyer_name": "",
        "price": None,
        "amount_paid": "0.00",
        "outstanding": "0.00",
        "method": "",
        "reserved_at": None,
        "paid_at": None,
        "notes": "",
    }
    assert labels(response) == ["000", "001", "002"]
    assert body["next"].endswith("page=2&page_size=3")


def test_number_list_page_size_is_capped(organizer_api, project, settings):
    settings.API_MAX_PAGE_SIZE = 20

    response = organizer_api.get(numbers_url(project, "?page_size=1000"))

    assert len(response.json()["results"]) == 20


def test_number_list_page_past_the_end_is_404(organizer_api, project):
    response = organizer_api.get(numbers_url(project, "?page=999"))

    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid page."


def test_sold_number_shows_buyer_price_and_times(
    organizer_api, organizer, project, ana
):
    paid_at = datetime(2025, 5, 1, 15, 30, tzinfo=UTC)
    sell_numbers(
        project=project,
        buyer=ana,
        numbers="7",
        actor=organizer,
        state="paid",
        method="bank_transfer",
        paid_at=paid_at,
    )

    with override_settings(TIME_ZONE="America/Bogota"):
        response = organizer_api.get(numbers_url(project, "?state=paid"))

    row = response.json()["results"][0]
    assert (row["label"], row["buyer"], row["buyer_name"]) == ("007", 1, "Ana 😀 Gómez")
    assert (row["price"], row["amount_paid"], row["outstanding"]) == (
        "2.00",
        "2.00",
        "0.00",
    )
    assert row["method"] == "bank_transfer"
    assert row["paid_at"] == "2025-05-01T10:30:00-05:00"


@pytest.fixture
def sold(organizer, project, ana, luis):
    sell_numbers(project=project, buyer=ana, numbers="1-3", actor=organizer)
    sell_numbers(
        project=project,
        buyer=luis,
        numbers="10, 1005",
        actor=organizer,
        state="paid",
        method="cash",
        paid_at=datetime(2025, 5, 1, 4, 0, tzinfo=UTC),
    )
    sell_numbers(
        project=project,
        buyer=ana,
        numbers="20",
        actor=organizer,
        state="paid",
        method="card",
        paid_at=datetime(2025, 5, 3, 12, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?state=reserved", ["001", "002", "003"]),
        ("?state=paid", ["010", "020", "1005"]),
        ("?set=2&state=paid", ["1005"]),
        ("?buyer=2", ["010", "1005"]),
        ("?buyer=1&state=paid", ["020"]),
        ("?number_min=3&number_max=10&state=reserved", ["003"]),
        ("?number_min=1099", ["1099"]),
        ("?method=card", ["020"]),
        ("?method=cash", ["010", "1005"]),
        ("?paid_from=2025-05-02", ["020"]),
        ("?paid_to=2025-05-01", ["010", "1005"]),
        ("?paid_from=2025-05-01&paid_to=2025-05-01", ["010", "1005"]),
        ("?paid_to=2025-04-30", []),
        ("?buyer=99", []),
    ],
)
def test_number_filters(organizer_api, project, sold, query, expected):
    response = organizer_api.get(numbers_url(project, query))

    assert response.status_code == 200
    assert labels(response) == expected


def test_paid_dates_are_days_of_the_site_time_zone(organizer_api, project, sold):
    # Paid at 04:00 UTC on May 1st: still April 30th in Bogotá.
    with override_settings(TIME_ZONE="America/Bogota"):
        response = organizer_api.get(numbers_url(project, "?paid_to=2025-04-30"))

    assert labels(response) == ["010", "1005"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?state=sold", "state"),
        ("?set=abc", "set"),
        ("?number_min=-1", "number_min"),
        ("?paid_from=yesterday", "paid_from"),
        ("?method=cheque", "method"),
    ],
)
def test_number_filters_refuse_bad_values(organizer_api, project, query, field):
    response = organizer_api.get(numbers_url(project, query))

    assert response.status_code == 400
    assert list(response.json()) == [field, "detail"]


@pytest.mark.parametrize("typed", ["7", "007"])
def test_number_detail_takes_the_number_with_or_without_zeros(
    organizer_api, project, typed
):
    response = organizer_api.get(numbers_url(project, f"{typed}/"))

    assert response.status_code == 200
    assert response.json()["label"] == "007"
    assert response.json()["history"] == []


@pytest.mark.parametrize("typed", ["0007", "abc", "5000", "-1"])
def test_number_detail_404_for_other_writings(organizer_api, project, typed):
    response = organizer_api.get(numbers_url(project, f"{typed}/"))

    assert response.status_code == 404
    assert response.json()["detail"]


def test_number_detail_shows_its_history_newest_first(
    organizer_api, organizer, project, ana
):
    sell_numbers(project=project, buyer=ana, numbers="7", actor=organizer)
    raffle = Raffle.objects.get(project=project, number=7)
    record_payment(raffle=raffle, amount="0.50", method="cash", actor=organizer)
    release_number(raffle=raffle, actor=organizer, reason="Changed her mind")

    response = organizer_api.get(numbers_url(project, "7/"))

    history = response.json()["history"]
    assert [(e["kind"], e["from_state"], e["to_state"]) for e in history] == [
        ("release", "reserved", "available"),
        ("payment", "reserved", "reserved"),
        ("reserve", "available", "reserved"),
    ]
    assert history[0]["reason"] == "Changed her mind"
    assert history[0]["amount"] == "0.50"
    assert history[0]["by"] == "organizer"
    assert history[0]["buyer"] == 1
    assert history[2]["amount"] is None


def test_number_notes_can_be_changed(organizer_api, project):
    response = organizer_api.patch(
        numbers_url(project, "7/"), {"notes": "Talonario de María 📒"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["notes"] == "Talonario de María 📒"
    assert Raffle.objects.get(project=project, number=7).notes == (
        "Talonario de María 📒"
    )


def test_number_notes_refuse_long_text(organizer_api, project):
    response = organizer_api.patch(
        numbers_url(project, "7/"), {"notes": "x" * 501}, format="json"
    )

    assert response.status_code == 400
    assert Raffle.objects.get(project=project, number=7).notes == ""


@pytest.mark.parametrize("size", [5, 60])
def test_number_list_queries_do_not_grow(
    organizer_api, organizer, django_assert_num_queries, size
):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=size)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(project=project, buyer=buyer, numbers=f"0-{size - 1}", actor=organizer)

    # Project, count, the page's keys, its rows, sets.
    with django_assert_num_queries(5):
        response = organizer_api.get(numbers_url(project, "?state=reserved"))

    assert response.json()["count"] == size


@pytest.mark.parametrize("events", [1, 6])
def test_number_detail_queries_do_not_grow(
    organizer_api, organizer, project, ana, django_assert_num_queries, events
):
    sell_numbers(project=project, buyer=ana, numbers="7", actor=organizer)
    raffle = Raffle.objects.get(project=project, number=7)
    for _ in range(events - 1):
        record_payment(raffle=raffle, amount="0.01", method="cash", actor=organizer)

    # The number with its project, set, buyer and history, in one query.
    with django_assert_num_queries(1):
        response = organizer_api.get(numbers_url(project, "7/"))

    assert len(response.json()["history"]) == events
