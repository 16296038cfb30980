import pytest
from django.core.management import call_command
from django.db import connection


def cache_table_exists():
    with connection.cursor() as cursor:
        return "django_cache" in connection.introspection.table_names(cursor)


@pytest.mark.django_db(transaction=True)
def test_migrate_alone_creates_the_login_throttle_cache_table(settings):
    """`make run` only migrates: the database cache must exist after that."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
    call_command("migrate", "accounts", "0001", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE django_cache")
    assert not cache_table_exists()

    call_command("migrate", "accounts", verbosity=0)

    assert cache_table_exists()
