"""Addresses under /api/projects/{p}/: sets, numbers, sales, draw list."""

from django.urls import path

from . import views

set_detail = views.RaffleSetViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path(
        "sets/",
        views.RaffleSetViewSet.as_view({"get": "list", "post": "create"}),
        name="set_list",
    ),
    path("sets/<int:set_ref>/", set_detail, name="set_detail"),
    path(
        "numbers/",
        views.NumberViewSet.as_view({"get": "list"}),
        name="number_list",
    ),
    path(
        "numbers/<str:number>/",
        views.NumberViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="number_detail",
    ),
    path(
        "numbers/<str:number>/payments/",
        views.PaymentsView.as_view(),
        name="number_payments",
    ),
    path(
        "numbers/<str:number>/release/",
        views.ReleaseView.as_view(),
        name="number_release",
    ),
    path(
        "numbers/<str:number>/refund/",
        views.RefundView.as_view(),
        name="number_refund",
    ),
    path("sales/", views.SaleView.as_view(), name="sales"),
    path("draw-list/", views.DrawListView.as_view(), name="draw_list"),
    path("draw-list.csv", views.DrawListCSVView.as_view(), name="draw_list_csv"),
]
