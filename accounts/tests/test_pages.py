import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.messages import get_messages

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tombola-de-marzo-42"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def register_data(**changes):
    data = {
        "username": "scouts",
        "email": "scouts@example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return {**data, **changes}


def test_register_page_shows_the_form(client):
    response = client.get("/accounts/register/")

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "username",
        "email",
        "password1",
        "password2",
    ]


def test_register_creates_organizer_and_logs_them_in(client):
    response = client.post("/accounts/register/", register_data())

    assert response.status_code == 302
    assert response["Location"] == "/projects/new/"
    user = User.objects.get(username="scouts")
    assert user.email == "scouts@example.com"
    assert user.check_password(GOOD_PASSWORD) is True
    assert messages_of(response) == ["Welcome, scouts! Start with your first project."]
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"password2": "something-else-9"},
            "password2",
            "The two passwords do not match.",
        ),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "ana@"}, "email", "Enter a valid email address."),
        ({"username": ""}, "username", "This field is required."),
        (
            {"username": "a b"},
            "username",
            "Enter a valid username. This value may contain only letters, "
            "numbers, and @/./+/-/_ characters.",
        ),
        (
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is one of the most common ones.",
        ),
    ],
)
def test_register_refuses_bad_input(client, changes, field, message):
    response = client.post("/accounts/register/", register_data(**changes))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert User.objects.filter(username="scouts").exists() is False
    assert client.get("/").status_code == 302


def test_register_refuses_taken_username_in_any_case(client):
    UserFactory(username="Scouts")

    response = client.post("/accounts/register/", register_data())

    assert response.context["form"].errors == {
        "username": ["A user with that username already exists."]
    }
    assert User.objects.count() == 1


def test_register_goes_through_the_service_like_the_api(client, caplog):
    caplog.set_level("INFO", logger="accounts.services")

    client.post(
        "/accounts/register/",
        register_data(username="ｓｃｏｕｔｓ", email="Ana.Gomez@EXAMPLE.Org"),
    )

    user = User.objects.get()
    assert (user.username, user.email) == ("scouts", "Ana.Gomez@example.org")
    assert caplog.messages == [f"Registered organizer {user.pk}"]


def test_password_change_refuses_a_weak_password_like_the_api(
    organizer_client, organizer
):
    response = organizer_client.post(
        "/accounts/password/",
        {
            "old_password": "raffle-pass-123",
            "new_password1": "organizer",
            "new_password2": "organizer",
        },
    )

    assert response.context["form"].errors == {
        "new_password1": ["The password is too similar to your user name."]
    }
    organizer.refresh_from_db()
    assert organizer.check_password("raffle-pass-123") is True


def test_register_shows_errors_next_to_their_field(client):
    response = client.post("/accounts/register/", register_data(email="ana@"))

    html = response.content.decode()
    error = html.index("Enter a valid email address.")
    assert html.index('for="id_email"') < error < html.index('name="email"')
    assert 'aria-invalid="true"' in html[error : html.index('name="password1"')]


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/accounts/register/",
            register_data(password1="12345678", password2="12345678"),
            "This password has only digits.",
        ),
        (
            "/accounts/password/",
            {
                "old_password": "raffle-pass-123",
                "new_password1": "organizer",
                "new_password2": "organizer",
            },
            "The password is too similar to your user name.",
        ),
    ],
)
def test_password_rule_errors_show_under_the_first_password(
    client, organizer, path, data, message
):
    if path == "/accounts/password/":
        client.force_login(organizer)
    first, second = list(data)[-2:]

    response = client.post(path, data)

    html = response.content.decode()
    error = html.index(message)
    assert html.index(f'for="id_{first}"') < error < html.index(f'name="{first}"')
    assert (html.count(message), error < html.index(f'for="id_{second}"')) == (1, True)


def test_login_logs_organizer_in(client, organizer):
    response = client.post(
        "/accounts/login/",
        {"username": "organizer", "password": "raffle-pass-123"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert messages_of(response) == ["You are logged in as organizer."]


def test_login_follows_next(client, organizer):
    response = client.post(
        "/accounts/login/?next=/projects/",
        {"username": "organizer", "password": "raffle-pass-123", "next": "/projects/"},
    )

    assert response["Location"] == "/projects/"


def test_login_refuses_wrong_password(client, organizer):
    response = client.post(
        "/accounts/login/", {"username": "organizer", "password": "wrong-pass"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The user name and password do not match an account. Both tell upper "
        "and lower case apart."
    ]
    assert client.get("/").status_code == 302


def test_login_page_sends_logged_in_organizer_on(organizer_client):
    response = organizer_client.get("/accounts/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_by_get_asks_with_a_button_and_stays_logged_in(organizer_client):
    response = organizer_client.get("/accounts/logout/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Log out?</h1>" in page
    assert '<button type="submit" class="primary">Log out</button>' in page
    assert organizer_client.get("/").status_code == 200


def test_logout_by_get_sends_a_visitor_to_log_in(client):
    response = client.get("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_logout_logs_out_on_post(organizer_client):
    response = organizer_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert messages_of(response) == ["You are logged out."]
    assert organizer_client.get("/").status_code == 302


def test_password_page_needs_login(client):
    response = client.get("/accounts/password/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password/"


def test_password_page_shows_the_form(organizer_client):
    response = organizer_client.get("/accounts/password/")

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "old_password",
        "new_password1",
        "new_password2",
    ]


def test_password_change_keeps_this_session_and_ends_the_others(
    client, organizer, organizer_client
):
    other_device = client.__class__()
    other_device.force_login(organizer)

    response = organizer_client.post(
        "/accounts/password/",
        {
            "old_password": "raffle-pass-123",
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert messages_of(response) == ["Your password has been changed."]
    organizer.refresh_from_db()
    assert organizer.check_password(GOOD_PASSWORD) is True
    assert organizer_client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_password_change_refuses_wrong_old_password(organizer_client, organizer):
    response = organizer_client.post(
        "/accounts/password/",
        {
            "old_password": "not-my-password",
            "new_password1": GOOD_PASSWORD,
            "new_password2": GOOD_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "old_password": ["Your current password is not correct."]
    }
    organizer.refresh_from_db()
    assert organizer.check_password("raffle-pass-123") is True


def test_deactivated_organizer_loses_their_session(organizer_client, organizer):
    organizer.is_active = False
    organizer.save(update_fields=["is_active"])

    response = organizer_client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


# Spanish: our catalog's words, never those of Django's Spain Spanish catalog


@pytest.fixture
def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def page_text(response):
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )


def test_login_failure_is_in_our_spanish(spanish, organizer):
    response = spanish.post(
        "/accounts/login/", {"username": "organizer", "password": "wrong-pass"}
    )

    assert response.context["form"].non_field_errors() == [
        "El nombre de usuario y la contraseña no corresponden a ninguna cuenta. "
        "En ambos se distinguen mayúsculas y minúsculas."
    ]


def test_register_password_mismatch_is_in_our_spanish(spanish):
    response = spanish.post(
        "/accounts/register/", register_data(password2="something-else-9")
    )

    assert response.context["form"].errors == {
        "password2": ["Las dos contraseñas no coinciden."]
    }


def test_register_field_errors_are_in_our_spanish(spanish):
    """Django's own messages, said in the site's voice (Django's Spanish
    reads "Introduza un nombre de usuario válido")."""
    username = spanish.post("/accounts/register/", register_data(username="a b!"))
    email = spanish.post("/accounts/register/", register_data(email="ana@"))
    empty = spanish.post("/accounts/register/", register_data(username=""))

    assert username.context["form"].errors == {
        "username": [
            "Ingrese un nombre de usuario válido: solo letras, dígitos y los "
            "caracteres @ . + - _"
        ]
    }
    assert email.context["form"].errors == {
        "email": ["Ingrese una dirección de correo electrónico válida."]
    }
    assert empty.context["form"].errors == {"username": ["Este campo es obligatorio."]}


def test_password_change_mismatch_is_in_our_spanish(spanish, organizer):
    spanish.force_login(organizer)

    response = spanish.post(
        "/accounts/password/",
        {
            "old_password": "raffle-pass-123",
            "new_password1": GOOD_PASSWORD,
            "new_password2": "something-else-9",
        },
    )

    assert response.context["form"].errors == {
        "new_password2": ["Las dos contraseñas no coinciden."]
    }


@pytest.mark.parametrize(
    ("password", "errors"),
    [
        (
            "12345",
            [
                "Esta contraseña es demasiado corta: necesita al menos 8 caracteres.",
                "Esta contraseña es una de las más comunes.",
                "Esta contraseña tiene solo dígitos.",
            ],
        ),
        ("scouts-x", ["La contraseña se parece demasiado a su nombre de usuario."]),
    ],
)
def test_register_password_rules_are_in_our_spanish(spanish, password, errors):
    response = spanish.post(
        "/accounts/register/", register_data(password1=password, password2=password)
    )

    assert response.context["form"].errors == {"password1": errors}


@pytest.mark.parametrize(
    ("path", "logged_in"),
    [("/accounts/register/", False), ("/accounts/password/", True)],
)
def test_password_help_is_in_our_spanish(spanish, organizer, path, logged_in):
    if logged_in:
        spanish.force_login(organizer)

    text = page_text(spanish.get(path))

    assert (
        "No debe parecerse a su nombre de usuario, su nombre ni su correo "
        "electrónico. Debe tener al menos 8 caracteres. No debe ser una "
        "contraseña de uso común. No debe tener solo dígitos."
    ) in text
    assert "Escriba la misma contraseña otra vez, para comprobarla." in text
