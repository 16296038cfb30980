from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("new/", views.project_new, name="new"),
    path("<int:ref>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:ref>/edit/", views.project_edit, name="edit"),
    path("<int:ref>/delete/", views.project_delete, name="delete"),
]
