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
