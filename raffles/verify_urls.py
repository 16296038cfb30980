"""The login-free verification pages of draws, at /verify/<token>/."""

from django.urls import path

from .views import draws

app_name = "verify"

urlpatterns = [
    path("<str:token>/", draws.verify, name="draw"),
    path("<str:token>/list.txt", draws.verify_list, name="list"),
    path("<str:token>/record.json", draws.verify_record, name="record"),
]
