from django.db import migrations

from rafflesite.lib.text import fold

BATCH = 1000


def fill_search_text(apps, schema_editor):
    """Fold the name and email of the buyers saved before search_text."""
    Buyer = apps.get_model("buyers", "Buyer")
    batch = []
    for buyer in Buyer.objects.only("first_name", "last_name", "email").iterator(
        chunk_size=BATCH
    ):
        text = fold(f"{buyer.first_name} {buyer.last_name} {buyer.email}")
        buyer.search_text = text[:500]
        batch.append(buyer)
        if len(batch) == BATCH:
            Buyer.objects.bulk_update(batch, ["search_text"])
            batch = []
    Buyer.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0002_buyer_search_text"),
    ]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
