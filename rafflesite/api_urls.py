"""Every address of the JSON API, under /api/ (see SPEC "Addresses").

URL names live in the `api` namespace: reverse("api:project_list").
"""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from raffles.api import draws as draws_api

app_name = "api"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request, path=""):
    """A JSON 404 for any address under /api/ that names no endpoint."""
    raise NotFound(_("No API endpoint at this address."))


auth_patterns = [path("auth/", include("accounts.api.urls"))]

resource_patterns = [
    path("projects/", include("projects.api.urls")),
    path("projects/<int:project_ref>/", include("raffles.api.urls")),
    path("buyers/", include("buyers.api.urls")),
]

prize_list = draws_api.PrizeViewSet.as_view({"get": "list", "post": "create"})
prize_detail = draws_api.PrizeViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
draw_patterns = [
    path("projects/<int:project_ref>/prizes/", prize_list, name="prize_list"),
    path(
        "projects/<int:project_ref>/prizes/<int:position>/",
        prize_detail,
        name="prize_detail",
    ),
    path(
        "projects/<int:project_ref>/prizes/<int:position>/draw/",
        draws_api.DrawPrizeView.as_view(),
        name="prize_draw",
    ),
    path(
        "projects/<int:project_ref>/prizes/<int:position>/withdraw-plan/",
        draws_api.WithdrawPlanView.as_view(),
        name="prize_withdraw_plan",
    ),
    path(
        "projects/<int:project_ref>/draws/",
        draws_api.DrawListView.as_view(),
        name="draws",
    ),
]

docs_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The page's own styles in a static file, for the CSP.
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/docs.html"
        ),
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
