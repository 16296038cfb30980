"""Create the database cache table with the schema.

The login throttle counts failures in the cache, which is the database by
default (settings.CACHES), so `migrate` alone leaves a working site; a
cache named by CACHE_URL that is not a database needs no table and is
skipped by createcachetable.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
