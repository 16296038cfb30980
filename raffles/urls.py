from django.urls import path

from .views import sets

app_name = "raffles"

urlpatterns = [
    path("sets/new/", sets.set_new, name="set_new"),
    path("sets/<int:ref>/", sets.set_detail, name="set_detail"),
    path("sets/<int:ref>/edit/", sets.set_edit, name="set_edit"),
    path("sets/<int:ref>/delete/", sets.set_delete, name="set_delete"),
]
