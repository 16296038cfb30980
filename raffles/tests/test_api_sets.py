import pytest
from django.core.cache import cache

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle, RaffleSet
from raffles.services import release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer)


def sets_url(project, ref=None):
    base = f"/api/projects/{project.ref}/sets/"
    return base if ref is None else f"{base}{ref}/"


def snapshot(project):
    """Everything a refused edit must leave as it was."""
    return (
        list(RaffleSet.objects.filter(project=project).values().order_by("pk")),
        list(
            Raffle.objects.filter(project=project)
            .values_list("number", "state", "buyer_id", "price")
            .order_by("number")
        ),
    )


def test_create_set_generates_its_numbers(organizer_api, project):
    response = organizer_api.post(
        sets_url(project),
        {
            "name": "Booklet A",
            "kind": "paper",
            "unit_price": "2.50",
            "first_number": 0,
            "quantity": 1000,
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert body == {
        "ref": 1,
        "name": "Booklet A",
        "kind": "paper",
        "unit_price": "2.50",
        "first_number": 0,
        "quantity": 1000,
        "padding": 3,
        "last_number": 999,
        "range": "000-999",
        "available_count": 1000,
        "reserved_count": 0,
        "paid_count": 0,
        "collected": "0.00",
        "outstanding": "0.00",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert Raffle.objects.filter(project=project).count() == 1000


def test_create_set_defaults(organizer_api, project):
    response = organizer_api.post(
        sets_url(project),
        {"name": "Online", "unit_price": "1.00", "quantity": 100},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["kind"], body["first_number"], body["padding"], body["range"]) == (
        "virtual",
        0,
        2,
        "00-99",
    )


# N2 and M1: ranges and prices


def test_create_set_refuses_an_overlap_naming_the_clash(organizer_api, project):
    RaffleSetFactory(project=project, name="Big", first_number=500, quantity=1000)

    response = organizer_api.post(
        sets_url(project),
        {"name": "Clash", "unit_price": "1.00", "first_number": 1000, "quantity": 1000},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["first_number"] == [
        "Numbers 1000-1999 overlap set “Big” (0500-1499): numbers are unique "
        "across a project."
    ]
    assert RaffleSet.objects.filter(project=project).count() == 1


AT_LEAST_ONE = "Ensure this value is greater than or equal to 1."
TOO_LONG = "Ensure this field has no more than 120 characters."


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"quantity": 0}, "quantity", AT_LEAST_ONE),
        ({"quantity": -5}, "quantity", AT_LEAST_ONE),
        ({"quantity": 100_001}, "quantity", "A set can have at most 100,000 numbers."),
        ({"quantity": "lots"}, "quantity", "A valid integer is required."),
        (
            {"first_number": -1},
            "first_number",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"unit_price": "2.225"},
            "unit_price",
            "Ensure that there are no more than 2 decimal places.",
        ),
        (
            {"unit_price": 2.5},
            "unit_price",
            'Send amounts as a decimal string such as "12.50".',
        ),
        (
            {"unit_price": "-1.00"},
            "unit_price",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"unit_price": "100000000.00"},
            "unit_price",
            "Ensure that there are no more than 10 digits in total.",
        ),
        ({"unit_price": "abc"}, "unit_price", "A valid number is required."),
        ({"kind": "plastic"}, "kind", '"plastic" is not a valid choice.'),
        ({"name": "x" * 300}, "name", TOO_LONG),
        ({"padding": 0}, "padding", "Ensure this value is greater than or equal to 1."),
        ({"padding": 11}, "padding", "Ensure this value is less than or equal to 10."),
    ],
)
def test_create_set_refuses_bad_input(organizer_api, project, change, field, message):
    payload = {"name": "A", "unit_price": "1.00", "quantity": 1000, **change}

    response = organizer_api.post(sets_url(project), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field, "detail"]
    if message is not None:
        assert response.json()[field] == [message]
    assert RaffleSet.objects.filter(project=project).count() == 0


def test_create_set_refuses_a_duplicate_name(organizer_api, project):
    RaffleSetFactory(project=project, name="Booklet")

    response = organizer_api.post(
        sets_url(project),
        {"name": "booklet", "unit_price": "1", "first_number": 500, "quantity": 10},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["name", "detail"]


def test_set_list_counts_per_state(organizer_api, organizer, project):
    first = RaffleSetFactory(project=project, name="A", quantity=100)
    RaffleSetFactory(project=project, name="B", first_number=100, quantity=50)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(project=project, buyer=buyer, numbers="1-4", actor=organizer)
    sell_numbers(
        project=project, buyer=buyer, numbers="5, 120", actor=organizer, state="paid"
    )

    response = organizer_api.get(sets_url(project))

    rows = [
        (s["ref"], s["available_count"], s["reserved_count"], s["paid_count"])
        for s in response.json()["results"]
    ]
    assert response.status_code == 200
    assert rows == [(first.ref, 95, 4, 1), (2, 49, 0, 1)]
    assert response.json()["results"][0]["collected"] == "2.00"
    assert response.json()["results"][0]["outstanding"] == "8.00"


def test_set_detail(organizer_api, project):
    raffle_set = RaffleSetFactory(project=project, name="A", unit_price="3.00")

    response = organizer_api.get(sets_url(project, raffle_set.ref))

    assert response.status_code == 200
    assert response.json()["unit_price"] == "3.00"
    assert response.json()["range"] == "00-99"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_set_grows_and_reprices(organizer_api, organizer, project, method):
    raffle_set = RaffleSetFactory(project=project, name="A", quantity=100)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="7",
        actor=organizer,
    )

    response = getattr(organizer_api, method)(
        sets_url(project, raffle_set.ref),
        {"name": "A", "unit_price": "5.00", "quantity": 150},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["available_count"] == 149
    assert response.json()["range"] == "00-149"
    assert Raffle.objects.filter(project=project).count() == 150
    assert str(Raffle.objects.get(project=project, number=7).price) == "2.00"


# S5: editing around sold numbers, by POST, PUT and PATCH alike


@pytest.fixture
def half_sold(organizer, project):
    raffle_set = RaffleSetFactory(project=project, name="Big", quantity=1000)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="0-499",
        actor=organizer,
    )
    return raffle_set


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"quantity": 100},
            "quantity",
            "Numbers 100-499 are or were reserved or paid, so they cannot be "
            "removed: their history must stay.",
        ),
        (
            {"first_number": 2000},
            "first_number",
            "Numbers 000-499 are or were reserved or paid, so they cannot be "
            "removed: their history must stay.",
        ),
        (
            {"quantity": 0},
            "quantity",
            "Ensure this value is greater than or equal to 1.",
        ),
    ],
)
def test_update_set_refuses_to_drop_sold_numbers(
    organizer_api, project, half_sold, method, change, field, message
):
    before = snapshot(project)
    payload = {"name": "Big", "unit_price": "2.00", "quantity": 1000, **change}

    response = getattr(organizer_api, method)(
        sets_url(project, half_sold.ref), payload, format="json"
    )

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert snapshot(project) == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_set_edits_refuse_to_drop_numbers_with_history(
    organizer_api, organizer, project, method
):
    raffle_set = RaffleSetFactory(project=project, name="Big", quantity=100)
    sold = sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="40-45, 99",
        actor=organizer,
    )
    for raffle in sold:
        release_number(raffle=raffle, actor=organizer)
    before = snapshot(project)
    payload = {"name": "Big", "unit_price": "2.00", "quantity": 40}

    response = getattr(organizer_api, method)(
        sets_url(project, raffle_set.ref), payload, format="json"
    )

    message = (
        "Numbers 40-45, 99 are or were reserved or paid, so they cannot be "
        "removed: their history must stay."
    )
    assert response.status_code == 400
    if method == "delete":
        assert response.json()["detail"] == message
    else:
        assert response.json()["quantity"] == [message]
    assert snapshot(project) == before


def test_delete_set_with_sold_numbers_is_refused(organizer_api, project, half_sold):
    before = snapshot(project)

    response = organizer_api.delete(sets_url(project, half_sold.ref))

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Numbers 000-499 are or were reserved or paid, so they cannot be removed: "
        "their history must stay."
    )
    assert snapshot(project) == before


def test_create_set_inside_a_sold_set_is_refused(organizer_api, project, half_sold):
    before = snapshot(project)

    response = organizer_api.post(
        sets_url(project),
        {"name": "Inside", "unit_price": "1.00", "first_number": 10, "quantity": 5},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["first_number", "detail"]
    assert snapshot(project) == before


def test_delete_set_without_sales(organizer_api, project):
    raffle_set = RaffleSetFactory(project=project)

    response = organizer_api.delete(sets_url(project, raffle_set.ref))

    assert response.status_code == 204
    assert Raffle.objects.filter(project=project).count() == 0


def test_set_refs_are_per_project(organizer_api, organizer, project):
    other_project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=other_project)

    response = organizer_api.post(
        sets_url(project),
        {"name": "First", "unit_price": "1.00", "quantity": 10},
        format="json",
    )

    assert response.json()["ref"] == 1


@pytest.mark.parametrize("size", [1, 8])
def test_set_list_queries_do_not_grow(
    organizer_api, project, django_assert_num_queries, size
):
    for index in range(size):
        RaffleSetFactory(project=project, first_number=index * 100)

    # Project, count, page of sets (each keeps its own totals).
    with django_assert_num_queries(2):
        response = organizer_api.get(sets_url(project))

    assert response.json()["count"] == size
