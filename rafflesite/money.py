"""Money written for people, in the format of the active language."""

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
