"""Forms of the raffle pages; the rules themselves live in raffles.services."""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from buyers.selectors import buyers_of
from rafflesite.forms import DateInput, MoneyField
from rafflesite.lib.numbers import is_digits

from .draw_selectors import today
from .models import Kind, Method, State

# The services name a payment's moment paid_at; the forms take its date.
PAID_AT = {"paid_at": "paid_on"}


class PaymentDateInput(DateInput):
    """A date picker that offers no day after today.

    The services refuse a payment dated after today (by the same today()),
    so the browser should not offer one.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["max"] = today().isoformat()
        return context


class PaymentDateField(forms.DateField):
    """A payment's date, no later than today.

    The services refuse it too, naming the number; the form says so next to
    the field, before a sale or a payment is reviewed.
    """

    widget = PaymentDateInput

    def validate(self, value):
        super().validate(value)
        problem = future_date_problem(value)
        if problem:
            raise forms.ValidationError(problem, code="future")


def future_date_problem(day):
    if day is not None and day > today():
        return _("A payment cannot be dated after today (%(today)s).") % {
            "today": formats.date_format(today())
        }
    return None


class RaffleSetForm(forms.Form):
    """A raffle set's fields; the service checks ranges, prices and overlaps."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        initial=Kind.VIRTUAL,
        widget=forms.RadioSelect,
        help_text=_("How its numbers are sold: online, or on paper booklets."),
    )
    unit_price = MoneyField(label=_("Unit price"))
    first_number = forms.IntegerField(label=_("First number"), initial=0)
    quantity = forms.IntegerField(
        label=_("Quantity"), help_text=_("How many numbers the set has.")
    )
    padding = forms.IntegerField(
        label=_("Padding width"),
        required=False,
        help_text=_(
            "Digits shown: 3 shows number 7 as 007. Leave empty for the digits "
            "of the set's last number."
        ),
    )

    def __init__(self, *args, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_price"].label = _("Unit price (%(currency)s)") % {
            "currency": currency
        }

    @classmethod
    def initial_for(cls, raffle_set):
        return {name: getattr(raffle_set, name) for name in cls.base_fields}


class RaffleSetEditForm(RaffleSetForm):
    first_number = forms.IntegerField(
        label=_("First number"),
        help_text=_(
            "Moving the first number renumbers the whole set, so it works only "
            "while all its numbers are available."
        ),
    )
    padding = forms.IntegerField(
        label=_("Padding width"),
        required=False,
        help_text=_(
            "Digits shown: 3 shows number 7 as 007 and 1000 as 1000. Growing or "
            "shrinking the set keeps it; it cannot change once a number has "
            "been drawn or a prize has a lottery plan."
        ),
    )


class JumpForm(forms.Form):
    number = forms.CharField(
        label=_("Jump to number"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not is_digits(number):
            raise forms.ValidationError(_("Type one number, such as 7 or 007."))
        return number


class GridFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("all states")), *State.choices],
    )
    buyer = forms.CharField(
        label=_("Buyer"),
        required=False,
        max_length=100,
        help_text=_("Name, email or phone."),
    )


# Sales and payments


class SaleForm(forms.Form):
    """Numbers, buyer, state and payment of a sale.

    The buyer is one of the organizer's, chosen by ref from a search; a new
    buyer comes from a separate BuyerForm.
    """

    numbers = forms.CharField(
        label=_("Numbers"),
        max_length=2000,
        help_text=_("Separate numbers with commas; a range like 100-105 counts."),
        widget=forms.TextInput(
            attrs={"placeholder": "7, 12, 100-105", "autocomplete": "off"}
        ),
    )
    buyer_q = forms.CharField(
        label=_("Find a buyer"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Name, phone or email"), "autocomplete": "off"}
        ),
    )
    buyer = forms.IntegerField(label=_("Buyer"), required=False, min_value=1)
    state = forms.ChoiceField(
        label=_("Sell as"),
        choices=[
            (State.RESERVED, _("reserved (to be paid later or in parts)")),
            (State.PAID, _("paid in full")),
        ],
        initial=State.RESERVED,
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=Method.choices,
        initial=Method.CASH,
        help_text=_("Used when the numbers are sold paid."),
    )
    paid_on = forms.DateField(
        label=_("Payment date"),
        required=False,
        initial=today,
        widget=PaymentDateInput,
        help_text=_("Used when the numbers are sold paid; empty means today."),
    )
    reference = forms.CharField(
        label=_("Payment reference or note"), max_length=200, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == State.PAID:
            problem = future_date_problem(cleaned.get("paid_on"))
            if problem:
                self.add_error("paid_on", problem)
        return cleaned

    def clean_buyer(self):
        ref = self.cleaned_data["buyer"]
        if ref is None:
            return None
        buyer = buyers_of(self.user).filter(ref=ref).first()
        if buyer is None:
            raise forms.ValidationError(_("Choose one of your buyers."))
        return buyer

    def paid_at(self):
        day = self.cleaned_data["paid_on"]
        return paid_at_for(day) if day else timezone.now()


class MarkManyPaidForm(forms.Form):
    """Several reserved numbers paid at once, each for what it still owes."""

    numbers = forms.CharField(
        label=_("Numbers"),
        max_length=2000,
        help_text=_("Separate numbers with commas; a range like 100-105 counts."),
        widget=forms.TextInput(
            attrs={"placeholder": "7, 12, 100-105", "autocomplete": "off"}
        ),
    )
    method = forms.ChoiceField(
        label=_("Payment method"), choices=Method.choices, initial=Method.CASH
    )
    paid_on = PaymentDateField(label=_("Payment date"), initial=today)
    reference = forms.CharField(
        label=_("Payment reference or note"), max_length=200, required=False
    )
    # The numbers whose preview the organizer saw; see views.sales.
    reviewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def paid_at(self):
        return paid_at_for(self.cleaned_data["paid_on"])


class PaymentForm(forms.Form):
    prefix = "payment"

    amount = MoneyField(label=_("Amount"), max_digits=10, decimal_places=2)
    method = forms.ChoiceField(
        label=_("Method"), choices=Method.choices, initial=Method.CASH
    )
    paid_on = PaymentDateField(label=_("Date"), initial=today)
    reference = forms.CharField(
        label=_("Reference or note"), max_length=200, required=False
    )

    def paid_at(self):
        return paid_at_for(self.cleaned_data["paid_on"])


class MarkPaidForm(forms.Form):
    prefix = "paid"

    method = forms.ChoiceField(
        label=_("Method"), choices=Method.choices, initial=Method.CASH
    )
    reference = forms.CharField(
        label=_("Reference or note"), max_length=200, required=False
    )


class ReasonForm(forms.Form):
    """The reason of a release (optional) or a refund (the service requires it)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if reason_required:
            field.widget.attrs["required"] = True
            field.help_text = _("Required: the reason is kept in the number's history.")
        else:
            # A buyer who changed their mind needs no explanation.
            field.label = _("Reason (optional)")
            field.help_text = _("Kept in the number's history.")


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def paid_at_for(day):
    """The moment recorded for a payment dated `day`.

    Today means now; another day means noon of that day in the configured
    time zone, which shows as that same date wherever it is read.
    """
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
