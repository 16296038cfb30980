"""Sets while a prize waits for a lottery whose day has come.

Its result is compared on the project's padding, over the sets the prize
draws from: neither may change until the prize is drawn.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from raffles import draws, services
from raffles.models import RaffleSet
from raffles.tests.draws.helpers import state_plan
from raffles.tests.factories import RaffleSetFactory


def refusal(prize, verb):
    return (
        "The lottery plan of prize 1 (Bicycle) is final since "
        f"{date_format(prize.lottery_date)}, the day of its lottery, so you "
        f"cannot {verb}."
    )


DIGITS = "change the 3 digits its result is compared on"


@pytest.mark.parametrize(
    "change",
    [
        lambda project, raffle_set: RaffleSetFactory(
            project=project, first_number=1000, quantity=10
        ),
        lambda project, raffle_set: services.update_raffle_set(
            raffle_set=raffle_set, padding=4
        ),
    ],
    ids=["wider set", "wider padding"],
)
def test_lottery_digits_cannot_change_once_the_plan_is_final(
    project, raffle_set, prize, change
):
    state_plan(prize)

    with pytest.raises(ValidationError) as error:
        change(project, raffle_set)

    raffle_set.refresh_from_db()
    assert error.value.message_dict == {"padding": [refusal(prize, DIGITS)]}
    assert list(RaffleSet.objects.values_list("quantity", "padding")) == [(100, 3)]


def test_deleting_the_widest_set_is_refused_once_the_plan_is_final(
    project, raffle_set, prize
):
    wide = RaffleSetFactory(project=project, first_number=1000, quantity=10)
    state_plan(prize)

    with pytest.raises(ValidationError) as error:
        services.delete_raffle_set(raffle_set=wide)
    services.delete_raffle_set(raffle_set=raffle_set)

    assert error.value.messages == [
        refusal(prize, "change the 4 digits its result is compared on")
    ]
    assert list(RaffleSet.objects.all()) == [wide]


def test_a_set_the_prize_draws_from_stays_once_the_plan_is_final(
    project, raffle_set, prize
):
    other = RaffleSetFactory(project=project, first_number=100, quantity=10)
    prize.raffle_sets.set([other])
    state_plan(prize)

    with pytest.raises(ValidationError) as error:
        services.delete_raffle_set(raffle_set=other)

    assert error.value.messages == [refusal(prize, "delete a set it draws from")]
    assert RaffleSet.objects.count() == 2


def test_sets_of_the_same_digits_can_still_come_and_change(project, raffle_set, prize):
    state_plan(prize)

    added = RaffleSetFactory(project=project, first_number=100, quantity=10)
    services.update_raffle_set(raffle_set=added, quantity=20, unit_price="3.00")
    services.delete_raffle_set(raffle_set=added)

    assert list(RaffleSet.objects.all()) == [raffle_set]


def stated():
    return (
        "Prize 1 (Bicycle) has a stated lottery plan that compares the last 3 "
        "digits, so the set cannot have numbers of more digits, such as "
    )


@pytest.mark.parametrize("ahead", [0, 1], ids=["final plan", "plan before its day"])
def test_a_set_cannot_grow_past_the_digits_a_stated_plan_compares(
    project, raffle_set, prize, ahead
):
    state_plan(prize, date=timezone.localdate() + datetime.timedelta(days=ahead))

    with pytest.raises(ValidationError) as error:
        services.update_raffle_set(raffle_set=raffle_set, quantity=1001)

    assert error.value.message_dict == {"quantity": [stated() + "1000."]}
    assert list(RaffleSet.objects.values_list("quantity", "padding")) == [(100, 3)]


def test_a_wider_set_waits_for_the_plan_to_be_removed(project, raffle_set, prize):
    state_plan(prize, date=timezone.localdate() + datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        RaffleSetFactory(project=project, first_number=1000, quantity=10)
    draws.update_prize(prize=prize, lottery="", lottery_date=None, unsold_rule="")
    RaffleSetFactory(project=project, first_number=1000, quantity=10)

    assert error.value.message_dict == {"padding": [stated() + "1009."]}
    assert list(RaffleSet.objects.values_list("padding", flat=True)) == [3, 4]


def test_api_answers_a_wider_set_with_the_field_error(
    organizer_api, project, raffle_set, prize
):
    state_plan(prize)

    response = organizer_api.post(
        f"/api/projects/{project.ref}/sets/",
        {
            "name": "Online",
            "kind": "virtual",
            "unit_price": "2.00",
            "first_number": 1000,
            "quantity": 10,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["padding"] == [refusal(prize, DIGITS)]
    assert RaffleSet.objects.count() == 1
