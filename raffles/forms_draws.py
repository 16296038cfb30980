"""Forms of the prize and draw pages; the rules live in raffles.draws."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rafflesite.forms import DateInput

from .models import UnsoldRule

RULE_CHOICES = [("", "—"), *UnsoldRule.choices]


class LotteryPlanForm(forms.Form):
    """The external lottery a prize follows, and the rule for an unsold number."""

    lottery = forms.CharField(label=_("Lottery"), max_length=200, required=False)
    lottery_date = forms.DateField(
        label=_("Lottery date"),
        required=False,
        widget=DateInput,
        help_text=_("The plan is final from this day on."),
    )
    unsold_rule = forms.ChoiceField(
        label=_("If the winning number is not eligible"),
        choices=RULE_CHOICES,
        required=False,
    )


class PrizeForm(LotteryPlanForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 3})
    )
    position = forms.IntegerField(
        label=_("Position"),
        required=False,
        min_value=1,
        help_text=_("1 is drawn first. Empty: after the last prize."),
    )
    raffle_sets = forms.ModelMultipleChoiceField(
        label=_("Only numbers of these sets"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every set of the project."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lottery"].help_text = _(
            "For a draw by an external lottery, state it before the lottery's "
            "day, e.g. “National Lottery, first prize” (prize 2 may follow "
            "the lottery's second prize). A prize with a lottery plan is "
            "drawn by that lottery only."
        )
        sets = self.fields["raffle_sets"]
        sets.queryset = project.raffle_sets.order_by("first_number")
        sets.label_from_instance = _set_label


def _set_label(raffle_set):
    return f"{raffle_set.name} ({raffle_set.range_label})"


class DrawOptionsForm(forms.Form):
    draws_include_reserved = forms.BooleanField(
        label=_("Reserved (not fully paid) numbers can win too"), required=False
    )


class WithdrawPlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the lottery plan withdrawn?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. the lottery was cancelled or postponed. Shown with the "
            "prize's later draws, on their public pages too."
        ),
    )


class RedrawForm(forms.Form):
    """The reason field every draw form has when the prize is drawn again."""

    reason = forms.CharField(
        label=_("Reason for the redraw"),
        max_length=500,
        required=False,
        help_text=_("E.g. the winner could not be reached, or was not eligible."),
    )

    def __init__(self, *args, redraw, **kwargs):
        super().__init__(*args, **kwargs)
        if redraw:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


class RandomDrawForm(RedrawForm):
    method = "random"


class LotteryDrawForm(RedrawForm):
    """The result of the lottery the prize's plan names; the plan is not typed."""

    method = "lottery"
    field_order = ["result", "source"]

    result = forms.CharField(
        label=_("Official result"),
        max_length=40,
        help_text=_("All its digits, as published, e.g. 048213."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Where the result was published: a web address, a newspaper."),
    )


class ManualDrawForm(RedrawForm):
    method = "manual"

    number = forms.CharField(label=_("Number drawn"), max_length=12)
