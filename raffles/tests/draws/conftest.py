"""Fixtures and helpers of the prize and draw tests."""

import pytest

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture
def pages(settings):
    """Render pages with plain static URLs and every layout link routed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.ROOT_URLCONF = "raffles.tests.draws.layout_urls"


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")


@pytest.fixture
def raffle_set(project):
    """000-099 at 2.00."""
    return RaffleSetFactory(project=project, name="Booklet A", quantity=100, padding=3)


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(
        owner=organizer,
        first_name="Ana 😀",
        last_name="Gómez",
        phone="+57 300 000 0001",
    )


@pytest.fixture
def prize(project, raffle_set):
    return draws.create_prize(project=project, name="Bicycle")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash test passwords cheaply; the organizers' logins are not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
