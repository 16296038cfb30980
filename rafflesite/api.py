"""API pieces shared by the apps: pagination, error answers, fields.

Kept free of DRF views: DRF imports this module while it loads them.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from raffles.draws import AlreadyDrawn
from raffles.services import NumbersUnavailable

from .middleware import database_busy_response

# Service errors answered with a 409: the request is right, but what is
# recorded refuses it (a number sold meanwhile, a prize drawn already).
# rafflesite/tests/test_api_schema.py checks that every operation that
# can raise one documents its 409.
CONFLICTS = (NumbersUnavailable, AlreadyDrawn)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE


def exception_handler(exc, context):
    """DRF's handler, plus the services' errors and a `detail` everywhere.

    The CONFLICTS become 409s: NumbersUnavailable with the taken labels in
    `unavailable`, AlreadyDrawn with its `detail` only. Any other Django
    ValidationError from a service becomes a 400 with field errors like a
    serializer's. `detail` is always one readable sentence. A busy database
    (a deadlock, a Galera conflict) is a 503 that says nothing was changed,
    as on the web pages.
    """
    busy = database_busy_response(context["request"], exc)
    if busy is not None:
        return busy
    if isinstance(exc, NumbersUnavailable):
        return Response(
            {
                "detail": exc.message_dict["numbers"][0],
                "unavailable": exc.labels,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, AlreadyDrawn):
        return Response(
            {"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"detail": " ".join(exc.messages)}
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        response.data.setdefault("detail", _summary(response.data))
        for field, messages in response.data.items():
            if isinstance(messages, dict):
                # A list field's errors come keyed by item; the schema (and
                # a reader) expects one list of messages per field.
                response.data[field] = _flatten(messages)
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(map(str, response.data))}
    return response


def _flatten(errors, prefix=""):
    messages = []
    for key, value in errors.items():
        if isinstance(value, dict):
            messages += _flatten(value, f"{prefix}{key}: ")
        else:
            messages += [f"{prefix}{key}: {message}" for message in value]
    return messages


def _summary(errors):
    for field, messages in errors.items():
        if isinstance(messages, dict):
            return f"{field}: {_summary(messages)}"
        if isinstance(messages, list) and messages:
            first = messages[0]
            if isinstance(first, dict):
                return f"{field}: {_summary(first)}"
            if field in ("non_field_errors", "__all__", "detail"):
                return str(first)
            return f"{field}: {first}"
    return _("Invalid input.")


# Fields

PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^\d{1,8}(\.\d{1,2})?$",
        "example": "12.50",
    }
)
class MoneyField(serializers.DecimalField):
    """An amount of money, taken and given as a decimal string ("12.50").

    JSON numbers are refused: a float such as 2.225 has no exact value.
    So are exponents ("1e3"), infinities and NaN.
    """

    default_error_messages = {
        "not_string": 'Send amounts as a decimal string such as "12.50".',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_string")
        if not PLAIN_DECIMAL.fullmatch(data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


# A sum of amounts: room for every number a project can hold (a billion)
# at the highest price one amount can have (99,999,999.99), and then some.
TOTAL_DIGITS = 20


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^\d{1,18}\.\d{2}$",
        "example": "1250000.00",
    }
)
class MoneyTotalField(MoneyField):
    """A read-only sum of money, with more digits than one amount may have."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", TOTAL_DIGITS)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


CENT = Decimal("0.01")


def money(value):
    """A Decimal written like the API's money fields, or None."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(value)
    return str(value.quantize(CENT))


def iso(value, zone=None):
    """A datetime written like the API's time fields (DRF's DateTimeField).

    ISO 8601 in the current time zone, "Z" for UTC. Pass `zone` when
    writing many rows, to look the current time zone up once.
    """
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# Errors, as the schema shows them


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in one sentence.")


class FieldErrorsSerializer(serializers.Serializer):
    """A 400: `detail` sums up; each faulty field has its list of messages."""

    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    unavailable = serializers.ListField(
        child=serializers.CharField(),
        help_text="Labels of the numbers that are no longer available.",
    )
