from django import forms
from django.utils.translation import gettext_lazy as _

from rafflesite.forms import DateInput

from .models import default_currency, normalize_currency, validate_currency


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial=default_currency,
        help_text=_("Three-letter ISO 4217 code, such as USD, ARS or COP."),
    )
    draw_date = forms.DateField(
        label=_("Draw date"),
        required=False,
        widget=DateInput,
    )

    def clean_currency(self):
        currency = normalize_currency(self.cleaned_data["currency"])
        validate_currency(currency)
        return currency

    @classmethod
    def initial_for(cls, project):
        return {name: getattr(project, name) for name in cls.base_fields}
