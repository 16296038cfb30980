from django.urls import path

from raffles.api import draws as draws_api

urlpatterns = []

# Prizes and draws (raffles/api/draws.py).
prize_list = draws_api.PrizeViewSet.as_view({"get": "list", "post": "create"})
prize_detail = draws_api.PrizeViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
urlpatterns += [
    path("projects/<int:project_ref>/prizes/", prize_list, name="api-prize-list"),
    path(
        "projects/<int:project_ref>/prizes/<int:position>/",
        prize_detail,
        name="api-prize-detail",
    ),
    path(
        "projects/<int:project_ref>/prizes/<int:position>/draw/",
        draws_api.DrawPrizeView.as_view(),
        name="api-prize-draw",
    ),
    path(
        "projects/<int:project_ref>/draws/",
        draws_api.DrawListView.as_view(),
        name="api-draw-list",
    ),
]
