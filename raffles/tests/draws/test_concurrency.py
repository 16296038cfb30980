"""Draws at the same moment, with real concurrent connections (MariaDB)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from raffles import draws
from raffles.models import Draw
from raffles.tests.draws.helpers import sell
from rafflesite.db import is_mariadb

pytestmark = [
    pytest.mark.mariadb,
    pytest.mark.skipif(not is_mariadb(), reason="needs MariaDB"),
]


def at_once(*calls):
    """Run the calls in threads released together; their outcomes, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_draws_of_one_prize_at_once_give_one_draw(
    organizer, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001-050")

    for _round in range(10):
        Draw.objects.filter(prize=prize).update(current_prize=None, current_winner=None)
        Draw.objects.filter(prize=prize).delete()
        outcomes = at_once(
            lambda: draws.draw_random(prize=prize, actor=organizer),
            lambda: draws.draw_random(prize=prize, actor=organizer),
        )

        drawn = [outcome for outcome in outcomes if isinstance(outcome, Draw)]
        refused = [o for o in outcomes if isinstance(o, draws.AlreadyDrawn)]
        assert (len(drawn), len(refused)) == (1, 1)
        assert Draw.objects.filter(prize=prize).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_prizes_racing_for_the_last_number_give_it_once(
    organizer, project, raffle_set, buyer
):
    sell(project, buyer, "007")
    first = draws.create_prize(project=project, name="Car")
    second = draws.create_prize(project=project, name="Bicycle")

    outcomes = at_once(
        lambda: draws.draw_random(prize=first, actor=organizer),
        lambda: draws.draw_manual(prize=second, actor=organizer, number="7"),
    )

    winners = [o.winner_label for o in outcomes if isinstance(o, Draw)]
    errors = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (winners, len(errors)) == (["007"], 1)
    assert Draw.objects.filter(winner_label="007").count() == 1
