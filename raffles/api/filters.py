import datetime

import django_filters
from django import forms
from django.utils import timezone

from raffles.models import Method, Raffle, State

MAX_REF = 2_147_483_647


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_REF)
        super().__init__(*args, **kwargs)


class NumberFilter(django_filters.FilterSet):
    """Filters of the numbers list; dates are days in the site's time zone."""

    state = django_filters.ChoiceFilter(choices=State.choices)
    set = IntegerFilter(field_name="raffle_set__ref", label="Ref of a set")
    buyer = IntegerFilter(field_name="buyer__ref", label="Ref of a buyer")
    number_min = IntegerFilter(field_name="number", lookup_expr="gte")
    number_max = IntegerFilter(field_name="number", lookup_expr="lte")
    method = django_filters.ChoiceFilter(
        choices=Method.choices, label="Method of the last payment"
    )
    paid_from = django_filters.DateFilter(
        method="filter_paid_from", label="Fully paid on or after this day"
    )
    paid_to = django_filters.DateFilter(
        method="filter_paid_to", label="Fully paid on or before this day"
    )

    class Meta:
        model = Raffle
        fields = []

    def filter_paid_from(self, queryset, name, day):
        return queryset.filter(paid_at__gte=_start_of(day))

    def filter_paid_to(self, queryset, name, day):
        return queryset.filter(paid_at__lt=_start_of(day + datetime.timedelta(1)))


EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(9000, 1, 1)


def _start_of(day):
    # Computed here rather than with __date, which on MariaDB needs the
    # server's time zone tables; far-off days are clamped so that the
    # conversion to UTC cannot overflow.
    day = min(max(day, EARLIEST), LATEST)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_current_timezone(),
    )
