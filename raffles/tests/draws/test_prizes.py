"""Prize services: positions, sets, lottery plans, deletion."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.models import Prize
from raffles.tests.draws.helpers import sell, state_plan
from raffles.tests.factories import RaffleSetFactory


def names(project):
    return list(
        Prize.objects.filter(project=project)
        .order_by("position")
        .values_list("position", "name")
    )


@pytest.fixture
def three_prizes(project):
    for name in ("Car", "Bicycle", "Hamper"):
        draws.create_prize(project=project, name=name)


def test_create_prize_goes_last_by_default(project, three_prizes):
    assert names(project) == [(1, "Car"), (2, "Bicycle"), (3, "Hamper")]


def test_create_prize_at_a_position_moves_the_later_ones_down(project, three_prizes):
    draws.create_prize(project=project, name="Phone", position=2)

    assert names(project) == [(1, "Car"), (2, "Phone"), (3, "Bicycle"), (4, "Hamper")]


@pytest.mark.parametrize("position", [0, 5, -1])
def test_create_prize_refuses_a_position_out_of_range(project, three_prizes, position):
    with pytest.raises(ValidationError) as error:
        draws.create_prize(project=project, name="Phone", position=position)

    assert error.value.message_dict == {"position": ["Choose a position from 1 to 4."]}
    assert names(project) == [(1, "Car"), (2, "Bicycle"), (3, "Hamper")]


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (1, ["Hamper", "Car", "Bicycle"]),
        (2, ["Car", "Hamper", "Bicycle"]),
        (3, ["Car", "Bicycle", "Hamper"]),
    ],
)
def test_update_prize_moves_it_and_shifts_the_others(
    project, three_prizes, position, expected
):
    hamper = Prize.objects.get(project=project, name="Hamper")

    draws.update_prize(prize=hamper, position=position)

    assert [name for _position, name in names(project)] == expected


def test_update_prize_moves_down(project, three_prizes):
    car = Prize.objects.get(project=project, name="Car")

    draws.update_prize(prize=car, position=3)

    assert names(project) == [(1, "Bicycle"), (2, "Hamper"), (3, "Car")]


def test_delete_prize_closes_the_gap(project, three_prizes):
    car = Prize.objects.get(project=project, name="Car")

    draws.delete_prize(prize=car)

    assert names(project) == [(1, "Bicycle"), (2, "Hamper")]


def test_create_prize_keeps_accents_and_emoji(project):
    prize = draws.create_prize(
        project=project, name="  Canasta   Navideña 🎄 ", description="Pagó 💵"
    )

    prize.refresh_from_db()
    assert (prize.name, prize.description) == ("Canasta Navideña 🎄", "Pagó 💵")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the prize a name."),
        ("x" * 201, "Keep the name under 200 characters."),
    ],
)
def test_create_prize_refuses_a_bad_name(project, name, message):
    with pytest.raises(ValidationError) as error:
        draws.create_prize(project=project, name=name)

    assert error.value.message_dict == {"name": [message]}
    assert Prize.objects.count() == 0


def test_create_prize_limits_to_sets_of_its_project(project, raffle_set):
    other_set = RaffleSetFactory(project=ProjectFactory(owner=project.owner))

    with pytest.raises(ValidationError) as error:
        draws.create_prize(project=project, name="Car", raffle_sets=[other_set])

    assert error.value.message_dict == {"raffle_sets": ["Choose sets of this project."]}


def later(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_create_prize_with_a_lottery_plan_stamps_when_it_was_stated(project):
    before = timezone.now()

    prize = draws.create_prize(
        project=project,
        name="Car",
        lottery="National Lottery, first prize",
        lottery_date=later(1),
        unsold_rule="next",
    )

    prize.refresh_from_db()
    assert prize.has_lottery_plan
    assert before <= prize.lottery_stated_at <= timezone.now()
    assert prize.plan_days_ahead == 1


def test_create_prize_refuses_half_a_lottery_plan(project):
    with pytest.raises(ValidationError) as error:
        draws.create_prize(project=project, name="Car", lottery="National Lottery")

    assert error.value.message_dict == {
        "lottery_date": ["Give the date of the lottery's draw."],
        "unsold_rule": ["Say what happens when the winning number is not eligible."],
    }


@pytest.mark.parametrize("days", [0, -1])
def test_create_prize_refuses_a_plan_once_its_lottery_day_has_come(project, days):
    with pytest.raises(ValidationError) as error:
        draws.create_prize(
            project=project,
            name="Car",
            lottery="National Lottery",
            lottery_date=later(days),
            unsold_rule="none",
        )

    assert error.value.message_dict == {
        "lottery_date": [
            f"State the plan before the lottery's day: {date_format(later(days))} "
            "is not after today."
        ]
    }
    assert Prize.objects.count() == 0


def test_update_prize_restamps_a_changed_lottery_plan(project):
    prize = draws.create_prize(
        project=project,
        name="Car",
        lottery="National Lottery",
        lottery_date=later(30),
        unsold_rule="none",
    )
    first_stamp = prize.lottery_stated_at

    same = draws.update_prize(prize=prize, name="Red car")
    changed = draws.update_prize(prize=prize, unsold_rule="next")
    cleared = draws.update_prize(
        prize=prize, lottery="", lottery_date=None, unsold_rule=""
    )

    assert same.lottery_stated_at == first_stamp
    assert changed.lottery_stated_at > first_stamp
    assert (cleared.has_lottery_plan, cleared.lottery_stated_at) == (False, None)


@pytest.mark.parametrize(
    "changes",
    [
        {"unsold_rule": "next"},
        {"lottery": "Another Lottery"},
        {"lottery_date": datetime.date(2099, 1, 1)},
        {"lottery": "", "lottery_date": None, "unsold_rule": ""},
    ],
)
def test_lottery_plan_is_final_from_its_lottery_day(project, prize, changes):
    state_plan(prize, date=later(0) - datetime.timedelta(days=2))

    with pytest.raises(ValidationError) as error:
        draws.update_prize(prize=prize, **changes)

    prize.refresh_from_db()
    day = date_format(prize.lottery_date)
    assert error.value.message_dict == {
        field: [f"The lottery plan is final since {day}, the day of its lottery."]
        for field in changes
    }
    assert (prize.lottery, prize.unsold_rule) == (
        "National Lottery, first prize",
        "none",
    )


def test_prize_with_a_final_plan_can_still_be_renamed(project, prize):
    stated = state_plan(prize).lottery_stated_at

    draws.update_prize(prize=prize, name="Red bicycle", description="With a bell")

    prize.refresh_from_db()
    assert (prize.name, prize.lottery_stated_at) == ("Red bicycle", stated)


def test_drawn_prize_may_state_the_plan_of_a_later_lottery(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001")
    draws.draw_random(prize=prize, actor=organizer)
    stated = state_plan(prize, date=later(-2)).lottery_stated_at

    with pytest.raises(ValidationError) as today:
        draws.update_prize(prize=prize, lottery_date=later(0))
    draws.update_prize(prize=prize, lottery="Lotto", lottery_date=later(7))

    prize.refresh_from_db()
    assert list(today.value.message_dict) == ["lottery_date"]
    assert (prize.lottery, prize.lottery_date) == ("Lotto", later(7))
    assert prize.lottery_stated_at > stated


def test_lottery_days_are_those_of_the_sites_time_zone(project, prize, settings):
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    with timezone.override("Pacific/Kiritimati"):
        # Kiritimati's today is always after Pago Pago's.
        lottery_day = timezone.localdate()

        draws.update_prize(
            prize=prize, lottery="Lotto", lottery_date=lottery_day, unsold_rule="none"
        )

    prize.refresh_from_db()
    assert prize.lottery_date == lottery_day
    assert draws.lottery_plan_problem(prize) == (
        f"The lottery is drawn on {date_format(lottery_day)}; its result cannot "
        "be known yet."
    )


def test_drawn_prize_cannot_be_deleted_or_change_its_sets(
    project, raffle_set, buyer, organizer
):
    sell(project, buyer, "001")
    prize = draws.create_prize(project=project, name="Car")
    draws.draw_random(prize=prize, actor=organizer)

    with pytest.raises(ValidationError) as deleting:
        draws.delete_prize(prize=prize)
    with pytest.raises(ValidationError) as limiting:
        draws.update_prize(prize=prize, raffle_sets=[raffle_set])

    assert deleting.value.messages == [
        "Prize 1 (Car) has been drawn, so you cannot delete it."
    ]
    assert limiting.value.message_dict == {
        "raffle_sets": ["Prize 1 (Car) has been drawn, so you cannot change its sets."]
    }
    assert Prize.objects.filter(pk=prize.pk).count() == 1
    assert list(prize.raffle_sets.all()) == []


def test_drawn_prize_can_still_be_renamed(project, raffle_set, buyer, organizer):
    sell(project, buyer, "001")
    prize = draws.create_prize(project=project, name="Car")
    draws.create_prize(project=project, name="Hamper")
    draw = draws.draw_random(prize=prize, actor=organizer)

    draws.update_prize(prize=prize, name="Red car")

    draw.refresh_from_db()
    assert names(project) == [(1, "Red car"), (2, "Hamper")]
    assert draw.prize_name == "Car"


def drawn_keeps_position(verb):
    return [
        "Prize 2 (Car) has been drawn, so it keeps position 2, by which its "
        f"draw records are known; you cannot {verb}."
    ]


@pytest.fixture
def car_drawn_second(project, raffle_set, buyer, organizer):
    """1 Hamper, 2 Car (drawn), 3 Radio."""
    sell(project, buyer, "001")
    draws.create_prize(project=project, name="Hamper")
    car = draws.create_prize(project=project, name="Car")
    draws.create_prize(project=project, name="Radio")
    draws.draw_random(prize=car, actor=organizer)
    return car


@pytest.mark.parametrize(
    ("name", "position"), [("Car", 1), ("Car", 3), ("Hamper", 3), ("Radio", 1)]
)
def test_a_drawn_prize_keeps_its_position(project, car_drawn_second, name, position):
    prize = project.prizes.get(name=name)

    with pytest.raises(ValidationError) as error:
        draws.update_prize(prize=prize, position=position)

    verb = "move it" if name == "Car" else "move this prize past it"
    assert error.value.message_dict == {"position": drawn_keeps_position(verb)}
    assert names(project) == [(1, "Hamper"), (2, "Car"), (3, "Radio")]


def test_no_prize_can_be_added_before_a_drawn_one(project, car_drawn_second):
    with pytest.raises(ValidationError) as error:
        draws.create_prize(project=project, name="Kite", position=2)

    assert error.value.message_dict == {
        "position": drawn_keeps_position("add a prize before it")
    }
    draws.create_prize(project=project, name="Kite", position=3)
    assert names(project) == [(1, "Hamper"), (2, "Car"), (3, "Kite"), (4, "Radio")]


def test_a_prize_before_a_drawn_one_cannot_be_deleted(project, car_drawn_second):
    hamper = project.prizes.get(name="Hamper")

    with pytest.raises(ValidationError) as error:
        draws.delete_prize(prize=hamper)

    assert error.value.messages == drawn_keeps_position("delete a prize before it")
    assert draws.deletion_problem(hamper) == " ".join(error.value.messages)
    draws.delete_prize(prize=project.prizes.get(name="Radio"))
    assert names(project) == [(1, "Hamper"), (2, "Car")]


def test_prize_page_says_why_a_drawn_prize_stays(
    organizer_client, project, car_drawn_second
):
    url = reverse("raffles:prize_move", args=[project.ref, 2])

    response = organizer_client.post(url, {"direction": "up"}, follow=True)

    assert drawn_keeps_position("move it")[0] in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert names(project) == [(1, "Hamper"), (2, "Car"), (3, "Radio")]


def final_plan_refusal(prize, verb):
    return (
        f"The lottery plan of prize 1 (Bicycle) is final since "
        f"{date_format(prize.lottery_date)}, the day of its lottery, so you "
        f"cannot {verb}."
    )


@pytest.mark.parametrize("days", [0, -3])
def test_prize_with_a_final_plan_cannot_be_deleted(project, prize, days):
    state_plan(prize, date=later(days))

    with pytest.raises(ValidationError) as error:
        draws.delete_prize(prize=prize)

    assert error.value.messages == [final_plan_refusal(prize, "delete it")]
    assert draws.deletion_problem(prize) == final_plan_refusal(prize, "delete it")
    assert Prize.objects.filter(pk=prize.pk).count() == 1


@pytest.mark.parametrize("days", [0, -3])
def test_prize_with_a_final_plan_cannot_change_its_sets(
    project, raffle_set, prize, days
):
    state_plan(prize, date=later(days))

    with pytest.raises(ValidationError) as error:
        draws.update_prize(prize=prize, raffle_sets=[raffle_set])

    assert error.value.message_dict == {
        "raffle_sets": [final_plan_refusal(prize, "change its sets")]
    }
    assert list(prize.raffle_sets.all()) == []


def test_prize_whose_lottery_is_tomorrow_can_change_its_sets_and_go(
    project, raffle_set, prize
):
    state_plan(prize, date=later(1))

    draws.update_prize(prize=prize, raffle_sets=[raffle_set])
    sets = list(prize.raffle_sets.all())
    problem = draws.deletion_problem(prize)
    draws.delete_prize(prize=prize)

    assert (sets, problem) == ([raffle_set], None)
    assert Prize.objects.count() == 0


def test_drawn_prize_with_a_final_plan_is_refused_as_drawn(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001")
    draws.draw_random(prize=prize, actor=organizer)
    state_plan(prize, date=later(-1))

    assert draws.deletion_problem(prize) == (
        "Prize 1 (Bicycle) has been drawn, so you cannot delete it."
    )


def test_prize_list_offers_delete_only_after_the_last_drawn_prize(
    organizer_client, project, car_drawn_second
):
    page = organizer_client.get(reverse("raffles:prizes", args=[project.ref]))

    offered = [
        position
        for position in (1, 2, 3)
        if reverse("raffles:prize_delete", args=[project.ref, position])
        in page.content.decode()
    ]
    assert offered == [3]


def test_prize_list_offers_only_the_moves_allowed(
    organizer_client, project, car_drawn_second
):
    draws.create_prize(project=project, name="Kite")
    page = organizer_client.get(reverse("raffles:prizes", args=[project.ref]))

    assert [
        (prize.name, prize.can_move_up, prize.can_move_down)
        for prize in page.context["prizes"]
    ] == [
        ("Hamper", False, False),
        ("Car", False, False),
        ("Radio", False, True),
        ("Kite", True, False),
    ]
