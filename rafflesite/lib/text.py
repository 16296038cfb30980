"""Small text helpers shared by models, forms and exports."""

import hashlib
import unicodedata

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def name_key(name):
    """A case-insensitive key for a name, equal on every database.

    Collations differ (MariaDB's ignore case and accents, SQLite's ignore
    neither), so uniqueness is checked on a digest of the case-folded,
    NFC-normalised name instead of on the name itself.
    """
    folded = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


# Letters that NFKD leaves whole but a reader takes for a plain one.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
)


def fold(text):
    """`text` as a search compares it: no accents, no case, one space.

    fold("  José  GÓMEZ ") == "jose gomez"; "Muñoz" and "MUNOZ" both give
    "munoz". Written the same way for stored values and typed searches, so
    a plain substring match finds one in the other on any database.
    """
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_PLAIN_LETTERS).split())


def csv_safe(value):
    """Neutralise a cell that a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def mask_phone(formatted):
    """Hide a formatted phone's digits but its country code and last three.

    mask_phone("+57 300 0000001") == "+57 *** ****001".
    """
    if not formatted:
        return ""
    head, _, rest = formatted.partition(" ")
    if not rest:
        head, rest = "", formatted
    cut = len(rest) - 3
    masked = "".join(
        "*" if ch.isdigit() and i < cut else ch for i, ch in enumerate(rest)
    )
    return f"{head} {masked}".strip()
