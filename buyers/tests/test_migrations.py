import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rafflesite.lib import text

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


FILL = importlib.import_module("buyers.migrations.0003_fill_buyer_search_text")


@pytest.mark.django_db(transaction=True)
def test_fill_search_text_goes_in_batches(organizer, monkeypatch):
    monkeypatch.setattr(FILL, "BATCH", 2)
    old = migrate(BEFORE).get_model("buyers", "Buyer")
    for ref, name in enumerate(["Ñandú", "Zoë", "Łukasz", "Ørsted", "Ana"], start=1):
        old.objects.create(
            owner_id=organizer.pk, ref=ref, first_name=name, phone=f"+5730000000{ref}"
        )

    try:
        new = migrate(AFTER).get_model("buyers", "Buyer")
        texts = list(new.objects.order_by("ref").values_list("search_text", flat=True))
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert texts == ["nandu", "zoe", "lukasz", "orsted", "ana"]


def test_fill_search_text_keeps_its_own_copy_of_fold():
    sample = "  José  GÓMEZ Łódź Æsir "

    assert FILL.fold is not text.fold
    assert FILL.fold(sample) == text.fold(sample) == "jose gomez lodz aesir"


@pytest.mark.django_db
def test_search_text_has_no_index_that_a_substring_search_cannot_use():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "buyers_buyer")

    assert "buyer_owner_phone" in constraints
    assert "buyer_owner_search" not in constraints
    assert [
        name for name, info in constraints.items() if "search_text" in info["columns"]
    ] == []
