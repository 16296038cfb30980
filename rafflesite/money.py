"""Money written for people, in the format of the active language."""

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats

CENT = Decimal("0.01")

# ISO 4217 currencies without a minor unit: their whole amounts show no
# decimals (5.000 CLP, not 5.000,00 CLP). An amount with cents keeps them.
WHOLE_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)


def format_amount(amount, currency=""):
    """`amount` with grouped thousands and the language's decimal mark.

    format_amount(Decimal("1234.5")) == "1,234.50" in English and
    "1 234,50" in Spanish; "" for no amount.
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(CENT)
    except InvalidOperation:
        return str(amount)
    places = 0 if currency in WHOLE_CURRENCIES and value == value.to_integral() else 2
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def format_money(amount, currency):
    """An amount followed by its currency code: "1,234.50 USD"."""
    number = format_amount(amount, currency)
    if not number or not currency:
        return number
    return f"{number} {currency}"


# Whole units grouped by thousands: 1,234 / 1.234.567 / 1 234 (a space or
# a non-breaking one). The first group never starts with 0.
GROUPED = re.compile(r"[1-9]\d{0,2}(?:([\s.,])\d{3})(?:\1\d{3})*")
# A Spanish "5.000": a dot before exactly three digits groups thousands.
DOT_GROUPED = re.compile(r"[1-9]\d{0,2}\.\d{3}")


def parse_amount(text, decimal_mark=None):
    """An amount typed by a person, as a Decimal; None when unreadable.

    `decimal_mark` is the active language's (the default): with "," both
    "1234,50" and "5.000,50" read as such, and a plain "1234.50" too, since
    a dot before other than three digits cannot group thousands. With "."
    a comma only groups thousands, so "1234,50" is unreadable, not 123450.
    """
    if decimal_mark is None:
        decimal_mark = formats.get_format("DECIMAL_SEPARATOR")
    text = str(text).strip()
    sign = ""
    if text[:1] in ("-", "+"):
        sign, text = text[0], text[1:].strip()
    if decimal_mark in text:
        whole, _mark, cents = text.rpartition(decimal_mark)
    elif (
        decimal_mark == "," and text.count(".") == 1 and not DOT_GROUPED.fullmatch(text)
    ):
        whole, _mark, cents = text.partition(".")
    else:
        whole, cents = text, "0"
    if not whole.isdigit():
        if not GROUPED.fullmatch(whole) or decimal_mark in whole:
            return None
        whole = re.sub(r"\D", "", whole)
    if not cents.isascii() or not cents.isdigit() or not whole.isascii():
        return None
    return Decimal(f"{sign}{whole}.{cents}")
