import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse, set_script_prefix
from django.views.csrf import csrf_failure
from django.views.defaults import server_error

from projects.tests.factories import ProjectFactory
from raffles.tests.factories import RaffleSetFactory
from rafflesite.middleware import database_busy_response

pytestmark = pytest.mark.django_db

DEADLOCK = OperationalError(1213, "Deadlock found when trying to get lock")


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


def test_csrf_failure_view_renders_the_expired_form_page():
    response = csrf_failure(RequestFactory().post("/"), reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert "Nothing was saved" in text_of(response)


@pytest.fixture
def rendered():
    """The names of the templates rendered during a test."""
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def not_allowed(admin_client):
    return admin_client.get(reverse("admin:raffles_raffle_add"))


def not_found(admin_client):
    return admin_client.get("/no-such-page/")


def form_expired(admin_client):
    client = Client(enforce_csrf_checks=True)
    client.cookies = admin_client.cookies
    return client.post("/projects/new/", {"name": "Late"})


def server_failed(admin_client):
    return server_error(RequestFactory().get("/"))


def database_busy(admin_client):
    return database_busy_response(RequestFactory().post("/projects/"), DEADLOCK)


@pytest.mark.parametrize(
    ("answer", "status", "template", "heading"),
    [
        (not_allowed, 403, "403.html", "Not allowed"),
        (not_found, 404, "404.html", "Page not found"),
        (form_expired, 403, "403_csrf.html", "This form has expired"),
        (server_failed, 500, "500.html", "Something went wrong"),
        (database_busy, 503, "503.html", "The database was busy"),
    ],
)
def test_error_page_shares_the_error_layout(
    admin_client, rendered, answer, status, template, heading
):
    response = answer(admin_client)

    assert response.status_code == status
    assert rendered[:2] == [template, "error_page.html"]
    page = text_of(response)
    assert (
        f'<div class="narrow error-page"> '
        f'<p class="error-code" aria-hidden="true">{status}</p> '
        f"<h1>{heading}</h1> <p>"
    ) in page
    assert (
        '<div class="actions"> '
        '<a class="button primary" href="/">Back to your projects</a>'
    ) in page


@pytest.mark.parametrize("answer", [not_allowed, not_found, form_expired])
def test_error_page_with_a_request_keeps_the_users_menu(admin_client, answer):
    response = answer(admin_client)

    assert '<form method="post" action="/accounts/logout/"' in text_of(response)


@pytest.mark.parametrize("answer", [server_failed, database_busy])
def test_error_page_without_a_request_needs_no_database(
    admin_client, django_assert_num_queries, answer
):
    with django_assert_num_queries(0):
        response = answer(admin_client)

    page = text_of(response)
    assert '<a class="brand" href="/">Raffle manager</a>' in page
    assert "Log in" not in page


# 405: a page that only takes a form sent with its button.


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, first_number=100, quantity=10)
    return project


def test_get_on_a_number_action_explains_and_links_to_the_number(
    organizer_client, project
):
    response = organizer_client.get(f"/projects/{project.ref}/numbers/105/payments/")

    page = text_of(response)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.templates[0].name == "405.html"
    assert "<h1>Use the page's button</h1>" in page
    assert (
        f'<a class="button primary" href="/projects/{project.ref}/numbers/105/">'
        "Go to the page</a>"
    ) in page


def test_links_keep_the_script_prefix(organizer_client, project):
    # What a WSGI server mounting the app at /raffles/ sets for each request
    # (Django's test client does not).
    set_script_prefix("/raffles/")
    try:
        response = organizer_client.get(
            f"/projects/{project.ref}/numbers/105/payments/", SCRIPT_NAME="/raffles"
        )
    finally:
        set_script_prefix("/")

    page = text_of(response)
    assert response.status_code == 405
    number_page = f"/raffles/projects/{project.ref}/numbers/105/"
    assert f'<a class="button primary" href="{number_page}">Go to the page</a>' in page
    assert '<a class="button" href="/raffles/">Back to your projects</a>' in page
    assert 'href="/"' not in page


def test_get_on_admin_logout_explains_instead_of_a_blank_page(admin_client):
    response = admin_client.get("/admin/logout/")

    page = text_of(response)
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "<h1>Use the page's button</h1>" in page
    assert '<a class="button primary" href="/admin/">Go to the page</a>' in page


def test_api_keeps_its_json_405(organizer_api, project):
    response = organizer_api.get(f"/api/projects/{project.ref}/numbers/105/release/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}


def test_missing_page_for_a_visitor_offers_no_organizer_links(client):
    response = client.get("/verify/no-such-token/")

    page = text_of(response)
    assert response.status_code == 404
    assert '<a class="button primary" href="/accounts/login/">Log in</a>' in page
    assert "Back to your projects" not in page
    assert 'class="button" href="/buyers/"' not in page
