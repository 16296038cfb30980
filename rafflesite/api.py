"""API pieces shared by the apps: pagination and error answers."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from raffles.services import NumbersUnavailable


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE


def exception_handler(exc, context):
    """DRF's handler, plus the services' errors and a `detail` everywhere.

    NumbersUnavailable becomes 409 with the taken labels in `unavailable`;
    any other Django ValidationError from a service becomes a 400 with
    field errors like a serializer's.
    """
    if isinstance(exc, NumbersUnavailable):
        return Response(
            {
                "detail": exc.message_dict["numbers"][0],
                "unavailable": exc.labels,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        response.data.setdefault("detail", _summary(response.data))
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(map(str, response.data))}
    return response


def _summary(errors):
    for field, messages in errors.items():
        if isinstance(messages, list) and messages:
            first = messages[0]
            if field in ("non_field_errors", "detail"):
                return str(first)
            return f"{field}: {first}"
    return _("Invalid input.")
