from django.urls import path

from . import views

app_name = "buyers"

urlpatterns = [
    path("", views.BuyerListView.as_view(), name="list"),
    path("new/", views.buyer_create, name="new"),
    path("search.json", views.buyer_search_json, name="search_json"),
    path("<int:ref>/", views.BuyerDetailView.as_view(), name="detail"),
    path("<int:ref>/edit/", views.buyer_edit, name="edit"),
    path("<int:ref>/delete/", views.buyer_delete, name="delete"),
]
