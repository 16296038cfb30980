import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Render templates without the manifest that collectstatic writes."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(scope="session", autouse=True)
def plain_http_live_server():
    """The live server builds its middleware once, when it starts, before
    any function fixture runs: it must never redirect to https either."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client and the live server talk plain http."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def memory_cache(settings):
    """A cache per test process: tests without the database still throttle.

    Production keeps the cache in the database (settings.CACHES); the login
    throttle tests check that one too.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    # Local memory outlives the test: start each one with nothing counted.
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language. A request leaves the
    language its LocaleMiddleware chose active in the thread, so a Spanish
    page would otherwise turn the next test's messages Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """bcrypt's deliberate slowness only slows the tests down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `mariadb` unless the default database is MariaDB."""
    from rafflesite.db import is_mariadb

    if is_mariadb():
        return
    skip = pytest.mark.skip(reason="needs MariaDB (set DATABASE_URL=mysql://...)")
    for item in items:
        if item.get_closest_marker("mariadb"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After every test that touched the database, each set's running totals
    must equal what its numbers add up to, whatever path changed them."""
    result = yield
    if item.get_closest_marker("django_db") or _uses_database(item):
        from raffles.models import RaffleSet
        from raffles.tallies import FIELDS, counted

        sets = list(RaffleSet.objects.order_by("pk"))
        truth = counted(sets)
        for raffle_set in sets:
            kept = tuple(getattr(raffle_set, field) for field in FIELDS)
            right = truth.get(raffle_set.pk, (0, 0, 0, 0))
            assert kept == right, (
                f"set {raffle_set.pk} keeps totals {kept}, its numbers say {right}"
            )
    return result


def _uses_database(item):
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"db", "transactional_db", "live_server"})
