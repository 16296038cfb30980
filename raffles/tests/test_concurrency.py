"""Sales at the same moment, each on its own database connection.

MariaDB only: SQLite's test database lives in memory with a shared cache,
where a second writer fails at once ("database table is locked") instead of
waiting for the first as it does with a database file.
"""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from buyers.models import Buyer
from buyers.services import create_buyer
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle, RaffleEvent, RaffleSet, State
from raffles.services import (
    NumbersUnavailable,
    refund_number,
    release_number,
    sell_numbers,
    update_raffle_set,
)
from raffles.tests.factories import RaffleSetFactory
from rafflesite.tests.threads import run_together

CLERKS = 4
ROUNDS = 50


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_selling_s1_two_clerks_one_number(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=1000)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="000-041, 043-999",
        actor=organizer,
    )
    clerks = [BuyerFactory(owner=organizer) for _ in range(CLERKS)]

    for round_ in range(ROUNDS):
        state = State.PAID if round_ % 2 else State.RESERVED
        results = run_together(
            *(
                partial(
                    sell_numbers,
                    project=project,
                    buyer=buyer,
                    numbers="042",
                    actor=organizer,
                    state=state,
                )
                for buyer in clerks
            )
        )

        sold = [result for result in results if isinstance(result, list)]
        refused = [r for r in results if isinstance(r, NumbersUnavailable)]
        assert (len(sold), len(refused)) == (1, CLERKS - 1), results
        assert [error.labels for error in refused] == [["042"]] * (CLERKS - 1)
        raffle = Raffle.objects.select_related("raffle_set").get(
            project=project, number=42
        )
        assert (raffle.state, raffle.buyer) == (state, sold[0][0].buyer)
        assert Raffle.objects.filter(project=project).count() == 1000
        assert (
            Raffle.objects.filter(project=project, state=State.AVAILABLE).count() == 0
        )
        if state == State.PAID:
            assert raffle.payments.filter(cleared_at__isnull=True).count() == 1
            refund_number(raffle=raffle, actor=organizer, reason="Next round")
        else:
            release_number(raffle=raffle, actor=organizer)

    sales = RaffleEvent.objects.filter(raffle__number=42, from_state="available")
    assert sales.count() == ROUNDS


def sell_to_new_buyer(project, number):
    """A sale that registers its buyer first, in one transaction."""
    with transaction.atomic():
        buyer = create_buyer(
            owner=project.owner,
            first_name="Ana",
            last_name="Gómez",
            phone="+54 9 11 2345-6789",
        )
        return sell_numbers(
            project=project, buyer=buyer, numbers=[number], actor=project.owner
        )


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_selling_s3_two_sales_for_the_same_new_buyer(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=100)

    for first, second in [("01", "02"), ("03", "04"), ("05", "06")]:
        results = run_together(
            partial(sell_to_new_buyer, project, first),
            partial(sell_to_new_buyer, project, second),
        )

        assert [type(result) for result in results] == [list, list], results

    numbers = Raffle.objects.filter(project=project, state=State.RESERVED)
    assert numbers.count() == 6
    assert numbers.values("buyer").distinct().count() == 6
    assert sorted(Buyer.objects.values_list("ref", flat=True)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_sale_and_shrink_of_one_set_at_once_never_deadlock(organizer):
    """A sale locks numbers then its set's totals; a shrink locks the same
    set and numbers. Whichever goes first, the other is refused cleanly."""
    project = ProjectFactory(owner=organizer)
    buyer = BuyerFactory(owner=organizer)
    outcomes = []

    for round_ in range(ROUNDS):
        first = round_ * 100
        raffle_set = RaffleSetFactory(
            project=project, name=f"Round {round_}", first_number=first, quantity=100
        )
        sale, shrink = run_together(
            partial(
                sell_numbers,
                project=project,
                buyer=buyer,
                numbers=[first + 50, first + 99],
                actor=organizer,
            ),
            partial(update_raffle_set, raffle_set=raffle_set, quantity=90),
        )

        raffle_set.refresh_from_db()
        numbers = Raffle.objects.filter(raffle_set=raffle_set)
        if isinstance(sale, list):
            assert isinstance(shrink, ValidationError), shrink
            assert list(shrink.message_dict) == ["quantity"]
            assert raffle_set.quantity == 100
            assert numbers.exclude(state=State.AVAILABLE).count() == 2
            outcomes.append("sale")
        else:
            assert isinstance(shrink, RaffleSet), shrink
            assert isinstance(sale, ValidationError), sale
            assert list(sale.message_dict) == ["numbers"]
            assert str(first + 99) in sale.message_dict["numbers"][0]
            assert raffle_set.quantity == 90
            assert numbers.exclude(state=State.AVAILABLE).count() == 0
            outcomes.append("shrink")
        assert numbers.count() == raffle_set.quantity
    assert len(outcomes) == ROUNDS
