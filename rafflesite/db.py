"""Database helpers shared by the apps' services."""

from weakref import WeakKeyDictionary

from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import Case, F, Value, When


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
    """Whether the default database is MariaDB (Django's "mysql" backend)."""
    return connection.vendor == "mysql"


def lock_shared(model, pk):
    """Hold a row in share mode until the transaction ends.

    Others can read it and share it too, but not change it meanwhile.
    Django has no shared row lock; SQLite locks the whole database for any
    writing transaction anyway.
    """
    assert transaction.get_connection().in_atomic_block, "call inside atomic()"
    if not is_mariadb():
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id = %s LOCK IN SHARE MODE", [pk])


def value_by(model, key, values, field):
    """`values[key]` for each row, as one expression of an UPDATE.

    One statement writes rows that take different values, by the column
    `key`: UPDATE ... SET field = CASE key WHEN 1 THEN ... END. A single
    value needs no CASE.
    """
    output = model._meta.get_field(field)
    if len(set(values.values())) == 1:
        return Value(next(iter(values.values())), output_field=output)
    return Case(
        *(
            When(**{key: k}, then=Value(v, output_field=output))
            for k, v in values.items()
        ),
        output_field=output,
    )


class PreparedRows:
    """A `values()` read whose SQL is compiled once, then run with new values.

    Django builds and compiles a queryset's SQL on every call; for a read
    that nearly every API request makes, that costs more than the query
    itself. `build(**values)` must give a queryset of the same shape for
    any values: they reach the SQL only as parameters. Rows come back as
    dictionaries through the converters Django itself applies (aware
    datetimes, decimals on SQLite).
    """

    def __init__(self, build):
        self.build = build
        # One entry a connection (each thread has its own): converters are
        # bound to the connection they were made for.
        self.compiled = WeakKeyDictionary()

    def rows(self, **values):
        database = connections[DEFAULT_DB_ALIAS]
        if database not in self.compiled:
            self.compiled[database] = self._compile(database, list(values))
        sql, order, compiler, converters, names = self.compiled[database]

        with database.cursor() as cursor:
            cursor.execute(sql, [values[name] for name in order])
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _compile(self, database, names):
        # Distinct stand-ins show where each value lands in the SQL.
        probes = {name: 987_654_321 + index for index, name in enumerate(names)}
        queryset = self.build(**probes)
        compiler = queryset.query.get_compiler(connection=database)
        sql, params = compiler.as_sql()
        by_probe = {probe: name for name, probe in probes.items()}
        order = [by_probe[param] for param in params]
        converters = compiler.get_converters([col for col, _, _ in compiler.select])
        columns = list(queryset.query.values_select)
        return sql, order, compiler, converters, columns


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
