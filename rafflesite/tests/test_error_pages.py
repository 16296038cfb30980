import pytest
from django.test import Client, RequestFactory
from django.views.csrf import csrf_failure
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def text_of(response):
    return " ".join(response.content.decode().split())


def test_missing_page_is_a_404_in_the_sites_style(organizer_client):
    response = organizer_client.get("/projects/999/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    page = text_of(response)
    assert "<h1>Page not found</h1>" in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert 'href="/buyers/">Buyers</a>' in page


def test_missing_page_for_a_visitor_offers_to_log_in(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'href="/accounts/login/">Log in</a>' in text_of(response)


def test_server_error_page_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    page = text_of(response)
    assert "<h1>Something went wrong</h1>" in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert '<a class="button primary" href="/">Back to your projects</a>' in page


def test_expired_form_page_explains_what_to_do(organizer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)

    response = client.post("/projects/new/", {"name": "Late"})

    assert response.status_code == 403
    assert "<h1>This form has expired</h1>" in text_of(response)


def test_csrf_failure_page_renders_without_a_request():
    response = csrf_failure(RequestFactory().post("/"), reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert "Nothing was saved" in text_of(response)
