import pytest
from django.core.cache import cache

from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def test_create_project_answers_the_project_with_totals(organizer_api, organizer):
    response = organizer_api.post(
        "/api/projects/",
        {
            "name": "Rifa Navideña 🎄",
            "description": "Premios: una canasta 🧺",
            "currency": "cop",
            "draw_date": "2027-12-24",
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert body["ref"] == 1
    assert body["name"] == "Rifa Navideña 🎄"
    assert body["description"] == "Premios: una canasta 🧺"
    assert body["currency"] == "COP"
    assert body["draw_date"] == "2027-12-24"
    assert body["totals"] == {
        "quantity": 0,
        "available_count": 0,
        "reserved_count": 0,
        "paid_count": 0,
        "sold_count": 0,
        "collected": "0.00",
        "outstanding": "0.00",
    }
    assert "id" not in body
    assert Project.objects.get(owner=organizer).name == "Rifa Navideña 🎄"


def test_create_project_uses_default_currency(organizer_api, settings):
    response = organizer_api.post("/api/projects/", {"name": "Fair"}, format="json")

    assert response.status_code == 201
    assert response.json()["currency"] == settings.DEFAULT_CURRENCY
    assert response.json()["draw_date"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "x" * 300}, "name"),
        ({"name": "Fair", "currency": "US"}, "currency"),
        ({"name": "Fair", "currency": "U$D"}, "currency"),
        ({"name": "Fair", "currency": "XYZ"}, "currency"),
        ({"name": "Fair", "currency": "ABC"}, "currency"),
        ({"name": "Fair", "draw_date": "24/12/2027"}, "draw_date"),
        ({"name": ["Fair"]}, "name"),
    ],
)
def test_create_project_refuses_bad_input(organizer_api, payload, field):
    response = organizer_api.post("/api/projects/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert response.json()["detail"].startswith(f"{field}: ")
    assert Project.objects.count() == 0


@pytest.mark.parametrize(("typed", "kept"), [("eur", "EUR"), (" usd ", "USD")])
def test_create_project_writes_the_currency_the_iso_way(organizer_api, typed, kept):
    response = organizer_api.post(
        "/api/projects/", {"name": "Fair", "currency": typed}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["currency"] == kept


def test_create_project_names_an_unknown_currency(organizer_api):
    response = organizer_api.post(
        "/api/projects/", {"name": "Fair", "currency": "XYZ"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["currency"] == [
        "“XYZ” is not an ISO 4217 currency code such as USD, EUR or ARS."
    ]


def test_create_project_refuses_a_name_taken_in_any_case(organizer_api, organizer):
    ProjectFactory(owner=organizer, name="Spring Fair")

    response = organizer_api.post(
        "/api/projects/", {"name": "SPRING fair"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["name"] == [
        "You already have a project named “SPRING fair”."
    ]


def test_project_list_shows_only_own_projects_newest_first(
    organizer_api, organizer, other_organizer
):
    ProjectFactory(owner=organizer, name="First")
    ProjectFactory(owner=organizer, name="Second")
    ProjectFactory(owner=other_organizer, name="Not mine")

    response = organizer_api.get("/api/projects/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert [(p["ref"], p["name"]) for p in body["results"]] == [
        (2, "Second"),
        (1, "First"),
    ]


def test_project_detail_counts_numbers_and_money(organizer_api, organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=10)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(project=project, buyer=buyer, numbers="1-3", actor=organizer)
    sell_numbers(
        project=project, buyer=buyer, numbers="4", actor=organizer, state="paid"
    )

    response = organizer_api.get(f"/api/projects/{project.ref}/")

    assert response.status_code == 200
    assert response.json()["totals"] == {
        "quantity": 10,
        "available_count": 6,
        "reserved_count": 3,
        "paid_count": 1,
        "sold_count": 4,
        "collected": "2.00",
        "outstanding": "6.00",
    }


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_project_changes_fields(organizer_api, organizer, method):
    project = ProjectFactory(owner=organizer, name="Fair")

    response = getattr(organizer_api, method)(
        f"/api/projects/{project.ref}/",
        {"name": "Summer Fair", "currency": "ars", "draw_date": None},
        format="json",
    )

    project.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["name"] == "Summer Fair"
    assert (project.name, project.currency, project.draw_date) == (
        "Summer Fair",
        "ARS",
        None,
    )


def test_put_project_needs_the_name(organizer_api, organizer):
    project = ProjectFactory(owner=organizer, name="Fair")

    response = organizer_api.put(
        f"/api/projects/{project.ref}/", {"currency": "EUR"}, format="json"
    )

    project.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["name"] == ["This field is required."]
    assert project.currency == "USD"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_project_refuses_a_taken_name(organizer_api, organizer, method):
    ProjectFactory(owner=organizer, name="Spring")
    project = ProjectFactory(owner=organizer, name="Autumn")

    response = getattr(organizer_api, method)(
        f"/api/projects/{project.ref}/", {"name": "spring"}, format="json"
    )

    project.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()) == ["name", "detail"]
    assert project.name == "Autumn"


def test_delete_project_without_sales(organizer_api, organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)

    response = organizer_api.delete(f"/api/projects/{project.ref}/")

    assert response.status_code == 204
    assert Project.objects.count() == 0


def test_delete_project_with_sales_is_refused(organizer_api, organizer):
    project = ProjectFactory(owner=organizer, name="Fair")
    RaffleSetFactory(project=project)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="5",
        actor=organizer,
    )

    response = organizer_api.delete(f"/api/projects/{project.ref}/")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Project “Fair” has reserved or paid numbers; release or refund them "
        "before deleting it."
    )
    assert Project.objects.count() == 1


@pytest.mark.parametrize("size", [1, 12])
def test_project_list_queries_do_not_grow(
    organizer_api, organizer, django_assert_num_queries, size
):
    for _ in range(size):
        ProjectFactory(owner=organizer)

    with django_assert_num_queries(2):
        response = organizer_api.get("/api/projects/")

    assert response.json()["count"] == size
