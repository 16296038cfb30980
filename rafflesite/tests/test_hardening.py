"""Production hardening: login throttling, CSP-safe pages, limits, checks.

Logs are in test_logs.py, serving in test_serving.py.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from accounts.models import User
from accounts.tests.factories import UserFactory
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "tombola-de-marzo-42"


def login(client, password, username="scouts"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def form_errors(response):
    return response.context["form"].non_field_errors()


def user_with_password(username, **fields):
    user = UserFactory(username=username, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def scouts(db):
    return user_with_password("scouts")


@pytest.mark.django_db
def test_login_refused_after_too_many_failures_even_with_right_password(
    client, scouts, settings
):
    settings.LOGIN_FAILURES_ALLOWED = 3
    for _ in range(3):
        assert login(client, "wrong").status_code == 200

    response = login(client, PASSWORD)

    assert response.status_code == 200
    assert form_errors(response) == [
        "Too many failed logins for this user name. Wait 15 minutes and try "
        "again. If you forgot your password, ask the site's administrator to "
        "set a new one."
    ]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_failures_below_the_limit_still_let_the_organizer_in(
    client, scouts, settings
):
    settings.LOGIN_FAILURES_ALLOWED = 3
    login(client, "wrong")
    login(client, "wrong")

    response = login(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(scouts.pk)


@pytest.mark.django_db
def test_login_success_resets_the_failure_count(client, scouts, settings):
    settings.LOGIN_FAILURES_ALLOWED = 2
    login(client, "wrong")
    login(client, PASSWORD)
    client.post("/accounts/logout/")
    login(client, "wrong")

    response = login(client, PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_login_with_a_blank_password_keeps_the_failure_count(client, scouts, settings):
    settings.LOGIN_FAILURES_ALLOWED = 2
    login(client, "wrong")
    login(client, "")
    login(client, "wrong")

    response = login(client, PASSWORD)

    assert form_errors(response)[0].startswith("Too many failed logins")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_throttle_counts_per_user_name(client, scouts, settings):
    settings.LOGIN_FAILURES_ALLOWED = 1
    user_with_password("guides")
    login(client, "wrong")

    response = login(client, PASSWORD, username="guides")

    assert response.status_code == 302


@pytest.mark.django_db
def test_login_throttle_kept_in_the_database_cache(client, scouts, settings):
    """Every app server sees the count: the production cache is the database."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
    settings.LOGIN_FAILURES_ALLOWED = 1
    login(client, "wrong")

    response = login(client, PASSWORD)

    assert form_errors(response)[0].startswith("Too many failed logins")


@pytest.mark.django_db
def test_admin_login_is_throttled_too(client, settings):
    settings.LOGIN_FAILURES_ALLOWED = 1
    user_with_password("boss", is_staff=True)
    client.post("/admin/login/", {"username": "boss", "password": "wrong"})

    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith("Too many")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "errors"),
    [
        (
            "12345678",
            [
                "This password is one of the most common ones.",
                "This password has only digits.",
            ],
        ),
        ("password", ["This password is one of the most common ones."]),
        ("scouts-x", ["The password is too similar to your user name."]),
        (
            "k9#q",
            ["This password is too short: it needs at least 8 characters."],
        ),
    ],
)
def test_web_registration_applies_password_rules(client, password, errors):
    response = client.post(
        "/accounts/register/",
        {
            "username": "scouts",
            "email": "s@example.com",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"password1": errors}
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_api_registration_applies_password_rules(api_client):
    response = api_client.post(
        "/api/auth/register/",
        {"username": "scouts", "email": "s@example.com", "password": "12345678"},
        format="json",
    )

    assert response.status_code == 400
    assert "password" in response.json()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_oversized_json_body_is_refused_not_a_server_error(organizer_api):
    body = json.dumps({"name": "a" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE)})

    response = organizer_api.post(
        "/api/projects/", body, content_type="application/json"
    )

    assert response.status_code in (400, 413)


@pytest.mark.django_db
def test_too_many_form_fields_is_refused_not_a_server_error(organizer_client):
    fields = {f"f{index}": "x" for index in range(1200)}

    response = organizer_client.post("/projects/new/", fields)

    assert response.status_code == 400


# Content security policy: pages must work without inline script or style.

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


@pytest.fixture
def full_project(organizer):
    project = ProjectFactory(owner=organizer, name="Spring raffle")
    RaffleSetFactory(project=project, name="Main", quantity=100)
    buyer = BuyerFactory(owner=organizer, first_name="Ana")
    sell_numbers(project=project, buyer=buyer, numbers="1-5", actor=organizer)
    sell_numbers(
        project=project,
        buyer=buyer,
        numbers="6-9",
        actor=organizer,
        state="paid",
        method="cash",
    )
    prize = draws.create_prize(project=project, name="A bicycle")
    draws.draw_random(prize=prize, actor=organizer)
    return project


def site_pages(project):
    base = f"/projects/{project.ref}"
    return [
        "/",
        "/projects/",
        "/projects/new/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/delete/",
        f"{base}/sets/new/",
        f"{base}/sets/1/",
        f"{base}/sets/1/edit/",
        f"{base}/sets/1/delete/",
        f"{base}/sell/",
        f"{base}/numbers/7/",
        f"{base}/numbers/1/",
        f"{base}/draw-list/",
        f"{base}/prizes/",
        f"{base}/prizes/1/edit/",
        f"{base}/draws/",
        f"{base}/draws/1/1/",
        "/buyers/",
        "/buyers/new/",
        "/buyers/1/",
        "/buyers/1/edit/",
        "/accounts/password/",
    ]


def assert_csp_safe(url, response):
    html = response.content.decode()
    assert response.status_code == 200, url
    assert INLINE_SCRIPT.findall(html) == [], url
    assert STYLE_ATTRIBUTE.findall(html) == [], url
    assert HANDLER_ATTRIBUTE.findall(html) == [], url
    assert STYLE_ELEMENT.findall(html) == [], url


@pytest.mark.django_db
def test_every_organizer_page_works_under_the_csp(organizer_client, full_project):
    for url in site_pages(full_project):
        assert_csp_safe(url, organizer_client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/register/"])
def test_public_pages_work_under_the_csp(client, url):
    assert_csp_safe(url, client.get(url))


@pytest.mark.django_db
def test_csp_header_allows_only_this_site(client):
    response = client.get("/accounts/login/")

    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_api_docs_load_their_script_from_this_site(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert INLINE_SCRIPT.findall(html) == []
    assert STYLE_ATTRIBUTE.findall(html) == []


@pytest.mark.django_db
def test_admin_pages_have_no_inline_script(client, full_project):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for url in ["/admin/", "/admin/projects/project/", "/admin/accounts/user/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert INLINE_SCRIPT.findall(response.content.decode()) == [], url


# Deployment checks.


def test_check_deploy_is_clean_with_production_settings():
    # Only what production sets: nothing this test process carries (the
    # browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, a DATABASE_URL) leaks in.
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-production-secret-" + "x9Q" * 10,
        "ALLOWED_HOSTS": "raffles.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
