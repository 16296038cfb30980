"""Template filters for money: {% load money %} then {{ amount|money:currency }}."""

from django import template

from rafflesite.money import format_amount, format_money

register = template.Library()


@register.filter
def money(amount, currency=""):
    """The amount and its currency code, as the active language writes them."""
    return format_money(amount, currency)


@register.filter
def amount(value, currency=""):
    """The number alone, for a column whose heading names the currency."""
    return format_amount(value, currency)
