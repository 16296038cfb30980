from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from rafflesite.money import format_amount, format_money, parse_amount

NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("en", Decimal("1234.5"), "USD", "1,234.50 USD"),
        ("es", Decimal("1234.5"), "USD", f"1{NBSP}234,50 USD"),
        ("en", Decimal("0"), "ARS", "0.00 ARS"),
        ("es", Decimal("1234567.89"), "COP", f"1{NBSP}234{NBSP}567,89 COP"),
        ("es", Decimal("5000.00"), "CLP", f"5{NBSP}000 CLP"),
        ("en", Decimal("5000.50"), "CLP", "5,000.50 CLP"),
        ("en", "12.5", "EUR", "12.50 EUR"),
        ("en", Decimal("7.25"), "", "7.25"),
        ("en", None, "USD", ""),
    ],
)
def test_format_money_follows_the_language(language, amount, currency, expected):
    with translation.override(language):
        assert format_money(amount, currency) == expected


def test_format_amount_leaves_unreadable_text_alone():
    assert format_amount("n/a") == "n/a"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1,234.50 MXN · 1,234.50"),
        ("es", f"1{NBSP}234,50 MXN · 1{NBSP}234,50"),
    ],
)
def test_money_filters_render_in_the_active_language(language, expected):
    template = Template(
        "{% load money %}{{ price|money:currency }} · {{ price|amount:currency }}"
    )
    context = Context({"price": Decimal("1234.50"), "currency": "MXN"})

    with translation.override(language):
        assert template.render(context) == expected


@pytest.mark.parametrize(
    ("mark", "typed", "expected"),
    [
        (",", "1234,50", Decimal("1234.50")),
        (",", "5.000,50", Decimal("5000.50")),
        (",", f"5{NBSP}000,50", Decimal("5000.50")),
        (",", "1.234.567", Decimal("1234567")),
        (",", "1234.50", Decimal("1234.50")),
        (",", "12.5", Decimal("12.5")),
        (",", "5.000", Decimal("5000")),
        (",", "1,234.50", None),
        (",", "1.23.4", None),
        (".", "1,234.50", Decimal("1234.50")),
        (".", "1234.50", Decimal("1234.50")),
        (".", "1234,50", None),
        (".", "5.000,50", None),
        (".", "-4", Decimal("-4")),
        (".", "abc", None),
        (".", "1e3", None),
        (".", "12.", None),
    ],
)
def test_parse_amount_reads_only_what_is_unambiguous(mark, typed, expected):
    assert parse_amount(typed, mark) == expected
