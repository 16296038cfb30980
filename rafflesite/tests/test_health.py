"""/health/, for load balancers: one cheap query, no https redirect."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_check_answers_503_when_the_database_is_down(client, caplog):
    def refused(execute, sql, params, many, context):
        raise OperationalError(2003, "Can't connect to server on 'db' (111)")

    with connection.execute_wrapper(refused):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    assert [r.getMessage() for r in caplog.records if r.name == "rafflesite.views"] == [
        "Health check failed: the database did not answer "
        "((2003, \"Can't connect to server on 'db' (111)\"))"
    ]


def test_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/health/")
    login = client.get("/accounts/login/")

    assert health.status_code == 200
    assert (login.status_code, login["Location"]) == (
        301,
        "https://testserver/accounts/login/",
    )
