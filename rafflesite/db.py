"""Database helpers shared by the apps' services."""

from django.db import connection, transaction
from django.db.models import F


def bump_counter(model, pk, field):
    """Add one to a counter column and return the new value.

    The UPDATE takes the row's write lock until the surrounding transaction
    ends, so concurrent callers queue up and each one gets its own value;
    values handed out are never given again, even when their object is
    deleted later.
    """
    assert transaction.get_connection().in_atomic_block, "call inside atomic()"
    model.objects.filter(pk=pk).update(**{field: F(field) + 1})
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


def is_mariadb():
    return connection.vendor == "mysql"


def lock_shared(model, pk):
    """Hold a row in share mode until the transaction ends.

    Others can read it and share it too, but not change it meanwhile.
    Django has no shared row lock; SQLite locks the whole database for any
    writing transaction anyway.
    """
    assert transaction.get_connection().in_atomic_block, "call inside atomic()"
    if connection.vendor != "mysql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id = %s LOCK IN SHARE MODE", [pk])
