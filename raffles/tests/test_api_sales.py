from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Payment, Raffle, RaffleEvent
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=1000, unit_price="10.00")
    return project


@pytest.fixture
def ana(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")


@pytest.fixture
def luis(organizer):
    return BuyerFactory(owner=organizer, first_name="Luis", last_name="Gómez")


def sell(client, project, **payload):
    return client.post(f"/api/projects/{project.ref}/sales/", payload, format="json")


def number_url(project, number, action=""):
    return f"/api/projects/{project.ref}/numbers/{number}/{action}"


def states(project):
    return dict(
        Raffle.objects.filter(project=project)
        .exclude(state="available")
        .values_list("number", "state")
    )


# Sales


@pytest.mark.parametrize(
    "numbers", ["7, 12, 100-102", [7, 12, "100-102"], ["007", "012", 100, 101, 102]]
)
def test_sale_reserves_numbers_as_a_list_or_a_string(
    organizer_api, project, ana, numbers
):
    response = sell(organizer_api, project, buyer=ana.ref, numbers=numbers)

    body = response.json()
    assert response.status_code == 201
    assert (body["buyer"], body["state"]) == (ana.ref, "reserved")
    assert [row["label"] for row in body["numbers"]] == [
        "007",
        "012",
        "100",
        "101",
        "102",
    ]
    assert body["numbers"][0]["price"] == "10.00"
    assert states(project) == dict.fromkeys((7, 12, 100, 101, 102), "reserved")


def test_sale_paid_records_payments_with_the_method(organizer_api, project, ana):
    response = sell(
        organizer_api,
        project,
        buyer=ana.ref,
        numbers="5-6",
        state="paid",
        method="mobile",
        reference="Nequi 123",
        paid_at="2025-05-01T10:00:00-05:00",
    )

    assert response.status_code == 201
    assert [row["state"] for row in response.json()["numbers"]] == ["paid", "paid"]
    assert response.json()["numbers"][0]["paid_at"] == "2025-05-01T15:00:00Z"
    payments = Payment.objects.order_by("raffle__number")
    assert [(str(p.amount), p.method, p.reference) for p in payments] == [
        ("10.00", "mobile", "Nequi 123"),
        ("10.00", "mobile", "Nequi 123"),
    ]


def test_sale_all_or_nothing_names_the_taken_number(
    organizer_api, organizer, project, ana, luis
):
    # S2: 043 already paid by someone else.
    sell_numbers(
        project=project, buyer=luis, numbers="43", actor=organizer, state="paid"
    )

    response = sell(organizer_api, project, buyer=ana.ref, numbers="040-045")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Number 043 (paid) is no longer available.",
        "unavailable": ["043"],
    }
    assert states(project) == {43: "paid"}


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ("0007", "Too many digits for this project's numbers: 0007."),
        ("1000", "Not in any set of this project: 1000."),
        ("7, x", "“x” is not a number or a range like 100-105."),
        ("9-3", "The range “9-3” ends before it starts."),
        ("", "Type at least one number."),
        ([], "Type at least one number."),
        (["-5"], "“-5” is not a number or a range like 100-105."),
        ([True], 'Give numbers as a list or a string like "7, 12, 100-105".'),
        ([[7]], 'Give numbers as a list or a string like "7, 12, 100-105".'),
        ({"7": 1}, 'Give numbers as a list or a string like "7, 12, 100-105".'),
        (7, 'Give numbers as a list or a string like "7, 12, 100-105".'),
    ],
)
def test_sale_refuses_bad_numbers(organizer_api, project, ana, numbers, message):
    response = sell(organizer_api, project, buyer=ana.ref, numbers=numbers)

    assert response.status_code == 400
    assert response.json()["numbers"] == [message]
    assert states(project) == {}


def test_sale_refuses_a_buyer_of_another_organizer(
    organizer_api, project, other_organizer
):
    stranger = BuyerFactory(owner=other_organizer)

    response = sell(organizer_api, project, buyer=stranger.ref, numbers="7")

    assert response.status_code == 400
    assert response.json()["buyer"] == [
        f"Buyer {stranger.ref} is not among your buyers."
    ]
    assert states(project) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"state": "available"}, "state"),
        ({"method": "cheque"}, "method"),
        ({"buyer": "one"}, "buyer"),
        ({"paid_at": "yesterday"}, "paid_at"),
        ({"reference": "x" * 201}, "reference"),
    ],
)
def test_sale_refuses_bad_fields(organizer_api, project, ana, change, field):
    payload = {"buyer": ana.ref, "numbers": "7", **change}

    response = sell(organizer_api, project, **payload)

    assert response.status_code == 400
    assert list(response.json()) == [field, "detail"]
    assert states(project) == {}


# Payments (M1, M2)


@pytest.fixture
def reserved(organizer, project, ana):
    sell_numbers(project=project, buyer=ana, numbers="7", actor=organizer)
    return Raffle.objects.get(project=project, number=7)


def pay(client, project, number, **payload):
    return client.post(number_url(project, number, "payments/"), payload, format="json")


def test_partial_payments_then_paid(organizer_api, project, reserved):
    first = pay(organizer_api, project, 7, amount="4.00", method="cash")
    second = pay(
        organizer_api,
        project,
        "007",
        amount="6.00",
        method="bank_transfer",
        reference="Transfer 88",
    )
    more = pay(organizer_api, project, 7, amount="0.01", method="cash")

    assert first.status_code == 201
    assert first.json()["number"]["state"] == "reserved"
    assert first.json()["number"]["outstanding"] == "6.00"
    assert first.json()["payment"]["amount"] == "4.00"
    assert second.status_code == 201
    assert second.json()["number"]["state"] == "paid"
    assert second.json()["number"]["method"] == "bank_transfer"
    assert more.status_code == 400
    assert more.json()["detail"] == (
        "Number 007 is paid: only a reserved number takes payments."
    )
    assert RaffleEvent.objects.filter(raffle=reserved, kind="payment").count() == 2


def test_payment_over_the_price_is_refused(organizer_api, project, reserved):
    response = pay(organizer_api, project, 7, amount="10.01", method="cash")

    assert response.status_code == 400
    assert response.json()["amount"] == ["Only 10.00 USD is still owed on number 007."]
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("2.225", "Ensure that there are no more than 2 decimal places."),
        (2.5, 'Send amounts as a decimal string such as "12.50".'),
        (3, 'Send amounts as a decimal string such as "12.50".'),
        ("0", "Enter an amount greater than 0."),
        ("-1.00", "Enter an amount greater than 0."),
        ("0.00", "Enter an amount greater than 0."),
        ("NaN", "A valid number is required."),
        ("1e3", "A valid number is required."),
        ("Infinity", "A valid number is required."),
        ("", "A valid number is required."),
    ],
)
def test_payment_refuses_bad_amounts(organizer_api, project, reserved, amount, message):
    response = pay(organizer_api, project, 7, amount=amount, method="cash")

    assert response.status_code == 400
    assert response.json()["amount"] == [message]
    assert Payment.objects.count() == 0


def test_payment_without_amount_pays_what_is_owed(organizer_api, project, reserved):
    pay(organizer_api, project, 7, amount="3.00", method="cash")

    response = pay(organizer_api, project, 7, method="card")

    assert response.status_code == 201
    assert response.json()["payment"]["amount"] == "7.00"
    assert response.json()["number"]["state"] == "paid"


def test_payment_on_an_available_number_is_refused(organizer_api, project):
    response = pay(organizer_api, project, 8, amount="1.00", method="cash")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Number 008 is available: only a reserved number takes payments."
    )


def test_payment_needs_a_method(organizer_api, project, reserved):
    response = pay(organizer_api, project, 7, amount="1.00")

    assert response.status_code == 400
    assert response.json()["method"] == ["This field is required."]


def test_payments_list_oldest_first(organizer_api, organizer, project, reserved):
    Raffle.objects.filter(pk=reserved.pk).update(
        reserved_at=datetime(2025, 4, 1, tzinfo=UTC)
    )
    pay(
        organizer_api,
        project,
        7,
        amount="6.00",
        method="card",
        paid_at="2025-05-02T12:00:00Z",
    )
    pay(
        organizer_api,
        project,
        7,
        amount="4.00",
        method="cash",
        paid_at="2025-05-01T12:00:00Z",
        reference="Recibo 1",
    )

    response = organizer_api.get(number_url(project, 7, "payments/"))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert body["results"][0] == {
        "amount": "4.00",
        "method": "cash",
        "paid_at": "2025-05-01T12:00:00Z",
        "reference": "Recibo 1",
        "buyer": 1,
        "recorded_by": "organizer",
        "recorded_at": body["results"][0]["recorded_at"],
        "cleared_at": None,
    }
    assert body["results"][1]["amount"] == "6.00"


@pytest.mark.parametrize("size", [1, 7])
def test_payments_list_queries_do_not_grow(
    organizer_api, project, reserved, django_assert_num_queries, size
):
    for _ in range(size):
        pay(organizer_api, project, 7, amount="0.10", method="cash")

    # The number with its project, the count, the page of payments.
    with django_assert_num_queries(3):
        response = organizer_api.get(number_url(project, 7, "payments/"))

    assert response.json()["count"] == size


# Release and refund


def test_release_makes_a_reserved_number_available(organizer_api, project, reserved):
    pay(organizer_api, project, 7, amount="4.00", method="cash")

    response = organizer_api.post(
        number_url(project, 7, "release/"), {"reason": "Never paid"}, format="json"
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["state"], body["buyer"], body["amount_paid"]) == (
        "available",
        None,
        "0.00",
    )
    assert body["history"][0]["kind"] == "release"
    assert body["history"][0]["reason"] == "Never paid"
    payments = organizer_api.get(number_url(project, 7, "payments/")).json()
    assert payments["results"][0]["cleared_at"] is not None


def test_release_without_reason(organizer_api, project, reserved):
    response = organizer_api.post(number_url(project, 7, "release/"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "available"


def test_release_of_a_paid_number_is_refused(organizer_api, organizer, project, ana):
    sell_numbers(project=project, buyer=ana, numbers="9", actor=organizer, state="paid")

    response = organizer_api.post(number_url(project, 9, "release/"), {}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Number 009 is paid: only a reserved number is released."
    )
    assert states(project) == {9: "paid"}


def test_refund_makes_a_paid_number_available(organizer_api, organizer, project, ana):
    sell_numbers(project=project, buyer=ana, numbers="9", actor=organizer, state="paid")

    response = organizer_api.post(
        number_url(project, "009", "refund/"), {"reason": "Duplicate"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "available"
    assert response.json()["history"][0]["kind"] == "refund"
    assert states(project) == {}


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "   "}])
def test_refund_needs_a_reason(organizer_api, organizer, project, ana, payload):
    sell_numbers(project=project, buyer=ana, numbers="9", actor=organizer, state="paid")

    response = organizer_api.post(
        number_url(project, 9, "refund/"), payload, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reason", "detail"]
    assert states(project) == {9: "paid"}


def test_refund_of_a_reserved_number_is_refused(organizer_api, project, reserved):
    response = organizer_api.post(
        number_url(project, 7, "refund/"), {"reason": "Oops"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Number 007 is reserved: only a paid number is refunded."
    )


def test_actions_on_a_number_outside_the_project_are_404(organizer_api, project):
    for action in ("payments/", "release/", "refund/"):
        response = organizer_api.post(
            number_url(project, 5000, action), {"reason": "x"}, format="json"
        )
        assert response.status_code == 404


def test_sold_at_is_stored_in_utc(organizer_api, project, ana):
    sell(
        organizer_api,
        project,
        buyer=ana.ref,
        numbers="1",
        state="paid",
        paid_at="2025-05-01T09:00:00+09:00",
    )

    assert Raffle.objects.get(project=project, number=1).paid_at == datetime(
        2025, 5, 1, 0, 0, tzinfo=UTC
    )


def test_payment_dated_after_today_is_refused(organizer_api, project, reserved):
    tomorrow = timezone.now() + timedelta(days=1)

    response = pay(
        organizer_api,
        project,
        7,
        amount="4.00",
        method="cash",
        paid_at=tomorrow.isoformat(),
    )

    today = date_format(timezone.localdate())
    assert response.status_code == 400
    assert response.json()["paid_at"] == [
        f"A payment of number 007 cannot be dated after today ({today})."
    ]
    assert Payment.objects.count() == 0


def test_payment_dated_before_the_reservation_is_refused(
    organizer_api, project, reserved
):
    response = pay(
        organizer_api,
        project,
        7,
        amount="4.00",
        method="cash",
        paid_at="1999-01-01T12:00:00Z",
    )

    day = date_format(timezone.localdate(reserved.reserved_at))
    assert response.status_code == 400
    assert response.json()["paid_at"] == [
        f"Number 007 was reserved on {day}: date its payment on {day} or later."
    ]
    assert Payment.objects.count() == 0


def test_sale_dated_after_today_is_refused(organizer_api, project, ana):
    tomorrow = timezone.now() + timedelta(days=1)

    response = sell(
        organizer_api,
        project,
        buyer=ana.ref,
        numbers="5",
        state="paid",
        paid_at=tomorrow.isoformat(),
    )

    today = date_format(timezone.localdate())
    assert response.status_code == 400
    assert response.json()["paid_at"] == [
        f"A payment of number 005 cannot be dated after today ({today})."
    ]
    assert Payment.objects.count() == 0


def test_sale_reserved_ignores_a_payment_date(organizer_api, project, ana):
    tomorrow = timezone.now() + timedelta(days=1)

    response = sell(
        organizer_api,
        project,
        buyer=ana.ref,
        numbers="5",
        state="reserved",
        paid_at=tomorrow.isoformat(),
    )

    assert response.status_code == 201
    assert response.json()["numbers"][0]["state"] == "reserved"
    assert response.json()["numbers"][0]["paid_at"] is None
    assert Payment.objects.count() == 0


def test_sale_reserved_pays_a_free_number_now(organizer_api, project, ana):
    RaffleSetFactory(project=project, first_number=1000, quantity=10, unit_price=0)
    before = timezone.now()

    response = sell(
        organizer_api,
        project,
        buyer=ana.ref,
        numbers="1005",
        state="reserved",
        paid_at="2020-01-01T12:00:00Z",
    )

    assert response.status_code == 201
    assert Raffle.objects.get(project=project, number=1005).paid_at >= before


def test_sale_conflict_lists_every_unavailable_number(
    organizer_api, organizer, project, ana, luis
):
    evens = ", ".join(str(n) for n in range(0, 100, 2))
    sell_numbers(project=project, buyer=luis, numbers=evens, actor=organizer)

    response = sell(organizer_api, project, buyer=ana.ref, numbers="000-099")

    named = ", ".join(f"{n:03} (reserved)" for n in range(0, 40, 2))
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Numbers {named} and 30 more are no longer available.",
        "unavailable": [f"{n:03}" for n in range(0, 100, 2)],
    }


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ("0-100000", "The range “0-100000” has more than 100,000 numbers."),
        ("0-60000, 60001-120000", "Type at most 100,000 numbers at once."),
        ("7, " * 40_000, "Give numbers as a string of at most 100,000 characters."),
        ([7] * 100_001, "Give at most 100,000 items."),
    ],
)
def test_sale_writes_the_limits_with_grouped_digits(
    organizer_api, project, ana, numbers, message
):
    response = sell(organizer_api, project, buyer=ana.ref, numbers=numbers)

    assert response.status_code == 400
    assert response.json()["numbers"] == [message]


def test_sale_writes_the_limit_in_the_requests_language(organizer_api, project, ana):
    response = organizer_api.post(
        f"/api/projects/{project.ref}/sales/",
        {"buyer": ana.ref, "numbers": [7] * 100_001},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    assert response.json()["numbers"] == ["Indique como máximo 100\xa0000 elementos."]
