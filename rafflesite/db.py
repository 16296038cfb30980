"""Database helpers shared by the apps' services."""

from django.db import connection, transaction
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
    return connection.vendor == "mysql"


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
