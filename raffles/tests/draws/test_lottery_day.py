"""On a lottery's day, until its prize is drawn, its list cannot shrink.

The result may be known from that day on: releasing or refunding a number
the draw would list would choose the winner (no winner under `none`, the
next number under `next`).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from raffles import draws, services
from raffles.models import Draw, State
from raffles.tests.draws.helpers import sell, sell_earlier, state_plan
from raffles.tests.factories import RaffleSetFactory


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def refund(project, number):
    raffle = project.raffles.get(number=number)
    return services.refund_number(raffle=raffle, actor=project.owner, reason="Gone")


def release(project, number):
    raffle = project.raffles.get(number=number)
    return services.release_number(raffle=raffle, actor=project.owner)


def state_of(project, number):
    return project.raffles.get(number=number).state


def test_refund_of_a_number_the_lottery_may_pick_is_refused(
    project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, rule="none")

    with pytest.raises(ValidationError) as error:
        refund(project, 13)

    assert error.value.messages == [
        "Number 013 can still win prize 1 (Bicycle) by the lottery of "
        f"{date_format(prize.lottery_date)}, whose result may already be known, "
        "so you cannot refund it until the prize is drawn."
    ]
    assert state_of(project, 13) == State.PAID
    assert project.raffles.get(number=13).payments.filter(cleared_at=None).exists()


@pytest.mark.parametrize(
    ("include_reserved", "refused"), [(True, True), (False, False)]
)
def test_release_is_refused_only_when_reserved_numbers_can_win(
    project, raffle_set, buyer, prize, include_reserved, refused
):
    draws.set_draws_include_reserved(project=project, include_reserved=include_reserved)
    sell_earlier(project, buyer, "013")
    sell_earlier(project, buyer, "021", state="reserved")
    state_plan(prize)

    if refused:
        with pytest.raises(ValidationError) as error:
            release(project, 21)
        assert error.value.code == "plan_final"
    else:
        release(project, 21)

    expected = State.RESERVED if refused else State.AVAILABLE
    assert state_of(project, 21) == expected


def test_numbers_outside_the_lottery_list_can_still_leave(
    project, raffle_set, buyer, prize
):
    other = RaffleSetFactory(project=project, name="Online", first_number=100)
    sell_earlier(project, buyer, "013, 150")
    sell(project, buyer, "040")
    draws.update_prize(prize=prize, raffle_sets=[raffle_set])
    state_plan(prize)

    refund(project, 40)  # sold on the lottery's day: left out of its list
    refund(project, 150)  # in a set the prize does not draw from

    assert (state_of(project, 40), state_of(project, 150)) == (State.AVAILABLE,) * 2
    assert other.raffles.filter(state=State.AVAILABLE).count() == other.quantity


@pytest.mark.parametrize("when", ["before the lottery's day", "once drawn"])
def test_refund_is_allowed_before_the_lottery_day_and_after_the_draw(
    project, raffle_set, buyer, prize, organizer, when
):
    sell_earlier(project, buyer, "013, 077")
    if when == "once drawn":
        state_plan(prize, rule="none")
        draws.draw_lottery(prize=prize, actor=organizer, result="5013", source="TV")
    else:
        state_plan(prize, date=days_from_today(1))

    refund(project, 77)

    assert state_of(project, 77) == State.AVAILABLE


def test_number_page_shows_the_refusal_next_to_the_form(
    organizer_client, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize)
    url = reverse("raffles:number_refund", args=[project.ref, 13])

    response = organizer_client.post(url, {"reason": "Changed mind"})

    assert response.status_code == 200
    assert "until the prize is drawn" in response.content.decode()
    assert state_of(project, 13) == State.PAID


def test_api_refund_answers_400_with_the_reason(
    organizer_api, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize)

    response = organizer_api.post(
        f"/api/projects/{project.ref}/numbers/013/refund/",
        {"reason": "Changed mind"},
        format="json",
    )

    assert response.status_code == 400
    assert "until the prize is drawn" in response.json()["detail"]
    assert state_of(project, 13) == State.PAID


def drawn_days_ago(prize, days):
    """Date the prize's draws `days` back (records refuse updates otherwise)."""
    Draw._base_manager.filter(prize=prize).update(
        drawn_at=F("drawn_at") - datetime.timedelta(days=days)
    )


@pytest.fixture
def redraw_day(project, raffle_set, buyer, prize, organizer):
    """Prize drawn by the lottery of ten days ago (013 won, unreachable); the
    plan of today's lottery, stated a week ago, is for its redraw."""
    sell_earlier(project, buyer, "013, 050", days=40)
    state_plan(prize, rule="next", date=days_from_today(-10))
    draws.draw_lottery(prize=prize, actor=organizer, result="4013", source="TV")
    drawn_days_ago(prize, 10)
    return state_plan(prize, rule="next", ahead=7)


def test_a_redraw_by_a_later_lottery_waits_like_a_first_draw(redraw_day, project):
    prize = redraw_day

    assert draws.plan_is_final(prize)
    with pytest.raises(ValidationError) as error:
        refund(project, 50)
    assert error.value.code == "plan_final"
    with pytest.raises(ValidationError) as error:
        draws.update_prize(prize=prize, lottery="", lottery_date=None, unsold_rule="")
    assert {e.code for e in error.value.error_dict["lottery"]} == {"plan_final"}
    assert state_of(project, 50) == State.PAID


def test_the_earlier_winner_can_leave_on_the_redraw_day(redraw_day, project):
    """The redraw cannot fall on 013 again, so its refund steers nothing."""
    refund(project, 13)

    assert state_of(project, 13) == State.AVAILABLE


def test_once_redrawn_the_numbers_can_leave_again(redraw_day, project, organizer):
    draws.redraw(
        prize=redraw_day,
        actor=organizer,
        reason="Unreachable",
        method="lottery",
        result="7050",
        source="TV",
    )

    refund(project, 50)

    assert not draws.plan_is_final(redraw_day)
    assert state_of(project, 50) == State.AVAILABLE


@pytest.mark.parametrize(
    ("state", "verb", "action"),
    [("paid", "refund", "number_refund"), ("reserved", "release", "number_release")],
)
def test_number_pages_say_why_up_front_instead_of_offering_the_move(
    organizer_client, project, raffle_set, buyer, prize, state, verb, action
):
    draws.set_draws_include_reserved(project=project, include_reserved=True)
    sell_earlier(project, buyer, "013", state=state)
    state_plan(prize)
    move_url = reverse(f"raffles:{action}", args=[project.ref, "013"])

    number = organizer_client.get(
        reverse("raffles:number_detail", args=[project.ref, "013"])
    )
    confirm = organizer_client.get(move_url).content.decode()

    reason = f"so you cannot {verb} it until the prize is drawn."
    assert reason in number.content.decode()
    assert f'href="{move_url}"' not in number.content.decode()
    assert reason in confirm
    assert 'type="submit"' not in confirm.split("</header>")[-1]


def test_number_page_offers_the_move_when_no_lottery_waits(
    organizer_client, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, date=days_from_today(1))

    page = organizer_client.get(
        reverse("raffles:number_detail", args=[project.ref, "013"])
    )

    assert reverse("raffles:number_refund", args=[project.ref, "013"]) in (
        page.content.decode()
    )
    assert 'id="cannot-leave"' not in page.content.decode()


# Other prizes' draws while a prize waits for its lottery


@pytest.fixture
def waiting(project, raffle_set, buyer, organizer):
    """Prize 1 drawn by hand later, prize 2 waiting for today's lottery.

    The reviewer's case: once the result 4013 is known, a number drawn by
    hand for prize 1 (013) would push prize 2 to the next number (077).
    """
    first = draws.create_prize(project=project, name="First")
    second = draws.create_prize(project=project, name="Second")
    sell_earlier(project, buyer, "013, 077")
    state_plan(second, rule="next")
    return first, second


def waiting_message(second, drawn):
    return (
        "Prize 2 (Second) waits for the lottery of "
        f"{date_format(second.lottery_date)}, whose result may already be known, "
        f"and {drawn} could change who wins it. Draw prize 2 (Second) first, "
    )


def test_a_number_drawn_by_hand_cannot_steer_a_waiting_lottery(waiting, organizer):
    first, second = waiting

    with pytest.raises(ValidationError) as error:
        draws.draw_manual(prize=first, actor=organizer, number="013")

    assert error.value.messages[0].startswith(
        waiting_message(second, "a number drawn by hand")
    )
    assert not Draw.objects.exists()
    draw = draws.draw_lottery(prize=second, actor=organizer, result="4013", source="TV")
    assert draw.winner_label == "013"


def test_a_redraw_cannot_put_a_winner_back_into_a_waiting_lottery(
    project, raffle_set, buyer, organizer
):
    first = draws.create_prize(project=project, name="First")
    second = draws.create_prize(project=project, name="Second")
    sell_earlier(project, buyer, "013, 077")
    draws.draw_manual(prize=first, actor=organizer, number="013")
    state_plan(second, rule="next")

    with pytest.raises(ValidationError) as error:
        draws.redraw(
            prize=first, actor=organizer, reason="Unreachable", method="random"
        )

    assert error.value.messages[0].startswith(
        waiting_message(second, "a redraw of this prize")
    )
    assert Draw.objects.count() == 1


def test_random_and_lottery_draws_of_other_prizes_stay_open(
    waiting, project, organizer
):
    first, second = waiting
    third = draws.create_prize(project=project, name="Third")
    state_plan(third, rule="next")

    random = draws.draw_random(prize=first, actor=organizer)
    lottery = draws.draw_lottery(
        prize=third, actor=organizer, result="4077", source="TV"
    )

    # Rule `next`: 077, or 013 when the random draw took 077 first.
    assert lottery.winner_label == ("013" if random.winner_label == "077" else "077")


def test_once_the_waiting_prize_is_drawn_any_draw_is_open(
    waiting, project, buyer, organizer
):
    first, second = waiting
    sell(project, buyer, "050")
    draws.draw_lottery(prize=second, actor=organizer, result="4013", source="TV")

    draw = draws.draw_manual(prize=first, actor=organizer, number="077")

    assert draw.winner_label == "077"
    redraw = draws.redraw(
        prize=first, actor=organizer, reason="Unreachable", method="random"
    )
    assert redraw.winner_label == "050"


@pytest.fixture
def apart(project, raffle_set, buyer, organizer):
    """Prize 1 draws from an online set only; prize 2, from the paper set,
    waits for today's lottery: no number can be on both lists."""
    online = RaffleSetFactory(project=project, name="Online", first_number=500)
    first = draws.create_prize(project=project, name="First", raffle_sets=[online])
    second = draws.create_prize(
        project=project, name="Second", raffle_sets=[raffle_set]
    )
    sell_earlier(project, buyer, "013, 077, 550, 560")
    state_plan(second, rule="next")
    return first, second


def test_a_number_drawn_by_hand_outside_the_waiting_list_is_recorded(apart, organizer):
    first, second = apart

    draw = draws.draw_manual(prize=first, actor=organizer, number="550")

    assert draw.winner_label == "550"
    assert (
        draws.draw_lottery(
            prize=second, actor=organizer, result="4013", source="TV"
        ).winner_label
        == "013"
    )


def test_a_number_sold_on_the_lottery_day_can_be_drawn_by_hand(
    waiting, project, buyer, organizer
):
    """Left out of the waiting prize's list, it steers nothing."""
    first, second = waiting
    sell(project, buyer, "040")

    draw = draws.draw_manual(prize=first, actor=organizer, number="040")

    assert draw.winner_label == "040"


def test_a_redraw_whose_winner_cannot_return_to_the_waiting_list_is_open(
    apart, organizer
):
    first, second = apart
    draws.draw_manual(prize=first, actor=organizer, number="550")

    redraw = draws.redraw(
        prize=first,
        actor=organizer,
        reason="Unreachable",
        method="manual",
        number="560",
    )

    assert redraw.winner_label == "560"


def test_draw_page_offers_a_manual_draw_when_the_lists_cannot_meet(
    organizer_client, apart, project
):
    first, second = apart
    url = reverse("raffles:draw_prize", args=[project.ref, first.position])

    html = organizer_client.get(url).content.decode()
    response = organizer_client.post(url, {"method": "manual", "manual-number": "560"})

    assert 'value="manual"' in html
    assert "waits for the lottery of" not in html
    assert response.status_code == 302
    assert Draw.objects.get().winner_label == "560"


def test_the_web_names_the_waiting_prize_when_the_typed_number_could_steer_it(
    organizer_client, project, raffle_set, buyer
):
    """Prize 1 draws from every set, so the page offers a manual draw only
    with the warning; the refusal comes from the number typed."""
    online = RaffleSetFactory(project=project, name="Online", first_number=500)
    first = draws.create_prize(project=project, name="First")
    second = draws.create_prize(project=project, name="Second", raffle_sets=[online])
    sell_earlier(project, buyer, "013, 550")
    state_plan(second, rule="next")

    draw = draws.draw_manual(prize=first, actor=project.owner, number="013")
    with pytest.raises(ValidationError) as error:
        draws.redraw(
            prize=first,
            actor=project.owner,
            reason="Unreachable",
            method="manual",
            number="550",
        )

    assert draw.winner_label == "013"
    assert error.value.code == "lottery_waiting"
    assert Draw.objects.count() == 1


def test_withdrawing_the_waiting_plan_opens_manual_draws(waiting, organizer):
    first, second = waiting
    draws.withdraw_plan(prize=second, actor=organizer, reason="Postponed")

    assert draws.draw_manual(prize=first, actor=organizer, number="013")


def test_draw_page_says_why_before_offering_a_manual_draw(
    organizer_client, waiting, project
):
    first, second = waiting
    url = reverse("raffles:draw_prize", args=[project.ref, first.position])

    html = organizer_client.get(url).content.decode()

    assert 'value="manual"' not in html
    assert 'value="random"' in html
    assert "waits for the lottery of" in html
    response = organizer_client.post(url, {"method": "manual", "manual-number": "13"})
    assert response.status_code == 400
    assert not Draw.objects.exists()


def test_redraw_page_says_why_instead_of_offering_methods(
    organizer_client, project, raffle_set, buyer, organizer
):
    first = draws.create_prize(project=project, name="First")
    second = draws.create_prize(project=project, name="Second")
    sell_earlier(project, buyer, "013, 077")
    draws.draw_random(prize=first, actor=organizer)
    state_plan(second)
    url = reverse("raffles:draw_prize", args=[project.ref, first.position])

    html = organizer_client.get(url).content.decode()

    assert 'name="method"' not in html
    assert "a redraw of this prize could change who wins it" in html


def test_api_refuses_a_manual_draw_while_a_lottery_waits(
    organizer_api, waiting, project
):
    response = organizer_api.post(
        f"/api/projects/{project.ref}/prizes/1/draw/",
        {"method": "manual", "number": "013"},
        format="json",
    )

    assert response.status_code == 400
    assert "Draw prize 2 (Second) first" in response.json()["detail"]
    assert not Draw.objects.exists()


def test_once_drawn_by_its_plan_the_page_counts_no_number_as_late(
    organizer_client, project, raffle_set, buyer, prize, organizer
):
    """A redraw cannot use the lottery it was drawn by: it needs the plan of
    a later lottery, or none, and leaves out nothing sold on the first one's
    day."""
    sell_earlier(project, buyer, "013, 050, 077")
    state_plan(prize, rule="none")
    sell(project, buyer, "040")  # on the lottery's day: left out of its list
    drawn = draws.draw_lottery(prize=prize, actor=organizer, result="5013", source="TV")
    url = reverse("raffles:draw_prize", args=[project.ref, prize.position])
    draws_url = reverse("raffles:draws", args=[project.ref])

    response = organizer_client.get(url)
    draws_page = organizer_client.get(draws_url)
    draws.update_prize(prize=prize, lottery="", lottery_date=None, unsold_rule="")
    redrawn = draws.redraw(
        prize=prize, actor=organizer, reason="Unreachable", method="random"
    )

    assert (drawn.eligible_count, drawn.late_count) == (3, 1)
    assert response.context["eligible_count"] == 3  # 040, 050, 077
    assert response.context["late_count"] is None
    assert "Left out of this draw" not in response.content.decode()
    assert draws_page.context["prizes"][0].eligible_count == 3
    assert redrawn.eligible_count == 3
    assert redrawn.winner_label in {"040", "050", "077"}


def test_draws_page_says_how_many_numbers_the_lottery_leaves_out(
    organizer_client, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013, 050, 077")
    state_plan(prize, rule="none")
    sell(project, buyer, "040, 041")  # on the lottery's day

    response = organizer_client.get(reverse("raffles:draws", args=[project.ref]))

    text = " ".join(response.content.decode().split())
    assert "3 numbers are eligible now." in text
    assert (
        "Left out of its lottery draw: 2 numbers paid in full on or after "
        f"{date_format(prize.lottery_date)}, the day of the lottery"
    ) in text
