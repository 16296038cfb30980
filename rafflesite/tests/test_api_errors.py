import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.mark.parametrize(
    "body", ['{"name": "Fair",', "{'name': 'Fair'}", "not json", '{"name": NaN']
)
def test_malformed_json_is_a_400_with_detail(organizer_api, body):
    response = organizer_api.generic(
        "POST", "/api/projects/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert Project.objects.count() == 0


def test_a_json_list_instead_of_an_object_is_a_400(organizer_api):
    response = organizer_api.post("/api/projects/", ["Fair"], format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Invalid data. Expected a dictionary, but got list."
    )


def test_form_data_is_refused_with_415(organizer_api):
    response = organizer_api.post("/api/projects/", {"name": "Fair"})

    assert response.status_code == 415
    assert response.json()["detail"].startswith("Unsupported media type")


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer abc", "Bearer a.b.c", "Token abc", "Bearer a b"]
)
def test_bad_token_is_a_401_with_detail(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/projects/")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_wrong_method_is_a_405_with_detail(organizer_api):
    response = organizer_api.delete("/api/projects/")

    assert response.status_code == 405
    assert response.json()["detail"] == 'Method "DELETE" not allowed.'


def test_another_organizers_project_is_a_404_not_403(organizer_api, other_organizer):
    project = ProjectFactory(owner=other_organizer)

    response = organizer_api.patch(
        f"/api/projects/{project.ref}/", {"name": "Mine now"}, format="json"
    )

    project.refresh_from_db()
    assert response.status_code == 404
    assert response.json() == {"detail": "Project 1 is not among your projects."}
    assert project.name != "Mine now"


NOT_FOUND = [
    ("/api/projects/9/", "Project 9 is not among your projects."),
    ("/api/buyers/9/", "Buyer 9 is not among your buyers."),
    ("/api/projects/1/sets/9/", "Set 9 is not in this project."),
    ("/api/projects/1/numbers/900/", "Number 900 is not in this project."),
    ("/api/projects/1/numbers/0007/", "Number 0007 is not in this project."),
    ("/api/projects/1/numbers/7/payments/", "Number 7 is not in this project."),
    ("/api/projects/1/numbers/x7/", "Number x7 is not in this project."),
    ("/api/buyers/9/history/", "Buyer 9 is not among your buyers."),
    ("/api/projects/1/prizes/9/", "Prize 9 is not in this project."),
]


@pytest.mark.parametrize(("url", "detail"), NOT_FOUND)
def test_a_404_names_what_was_not_found(organizer_api, organizer, url, detail):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, first_number=10, quantity=90, padding=3)

    response = organizer_api.get(url)

    assert response.status_code == 404
    assert response.json() == {"detail": detail}


def test_a_404_speaks_the_requested_language(organizer_api, organizer):
    ProjectFactory(owner=organizer)

    response = organizer_api.get("/api/projects/1/prizes/4/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert response.json() == {"detail": "El premio 4 no está en este proyecto."}


def test_an_unknown_api_address_speaks_the_requested_language(api_client):
    response = api_client.get("/api/nothing/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No hay ningún recurso de la API en esta dirección."
    }


def test_a_sale_to_a_buyer_not_yours_speaks_the_requested_language(
    organizer_api, organizer
):
    ProjectFactory(owner=organizer)

    response = organizer_api.post(
        "/api/projects/1/sales/",
        {"buyer": 99, "numbers": "7"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    assert response.json()["buyer"] == [
        "El comprador 99 no está entre sus compradores."
    ]


def test_field_errors_come_with_a_summary(organizer_api):
    response = organizer_api.post("/api/projects/", {"name": ""}, format="json")

    assert response.json() == {
        "name": ["This field may not be blank."],
        "detail": "name: This field may not be blank.",
    }


def test_service_errors_without_a_field_have_a_sentence_detail(
    organizer_api, organizer
):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="1",
        actor=organizer,
    )

    response = organizer_api.post(
        f"/api/projects/{project.ref}/numbers/01/refund/",
        {"reason": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Number 01 is reserved: only a paid number is refunded."
    }
