"""Logs: one JSON object a line on stdout, never a password, a token or a
full phone number, whatever logged it."""

import io
import json
import logging
import sys

import pytest
from django.db import OperationalError, connection
from django.test import Client

from accounts.tests.factories import UserFactory
from accounts.tokens import RefreshToken
from rafflesite.log import AccessJsonFormatter, JsonFormatter, PlainFormatter, mask

PASSWORD = "tombola-de-marzo-42"


@pytest.fixture
def log_output():
    """Whatever the console handler of settings.LOGGING writes, with its
    own formatter, kept in a string instead of going to stdout."""
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def entries(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def entry(stream, name):
    """The one line logger `name` wrote, without its time."""
    (found,) = [item for item in entries(stream) if item["name"] == name]
    assert found.pop("time")
    return found


@pytest.fixture
def scouts(db):
    user = UserFactory(username="scouts")
    user.set_password("the-right-one-77")
    user.save()
    return user


# What the site logs, captured from the configured handler.


@pytest.mark.django_db
def test_failed_web_login_logs_the_user_name_not_the_password(
    client, scouts, log_output
):
    response = client.post(
        "/accounts/login/", {"username": "scouts", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert PASSWORD not in log_output.getvalue()
    assert entry(log_output, "accounts.signals") == {
        "level": "WARNING",
        "name": "accounts.signals",
        "message": "Failed login for user name scouts from 127.0.0.1",
    }


@pytest.mark.django_db
def test_failed_api_login_logs_neither_password_nor_body(
    api_client, scouts, log_output
):
    response = api_client.post(
        "/api/auth/token/",
        {"username": "scouts", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 401
    assert PASSWORD not in log_output.getvalue()
    assert entry(log_output, "accounts.signals")["message"] == (
        "Failed login for user name scouts from 127.0.0.1"
    )
    assert entry(log_output, "django.request")["request"] == "POST /api/auth/token/"


@pytest.mark.django_db
def test_api_request_logs_no_token_of_its_header_or_address(
    api_client, organizer, log_output
):
    access = str(RefreshToken.for_user(organizer).access_token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    response = api_client.get(
        "/api/projects/99/",
        {"token": "abc-token-42", "access": access, "refresh": "def-refresh-43"},
    )

    assert response.status_code == 404
    output = log_output.getvalue()
    for secret in ("abc-token-42", access, "def-refresh-43"):
        assert secret not in output
    logged = entry(log_output, "django.request")
    assert logged["message"] == "Not Found: /api/projects/99/"
    assert logged["status_code"] == 404
    assert logged["request"] == (
        "GET /api/projects/99/?token=[masked]&access=[masked]&refresh=[masked]"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/buyers/", "/api/buyers/"])
@pytest.mark.parametrize(
    "phone", ["+5491145678905", "(555) 123-4567", "555-123-4567", "300 123 4567"]
)
def test_buyer_search_by_phone_logs_no_phone(
    organizer_client, organizer_api, log_output, path, phone
):
    client = organizer_api if path.startswith("/api/") else organizer_client

    response = client.get(path, {"q": phone, "page": 9})

    assert response.status_code == 404
    digits = "".join(ch for ch in phone if ch.isdigit())
    assert digits[-7:] not in log_output.getvalue()
    assert entry(log_output, "django.request")["request"] == (
        f"GET {path}?q=[masked]&page=[masked]"
    )


@pytest.mark.django_db
def test_server_error_logs_its_path_with_the_phone_cut(log_output):
    def database_gone(execute, sql, params, many, context):
        raise OperationalError(2013, "Lost connection to server during query")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_gone):
        response = client.get("/verify/+5491145678905/")

    assert response.status_code == 500
    assert "5491145678905" not in log_output.getvalue()
    logged = entry(log_output, "django.request")
    assert logged["message"] == "Internal Server Error: /verify/***********05/"
    assert logged["request"] == "GET /verify/***********05/"
    assert logged["exc_info"].endswith(
        "OperationalError: (2013, 'Lost connection to server during query')"
    )


def test_settings_log_to_stdout_through_the_masking_formatter(settings):
    (handler,) = [h for h in logging.getLogger().handlers if h.name == "console"]

    assert settings.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stdout"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert type(handler.formatter) is JsonFormatter


# The formatters, on records of our own.


def format_json(formatter, msg, args=(), **fields):
    record = logging.makeLogRecord({"msg": msg, "args": args, **fields})
    return json.loads(formatter.format(record))


def test_json_formatter_masks_arguments_and_extras():
    logged = format_json(
        JsonFormatter(),
        "refresh=%s for %s",
        ("eyJa.eyJb.sig", "ana"),
        name="raffles",
        phone="1145678901",
        contact={"phones": ["+54 9 11 4567-8901"]},
    )

    assert logged["message"] == "refresh=[masked] for ana"
    assert logged["phone"] == "********01"
    assert logged["contact"] == {"phones": ["***********01"]}


def test_json_formatter_masks_tracebacks():
    try:
        raise ValueError('bad body {"password": "hunter22"} from (555) 123-4567')
    except ValueError:
        exc_info = sys.exc_info()

    logged = format_json(JsonFormatter(), "failed", exc_info=exc_info)

    assert logged["exc_info"].endswith(
        'ValueError: bad body {"password": "[masked]"} from ********67'
    )


def test_plain_formatter_masks_the_whole_line():
    record = logging.makeLogRecord(
        {"msg": "call %s, token=%s", "args": ("555-123-4567", "abc"), "name": "x"}
    )

    line = PlainFormatter("%(name)s %(message)s").format(record)

    assert line == "x call ********67, token=[masked]"


def test_access_formatter_writes_the_request_as_fields():
    atoms = {
        "h": "10.1.2.3",
        "m": "GET",
        "U": "/buyers/+5491145678905/",
        "s": "404",
        "B": 179,
        "D": 5321,
    }
    record = logging.getLogger("gunicorn.access").makeRecord(
        "gunicorn.access",
        logging.INFO,
        "glogging.py",
        1,
        "%(m)s %(U)s %(s)s",
        (atoms,),
        None,
    )

    logged = json.loads(AccessJsonFormatter().format(record))

    assert logged == {
        "time": logged["time"],
        "level": "INFO",
        "name": "gunicorn.access",
        "message": "GET /buyers/***********05/ 404",
        "remote": "10.1.2.3",
        "status": 404,
        "bytes": 179,
        "duration_us": 5321,
    }


# mask(), the rules.


def test_mask_hides_passwords_tokens_and_phones():
    line = (
        'POST {"username": "ana", "password": "hunter22"} '
        "Authorization: Bearer eyJhbGciOi.eyJzdWIiOjF9.c2ln "
        "phone +54 9 11 4567-8901 sold 0042"
    )

    assert mask(line) == (
        'POST {"username": "ana", "password": "[masked]"} '
        "Authorization: [masked] "
        "phone ***********01 sold 0042"
    )


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+5491145678905", "***********05"),
        ("5491145678905", "***********05"),
        ("(+54) 9 11 2345-6789", "***********89"),
        ("(555) 123-4567", "********67"),
        ("555-123-4567", "********67"),
        ("555.123.4567", "********67"),
        ("300 123 4567", "********67"),
        ("011 15 2345 6789", "***********89"),
        ("11 2345-6789", "********89"),
        ("612 34 56 78", "*******78"),
    ],
)
def test_mask_cuts_phones_however_written(phone, masked):
    assert mask(f"buyer phone {phone}, call later") == (
        f"buyer phone {masked}, call later"
    )


@pytest.mark.parametrize(
    "line",
    [
        "GET /projects/12/numbers/00042/ HTTP/1.1 200 at 2025-01-02 12:00:03",
        "2025-01-02T12:00:03.123456+00:00",
        "from 192.168.100.200 port 8000",
        "Numbers 0000-9999 of project 3 clash with existing rows",
        "Refused sale of numbers 0042, 0043, 0044 in project 3",
        "list f89abec316c5bb09babb3e426c8821a934ebbf689058caf458760159bd6d8b41",
        "paid 1.234.567,89 of 12.50",
    ],
)
def test_mask_keeps_dates_addresses_ranges_and_hashes(line):
    assert mask(line) == line


def test_mask_hides_every_value_of_a_query_string():
    line = "GET /api/buyers/?q=Ana%20G%C3%B3mez&page=2 404"

    assert mask(line) == "GET /api/buyers/?q=[masked]&page=[masked] 404"
