"""The running totals of each raffle set, kept beside its numbers.

A set's row holds how many of its numbers are reserved and paid, the money
collected and the money still owed. Every service that changes a number
notes the number before and after in a Tally, which writes the difference
to the set's row in the same transaction. Pages then read a set's totals
from one row, whether it has sold ten numbers or a hundred thousand.

The set rows are written after the numbers are locked, in one UPDATE that
takes them in primary key order, so two sales queue up on the numbers first
and never deadlock on the sets.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum

from rafflesite.db import value_by

from .models import Raffle, RaffleSet, State

ZERO = Decimal("0.00")
FIELDS = ("reserved_count", "paid_count", "collected", "outstanding")


def share(raffle):
    """What one number adds to its set's totals, in the order of FIELDS."""
    if raffle.state == State.AVAILABLE:
        return (0, 0, ZERO, ZERO)
    return (
        int(raffle.state == State.RESERVED),
        int(raffle.state == State.PAID),
        raffle.amount_paid,
        raffle.price - raffle.amount_paid,
    )


class Tally:
    """Differences to the sets' totals, written with `save()`.

    tally = Tally()
    tally.before(raffle)
    ... change and save the number ...
    tally.after(raffle)
    tally.save()
    """

    def __init__(self):
        self._was = {}
        self._change = defaultdict(lambda: [0, 0, ZERO, ZERO])

    def before(self, raffle):
        self._was[raffle.pk] = share(raffle)

    def after(self, raffle):
        was = self._was.pop(raffle.pk)
        change = self._change[raffle.raffle_set_id]
        for index, value in enumerate(share(raffle)):
            change[index] += value - was[index]

    def save(self):
        # One UPDATE for every set however many a sale spans.
        changes = {pk: change for pk, change in self._change.items() if any(change)}
        if changes:
            RaffleSet.objects.filter(pk__in=sorted(changes)).update(
                **{
                    field: F(field)
                    + value_by(
                        RaffleSet,
                        "pk",
                        {pk: change[index] for pk, change in changes.items()},
                        field,
                    )
                    for index, field in enumerate(FIELDS)
                }
            )
        self._change.clear()


def counted(sets):
    """The sets' totals counted from their numbers, by set id.

    Only reserved and paid numbers are read (an index covers the state).
    """
    rows = (
        Raffle.objects.filter(raffle_set__in=sets)
        .exclude(state=State.AVAILABLE)
        .values("raffle_set_id")
        .annotate(
            reserved_count=Count("pk", filter=Q(state=State.RESERVED)),
            paid_count=Count("pk", filter=Q(state=State.PAID)),
            collected=Sum("amount_paid"),
            owed=Sum("price") - Sum("amount_paid"),
        )
        .order_by()
    )
    return {
        row["raffle_set_id"]: (
            row["reserved_count"],
            row["paid_count"],
            row["collected"] or ZERO,
            row["owed"] or ZERO,
        )
        for row in rows
    }


def recount_sets(sets=None):
    """Rebuild the totals of the sets (all of them by default) from their numbers.

    For data written around the services (an import, a repair by hand).
    Returns the sets whose totals were wrong.
    """
    sets = RaffleSet.objects.all() if sets is None else sets
    fixed = []
    with transaction.atomic():
        locked = list(sets.select_for_update().order_by("pk"))
        truth = counted(locked)
        for raffle_set in locked:
            right = truth.get(raffle_set.pk, (0, 0, ZERO, ZERO))
            if tuple(getattr(raffle_set, field) for field in FIELDS) != right:
                for field, value in zip(FIELDS, right, strict=True):
                    setattr(raffle_set, field, value)
                raffle_set.save(update_fields=FIELDS)
                fixed.append(raffle_set)
    return fixed
