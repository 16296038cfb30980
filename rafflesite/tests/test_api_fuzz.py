"""Property-based run of the OpenAPI schema against the app, in process.

schemathesis generates requests from /api/schema/ for every operation and
checks each answer: never a server error, and the status, content type and
body are all the ones the schema documents.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from accounts.tests.factories import UserFactory
from accounts.tokens import RefreshToken
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.draws import create_prize, draw_random
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

MAX_EXAMPLES = 12

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20270501,
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
        # Addresses name the objects of the fixture below, so that the
        # generated requests reach the code instead of a 404.
        "parameters": {
            "path.project_ref": 1,
            "path.set_ref": 1,
            "path.number": "007",
            "path.buyer_ref": 1,
            # The drawn prize: it stays (a drawn prize cannot be deleted),
            # and drawing it again is a redraw or a 409.
            "path.position": 1,
        },
    }
)

# Plain http, as the test client (conftest.plain_http).
with override_settings(SECURE_SSL_REDIRECT=False):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
    )


@pytest.fixture
def bearer(db, settings):
    """An organizer with a project, a set, a buyer, sold numbers and prizes.

    Prize 1 is drawn; prize 2, with a lottery plan, is not.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    organizer = UserFactory(username="fuzz")
    project = ProjectFactory(owner=organizer, name="Fuzz raffle")
    RaffleSetFactory(project=project, quantity=1000)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(project=project, buyer=buyer, numbers="7-9", actor=organizer)
    sell_numbers(
        project=project, buyer=buyer, numbers="10-30", actor=organizer, state="paid"
    )
    drawn = create_prize(project=project, name="Bicycle")
    draw_random(prize=drawn, actor=organizer)
    create_prize(
        project=project,
        name="Hamper",
        lottery="National Lottery",
        lottery_date=timezone.localdate() + timedelta(days=30),
        unsold_rule="next",
    )
    return f"Bearer {RefreshToken.for_user(organizer).access_token}"


@pytest.fixture
def in_process_requests():
    # As Django's test client does: requests must not close the test's
    # database connection, which holds the test transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_follow_the_schema(case, bearer, in_process_requests):
    case.call_and_validate(headers={"Authorization": bearer})


def test_list_field_errors_come_as_one_list_per_field(organizer, organizer_api):
    ProjectFactory(owner=organizer, name="Fair")

    response = organizer_api.post(
        "/api/projects/1/prizes/", {"name": "Bicycle", "sets": ["x"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["sets"] == ["0: A valid integer is required."]
