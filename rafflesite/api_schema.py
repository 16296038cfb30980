"""How the OpenAPI schema describes the error answers of every endpoint."""

from django.conf import settings
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from rafflesite.api import ErrorSerializer, FieldErrorsSerializer


class TokenScheme(SimpleJWTScheme):
    target_class = "accounts.tokens.JWTAuthentication"
    name = "jwt"


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def get_name(self, auto_schema, direction):
        return "FieldErrors"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
            "additionalProperties": {
                "type": "array",
                "items": {},
                "description": "Messages for one field of the request.",
            },
        }


PATH_PARAMETERS = {
    "project_ref": "Your project's ref: 1 for your first project.",
    "set_ref": "The set's ref within its project.",
    "number": 'The number, with or without its zeros: "7" or "007".',
    "buyer_ref": "Your buyer's ref: 1 for your first buyer.",
}


# The header of a 429 (DRF's throttles, a paused user name) and of a 503
# (rafflesite.middleware.database_busy_response).
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error answers every endpoint can give to its operations.

    400 for a body or filters, 401 where a token is needed, 404 for an
    address naming an object (or a page past the end), 429 where throttled,
    503 everywhere: any query can meet a busy database. An endpoint's own
    `extend_schema` responses take precedence; 409s are declared there.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            name = parameter["name"]
            if parameter["in"] == "path" and name in PATH_PARAMETERS:
                parameter.setdefault("description", PATH_PARAMETERS[name])
                if name.endswith("_ref"):
                    parameter["schema"]["minimum"] = 1
        return operation

    def get_tags(self):
        # The resource named by the path: /api/projects/{p}/numbers/... is
        # tagged "numbers".
        parts = [p for p in self.path.split("/") if p and not p.startswith("{")]
        index = 2 if len(parts) > 2 and parts[1] == "projects" else 1
        return [parts[index].removesuffix(".csv")]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (serializer, text) in self._error_responses().items():
            if code not in responses:
                # A busy database is answered with JSON whatever was asked
                # for (rafflesite.middleware.database_busy_response).
                media = ["application/json"] if code == "503" else None
                body = self._get_response_for_code(
                    serializer, code, media_types=media, direction=direction
                )
                body["description"] = text
                responses[code] = body
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code in ("429", "503"):
            headers = {**RETRY_AFTER, **headers}
        return headers

    def _error_responses(self):
        view = self.view
        errors = {}
        has_filters = getattr(view, "filterset_class", None) is not None
        if self.method in ("POST", "PUT", "PATCH", "DELETE") or has_filters:
            errors["400"] = (FieldErrorsSerializer, "Bad input; nothing changed.")
        if not all(isinstance(p, AllowAny) for p in view.get_permissions()):
            errors["401"] = (ErrorSerializer, "No token, or a bad or expired one.")
        if "{" in self.path or self._is_list_view():
            errors["404"] = (ErrorSerializer, "Not yours, not there, or no such page.")
        if view.get_throttles():
            errors["429"] = (ErrorSerializer, too_many_attempts())
        errors["503"] = (
            ErrorSerializer,
            "The database was busy; nothing was changed. Try again.",
        )
        return errors


def too_many_attempts():
    """The 429 of a throttled endpoint, with the rate in force."""
    return (
        "Too many requests from this address (over "
        f"{api_settings.DEFAULT_THROTTLE_RATES['auth']}). Retry-After gives the "
        "seconds to wait."
    )


def login_paused():
    """The 429 of the token endpoint, which also pauses a user name."""
    return (
        "Too many requests from this address (over "
        f"{api_settings.DEFAULT_THROTTLE_RATES['auth']}), or too many failed "
        "logins for this user name, which pause it at this address for "
        f"{settings.LOGIN_FAILURES_MINUTES} minutes (LOGIN_FAILURES_MINUTES). "
        "Retry-After gives the seconds to wait."
    )
