"""Form helpers shared by the web pages."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from rafflesite.money import format_amount, parse_amount


def add_service_error(form, error, renames=None):
    """Show a service's ValidationError on a bound form.

    Messages about a field the form has go next to that field; the others,
    and messages about no field at all, go on top of the form. `renames`
    maps a service's field name to the form's where they differ, e.g.
    {"numbers": "number"}.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.error_list)
        return
    renames = renames or {}
    for name, errors in error.error_dict.items():
        name = renames.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def posted(request):
    """A request's POST data to bind a form to, or None to show it unbound.

    Unlike `request.POST or None`, an empty submission is still bound, so
    its required fields report their errors.
    """
    return request.POST if request.method == "POST" else None


class DateInput(forms.DateInput):
    """A browser's date picker, which reads and writes yyyy-mm-dd only,
    whatever the active language's date format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ConfirmForm(forms.Form):
    """The form of a confirmation page: no fields, only the errors of the action."""


class MoneyField(forms.DecimalField):
    """An amount typed and shown in the active language's format.

    "1 234,50", "1.234,50", "1234,50" and "1234.50" in Spanish; "1,234.50"
    and "1234.50" in English (see rafflesite.money.parse_amount).
    """

    def __init__(self, **kwargs):
        # Cents at most: in English "5.000" is refused, not read as 5.00
        # (in Spanish it reads as five thousand).
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.error_messages["max_decimal_places"] = _("Use at most two decimal places.")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        amount = parse_amount(value)
        if amount is None or not amount.is_finite():
            raise forms.ValidationError(
                _("Enter an amount such as %(example)s.")
                % {"example": format_amount(Decimal("1234.50"))},
                code="invalid",
            )
        return amount
