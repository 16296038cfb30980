"""The bad inputs of SPEC "Qualities", fed to every form and endpoint.

Each one must be answered with a clear message next to the field (pages) or
a 400 naming the field (API), and leave every row of the database as it
was. The schemathesis run in test_api_fuzz.py adds generated inputs.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils import timezone

from accounts.tokens import RefreshToken
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.services import record_payment, sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

LONG = "Ñ" * 300


@pytest.fixture
def world(organizer):
    """Project 1, set 1 of numbers 000-999 at 10.00; buyer 1 holds 005
    (reserved) and 006 (paid)."""
    project = ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")
    RaffleSetFactory(
        project=project, name="Main", quantity=1000, unit_price=Decimal("10.00")
    )
    ana = BuyerFactory(owner=organizer, first_name="Ana", phone="+573000000001")
    sell_numbers(project=project, buyer=ana, numbers="5", actor=organizer)
    sell_numbers(
        project=project,
        buyer=ana,
        numbers="6",
        actor=organizer,
        state="paid",
        method="cash",
    )
    return project


def fingerprint():
    """Every row of every model of the apps, field by field."""
    rows = {}
    for app in ("accounts", "projects", "raffles", "buyers"):
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


SET = {
    "name": "Second",
    "kind": "paper",
    "unit_price": "2.00",
    "first_number": "1000",
    "quantity": "100",
    "padding": "",
}
BUYER = {"first_name": "Luis", "last_name": "Peña", "email": "", "phone": ""}
PAYMENT = {
    "payment-amount": "1.00",
    "payment-method": "cash",
    "payment-paid_on": "today",  # the test's day (see below)
    "payment-reference": "",
}

# (page, posted data, field that must show the error)
PAGES = [
    ("/projects/new/", {"name": LONG, "currency": "USD"}, "name"),
    ("/projects/new/", {"name": "   ", "currency": "USD"}, "name"),
    ("/projects/new/", {"name": "Other", "currency": "DOLLARS"}, "currency"),
    ("/projects/new/", {"name": "rifa navideña 🎄", "currency": "USD"}, "name"),
    ("/projects/1/sets/new/", {**SET, "quantity": "-5"}, "quantity"),
    ("/projects/1/sets/new/", {**SET, "quantity": "0"}, "quantity"),
    ("/projects/1/sets/new/", {**SET, "quantity": "1000000000"}, "quantity"),
    ("/projects/1/sets/new/", {**SET, "unit_price": "2.225"}, "unit_price"),
    ("/projects/1/sets/new/", {**SET, "unit_price": "-1.00"}, "unit_price"),
    ("/projects/1/sets/new/", {**SET, "first_number": "-1"}, "first_number"),
    ("/projects/1/sets/new/", {**SET, "first_number": "500"}, "first_number"),
    ("/projects/1/sets/new/", {**SET, "name": LONG}, "name"),
    ("/projects/1/sets/new/", {**SET, "name": "main"}, "name"),
    (
        "/projects/1/sets/1/edit/",
        {**SET, "first_number": "0", "quantity": "3"},
        "quantity",
    ),
    (
        "/buyers/new/",
        {**BUYER, "first_name": LONG, "phone": "3001234567"},
        "first_name",
    ),
    ("/buyers/new/", {**BUYER, "phone": "12"}, "phone"),
    ("/buyers/new/", {**BUYER, "phone": "abc"}, "phone"),
    ("/buyers/new/", {**BUYER, "email": "ana@"}, "email"),
    ("/buyers/new/", {**BUYER, "email": "a b@example.com"}, "email"),
    ("/buyers/new/", BUYER, "phone"),
    ("/buyers/1/edit/", {**BUYER, "phone": "+57 300"}, "phone"),
    ("/projects/1/sell/", {"numbers": "5000", "buyer": "1"}, "numbers"),
    ("/projects/1/sell/", {"numbers": "-3", "buyer": "1"}, "numbers"),
    ("/projects/1/sell/", {"numbers": "0007", "buyer": "1"}, "numbers"),
    ("/projects/1/sell/", {"numbers": "abc", "buyer": "1"}, "numbers"),
    ("/projects/1/sell/", {"numbers": "4-6", "buyer": "1"}, "numbers"),
    ("/projects/1/sell/", {"numbers": "7", "buyer": "99"}, "buyer"),
    (
        "/projects/1/numbers/005/payments/",
        {**PAYMENT, "payment-amount": "0"},
        "payment-amount",
    ),
    (
        "/projects/1/numbers/005/payments/",
        {**PAYMENT, "payment-amount": "-1"},
        "payment-amount",
    ),
    (
        "/projects/1/numbers/005/payments/",
        {**PAYMENT, "payment-amount": "1.005"},
        "payment-amount",
    ),
    (
        "/projects/1/numbers/005/payments/",
        {**PAYMENT, "payment-amount": "10.01"},
        "payment-amount",
    ),
    (
        "/projects/1/numbers/005/payments/",
        {**PAYMENT, "payment-method": "bitcoin"},
        "payment-method",
    ),
    ("/projects/1/numbers/006/refund/", {"reason": ""}, "reason"),
    ("/projects/1/numbers/006/refund/", {"reason": LONG * 2}, "reason"),
]


@pytest.mark.parametrize(
    "url, data, field", PAGES, ids=[f"{u} {f}" for u, _, f in PAGES]
)
def test_page_answers_bad_input_next_to_the_field(
    organizer_client, world, url, data, field
):
    data = {"state": "reserved", "method": "cash", **data}
    if data.get("payment-paid_on") == "today":
        # A valid date, so that the field under test is the one refused.
        data["payment-paid_on"] = timezone.localdate().isoformat()
    before = fingerprint()

    response = organizer_client.post(url, data)

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert fingerprint() == before


API_SET = {"name": "Second", "kind": "paper", "unit_price": "2.00"}
API_SET_RANGE = {**API_SET, "first_number": 1000, "quantity": 100}

# (method, path, JSON body, field named in the answer)
ENDPOINTS = [
    ("post", "/api/projects/", {"name": LONG}, "name"),
    ("post", "/api/projects/", {"name": "Other", "currency": "DOLLARS"}, "currency"),
    (
        "post",
        "/api/projects/",
        {"name": "Other", "draw_date": "24/12/2027"},
        "draw_date",
    ),
    ("patch", "/api/projects/1/", {"name": ""}, "name"),
    ("post", "/api/projects/1/sets/", {**API_SET_RANGE, "quantity": -5}, "quantity"),
    ("post", "/api/projects/1/sets/", {**API_SET_RANGE, "quantity": 0}, "quantity"),
    (
        "post",
        "/api/projects/1/sets/",
        {**API_SET_RANGE, "quantity": 10**12},
        "quantity",
    ),
    (
        "post",
        "/api/projects/1/sets/",
        {**API_SET_RANGE, "quantity": "many"},
        "quantity",
    ),
    (
        "post",
        "/api/projects/1/sets/",
        {**API_SET_RANGE, "unit_price": "2.225"},
        "unit_price",
    ),
    (
        "post",
        "/api/projects/1/sets/",
        {**API_SET_RANGE, "unit_price": 2.5},
        "unit_price",
    ),
    (
        "post",
        "/api/projects/1/sets/",
        {**API_SET_RANGE, "first_number": 500},
        "first_number",
    ),
    ("post", "/api/projects/1/sets/", {**API_SET_RANGE, "kind": "plastic"}, "kind"),
    ("post", "/api/projects/1/sets/", {**API_SET_RANGE, "name": LONG}, "name"),
    ("patch", "/api/projects/1/sets/1/", {"quantity": 3}, "quantity"),
    ("patch", "/api/projects/1/sets/1/", {"first_number": 50}, "first_number"),
    ("post", "/api/buyers/", {"first_name": LONG, "phone": "3001234567"}, "first_name"),
    ("post", "/api/buyers/", {"first_name": "Luis", "phone": "12"}, "phone"),
    ("post", "/api/buyers/", {"first_name": "Luis", "email": "ana@"}, "email"),
    ("post", "/api/buyers/", {"first_name": "Luis"}, "phone"),
    ("patch", "/api/buyers/1/", {"phone": "abc"}, "phone"),
    ("post", "/api/projects/1/sales/", {"buyer": 1, "numbers": "5000"}, "numbers"),
    ("post", "/api/projects/1/sales/", {"buyer": 1, "numbers": "0007"}, "numbers"),
    ("post", "/api/projects/1/sales/", {"buyer": 1, "numbers": ["abc"]}, "numbers"),
    (
        "post",
        "/api/projects/1/sales/",
        {"buyer": 1, "numbers": "7", "state": "gone"},
        "state",
    ),
    ("post", "/api/projects/1/sales/", {"buyer": 99, "numbers": "7"}, "buyer"),
    (
        "post",
        "/api/projects/1/numbers/5/payments/",
        {"method": "cash", "amount": "-1"},
        "amount",
    ),
    (
        "post",
        "/api/projects/1/numbers/5/payments/",
        {"method": "cash", "amount": "1.005"},
        "amount",
    ),
    (
        "post",
        "/api/projects/1/numbers/5/payments/",
        {"method": "cash", "amount": "10.01"},
        "amount",
    ),
    (
        "post",
        "/api/projects/1/numbers/5/payments/",
        {"method": "cash", "amount": 1.5},
        "amount",
    ),
    ("post", "/api/projects/1/numbers/6/refund/", {"reason": ""}, "reason"),
]


@pytest.mark.parametrize(
    "method, path, body, field",
    ENDPOINTS,
    ids=[f"{m} {p} {f}" for m, p, _, f in ENDPOINTS],
)
def test_endpoint_answers_bad_input_with_a_field_error(
    organizer_api, world, method, path, body, field
):
    before = fingerprint()

    response = getattr(organizer_api, method)(path, body, format="json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert field in response.json(), response.json()
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/projects/1/numbers/²/", 404),
        ("/projects/1/numbers/٣/", 404),
        ("/api/projects/1/numbers/²/", 404),
        ("/projects/1/numbers/005/?correct=²", 200),
        ("/projects/1/sell/?buyer=²", 200),
        ("/buyers/search.json?exclude=²&phone=%2B573000000001", 200),
        ("/admin/raffles/raffle/?q=²", 200),
        ("/projects/1/sets/1/?number=²", 200),
    ],
)
def test_digit_like_characters_are_not_numbers(client, organizer, world, path, status):
    # str.isdigit() takes "²", which int() then refuses with a server error.
    organizer.is_staff = organizer.is_superuser = True
    organizer.save(update_fields=["is_staff", "is_superuser"])
    raffle = world.raffles.get(number=5)
    record_payment(
        raffle=raffle, amount=Decimal("1.00"), method="cash", actor=organizer
    )
    client.force_login(organizer)
    api = {
        "HTTP_AUTHORIZATION": f"Bearer {RefreshToken.for_user(organizer).access_token}"
    }

    response = client.get(path, **(api if path.startswith("/api/") else {}))

    assert response.status_code == status


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/",
        "/api/projects/1/sets/",
        "/api/buyers/",
        "/api/projects/1/sales/",
    ],
)
def test_endpoint_answers_malformed_json_with_400(organizer_api, world, path):
    before = fingerprint()

    response = organizer_api.post(
        path, '{"name": "Rifa", ', content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert fingerprint() == before


def test_endpoint_answers_an_expired_token_with_401(api_client, organizer, world):
    token = RefreshToken.for_user(organizer).access_token
    token.set_exp(lifetime=-timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    before = fingerprint()

    response = api_client.post("/api/projects/", {"name": "Late"}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"]
    assert fingerprint() == before


@override_settings(RAFFLES_MAX_SET_SIZE=1000)
def test_set_over_the_configured_maximum_is_refused(organizer_api, world):
    before = fingerprint()

    response = organizer_api.post(
        "/api/projects/1/sets/",
        {**API_SET_RANGE, "quantity": 1001},
        format="json",
    )

    assert response.status_code == 400
    assert "1,000" in str(response.json()["quantity"])
    assert fingerprint() == before
