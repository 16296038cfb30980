import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm, PasswordChangeForm
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory

PASSWORD = "raffle-pass-123"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_throttle(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def login(client, username="organizer", password=PASSWORD, **headers):
    return client.post(
        "/api/auth/token/",
        {"username": username, "password": password},
        format="json",
        **headers,
    )


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


# Register


def test_register_creates_an_organizer_who_can_log_in(api_client, db):
    response = api_client.post(
        "/api/auth/register/",
        {"username": "ana", "email": "ana@Example.COM", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 201
    assert set(response.json()) == {"username", "email", "date_joined"}
    assert response.json()["email"] == "ana@example.com"
    assert login(api_client, "ana").status_code == 200


VALID = {"username": "ana", "email": "ana@example.com", "password": PASSWORD}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "12345678901"}, "password"),
        ({"password": "ana@example"}, "password"),
        ({"email": ""}, "email"),
        ({"email": "ana@"}, "email"),
        ({"username": "a b"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"username": None}, "username"),
    ],
)
def test_register_refuses_bad_input_with_a_field_error(api_client, db, change, field):
    payload = {k: v for k, v in {**VALID, **change}.items() if v is not None}

    response = api_client.post("/api/auth/register/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert response.json()["detail"].startswith(f"{field}: ")
    assert User.objects.count() == 0


def test_register_refuses_a_taken_username_in_any_case(api_client, organizer):
    response = api_client.post(
        "/api/auth/register/",
        {"username": "ORGANIZER", "email": "o2@example.com", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["username"] == ["A user with that username already exists."]
    assert User.objects.count() == 1


# Tokens


def access_lives(access, refresh, seconds):
    """Whether the access token lives exactly `seconds`. simplejwt counts its
    exp from its refresh token's creation, and stamps the access token's own
    iat a moment later: the refresh token's iat is the start."""
    return access["exp"] - refresh["iat"] == seconds


def test_token_pair_gives_access_to_the_api(api_client, organizer):
    response = login(api_client)

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert bearer(response.json()["access"]).get("/api/projects/").status_code == 200


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_token_refuses_wrong_credentials(api_client, organizer, password):
    response = login(api_client, password=password)

    assert response.status_code in (400, 401)
    assert "access" not in response.json()
    assert response.json()["detail"]


def test_token_for_wrong_password_is_401_with_challenge(api_client, organizer):
    response = login(api_client, password="wrong-password")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "zone", ["UTC", "America/Bogota", "Asia/Tokyo", "Pacific/Kiritimati"]
)
def test_tokens_live_exactly_their_lifetime_in_any_time_zone(organizer, zone):
    with override_settings(TIME_ZONE=zone):
        client = APIClient()
        pair = login(client).json()
        answer = bearer(pair["access"]).get("/api/projects/")

    access, refresh = claims(pair["access"]), claims(pair["refresh"])
    assert answer.status_code == 200
    assert access_lives(access, refresh, 15 * 60)
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


def test_token_lifetimes_follow_the_settings(organizer, settings):
    jwt_settings = {
        **settings.SIMPLE_JWT,
        "ACCESS_TOKEN_LIFETIME": timedelta(minutes=3),
        "REFRESH_TOKEN_LIFETIME": timedelta(days=2),
    }
    with override_settings(SIMPLE_JWT=jwt_settings):
        pair = login(APIClient()).json()

    access, refresh = claims(pair["access"]), claims(pair["refresh"])
    assert access_lives(access, refresh, 3 * 60)
    assert refresh["exp"] - refresh["iat"] == 2 * 24 * 3600


def test_refresh_rotates_and_blacklists_the_old_token(api_client, organizer):
    pair = login(api_client).json()

    first = api_client.post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )
    again = api_client.post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )

    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh"}
    rotated = claims(first.json()["access"])
    assert access_lives(rotated, claims(first.json()["refresh"]), 15 * 60)
    assert first.json()["refresh"] != pair["refresh"]
    assert again.status_code == 401
    assert again.json()["detail"] == "Token is blacklisted"
    new = api_client.post(
        "/api/auth/token/refresh/", {"refresh": first.json()["refresh"]}, format="json"
    )
    assert new.status_code == 200


@pytest.mark.parametrize("token", ["", "abc", "a.b.c"])
def test_refresh_refuses_a_malformed_token(api_client, db, token):
    response = api_client.post(
        "/api/auth/token/refresh/", {"refresh": token}, format="json"
    )

    assert response.status_code in (400, 401)
    assert response.json()["detail"]


def test_refresh_refuses_an_access_token(api_client, organizer):
    pair = login(api_client).json()

    response = api_client.post(
        "/api/auth/token/refresh/", {"refresh": pair["access"]}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "Token has wrong type"


def test_refresh_refuses_an_expired_token(api_client, organizer, settings):
    expired = {
        **settings.SIMPLE_JWT,
        "REFRESH_TOKEN_LIFETIME": timedelta(seconds=-1),
    }
    with override_settings(SIMPLE_JWT=expired):
        pair = login(api_client).json()

    response = api_client.post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "Token is expired"


def test_expired_access_token_is_401(api_client, organizer, settings):
    expired = {
        **settings.SIMPLE_JWT,
        "ACCESS_TOKEN_LIFETIME": timedelta(seconds=-1),
    }
    with override_settings(SIMPLE_JWT=expired):
        pair = login(api_client).json()

    response = bearer(pair["access"]).get("/api/projects/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Given token not valid for any token type"


def test_logout_revokes_the_refresh_token(api_client, organizer):
    pair = login(api_client).json()

    response = api_client.post(
        "/api/auth/logout/", {"refresh": pair["refresh"]}, format="json"
    )
    refresh = api_client.post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )
    again = api_client.post(
        "/api/auth/logout/", {"refresh": pair["refresh"]}, format="json"
    )

    assert response.status_code == 204
    assert refresh.status_code == 401
    assert again.status_code == 401


def test_logout_needs_a_refresh_token(api_client, db):
    response = api_client.post("/api/auth/logout/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["refresh"] == ["This field is required."]


# A2: a password change by any path refuses every earlier token


def change_by_set_password(user):
    user.set_password("a-new-pass-456")
    user.save()


def change_by_password_form(user):
    form = PasswordChangeForm(
        user,
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-pass-456",
            "new_password2": "a-new-pass-456",
        },
    )
    assert form.is_valid(), form.errors
    form.save()


def change_by_admin_form(user):
    form = AdminPasswordChangeForm(
        user, {"password1": "a-new-pass-456", "password2": "a-new-pass-456"}
    )
    assert form.is_valid(), form.errors
    form.save()


def change_by_api(user):
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        "/api/auth/password/",
        {"old_password": PASSWORD, "new_password": "a-new-pass-456"},
        format="json",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        change_by_set_password,
        change_by_password_form,
        change_by_admin_form,
        change_by_api,
    ],
)
def test_password_change_refuses_earlier_tokens(organizer, change):
    device = APIClient()
    pair = login(device).json()

    change(User.objects.get(pk=organizer.pk))

    refresh = device.post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )
    access = bearer(pair["access"]).get("/api/projects/")
    assert refresh.status_code == 401
    assert refresh.json()["code"] == "password_changed"
    assert access.status_code == 401
    assert login(device, password="a-new-pass-456").status_code == 200


def test_password_change_through_api_returns_a_working_pair(organizer):
    pair = login(APIClient()).json()

    response = bearer(pair["access"]).post(
        "/api/auth/password/",
        {"old_password": PASSWORD, "new_password": "a-new-pass-456"},
        format="json",
    )

    assert response.status_code == 200
    assert bearer(response.json()["access"]).get("/api/projects/").status_code == 200
    assert bearer(pair["access"]).get("/api/projects/").status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"old_password": "wrong", "new_password": "a-new-pass-456"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password"),
    ],
)
def test_password_change_refuses_bad_input(organizer_api, organizer, payload, field):
    response = organizer_api.post("/api/auth/password/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field, "detail"]
    assert User.objects.get(pk=organizer.pk).check_password(PASSWORD)


# A3: a deactivated organizer


def test_deactivated_organizer_tokens_stop_working(organizer):
    pair = login(APIClient()).json()

    User.objects.filter(pk=organizer.pk).update(is_active=False)

    access = bearer(pair["access"]).get("/api/projects/")
    refresh = APIClient().post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )
    assert access.status_code == 401
    assert refresh.status_code == 401
    assert login(APIClient()).status_code == 401


def test_deleted_organizer_refresh_token_is_401(organizer):
    pair = login(APIClient()).json()

    User.objects.filter(pk=organizer.pk).delete()

    refresh = APIClient().post(
        "/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json"
    )
    assert refresh.status_code == 401


# Throttling


def test_login_is_throttled(organizer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": "3/min"},
    }
    client = APIClient()

    statuses = [login(client, password="wrong").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    assert "throttled" in login(client).json()["detail"].lower()


def test_register_is_throttled(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": "2/min"},
    }
    client = APIClient()

    statuses = [
        client.post("/api/auth/register/", {}, format="json").status_code
        for _ in range(3)
    ]

    assert statuses == [400, 400, 429]


def auth_rate(settings, rate, **more):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth": rate},
        **more,
    }


@pytest.mark.parametrize(
    ("path", "refused"), [("/api/auth/token/", 401), ("/api/auth/register/", 400)]
)
def test_auth_throttle_ignores_a_changed_forwarded_for(
    organizer, settings, path, refused
):
    auth_rate(settings, "3/min")
    client = APIClient()
    payload = {"username": "organizer", "password": "wrong"}

    statuses = [
        client.post(
            path, payload, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}"
        ).status_code
        for index in range(4)
    ]

    assert statuses == [refused, refused, refused, 429]


def test_behind_a_proxy_clients_are_told_apart_by_the_address_it_added(
    organizer, settings
):
    auth_rate(settings, "2/min", NUM_PROXIES=1)
    client = APIClient()

    statuses = [
        login(
            client, password="wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7"
        ).status_code
        for n in range(3)
    ]
    other = login(client, password="wrong", HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert statuses == [401, 401, 429]
    assert other.status_code == 401


@pytest.mark.parametrize(("value", "proxies"), [("false", 0), ("true", 1)])
def test_num_proxies_follows_behind_proxy(value, proxies):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "rafflesite.settings",
        "BEHIND_PROXY": value,
    }

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.stdout == f"{proxies}\n", result.stderr


# Failed logins: the API shares the web log-in's count (accounts.throttle)


@pytest.fixture
def clock(monkeypatch):
    """The wall clock, stopped; `clock.now += 60` moves it a minute on."""

    class Clock:
        now = 1_900_000_000.0

    monkeypatch.setattr(time, "time", lambda: Clock.now)
    return Clock


def web_login(client, password):
    return client.post(
        "/accounts/login/", {"username": "organizer", "password": password}
    )


def test_token_refused_after_five_failures_until_the_pause_ends(organizer, clock):
    client = APIClient()
    failures = [login(client, password="wrong").status_code for _ in range(5)]

    refused = login(client)
    clock.now += 15 * 60 - 1
    last_second = login(client)
    clock.now += 1
    after = login(client)

    assert failures == [401] * 5
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Too many failed logins for this user name. Wait 15 minutes "
        "and try again."
    }
    assert refused["Retry-After"] == "900"
    assert last_second.status_code == 429
    assert last_second.json()["detail"] == (
        "Too many failed logins for this user name. Wait 1 minute and try again."
    )
    assert last_second["Retry-After"] == "1"
    assert after.status_code == 200
    assert set(after.json()) == {"access", "refresh"}


def test_token_pause_follows_the_settings(organizer, clock, settings):
    settings.LOGIN_FAILURES_ALLOWED = 2
    settings.LOGIN_FAILURES_MINUTES = 3
    client = APIClient()
    login(client, password="wrong")
    login(client, password="wrong")

    refused = login(client)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "180"


def test_token_success_resets_the_failure_count(organizer, clock):
    client = APIClient()
    for _ in range(4):
        login(client, password="wrong")
    login(client)
    for _ in range(4):
        login(client, password="wrong")

    response = login(client)

    assert response.status_code == 200


def test_token_pause_is_per_user_name_and_address(organizer, clock):
    UserFactory(username="guides", password=PASSWORD)
    for _ in range(5):
        login(APIClient(), password="wrong")

    other_name = login(APIClient(), username="guides")
    other_address = login(APIClient(REMOTE_ADDR="198.51.100.9"))
    same_name_in_capitals = login(APIClient(), username="ORGANIZER")

    assert other_name.status_code == 200
    assert other_address.status_code == 200
    assert same_name_in_capitals.status_code == 429


def test_web_login_failures_count_for_the_api(client, organizer, clock):
    for _ in range(5):
        assert web_login(client, "wrong").status_code == 200

    response = login(APIClient())

    assert response.status_code == 429
    assert "access" not in response.json()


def test_api_login_failures_count_for_the_web(client, organizer, clock):
    for _ in range(5):
        assert login(APIClient(), password="wrong").status_code == 401

    response = web_login(client, PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Too many failed logins for this user name. Wait 15 minutes and try "
        "again. If you forgot your password, ask the site's administrator to "
        "set a new one."
    ]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("elapsed", "wait"),
    [
        (0, "Wait 15 minutes"),
        (13 * 60 + 59, "Wait 2 minutes"),
        (14 * 60, "Wait 1 minute"),
        (15 * 60 - 1, "Wait 1 minute"),
    ],
)
def test_web_login_pause_says_the_minutes_left(client, organizer, clock, elapsed, wait):
    for _ in range(5):
        web_login(client, "wrong")
    clock.now += elapsed

    response = web_login(client, PASSWORD)

    assert response.context["form"].non_field_errors() == [
        f"Too many failed logins for this user name. {wait} and try again. "
        "If you forgot your password, ask the site's administrator to set a "
        "new one."
    ]
    assert "_auth_user_id" not in client.session


def test_web_and_api_failures_add_up(client, organizer, clock):
    for _ in range(3):
        web_login(client, "wrong")
    for _ in range(2):
        login(APIClient(), password="wrong")

    response = login(APIClient())

    assert response.status_code == 429


def test_default_auth_rate_is_twenty_a_minute():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"] == "20/min"


def test_fingerprint_claim_reveals_nothing_of_the_hash(organizer):
    pair = login(APIClient()).json()

    fingerprint = claims(pair["refresh"])["pwd"]

    assert len(fingerprint) == 16
    assert fingerprint not in organizer.password
    assert claims(pair["access"])["pwd"] == fingerprint


def test_tokens_of_another_user_id_are_refused(organizer):
    other = UserFactory(username="someone")
    pair = login(APIClient()).json()
    forged = jwt.encode(
        {**claims(pair["access"]), "user_id": str(other.pk)},
        "a-key-that-is-not-the-site-secret-key",
        algorithm="HS256",
    )

    response = bearer(forged).get("/api/projects/")

    assert response.status_code == 401
