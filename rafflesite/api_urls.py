"""Every address of the JSON API, under /api/ (see SPEC "Addresses").

URL names live in the `api` namespace: reverse("api:project_list").
"""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

app_name = "api"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request, path=""):
    """A JSON 404 for any address under /api/ that names no endpoint."""
    raise NotFound("No API endpoint at this address.")


auth_patterns = [path("auth/", include("accounts.api.urls"))]

resource_patterns = [
    path("projects/", include("projects.api.urls")),
    path("projects/<int:project_ref>/", include("raffles.api.urls")),
    path("buyers/", include("buyers.api.urls")),
]

# Prizes and draws: /api/projects/{p}/prizes/, .../prizes/{k}/draw/ and
# .../draws/, from raffles/api/draws.py, go in this list.
draw_patterns = []

docs_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
]

urlpatterns = [
    *auth_patterns,
    *resource_patterns,
    *draw_patterns,
    *docs_patterns,
    # Last: any other address under /api/ answers a JSON 404.
    re_path(r"^(?P<path>.*)$", not_found, name="not_found"),
]
