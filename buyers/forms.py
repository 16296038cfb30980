"""Forms of the buyer pages; the rules themselves live in buyers.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Buyer
from .phones import phone_help_text


def _max_length(field):
    return Buyer._meta.get_field(field).max_length


class BuyerForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=_max_length("first_name")
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=_max_length("last_name"), required=False
    )
    email = forms.EmailField(
        label=_("Email"), max_length=_max_length("email"), required=False
    )
    # Typed freely ("(+57) 300 000-0001"); the service stores it in E.164.
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TelInput
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = " ".join(
            [str(_("Give an email, a phone or both.")), phone_help_text()]
        )
        self.fields["notes"].widget.attrs["rows"] = 3

    @classmethod
    def initial_for(cls, buyer):
        return {
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
            "email": buyer.email,
            "phone": buyer.phone_display,
            "notes": buyer.notes,
        }


class BuyerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, phone or email")}),
    )
