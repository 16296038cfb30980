"""Fixtures and helpers of the prize and draw tests."""

import pytest

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture
def pages():
    """Pages render with the project's own URLs and test settings."""


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
