from django.urls import path

from .views import BuyerViewSet

urlpatterns = [
    path(
        "",
        BuyerViewSet.as_view({"get": "list", "post": "create"}),
        name="buyer_list",
    ),
    path(
        "<int:buyer_ref>/",
        BuyerViewSet.as_view(
            {
                "get": "retrieve",
                "put": "update",
                "patch": "partial_update",
                "delete": "destroy",
            }
        ),
        name="buyer_detail",
    ),
    path(
        "<int:buyer_ref>/history/",
        BuyerViewSet.as_view({"get": "history"}),
        name="buyer_history",
    ),
]
