from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, State


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
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
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
            "Digits shown: 3 shows number 7 as 007. It widens by itself when "
            "the set grows past it."
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
        if not number.isdigit():
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
