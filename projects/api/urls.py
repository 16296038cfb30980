from django.urls import path

from .views import ProjectViewSet

urlpatterns = [
    path(
        "",
        ProjectViewSet.as_view({"get": "list", "post": "create"}),
        name="project_list",
    ),
    path(
        "<int:project_ref>/",
        ProjectViewSet.as_view(
            {
                "get": "retrieve",
                "put": "update",
                "patch": "partial_update",
                "delete": "destroy",
            }
        ),
        name="project_detail",
    ),
]
