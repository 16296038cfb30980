import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs `collectstatic` first; pages under test
    # only need {% static %} to give a URL.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def organizer(db):
    return UserFactory(username="organizer")


@pytest.fixture
def other_organizer(db):
    return UserFactory(username="other")


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def organizer_api(api_client, organizer):
    api_client.force_authenticate(organizer)
    return api_client
