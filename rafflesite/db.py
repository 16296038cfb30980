"""Database helpers shared by the apps' services."""

from django.db import OperationalError, connection, transaction
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


# MariaDB errors that mean "the database was busy", after which the
# transaction has been rolled back: a deadlock (1213, also how Galera
# reports a write set that lost certification to another node's), a lock
# wait timeout (1205) and a Galera node not ready for queries (1047).
BUSY_ERRORS = {1047, 1205, 1213}


def is_busy(error):
    """Whether a database error says "busy, try again" rather than a fault.

    The write that raised it was not saved: the services write inside
    transaction.atomic, which rolls back when the error leaves it.
    """
    if not isinstance(error, OperationalError) or not error.args:
        return False
    code = error.args[0]
    return code in BUSY_ERRORS or code == "database is locked"
