import pytest
from django.core.cache import cache
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.services import record_payment, sell_numbers
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PHONE_REGION = "CO"
    cache.clear()


def create(client, **payload):
    return client.post("/api/buyers/", payload, format="json")


def test_create_buyer_keeps_accents_and_emoji(organizer_api, organizer):
    # B1: byte-exact round trip.
    response = create(
        organizer_api,
        first_name="Ana 😀",
        last_name="Gómez",
        email="ana.gomez+rifa@example.com",
        notes="Pagó 💵\nVive cerca",
    )

    body = response.json()
    assert response.status_code == 201
    assert body == {
        "ref": 1,
        "first_name": "Ana 😀",
        "last_name": "Gómez",
        "email": "ana.gomez+rifa@example.com",
        "phone": "",
        "phone_display": "",
        "notes": "Pagó 💵\nVive cerca",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    buyer = Buyer.objects.get(owner=organizer)
    assert (buyer.first_name, buyer.notes) == ("Ana 😀", "Pagó 💵\nVive cerca")
    assert organizer_api.get("/api/buyers/1/").json()["first_name"] == "Ana 😀"


@pytest.mark.parametrize(
    "phone",
    ["+57 300 000 0001", "(+57) 3000000001", "0057 300-000-0001", "300 000 0001"],
)
def test_create_buyer_stores_phones_in_e164(organizer_api, phone):
    # B3
    response = create(organizer_api, first_name="Luis", phone=phone)

    assert response.status_code == 201
    assert response.json()["phone"] == "+573000000001"
    assert response.json()["phone_display"] == "+57 300 0000001"


def test_create_buyer_accepts_an_international_domain(organizer_api):
    # B2
    response = create(organizer_api, first_name="Luis", email="luis@peña.example")

    assert response.status_code == 201
    assert response.json()["email"] == "luis@peña.example"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_name": "Ana", "email": "ana@"}, "email"),
        ({"first_name": "Ana", "email": "a b@example.com"}, "email"),
        ({"first_name": "Ana", "phone": "12"}, "phone"),
        ({"first_name": "Ana", "phone": "abc"}, "phone"),
        ({"first_name": "Ana"}, "phone"),
        ({"first_name": "", "email": "ana@example.com"}, "first_name"),
        ({"first_name": "x" * 300, "email": "ana@example.com"}, "first_name"),
        ({"first_name": "Ana", "last_name": "x" * 300, "phone": "3000000001"}, None),
        ({"email": "ana@example.com"}, "first_name"),
        ({"first_name": "\x13", "email": "ana@example.com"}, "first_name"),
        ({"first_name": "\u200b", "email": "ana@example.com"}, "first_name"),
        ({"first_name": "Ana", "last_name": "Gómez\x07", "phone": "3000000001"}, None),
    ],
)
def test_create_buyer_refuses_bad_input(organizer_api, payload, field):
    response = create(organizer_api, **payload)

    assert response.status_code == 400
    assert (field or "last_name") in response.json()
    assert Buyer.objects.count() == 0


def test_two_buyers_may_share_a_phone(organizer_api):
    # B4
    create(organizer_api, first_name="Ana", last_name="Gómez", phone="3000000001")
    create(organizer_api, first_name="Luis", last_name="Gómez", phone="3000000001")

    response = organizer_api.get("/api/buyers/?q=300 000 0001")

    assert [b["first_name"] for b in response.json()["results"]] == ["Ana", "Luis"]


def test_buyer_list_is_by_name_and_own_only(organizer_api, organizer, other_organizer):
    BuyerFactory(owner=organizer, first_name="Zoe", last_name="Alvarez")
    BuyerFactory(owner=organizer, first_name="Ana", last_name="Zapata")
    BuyerFactory(owner=other_organizer, first_name="Not", last_name="Mine")

    response = organizer_api.get("/api/buyers/")

    names = [b["first_name"] for b in response.json()["results"]]
    assert names == ["Zoe", "Ana"]


def test_buyer_search_by_name(organizer_api, organizer):
    BuyerFactory(owner=organizer, first_name="José", last_name="Peña")
    BuyerFactory(owner=organizer, first_name="Luis", last_name="Pérez")

    response = organizer_api.get("/api/buyers/?q=peña")

    assert [b["last_name"] for b in response.json()["results"]] == ["Peña"]


@pytest.mark.parametrize("query", ["pena", "PEÑA", "jose", "José PENA"])
def test_buyer_search_ignores_accents_and_case(organizer_api, organizer, query):
    BuyerFactory(owner=organizer, first_name="José", last_name="Peña")
    BuyerFactory(owner=organizer, first_name="Luis", last_name="Pérez")

    response = organizer_api.get("/api/buyers/", {"q": query})

    assert [b["last_name"] for b in response.json()["results"]] == ["Peña"]


def test_buyer_search_finds_a_renamed_buyer(organizer_api, organizer):
    buyer = BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")
    organizer_api.patch(
        f"/api/buyers/{buyer.ref}/", {"last_name": "Muñoz"}, format="json"
    )

    old = organizer_api.get("/api/buyers/", {"q": "gomez"})
    new = organizer_api.get("/api/buyers/", {"q": "munoz"})

    assert old.json()["results"] == []
    assert [b["last_name"] for b in new.json()["results"]] == ["Muñoz"]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_buyer(organizer_api, organizer, method):
    buyer = BuyerFactory(owner=organizer, first_name="Ana")

    response = getattr(organizer_api, method)(
        f"/api/buyers/{buyer.ref}/",
        {"first_name": "Ana María", "phone": "300 000 0001"},
        format="json",
    )

    buyer.refresh_from_db()
    assert response.status_code == 200
    assert (buyer.first_name, buyer.phone) == ("Ana María", "+573000000001")


@pytest.mark.parametrize("name", ["\x13", "\u200b\u200b"])
def test_update_buyer_refuses_an_invisible_name(organizer_api, organizer, name):
    buyer = BuyerFactory(owner=organizer, first_name="Ana")

    response = organizer_api.put(
        f"/api/buyers/{buyer.ref}/",
        {"first_name": name, "email": buyer.email},
        format="json",
    )

    buyer.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()) == ["first_name", "detail"]
    assert buyer.first_name == "Ana"


def test_buyer_name_may_join_emoji(organizer_api):
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"

    response = create(organizer_api, first_name=f"Ana {family}", phone="3000000001")

    assert response.status_code == 201
    assert response.json()["first_name"] == f"Ana {family}"


def test_patch_buyer_refuses_removing_the_only_contact(organizer_api, organizer):
    buyer = BuyerFactory(owner=organizer, email="ana@example.com", phone="")

    response = organizer_api.patch(
        f"/api/buyers/{buyer.ref}/", {"email": ""}, format="json"
    )

    buyer.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["phone"] == ["Give at least an email or a phone."]
    assert buyer.email == "ana@example.com"


def test_delete_buyer_without_numbers(organizer_api, organizer):
    buyer = BuyerFactory(owner=organizer)

    response = organizer_api.delete(f"/api/buyers/{buyer.ref}/")

    assert response.status_code == 204
    assert Buyer.objects.count() == 0


def test_delete_buyer_with_numbers_is_refused(organizer_api, organizer):
    buyer = BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    sell_numbers(project=project, buyer=buyer, numbers="5", actor=organizer)

    response = organizer_api.delete(f"/api/buyers/{buyer.ref}/")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Ana Gómez has numbers or payments on record, so the buyer cannot be deleted."
    )
    assert Buyer.objects.count() == 1


# History


@pytest.fixture
def history(organizer):
    buyer = BuyerFactory(owner=organizer)
    fair = ProjectFactory(owner=organizer, name="Fair", currency="USD")
    RaffleSetFactory(project=fair, unit_price="2.00")
    rifa = ProjectFactory(owner=organizer, name="Rifa", currency="COP")
    RaffleSetFactory(project=rifa, unit_price="5000.00", quantity=1000)
    sell_numbers(project=fair, buyer=buyer, numbers="3", actor=organizer)
    sell_numbers(project=fair, buyer=buyer, numbers="4", actor=organizer, state="paid")
    raffles = sell_numbers(project=rifa, buyer=buyer, numbers="7", actor=organizer)
    record_payment(raffle=raffles[0], amount="1000", method="cash", actor=organizer)
    return buyer


def test_buyer_history_lists_numbers_across_projects(organizer_api, history):
    response = organizer_api.get(f"/api/buyers/{history.ref}/history/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert [
        (r["project"], r["label"], r["state"], r["outstanding"])
        for r in body["results"]
    ] == [
        (2, "007", "reserved", "4000.00"),
        (1, "03", "reserved", "2.00"),
        (1, "04", "paid", "0.00"),
    ]
    assert body["results"][0]["project_name"] == "Rifa"
    assert body["totals"] == [
        {"currency": "COP", "count": 1, "paid": "1000.00", "owed": "4000.00"},
        {"currency": "USD", "count": 2, "paid": "2.00", "owed": "2.00"},
    ]


def test_buyer_history_of_a_new_buyer_is_empty(organizer_api, organizer):
    buyer = BuyerFactory(owner=organizer)

    response = organizer_api.get(f"/api/buyers/{buyer.ref}/history/")

    assert response.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "totals": [],
    }


@pytest.mark.parametrize("size", [1, 9])
def test_buyer_list_queries_do_not_grow(
    organizer_api, organizer, django_assert_num_queries, size
):
    for _ in range(size):
        BuyerFactory(owner=organizer)

    with django_assert_num_queries(2):
        response = organizer_api.get("/api/buyers/")

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [1, 9])
def test_buyer_history_queries_do_not_grow(
    organizer_api, organizer, django_assert_num_queries, size
):
    buyer = BuyerFactory(owner=organizer)
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    sell_numbers(project=project, buyer=buyer, numbers=f"0-{size - 1}", actor=organizer)

    with django_assert_num_queries(4):
        response = organizer_api.get(f"/api/buyers/{buyer.ref}/history/")

    assert response.json()["count"] == size


@pytest.mark.parametrize(
    "region, hint",
    [
        ("CO", "Numbers from Colombia may omit +57, e.g. 321 1234567;"),
        ("US", "Numbers from United States may omit +1, e.g. (201) 555-0123;"),
    ],
)
def test_schema_tells_how_to_type_a_phone(region, hint):
    with override_settings(PHONE_REGION=region):
        schema = SchemaGenerator().get_schema(request=None, public=True)

    phone = schema["components"]["schemas"]["BuyerRequest"]["properties"]["phone"]
    assert phone["description"] == (
        "Any usual writing; stored and shown in E.164 (+573000000001). "
        f"{hint} others need their country code."
    )
