import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("buyers", "0002_buyer_search_text")]
AFTER = [("buyers", "0003_fill_buyer_search_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_fill_search_text_folds_the_buyers_saved_before(organizer):
    old = migrate(BEFORE).get_model("buyers", "Buyer")
    old.objects.create(
        owner_id=organizer.pk,
        ref=1,
        first_name="José",
        last_name="MUÑOZ",
        email="JM@example.com",
    )

    try:
        new = migrate(AFTER).get_model("buyers", "Buyer")
        texts = list(new.objects.values_list("search_text", flat=True))
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert texts == ["jose munoz jm@example.com"]
