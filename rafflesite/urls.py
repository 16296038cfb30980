from django.contrib import admin
from django.urls import include, path

from projects.views import dashboard

from .views import favicon, health

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("projects/", include("projects.urls")),
    path("projects/<int:project_ref>/", include("raffles.urls")),
    path("buyers/", include("buyers.urls")),
    path("verify/", include("raffles.verify_urls")),
    path("api/", include("rafflesite.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
]
