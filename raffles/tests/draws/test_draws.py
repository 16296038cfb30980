"""Draw services: eligibility, the three methods, finality and redraws."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draw_selectors, draws
from raffles.models import Draw, DrawListPart, Prize, RaffleEvent
from raffles.tests.draws.helpers import (
    half_pay,
    refund,
    sell,
    sell_earlier,
    state_plan,
)
from raffles.tests.factories import RaffleSetFactory
from rafflesite.lib import draws as algorithm


def d1_project(organizer, buyer, name="D1"):
    """001 paid; 002 reserved; 003 paid then refunded; 004 available."""
    project = ProjectFactory(owner=organizer, name=name)
    RaffleSetFactory(project=project, first_number=1, quantity=4, padding=3)
    sell(project, buyer, "001")
    sell(project, buyer, "002", state="reserved")
    sell(project, buyer, "003")
    refund(project, 3)
    return project


# Eligibility


def test_d1_only_the_paid_number_can_win(organizer, buyer):
    winners = set()
    for round_ in range(5):
        project = d1_project(organizer, buyer, name=f"D1 round {round_}")
        prize = draws.create_prize(project=project, name="Bicycle")

        draw = draws.draw_random(prize=prize, actor=organizer)

        winners.add(draw.winner_label)
        assert draw_selectors.frozen_list(draw) == (["001"], [])
        assert draw.eligible_count == 1
    seeds = [hashlib.sha256(f"d1-{i}".encode()).hexdigest() for i in range(500)]
    assert {algorithm.random_winner(seed, ["001"]) for seed in seeds} == {"001"}
    assert winners == {"001"}


def test_reserved_numbers_are_eligible_and_marked_when_the_project_allows(
    organizer, buyer
):
    project = d1_project(organizer, buyer)
    draws.set_draws_include_reserved(project=project, include_reserved=True)
    prize = draws.create_prize(project=project, name="Bicycle")

    draw = draws.draw_manual(prize=prize, actor=organizer, number="2")

    assert draw_selectors.frozen_list(draw) == (["001", "002"], ["002"])
    assert (draw.winner_label, draw.winner_reserved, draw.includes_reserved) == (
        "002",
        True,
        True,
    )


def test_partly_paid_number_is_reserved_so_not_eligible_by_default(
    project, raffle_set, buyer, prize
):
    sell(project, buyer, "010", state="reserved")
    half_pay(project, 10)
    sell(project, buyer, "011")

    assert draws.eligible_labels(prize) == ["011"]


def test_prize_limited_to_sets_draws_only_from_them(organizer, project, buyer):
    first = RaffleSetFactory(project=project, name="A", quantity=100, padding=3)
    second = RaffleSetFactory(project=project, name="B", first_number=100)
    sell(project, buyer, "005, 150, 160")

    prize = draws.create_prize(project=project, name="Car", raffle_sets=[second])

    assert draws.eligible_labels(prize) == ["150", "160"]
    assert first.padding == second.padding == 3


def test_labels_keep_each_sets_padding_and_numeric_order(organizer, project, buyer):
    RaffleSetFactory(project=project, name="A", quantity=1000)
    RaffleSetFactory(project=project, name="B", first_number=1000, quantity=10)
    sell(project, buyer, "7, 999, 1000, 1005")
    prize = draws.create_prize(project=project, name="Car")

    assert draws.eligible_labels(prize) == ["007", "999", "1000", "1005"]


def test_a_number_wins_at_most_one_prize(project, raffle_set, buyer, organizer):
    sell(project, buyer, "001, 002")
    prizes = [
        draws.create_prize(project=project, name=name)
        for name in ("Car", "Bicycle", "Hamper")
    ]

    first = draws.draw_random(prize=prizes[0], actor=organizer)
    second = draws.draw_random(prize=prizes[1], actor=organizer)
    with pytest.raises(ValidationError) as error:
        draws.draw_random(prize=prizes[2], actor=organizer)

    assert {first.winner_label, second.winner_label} == {"001", "002"}
    assert error.value.messages == [
        "No number can win prize 3 (Hamper): none is eligible."
    ]
    assert Draw.objects.filter(prize=prizes[2]).count() == 0


def test_draw_refuses_zero_eligible_numbers(project, raffle_set, prize, organizer):
    with pytest.raises(ValidationError) as error:
        draws.draw_random(prize=prize, actor=organizer)

    assert error.value.code == "empty"
    assert Draw.objects.count() == 0
    assert DrawListPart.objects.count() == 0


def test_eligible_counts_agree_with_the_lists(organizer, project, buyer):
    first = RaffleSetFactory(project=project, name="A", quantity=100, padding=3)
    second = RaffleSetFactory(project=project, name="B", first_number=100)
    sell(project, buyer, "001-006, 100-104")
    sell(project, buyer, "007, 105", state="reserved")
    draws.set_draws_include_reserved(project=project, include_reserved=True)
    prizes = [
        draws.create_prize(project=project, name="All"),
        draws.create_prize(project=project, name="A only", raffle_sets=[first]),
        draws.create_prize(project=project, name="B only", raffle_sets=[second]),
    ]
    draws.draw_manual(prize=prizes[0], actor=organizer, number="003")
    draws.draw_manual(prize=prizes[2], actor=organizer, number="105")
    refund(project, 100)

    pairs = draw_selectors.eligible_counts(project, draw_selectors.prizes_of(project))

    counts = {pk: eligible for pk, (eligible, _late) in pairs.items()}

    assert counts == {prize.pk: len(draws.eligible_labels(prize)) for prize in prizes}
    assert [counts[prize.pk] for prize in prizes] == [10, 6, 4]


def test_include_reserved_is_fixed_once_a_prize_is_drawn(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001")
    draws.draw_random(prize=prize, actor=organizer)

    with pytest.raises(ValidationError) as error:
        draws.set_draws_include_reserved(project=project, include_reserved=True)

    project.refresh_from_db()
    assert list(error.value.message_dict) == ["draws_include_reserved"]
    assert project.draws_include_reserved is False


@pytest.mark.parametrize("include_reserved", [True, False])
def test_include_reserved_is_fixed_while_a_lottery_plan_is_final(
    project, raffle_set, prize, include_reserved
):
    draws.create_prize(project=project, name="Car")
    state_plan(prize, date=days_ago(1))

    with pytest.raises(ValidationError) as error:
        draws.set_draws_include_reserved(
            project=project, include_reserved=include_reserved
        )

    project.refresh_from_db()
    assert error.value.message_dict == {
        "draws_include_reserved": [
            "The lottery plan of prize 1 (Bicycle) is final since "
            f"{date_format(days_ago(1))}, the day of its lottery, so who can win "
            "can no longer change."
        ]
    }
    assert project.draws_include_reserved is False


def test_include_reserved_can_change_until_the_lottery_day(project, raffle_set, prize):
    state_plan(prize, date=timezone.localdate() + datetime.timedelta(days=1))

    draws.set_draws_include_reserved(project=project, include_reserved=True)

    project.refresh_from_db()
    assert project.draws_include_reserved is True


# Random draws


def test_random_draw_records_everything_needed_to_recheck_it(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "003, 010, 042, 077")

    draw = draws.draw_random(prize=prize, actor=organizer)

    labels, reserved = draw_selectors.frozen_list(draw)
    assert labels == ["003", "010", "042", "077"]
    assert reserved == []
    assert draw.list_sha256 == algorithm.list_sha256(labels)
    assert algorithm.check_seed(draw.seed) == draw.seed
    assert (draw.algorithm, draw.algorithm_version) == ("hmac-sha256-rejection", 1)
    assert draw.winner_label == algorithm.random_winner(draw.seed, labels)
    assert draw.winner.number == int(draw.winner_label)
    assert (draw.winner_name, draw.winner_buyer) == ("Ana 😀 Gómez", buyer)
    assert (draw.sequence, draw.is_current, draw.method) == (1, True, "random")
    assert (draw.drawn_by, draw.prize_name, draw.reason) == (organizer, "Bicycle", "")
    assert len(draw.token) >= 32


def test_d2_a_draw_is_final_and_checkable(project, raffle_set, buyer, prize, organizer):
    sell(project, buyer, "001-050")
    draw = draws.draw_random(prize=prize, actor=organizer)

    reloaded = Draw.objects.get(pk=draw.pk)
    with pytest.raises(draws.AlreadyDrawn) as error:
        draws.draw_random(prize=prize, actor=organizer)
    again = Draw.objects.get(pk=draw.pk)

    assert "A new draw is only possible as a redraw with a reason." in str(error.value)
    assert Draw.objects.filter(prize=prize).count() == 1
    assert (again.winner_label, again.seed, again.list_sha256) == (
        reloaded.winner_label,
        reloaded.seed,
        reloaded.list_sha256,
    )
    labels, _reserved = draw_selectors.frozen_list(again)
    assert algorithm.random_winner(again.seed, labels) == again.winner_label


@pytest.mark.parametrize("method", ["random", "manual", "lottery"])
def test_every_method_refuses_a_second_draw(
    project, raffle_set, buyer, prize, organizer, method
):
    sell_earlier(project, buyer, "001-005")
    state_plan(prize, date=timezone.localdate() - datetime.timedelta(days=1))
    draws.draw_lottery(prize=prize, actor=organizer, result="4001", source="TV")
    details = {
        "random": {},
        "manual": {"number": "002"},
        "lottery": {"result": "4003", "source": "https://lottery.example/results"},
    }[method]

    with pytest.raises(draws.AlreadyDrawn):
        draws.draw_prize(prize=prize, actor=organizer, method=method, **details)

    assert Draw.objects.filter(prize=prize).count() == 1


def test_list_of_many_numbers_is_stored_in_parts(
    project, raffle_set, buyer, prize, organizer, monkeypatch
):
    monkeypatch.setattr(DrawListPart, "PART_SIZE", 4)
    sell(project, buyer, "000-009")
    sell(project, buyer, "010-012", state="reserved")
    draws.set_draws_include_reserved(project=project, include_reserved=True)

    draw = draws.draw_random(prize=prize, actor=organizer)

    parts = list(draw.list_parts.values_list("index", "labels", "reserved"))
    assert parts == [
        (0, "000\n001\n002\n003\n", ""),
        (1, "004\n005\n006\n007\n", ""),
        (2, "008\n009\n010\n011\n", "010\n011\n"),
        (3, "012\n", "012\n"),
    ]
    assert draw_selectors.frozen_list_bytes(draw) == algorithm.list_bytes(
        [f"{n:03d}" for n in range(13)]
    )


# Redraws


def test_redraw_keeps_the_first_draw_and_excludes_its_winner(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002")
    first = draws.draw_random(prize=prize, actor=organizer)

    second = draws.redraw(
        prize=prize,
        actor=organizer,
        reason="Winner unreachable for a week",
        method="random",
    )

    first.refresh_from_db()
    assert (first.is_current, first.winner_label) == (False, first.winner_label)
    assert (second.sequence, second.is_current) == (2, True)
    assert second.reason == "Winner unreachable for a week"
    assert second.winner_label != first.winner_label
    assert draw_selectors.frozen_list(second)[0] == [second.winner_label]
    assert Draw.objects.filter(prize=prize).count() == 2


def test_second_redraw_leaves_out_every_earlier_winner_of_the_prize(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002, 003")
    draws.draw_manual(prize=prize, actor=organizer, number="001")
    redraw = {"prize": prize, "actor": organizer, "reason": "Unreachable"}
    draws.redraw(method="manual", number="002", **redraw)

    with pytest.raises(ValidationError) as first_winner:
        draws.redraw(method="manual", number="001", **redraw)
    third = draws.redraw(method="random", **redraw)

    assert first_winner.value.message_dict == {
        "number": ["Number 001 won an earlier draw of this prize."]
    }
    assert draw_selectors.frozen_list(third)[0] == ["003"]
    assert (third.sequence, third.winner_label) == (3, "003")


def test_redraw_needs_a_reason_and_an_earlier_draw(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002")

    with pytest.raises(ValidationError) as not_drawn:
        draws.redraw(prize=prize, actor=organizer, reason="x", method="random")
    draws.draw_random(prize=prize, actor=organizer)
    with pytest.raises(ValidationError) as no_reason:
        draws.redraw(prize=prize, actor=organizer, reason="  ", method="random")

    assert not_drawn.value.message_dict == {
        "reason": ["Prize 1 (Bicycle) has not been drawn yet."]
    }
    assert no_reason.value.message_dict == {
        "reason": ["Say why the prize is drawn again."]
    }
    assert Draw.objects.count() == 1


def test_redraw_of_an_ineligible_winner_after_a_refund(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002, 003")
    first = draws.draw_manual(prize=prize, actor=organizer, number="002")
    refund(project, 2)

    second = draws.redraw(
        prize=prize,
        actor=organizer,
        reason="Payment bounced",
        method="manual",
        number="003",
    )

    assert draw_selectors.frozen_list(second)[0] == ["001", "003"]
    assert second.winner_label == "003"
    assert Draw.objects.get(pk=first.pk).winner_label == "002"


def test_database_refuses_two_standing_draws_of_one_prize(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002")
    draw = draws.draw_manual(prize=prize, actor=organizer, number="001")
    copy = Draw.objects.get(pk=draw.pk)
    copy.pk = None
    copy.sequence = 2
    copy.reason = "copy"
    copy.token = "another-token"
    copy.current_winner = None

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_database_refuses_one_number_standing_for_two_prizes(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002")
    other = draws.create_prize(project=project, name="Hamper")
    draw = draws.draw_manual(prize=prize, actor=organizer, number="001")
    copy = Draw.objects.get(pk=draw.pk)
    copy.pk = None
    copy.prize = other
    copy.current_prize = other
    copy.token = "another-token"

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


# Manual draws


@pytest.mark.parametrize("typed", ["42", "042", " 42 ", 42])
def test_manual_draw_takes_the_number_typed_with_or_without_zeros(
    project, raffle_set, buyer, prize, organizer, typed
):
    sell(project, buyer, "041, 042")

    draw = draws.draw_manual(prize=prize, actor=organizer, number=typed)

    assert (draw.winner_label, draw.method, draw.seed) == ("042", "manual", "")
    assert draw_selectors.frozen_list(draw)[0] == ["041", "042"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0042", "Number 0042 is not in this project."),
        ("500", "Number 500 is not in this project."),
        ("043", "Number 043 is reserved, so it cannot win."),
        ("044", "Number 044 is available, so it cannot win."),
        ("041", "Number 041 has already won a prize of this project."),
        ("4a", "Type the number drawn, e.g. 007."),
        ("²", "Type the number drawn, e.g. 007."),
        ("٤١", "Type the number drawn, e.g. 007."),
        ("٣", "Type the number drawn, e.g. 007."),
        ("1.5", "Type the number drawn, e.g. 007."),
        ("-1", "Type the number drawn, e.g. 007."),
        ("", "Type the number drawn, e.g. 007."),
    ],
)
def test_manual_draw_refuses_an_ineligible_number(
    project, raffle_set, buyer, prize, organizer, typed, message
):
    sell(project, buyer, "041, 042")
    sell(project, buyer, "043", state="reserved")
    other = draws.create_prize(project=project, name="Hamper")
    draws.draw_manual(prize=other, actor=organizer, number="041")

    with pytest.raises(ValidationError) as error:
        draws.draw_manual(prize=prize, actor=organizer, number=typed)

    assert error.value.message_dict == {"number": [message]}
    assert Draw.objects.filter(prize=prize).count() == 0


def test_manual_draw_refuses_a_number_outside_the_prizes_sets(
    organizer, project, buyer
):
    RaffleSetFactory(project=project, name="A", quantity=100, padding=3)
    second = RaffleSetFactory(project=project, name="B", first_number=100)
    sell(project, buyer, "005, 150")
    prize = draws.create_prize(project=project, name="Car", raffle_sets=[second])

    with pytest.raises(ValidationError) as error:
        draws.draw_manual(prize=prize, actor=organizer, number="5")

    assert error.value.message_dict == {
        "number": ["Number 005 is not in the sets of this prize."]
    }


# Lottery draws


SOURCE = "https://lottery.example/2027-06-20"


def lottery_project(organizer, buyer, padding):
    """A set of 10**padding numbers with 3 of them paid: ...13, ...40, ...77."""
    project = ProjectFactory(owner=organizer, name=f"Padding {padding}")
    RaffleSetFactory(project=project, quantity=10**padding)
    sold = [str(n).zfill(padding) for n in (13, 40, 77)]
    sell_earlier(project, buyer, ", ".join(sold))
    return project, sold


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("padding", "result", "winner"),
    [(2, "48213", "13"), (3, "48013", "013"), (4, "40077", "0077")],
)
def test_lottery_winner_matches_the_last_digits(
    organizer, buyer, padding, result, winner
):
    project, _sold = lottery_project(organizer, buyer, padding)
    prize = state_plan(draws.create_prize(project=project, name="Car"))

    draw = draws.draw_lottery(
        prize=prize, actor=organizer, result=result, source=SOURCE
    )

    assert (draw.winner_label, draw.lottery_number) == (winner, winner)
    assert (draw.lottery_digits, draw.lottery_result) == (padding, result)


@pytest.mark.parametrize(
    ("padding", "result", "rule", "target", "winner"),
    [
        (2, "99950", "none", "50", None),
        (2, "99950", "next", "50", "77"),
        (2, "99999", "next", "99", "13"),
        (3, "99050", "none", "050", None),
        (3, "99050", "next", "050", "077"),
        (3, "99978", "next", "978", "013"),
        (4, "90050", "none", "0050", None),
        (4, "90050", "next", "0050", "0077"),
        (4, "09999", "next", "9999", "0013"),
    ],
)
def test_lottery_unsold_result_follows_the_stated_rule(
    organizer, buyer, padding, result, rule, target, winner
):
    project, _sold = lottery_project(organizer, buyer, padding)
    prize = draws.create_prize(project=project, name="Car")
    state_plan(prize, rule=rule)

    draw = draws.draw_lottery(
        prize=prize, actor=organizer, result=result, source=SOURCE
    )

    assert (draw.lottery_number, draw.winner_label or None) == (target, winner)
    assert draw.winner_id is None if winner is None else draw.winner_id
    assert (draw.unsold_rule, draw.is_current) == (rule, True)


def test_lottery_compares_the_widest_padding_of_the_project(organizer, buyer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, name="A", quantity=1000)
    RaffleSetFactory(project=project, name="B", first_number=1000, quantity=10)
    sell_earlier(project, buyer, "007, 1003")
    prize = state_plan(draws.create_prize(project=project, name="Car"))

    draw = draws.draw_lottery(
        prize=prize, actor=organizer, result="5550007", source=SOURCE
    )

    assert (draw.lottery_digits, draw.lottery_number, draw.winner_label) == (
        4,
        "0007",
        "007",
    )


def test_lottery_result_of_an_earlier_winner_counts_as_not_eligible(organizer, buyer):
    project, _sold = lottery_project(organizer, buyer, 3)
    first = state_plan(draws.create_prize(project=project, name="Car"))
    second = draws.create_prize(project=project, name="Bicycle")
    state_plan(second, rule="next")
    draws.draw_lottery(prize=first, actor=organizer, result="1040", source=SOURCE)

    draw = draws.draw_lottery(
        prize=second, actor=organizer, result="2040", source=SOURCE
    )

    assert (draw.lottery_number, draw.winner_label) == ("040", "077")


def test_lottery_refuses_a_result_with_too_few_digits(organizer, buyer):
    project, _sold = lottery_project(organizer, buyer, 3)
    prize = state_plan(draws.create_prize(project=project, name="Car"))

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="13", source=SOURCE)

    assert error.value.message_dict == {
        "result": ["Type the official result with at least 3 digits."]
    }
    assert Draw.objects.count() == 0


def test_lottery_refuses_a_result_with_letters(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "001")
    state_plan(prize)

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="48O13", source=SOURCE)

    assert error.value.message_dict == {
        "result": ["Type the official result with digits only."]
    }


def test_lottery_refuses_a_missing_result_and_source(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "001")
    state_plan(prize)

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="", source=" ")

    assert error.value.message_dict == {
        "result": ["Type the official result."],
        "source": ["Say where the official result was published."],
    }


def test_lottery_draw_needs_a_plan_stated_on_the_prize(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "013")

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(
            prize=prize,
            actor=organizer,
            result="4013",
            source=SOURCE,
            lottery="National Lottery",
            unsold_rule="none",
            lottery_date=timezone.localdate(),
        )

    assert error.value.messages == [
        "State the lottery plan on prize 1 (Bicycle) first: the lottery, its "
        "date and the rule for an unsold number, before the lottery's day."
    ]
    assert error.value.code == "no_plan"
    assert Draw.objects.count() == 0


def test_lottery_draw_copies_the_plan_and_when_it_was_stated(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, lottery="National Lottery", rule="next", date=days_ago(2))

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="4050", source="TV")

    assert (draw.lottery, draw.lottery_date, draw.unsold_rule) == (
        "National Lottery",
        days_ago(2),
        "next",
    )
    assert (draw.winner_label, draw.lottery_source) == ("077", "TV")
    assert draw.rule_stated_at == prize.lottery_stated_at
    assert draw.plan_days_ahead == 7


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("lottery", "Another Lottery", "National Lottery"),
        ("unsold_rule", "none", "next"),
        ("lottery_date", datetime.date(2020, 1, 1), "Dec. 1, 2026"),
    ],
)
def test_lottery_draw_refuses_a_plan_other_than_the_stated_one(
    project, raffle_set, buyer, prize, organizer, field, value, shown
):
    sell_earlier(project, buyer, "013")
    state_plan(
        prize, lottery="National Lottery", rule="next", date=datetime.date(2026, 12, 1)
    )

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(
            prize=prize, actor=organizer, result="4013", source="TV", **{field: value}
        )

    assert error.value.message_dict == {
        field: [
            f"Prize 1 (Bicycle) was announced with “{shown}”; the draw must keep to it."
        ]
    }
    assert Draw.objects.count() == 0


def test_lottery_draw_takes_the_plan_repeated_with_the_result(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, lottery="National Lottery", rule="next")

    draw = draws.draw_lottery(
        prize=prize,
        actor=organizer,
        result="4013",
        source="TV",
        lottery=" National  Lottery ",
        unsold_rule="next",
        lottery_date=timezone.localdate(),
    )

    assert (draw.lottery, draw.winner_label) == ("National Lottery", "013")


def test_lottery_result_cannot_come_before_the_lottery_date(
    project, raffle_set, buyer, organizer
):
    sell_earlier(project, buyer, "013")
    day = timezone.localdate() + datetime.timedelta(days=3)
    prize = draws.create_prize(
        project=project,
        name="Car",
        lottery="National Lottery",
        lottery_date=day,
        unsold_rule="next",
    )

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="013", source="TV")

    assert error.value.message_dict == {
        "lottery_date": [
            f"The lottery is drawn on {date_format(day)}; its result cannot be "
            "known yet."
        ]
    }
    assert Draw.objects.count() == 0


@pytest.mark.parametrize("ahead", [0, -2])
def test_lottery_draw_refuses_a_plan_stated_from_the_lottery_day_on(
    project, raffle_set, buyer, prize, organizer, ahead
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, date=days_ago(3), ahead=ahead)

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="013", source="TV")

    stated = date_format(days_ago(3 + ahead))
    assert error.value.messages == [
        f"The lottery plan of prize 1 (Bicycle) was stated on {stated}, not "
        f"before the lottery of {date_format(days_ago(3))}. State the plan of a "
        "later lottery on the prize."
    ]
    assert Draw.objects.count() == 0


def test_lottery_redraw_needs_the_plan_of_a_later_lottery(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "013, 077, 090")
    state_plan(prize, rule="next", date=days_ago(3))
    first = draws.draw_lottery(prize=prize, actor=organizer, result="4013", source="TV")
    redraw = {"reason": "Unreachable", "method": "lottery", "source": "TV"}

    with pytest.raises(ValidationError) as same:
        draws.redraw(prize=prize, actor=organizer, result="4013", **redraw)
    state_plan(prize, lottery="Lotto", rule="none", date=days_ago(1), ahead=1)
    second = draws.redraw(prize=prize, actor=organizer, result="5077", **redraw)

    first.refresh_from_db()
    assert same.value.messages == [
        "A redraw of prize 1 (Bicycle) by lottery needs a lottery after "
        f"{date_format(days_ago(3))}, the day of its earlier draw or of the "
        "lottery it used. State the plan of a later lottery on the prize, before "
        "that lottery's day."
    ]
    assert (second.sequence, second.winner_label, second.lottery) == (2, "077", "Lotto")
    assert (second.lottery_date, second.plan_days_ahead) == (days_ago(1), 1)
    assert (first.lottery, first.lottery_date, first.unsold_rule) == (
        "National Lottery, first prize",
        days_ago(3),
        "next",
    )
    assert first.plan_days_ahead == 7


def test_lottery_redraw_needs_a_lottery_after_the_day_of_an_earlier_draw(
    project, raffle_set, buyer, prize, organizer
):
    sell_earlier(project, buyer, "013, 077")
    draws.draw_manual(prize=prize, actor=organizer, number="077")
    state_plan(prize)

    problem = draws.lottery_plan_problem(prize)
    with pytest.raises(ValidationError) as error:
        draws.redraw(
            prize=prize,
            actor=organizer,
            reason="Unreachable",
            method="lottery",
            result="4013",
            source="TV",
        )

    assert error.value.messages == [problem]
    assert problem.startswith(
        "A redraw of prize 1 (Bicycle) by lottery needs a lottery after "
        f"{date_format(timezone.localdate())}, the day of its earlier draw"
    )
    assert Draw.objects.count() == 1


def test_second_prize_may_follow_the_lotterys_second_result(organizer, buyer):
    project, _sold = lottery_project(organizer, buyer, 2)
    first = draws.create_prize(project=project, name="Car")
    second = draws.create_prize(project=project, name="Bicycle")
    state_plan(first, lottery="Lotto 1st")
    state_plan(second, lottery="Lotto 2nd")

    one = draws.draw_lottery(prize=first, actor=organizer, result="4413", source="TV")
    two = draws.draw_lottery(prize=second, actor=organizer, result="1277", source="TV")

    assert [one.winner_label, two.winner_label] == ["13", "77"]
    assert [one.lottery, two.lottery] == ["Lotto 1st", "Lotto 2nd"]
    assert Prize.objects.filter(current_draw__isnull=False).count() == 2


# Numbers sold once the lottery's result could be known


def late_project(organizer, buyer, *, include_reserved=False):
    """013 and 077 paid a month ago, a prize waiting for today's lottery."""
    project = ProjectFactory(owner=organizer, name="Late sales")
    RaffleSetFactory(project=project, quantity=100, padding=3)
    draws.set_draws_include_reserved(project=project, include_reserved=include_reserved)
    sell_earlier(project, buyer, "013, 077")
    return project, draws.create_prize(project=project, name="Car")


def frozen_labels(draw):
    return draw_selectors.frozen_list(draw)[0]


@pytest.mark.parametrize(("rule", "winner"), [("none", None), ("next", "077")])
def test_lottery_leaves_out_a_number_sold_on_the_lottery_day(
    organizer, buyer, rule, winner
):
    project, prize = late_project(organizer, buyer)
    sell(project, buyer, "040")
    state_plan(prize, rule=rule)

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="1040", source="TV")

    assert (draw.lottery_number, draw.winner_label or None) == ("040", winner)
    assert (frozen_labels(draw), draw.eligible_count, draw.late_count) == (
        ["013", "077"],
        2,
        1,
    )


def test_lottery_counts_a_resold_number_from_its_latest_sale(organizer, buyer):
    project, prize = late_project(organizer, buyer)
    sell_earlier(project, buyer, "040")
    refund(project, 40)
    sell(project, buyer, "040")
    state_plan(prize, rule="none")

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="1040", source="TV")

    assert (draw.winner_label, draw.late_count) == ("", 1)
    assert frozen_labels(draw) == ["013", "077"]


@pytest.mark.parametrize(
    ("include_reserved", "winner", "late"), [(False, "", 1), (True, "040", 0)]
)
def test_lottery_dates_a_number_from_when_it_could_first_win(
    organizer, buyer, include_reserved, winner, late
):
    project, prize = late_project(organizer, buyer, include_reserved=include_reserved)
    sell_earlier(project, buyer, "040", state="reserved")
    half_pay(project, 40)
    half_pay(project, 40)
    state_plan(prize, rule="none")

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="1040", source="TV")

    assert (draw.winner_label, draw.late_count) == (winner, late)


def test_lottery_day_starts_at_midnight_in_the_sites_time_zone(organizer, buyer):
    project, prize = late_project(organizer, buyer)
    sell(project, buyer, "040, 050")
    state_plan(prize, date=days_ago(1), rule="none")
    midnight = timezone.make_aware(
        datetime.datetime.combine(days_ago(1), datetime.time.min),
        timezone.get_default_timezone(),
    )
    for number, at in ((40, midnight), (50, midnight - datetime.timedelta.resolution)):
        RaffleEvent._base_manager.filter(raffle__number=number).update(at=at)

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="1040", source="TV")

    assert (draw.winner_label, draw.late_count) == ("", 1)
    assert frozen_labels(draw) == ["013", "050", "077"]


@pytest.mark.parametrize(
    ("method", "details"), [("random", {}), ("manual", {"number": "013"})]
)
@pytest.mark.parametrize("days", [0, 3])
def test_prize_with_a_lottery_plan_is_drawn_by_that_lottery_only(
    organizer, buyer, method, details, days
):
    project, prize = late_project(organizer, buyer)
    state_plan(prize, date=timezone.localdate() + datetime.timedelta(days=days))

    with pytest.raises(ValidationError) as error:
        draws.draw_prize(prize=prize, actor=organizer, method=method, **details)

    assert error.value.message_dict == {
        "method": [
            "Prize 1 (Car) was announced to be drawn by the lottery “National "
            f"Lottery, first prize” of {date_format(prize.lottery_date)}, so it "
            "is drawn by that lottery's result only. "
            + (
                "To draw it another way, remove its lottery plan first."
                if days
                else "If that lottery cannot decide it, withdraw the plan "
                "first, saying why."
            )
        ]
    }
    assert Draw.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "details"), [("random", {}), ("manual", {"number": "040"})]
)
def test_other_draws_keep_numbers_sold_today_once_the_plan_is_removed(
    organizer, buyer, method, details
):
    project, prize = late_project(organizer, buyer)
    sell(project, buyer, "040")
    draws.update_prize(
        prize=prize,
        lottery="Lotto",
        lottery_date=timezone.localdate() + datetime.timedelta(days=3),
        unsold_rule="none",
    )
    draws.update_prize(prize=prize, lottery="", lottery_date=None, unsold_rule="")

    draw = draws.draw_prize(prize=prize, actor=organizer, method=method, **details)

    assert (frozen_labels(draw), draw.late_count) == (["013", "040", "077"], None)


def test_drawn_prize_may_drop_its_plan_to_be_redrawn_another_way(organizer, buyer):
    project, prize = late_project(organizer, buyer)
    state_plan(prize, date=days_ago(1), rule="none")
    first = draws.draw_lottery(prize=prize, actor=organizer, result="5013", source="TV")

    draws.update_prize(prize=prize, lottery="", lottery_date=None, unsold_rule="")
    second = draws.redraw(
        prize=prize, actor=organizer, reason="Unreachable", method="manual", number="77"
    )

    assert (first.winner_label, second.winner_label) == ("013", "077")
    assert (second.lottery, second.method) == ("", "manual")


def test_lottery_refuses_when_every_number_was_sold_on_its_day(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "013")
    state_plan(prize)

    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="4013", source="TV")

    assert error.value.messages == [
        "No number can win prize 1 (Bicycle) by the lottery of "
        f"{date_format(prize.lottery_date)}: every eligible number was sold on "
        "that day or later."
    ]
    assert Draw.objects.count() == 0


def test_late_count_tells_the_draw_page_what_a_lottery_draw_leaves_out(
    organizer, buyer
):
    project, prize = late_project(organizer, buyer)
    limited = draws.create_prize(project=project, name="Hamper", position=2)
    other = RaffleSetFactory(project=project, name="B", first_number=100, quantity=10)
    draws.update_prize(prize=limited, raffle_sets=[other])
    sell(project, buyer, "040, 041, 105")
    state_plan(prize)
    state_plan(limited, date=days_ago(1))
    before = draw_selectors.late_count(prize, project)

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="1041", source="TV")

    assert (before, draw.late_count) == (3, 3)
    assert draw_selectors.late_count(limited, project) == 1


def test_late_count_is_none_before_the_lottery_day(project, raffle_set, buyer, prize):
    sell(project, buyer, "040")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    without_plan = draw_selectors.late_count(prize, project)
    state_plan(prize, date=tomorrow)

    assert (without_plan, draw_selectors.late_count(prize, project)) == (None, None)


def test_draw_prize_with_a_reason_is_a_redraw(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "001, 002")
    draws.draw_prize(prize=prize, actor=organizer, method="manual", number="1")

    draw = draws.draw_prize(
        prize=prize,
        actor=organizer,
        method="manual",
        number="2",
        reason="Winner declined",
    )

    assert (draw.sequence, draw.winner_label, draw.reason) == (
        2,
        "002",
        "Winner declined",
    )


def test_draws_are_isolated_between_organizers(
    project, raffle_set, buyer, prize, organizer, other_organizer
):
    other_project = ProjectFactory(owner=other_organizer, name="Other")
    RaffleSetFactory(project=other_project, quantity=100, padding=3)
    other_buyer = BuyerFactory(owner=other_organizer)
    sell(other_project, other_buyer, "001")
    other_prize = draws.create_prize(project=other_project, name="Car")
    draws.draw_manual(prize=other_prize, actor=other_organizer, number="001")
    sell(project, buyer, "001")

    draw = draws.draw_random(prize=prize, actor=organizer)

    assert draw.winner_label == "001"
    assert draw.winner.project == project
