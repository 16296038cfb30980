"""What the database itself guarantees: strict mode and small statements."""

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles import services

pytestmark = pytest.mark.django_db


@pytest.mark.mariadb
def test_mariadb_connection_is_strict():
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@SESSION.sql_mode")
        modes = set(cursor.fetchone()[0].split(","))

    assert {"STRICT_TRANS_TABLES", "STRICT_ALL_TABLES"} <= modes


@pytest.mark.mariadb
@pytest.mark.parametrize(
    ("model", "factory", "field", "size"),
    [
        (Project, ProjectFactory, "name", 121),
        (Buyer, BuyerFactory, "first_name", 101),
        (Buyer, BuyerFactory, "phone", 21),
    ],
)
def test_mariadb_refuses_an_over_long_value_instead_of_cutting_it(
    model, factory, field, size
):
    row = factory()
    before = getattr(row, field)

    with pytest.raises(DataError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "é" * size})

    row.refresh_from_db()
    assert getattr(row, field) == before


def test_big_sets_n3_send_no_statement_over_1_kb(organizer):
    """MariaDB refuses a packet over max_allowed_packet (1 MB at the least
    here): creating the largest set must never build one."""
    project = ProjectFactory(owner=organizer)

    with CaptureQueriesContext(connection) as queries:
        services.create_raffle_set(
            project=project, name="Big", unit_price="1.00", quantity=100_000
        )

    sizes = [len(query["sql"].encode()) for query in queries.captured_queries]
    assert project.raffles.count() == 100_000
    assert max(sizes) < 1024, max(sizes)
