import unicodedata

from django.db import migrations

BATCH = 2000

# A copy of rafflesite.lib.text.fold as it was when search_text came: a
# migration must keep doing what it did, whatever the live function becomes.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
)


def fold(text):
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_PLAIN_LETTERS).split())


def fill_search_text(apps, schema_editor):
    """Fold the name and email of the buyers saved before search_text,
    BATCH rows at a time: one bulk update each, never the whole table."""
    Buyer = apps.get_model("buyers", "Buyer")
    buyers = Buyer.objects.only("first_name", "last_name", "email").order_by("pk")
    last = 0
    while True:
        batch = list(buyers.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for buyer in batch:
            text = fold(f"{buyer.first_name} {buyer.last_name} {buyer.email}")
            buyer.search_text = text[:500]
        Buyer.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0002_buyer_search_text"),
    ]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
