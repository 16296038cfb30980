"""Prize and draw pages, the printable record and the public verification."""

import datetime
import json
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from raffles import draws
from raffles.models import Draw, Prize
from raffles.tests.draws.helpers import refund, sell, sell_earlier, state_plan
from rafflesite.lib import draws as algorithm

pytestmark = pytest.mark.usefixtures("pages")


@pytest.fixture
def drawn(project, raffle_set, buyer, prize, organizer):
    sell(project, buyer, "001-010")
    return draws.draw_random(prize=prize, actor=organizer)


def page_urls(project, prize, drawn):
    args = [project.ref, prize.position]
    return [
        reverse("raffles:prizes", args=[project.ref]),
        reverse("raffles:prize_edit", args=args),
        reverse("raffles:prize_delete", args=args),
        reverse("raffles:draws", args=[project.ref]),
        reverse("raffles:draw_prize", args=args),
        reverse("raffles:draw_record", args=[*args, drawn.sequence]),
        reverse("raffles:withdraw_plan", args=args),
    ]


def post_urls(project, prize):
    args = [project.ref, prize.position]
    return [
        (reverse("raffles:prizes", args=[project.ref]), {"name": "Hamper"}),
        (reverse("raffles:prize_edit", args=args), {"name": "Renamed"}),
        (reverse("raffles:prize_delete", args=args), {}),
        (reverse("raffles:prize_move", args=args), {"direction": "down"}),
        (reverse("raffles:draw_options", args=[project.ref]), {}),
        (reverse("raffles:draw_prize", args=args), {"method": "random"}),
        (reverse("raffles:withdraw_plan", args=args), {"reason": "Cancelled"}),
    ]


# Isolation: the owner, another organizer, anonymous


def test_pages_open_for_their_owner(organizer_client, project, prize, drawn):
    for url in page_urls(project, prize, drawn):
        assert organizer_client.get(url).status_code == 200, url


def test_pages_are_404_for_another_organizer(
    client, other_organizer, project, prize, drawn
):
    client.force_login(other_organizer)

    for url in page_urls(project, prize, drawn):
        assert client.get(url).status_code == 404, url
    for url, data in post_urls(project, prize):
        assert client.post(url, data).status_code == 404, url

    prize.refresh_from_db()
    assert (prize.name, prize.position, Prize.objects.count()) == ("Bicycle", 1, 1)
    assert Draw.objects.count() == 1


def test_pages_send_anonymous_visitors_to_log_in(client, project, prize, drawn):
    login = reverse("accounts:login")

    for url in page_urls(project, prize, drawn):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"{login}?next={url}")
    for url, data in post_urls(project, prize):
        assert client.post(url, data).status_code == 302, url

    assert (Prize.objects.count(), Draw.objects.count()) == (1, 1)


# Prizes page


def test_prizes_page_adds_a_prize(organizer_client, project, raffle_set):
    url = reverse("raffles:prizes", args=[project.ref])

    response = organizer_client.post(
        url,
        {"name": "Canasta Navideña 🎄", "description": "Pagó 💵", "position": ""},
        follow=True,
    )

    prize = Prize.objects.get(project=project)
    assert (prize.name, prize.description, prize.position) == (
        "Canasta Navideña 🎄",
        "Pagó 💵",
        1,
    )
    assert "Prize 1, “Canasta Navideña 🎄”, added." in response.content.decode()


def test_prizes_page_shows_errors_next_to_the_field(
    organizer_client, project, raffle_set
):
    url = reverse("raffles:prizes", args=[project.ref])

    response = organizer_client.post(url, {"name": "Car", "lottery": "Lotto"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the date of the lottery&#x27;s draw." in content
    assert Prize.objects.count() == 0


def test_prize_edit_limits_to_sets_and_saves(
    organizer_client, project, raffle_set, prize
):
    url = reverse("raffles:prize_edit", args=[project.ref, prize.position])

    response = organizer_client.post(
        url, {"name": "Red bicycle", "raffle_sets": [raffle_set.pk]}
    )

    prize.refresh_from_db()
    assert response.status_code == 302
    assert prize.name == "Red bicycle"
    assert list(prize.raffle_sets.all()) == [raffle_set]


def test_prize_edit_refuses_changing_a_final_plan(
    organizer_client, project, raffle_set, prize
):
    state_plan(prize, rule="none")
    url = reverse("raffles:prize_edit", args=[project.ref, prize.position])

    page = organizer_client.get(url)
    response = organizer_client.post(
        url,
        {
            "name": "Bicycle",
            "lottery": prize.lottery,
            "lottery_date": prize.lottery_date.isoformat(),
            "unsold_rule": "next",
        },
    )

    prize.refresh_from_db()
    day = date_format(prize.lottery_date)
    assert plan_sentence(prize) in " ".join(page.content.decode().split())
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "unsold_rule": [
            f"The lottery plan is final since {day}, the day of its lottery."
        ]
    }
    assert prize.unsold_rule == "none"


def test_prize_edit_states_a_plan_for_a_later_day(
    organizer_client, project, raffle_set, prize
):
    url = reverse("raffles:prize_edit", args=[project.ref, prize.position])
    day = timezone.localdate() + datetime.timedelta(days=10)

    response = organizer_client.post(
        url,
        {
            "name": "Bicycle",
            "lottery": "National Lottery",
            "lottery_date": day.isoformat(),
            "unsold_rule": "next",
        },
    )

    prize.refresh_from_db()
    assert response.status_code == 302
    assert (prize.lottery, prize.lottery_date, prize.unsold_rule) == (
        "National Lottery",
        day,
        "next",
    )
    assert prize.plan_days_ahead == 10


@pytest.mark.parametrize("language", ["en", "es"])
def test_prize_edit_fills_in_the_lottery_date_as_the_date_input_reads_it(
    organizer_client, project, raffle_set, prize, settings, language
):
    day = timezone.localdate() + datetime.timedelta(days=10)
    state_plan(prize, date=day)
    url = reverse("raffles:prize_edit", args=[project.ref, prize.position])
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = organizer_client.get(url).content.decode()

    assert f'<input type="date" name="lottery_date" value="{day:%Y-%m-%d}"' in html


def test_prize_move_and_delete(organizer_client, project, raffle_set, prize):
    draws.create_prize(project=project, name="Hamper")
    move = reverse("raffles:prize_move", args=[project.ref, 1])
    delete = reverse("raffles:prize_delete", args=[project.ref, 1])

    organizer_client.post(move, {"direction": "down"})
    confirm = organizer_client.get(delete)
    organizer_client.post(delete)

    assert "Delete prize “Hamper”?" in confirm.content.decode()
    assert list(Prize.objects.values_list("position", "name")) == [(1, "Bicycle")]


@pytest.mark.parametrize(
    ("position", "direction", "moved", "order"),
    [
        (1, "down", "Moved prize “Bicycle” to position 2.", ["Hamper", "Bicycle"]),
        (2, "up", "Moved prize “Hamper” to position 1.", ["Hamper", "Bicycle"]),
    ],
)
def test_prize_move_says_where_the_prize_went(
    organizer_client, project, raffle_set, prize, position, direction, moved, order
):
    draws.create_prize(project=project, name="Hamper")
    url = reverse("raffles:prize_move", args=[project.ref, position])

    response = organizer_client.post(url, {"direction": direction}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [moved]
    assert list(Prize.objects.values_list("name", flat=True)) == order


def test_prize_move_past_the_end_says_why_not(
    organizer_client, project, raffle_set, prize
):
    url = reverse("raffles:prize_move", args=[project.ref, 1])

    response = organizer_client.post(url, {"direction": "down"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Choose a position from 1 to 1."
    ]


def test_drawn_prize_delete_is_refused_with_a_message(
    organizer_client, project, prize, drawn
):
    url = reverse("raffles:prize_delete", args=[project.ref, prize.position])

    confirm = organizer_client.get(url)
    response = organizer_client.post(url, follow=True)

    assert "cannot be deleted: its draws stay on record." in confirm.content.decode()
    assert "has been drawn, so you cannot delete it." in response.content.decode()
    assert Prize.objects.count() == 1


def test_prize_with_a_final_plan_delete_is_refused_with_a_message(
    organizer_client, project, prize
):
    state_plan(prize)
    url = reverse("raffles:prize_delete", args=[project.ref, prize.position])
    refusal = (
        "The lottery plan of prize 1 (Bicycle) is final since "
        f"{date_format(prize.lottery_date)}, the day of its lottery, so you "
        "cannot delete it."
    )

    confirm = organizer_client.get(url).content.decode()
    response = organizer_client.post(url, follow=True)

    assert "Prize “Bicycle” cannot be deleted" in confirm
    assert refusal in confirm
    assert 'class="danger"' not in confirm
    assert [str(m) for m in response.context["messages"]] == [refusal]
    assert Prize.objects.count() == 1


def test_prize_with_a_final_plan_keeps_its_sets_on_its_page(
    organizer_client, project, raffle_set, prize
):
    state_plan(prize)
    url = reverse("raffles:prize_edit", args=[project.ref, prize.position])

    response = organizer_client.post(
        url, {"name": "Bicycle", "raffle_sets": [raffle_set.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "raffle_sets": [
            "The lottery plan of prize 1 (Bicycle) is final since "
            f"{date_format(prize.lottery_date)}, the day of its lottery, so you "
            "cannot change its sets."
        ]
    }
    assert list(prize.raffle_sets.all()) == []


# Draws page


def test_draws_page_shows_eligible_counts_before_the_draw(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001-003")
    sell(project, buyer, "004", state="reserved")

    response = organizer_client.get(reverse("raffles:draws", args=[project.ref]))

    assert "3 numbers are eligible now." in response.content.decode()


def test_a_prize_before_its_lottery_offers_no_draw(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001-003")
    lottery_day = timezone.localdate() + datetime.timedelta(days=10)
    draws.update_prize(
        prize=prize,
        lottery="National Lottery",
        lottery_date=lottery_day,
        unsold_rule="next",
    )
    draw_page = reverse("raffles:draw_prize", args=[project.ref, prize.position])

    overview = organizer_client.get(reverse("raffles:draws", args=[project.ref]))
    listed = organizer_client.get(reverse("raffles:prizes", args=[project.ref]))

    day = date_format(lottery_day)
    overview_text = " ".join(overview.content.decode().split())
    assert f"It is drawn by the lottery of {day}, once its result is out." in (
        overview_text
    )
    assert f'href="{draw_page}"' not in overview.content.decode()
    listed_text = " ".join(listed.content.decode().split())
    assert f"Drawn by the lottery of {day} (3 eligible numbers)" in listed_text


def test_draws_page_shows_winner_buyer_and_method(
    organizer_client, project, prize, drawn
):
    response = organizer_client.get(reverse("raffles:draws", args=[project.ref]))

    content = response.content.decode()
    assert drawn.winner_label in content
    assert "Ana 😀 Gómez" in content
    assert "random draw" in content
    assert reverse("verify:draw", args=[drawn.token]) in content


def test_draws_page_shows_list_hash_seed_and_algorithm(
    organizer_client, project, prize, drawn
):
    response = organizer_client.get(reverse("raffles:draws", args=[project.ref]))

    content = response.content.decode()
    assert f'<code class="hash">{drawn.list_sha256}</code>' in content
    assert f'<code class="hash">{drawn.seed}</code>' in content
    assert f"{drawn.algorithm}, version {drawn.algorithm_version}" in content
    text = " ".join(content.split())
    assert "Eligible numbers</dt> <dd> 10 (paid numbers only) </dd>" in text


def test_draws_page_warns_when_the_winner_was_refunded(
    organizer_client, project, prize, drawn
):
    refund(project, int(drawn.winner_label))

    response = organizer_client.get(reverse("raffles:draws", args=[project.ref]))

    assert "can no longer win" in response.content.decode()


def test_draws_page_marks_reserved_winners(
    organizer_client, organizer, project, raffle_set, buyer, prize
):
    sell(project, buyer, "005", state="reserved")
    draws.set_draws_include_reserved(project=project, include_reserved=True)
    draws.draw_manual(prize=prize, actor=organizer, number="5")

    response = organizer_client.get(reverse("raffles:draws", args=[project.ref]))

    assert '<span class="tag reserved">reserved</span>' in response.content.decode()


def test_draw_options_form_sets_and_locks_include_reserved(
    organizer_client, organizer, project, raffle_set, buyer, prize
):
    url = reverse("raffles:draw_options", args=[project.ref])

    organizer_client.post(url, {"draws_include_reserved": "on"})
    project.refresh_from_db()
    allowed = project.draws_include_reserved
    sell(project, buyer, "001")
    draws.draw_random(prize=prize, actor=organizer)
    response = organizer_client.post(url, {}, follow=True)

    project.refresh_from_db()
    assert (allowed, project.draws_include_reserved) == (True, True)
    assert "can no longer change" in response.content.decode()


def test_draw_options_are_fixed_while_a_lottery_plan_is_final(
    organizer_client, project, prize
):
    state_plan(prize)
    url = reverse("raffles:draw_options", args=[project.ref])
    fixed = (
        "The lottery plan of prize 1 (Bicycle) is final since "
        f"{date_format(prize.lottery_date)}, the day of its lottery, so who can "
        "win can no longer change."
    )

    page = organizer_client.get(reverse("raffles:draws", args=[project.ref]))
    response = organizer_client.post(url, {"draws_include_reserved": "on"}, follow=True)

    project.refresh_from_db()
    assert fixed in page.content.decode()
    assert 'name="draws_include_reserved"' not in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == [fixed]
    assert project.draws_include_reserved is False


@pytest.mark.parametrize("url_name", ["raffles:draws", "raffles:prizes"])
def test_list_pages_query_count_does_not_grow(
    organizer_client,
    organizer,
    project,
    raffle_set,
    buyer,
    django_assert_num_queries,
    url_name,
):
    url = reverse(url_name, args=[project.ref])
    sell(project, buyer, "001-004")
    first = draws.create_prize(project=project, name="Car")
    draws.draw_random(prize=first, actor=organizer)
    organizer_client.get(url)
    with CaptureQueriesContext(connection) as small:
        organizer_client.get(url)

    sell(project, buyer, "010-060")
    for name in ("Bicycle", "Hamper", "Phone", "Voucher"):
        prize = draws.create_prize(project=project, name=name)
        draws.draw_random(prize=prize, actor=organizer)
    draws.redraw(prize=prize, actor=organizer, reason="Unreachable", method="random")
    draws.create_prize(project=project, name="Undrawn")
    with django_assert_num_queries(len(small.captured_queries)):
        response = organizer_client.get(url)

    assert response.status_code == 200


# Drawing from the page


def draw_url(project, prize):
    return reverse("raffles:draw_prize", args=[project.ref, prize.position])


def test_draw_page_draws_at_random_and_announces_the_winner(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001-010")

    response = organizer_client.post(
        draw_url(project, prize), {"method": "random"}, follow=True
    )

    draw = Draw.objects.get(prize=prize)
    assert (draw.method, draw.is_current) == ("random", True)
    assert f"number {draw.winner_label} wins (Ana 😀 Gómez)" in (
        response.content.decode()
    )


def test_draw_page_refuses_a_second_draw_without_a_reason(
    organizer_client, project, prize, drawn
):
    response = organizer_client.post(draw_url(project, prize), {"method": "random"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Draw.objects.filter(prize=prize).count() == 1


def test_draw_page_redraws_with_a_reason(organizer_client, project, prize, drawn):
    response = organizer_client.post(
        draw_url(project, prize),
        {"method": "manual", "manual-number": "", "manual-reason": "Unreachable"},
    )
    assert response.status_code == 400

    other = next(n for n in range(1, 11) if f"{n:03d}" != drawn.winner_label)
    organizer_client.post(
        draw_url(project, prize),
        {"method": "manual", "manual-number": other, "manual-reason": "Unreachable"},
    )

    draws_of_prize = list(Draw.objects.filter(prize=prize).order_by("sequence"))
    assert [d.is_current for d in draws_of_prize] == [False, True]
    assert draws_of_prize[1].winner_label == f"{other:03d}"
    assert draws_of_prize[1].reason == "Unreachable"


def test_draw_page_shows_why_a_manual_number_is_refused(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001")
    sell(project, buyer, "002", state="reserved")

    response = organizer_client.post(
        draw_url(project, prize), {"method": "manual", "manual-number": "2"}
    )

    assert response.status_code == 400
    assert "Number 002 is reserved, so it cannot win." in response.content.decode()
    assert Draw.objects.count() == 0


@pytest.mark.parametrize("typed", ["²", "٣", "1.5", "-1"])
def test_draw_page_refuses_a_manual_number_of_other_characters(
    organizer_client, project, raffle_set, buyer, prize, typed
):
    sell(project, buyer, "001-003")

    response = organizer_client.post(
        draw_url(project, prize), {"method": "manual", "manual-number": typed}
    )

    assert response.status_code == 400
    assert response.context["forms"]["manual"].errors == {
        "number": ["Type the number drawn, e.g. 007."]
    }
    assert Draw.objects.count() == 0


def test_draw_page_trims_the_manual_number(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001-010")

    response = organizer_client.post(
        draw_url(project, prize), {"method": "manual", "manual-number": " 7 "}
    )

    assert response.status_code == 302
    assert Draw.objects.get(prize=prize).winner_label == "007"


def plan_sentence(prize_or_draw, days=7):
    """What the pages say about when a plan was stated, spaces collapsed."""
    stated = getattr(prize_or_draw, "lottery_stated_at", None) or (
        prize_or_draw.rule_stated_at
    )
    when = date_format(timezone.localtime(stated), "DATETIME_FORMAT")
    day = date_format(prize_or_draw.lottery_date)
    return f"stated on {when}, {days} days before the lottery of {day}"


def test_draw_page_records_a_lottery_result(
    organizer_client, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, rule="next")

    organizer_client.post(
        draw_url(project, prize),
        {
            "method": "lottery",
            "lottery-result": "48050",
            "lottery-source": "https://lottery.example/results",
        },
    )

    draw = Draw.objects.get(prize=prize)
    assert (draw.lottery_number, draw.winner_label, draw.unsold_rule) == (
        "050",
        "077",
        "next",
    )


def test_draw_page_shows_the_stated_plan_and_asks_only_for_the_result(
    organizer_client, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, lottery="National Lottery", rule="next")

    response = organizer_client.get(draw_url(project, prize))

    content = " ".join(response.content.decode().split())
    fields = list(response.context["forms"]["lottery"].fields)
    assert fields == ["result", "source"]
    assert "National Lottery" in content
    assert "the next eligible number upwards" in content
    assert plan_sentence(prize) in content
    assert 'name="lottery-result"' in content
    assert 'name="lottery-unsold_rule"' not in content


@pytest.mark.parametrize(("days", "final"), [(0, True), (2, False)])
def test_draw_page_of_a_prize_with_a_plan_offers_the_lottery_only(
    organizer_client, project, raffle_set, buyer, prize, days, final
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, date=timezone.localdate() + datetime.timedelta(days=days))
    edit = reverse("raffles:prize_edit", args=[project.ref, prize.position])

    content = " ".join(
        organizer_client.get(draw_url(project, prize)).content.decode().split()
    )
    refused = organizer_client.post(draw_url(project, prize), {"method": "random"})

    assert 'value="random"' not in content
    assert 'value="manual"' not in content
    assert "so it is drawn by that lottery's result only." in content
    assert (f'href="{edit}"' in content) is not final
    assert refused.status_code == 400
    way_out = "withdraw the plan" if final else "remove its lottery plan first."
    assert way_out in refused.content.decode()
    assert Draw.objects.count() == 0


def test_eligible_counts_leave_out_numbers_sold_on_the_lottery_day(
    organizer_client, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013, 077")
    sell(project, buyer, "040, 050")
    state_plan(prize)
    draws.create_prize(project=project, name="Hamper")

    draw_page = organizer_client.get(draw_url(project, prize))
    overview = organizer_client.get(reverse("raffles:draws", args=[project.ref]))
    prizes = organizer_client.get(reverse("raffles:prizes", args=[project.ref]))

    assert draw_page.context["eligible_count"] == 2
    assert "2 numbers can win this draw." in draw_page.content.decode()
    assert "2 numbers paid in full on or after" in draw_page.content.decode()
    assert [p.eligible_count for p in overview.context["prizes"]] == [2, 4]
    assert [p.eligible_count for p in prizes.context["prizes"]] == [2, 4]


def test_draw_page_says_why_nothing_is_left_to_draw_on_the_lottery_day(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "013")
    state_plan(prize)

    content = " ".join(
        organizer_client.get(draw_url(project, prize)).content.decode().split()
    )

    assert "0 numbers can win this draw." in content
    assert "1 number paid in full on or after" in content
    assert "There is nothing to draw from yet." not in content


def test_draw_page_without_a_plan_links_to_the_prize(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "013")

    page = organizer_client.get(draw_url(project, prize))
    response = organizer_client.post(
        draw_url(project, prize),
        {
            "method": "lottery",
            "lottery-lottery": "National Lottery",
            "lottery-unsold_rule": "none",
            "lottery-result": "4013",
            "lottery-source": "TV",
        },
    )

    content = page.content.decode()
    edit = reverse("raffles:prize_edit", args=[project.ref, prize.position])
    assert "State the lottery plan on prize 1 (Bicycle) first" in content
    assert f'<a href="{edit}">' in content
    assert 'name="lottery-result"' not in content
    assert response.status_code == 400
    assert Draw.objects.count() == 0


def test_draw_page_keeps_to_the_lottery_stated_on_the_prize(
    organizer_client, project, raffle_set, buyer
):
    sell(project, buyer, "013")
    prize = draws.create_prize(
        project=project,
        name="Car",
        lottery="National Lottery",
        lottery_date=timezone.localdate() + datetime.timedelta(days=2),
        unsold_rule="none",
    )

    page = organizer_client.get(draw_url(project, prize))
    response = organizer_client.post(
        draw_url(project, prize),
        {"method": "lottery", "lottery-result": "4013", "lottery-source": "TV"},
    )

    assert "National Lottery" in page.content.decode()
    assert "stated on" in page.content.decode()
    assert 'name="lottery-result"' not in page.content.decode()
    assert response.status_code == 400
    assert "its result cannot be known yet." in response.content.decode()
    assert Draw.objects.count() == 0


def test_draw_page_says_when_nothing_is_eligible(organizer_client, project, prize):
    response = organizer_client.get(draw_url(project, prize))

    assert "There is nothing to draw from yet." in response.content.decode()


# The printable record


def test_draw_record_prints_list_hash_seed_and_signature_spaces(
    organizer_client, project, prize, drawn
):
    url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    content = organizer_client.get(url).content.decode()

    assert "001-010" in content
    assert drawn.list_sha256 in content
    assert drawn.seed in content
    assert "hmac-sha256-rejection" in content
    assert "Witness or notary" in content
    assert "+57 *** ****001" in content
    assert (content.count('<li class="ok">'), content.count('class="bad"')) == (2, 0)


@pytest.mark.parametrize(
    ("numbers", "counted"), [("001", "1 number"), ("001-010", "10 numbers")]
)
def test_draw_record_counts_the_stored_list(
    organizer_client, project, raffle_set, buyer, prize, organizer, numbers, counted
):
    sell(project, buyer, numbers)
    drawn = draws.draw_random(prize=prize, actor=organizer)
    url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    content = " ".join(organizer_client.get(url).content.decode().split())

    assert (
        f"The stored list has {counted} and its SHA-256 is {drawn.list_sha256}."
    ) in content


# The public verification page


def test_verify_page_is_public_and_recomputes_the_draw(client, project, drawn):
    response = client.get(reverse("verify:draw", args=[drawn.token]))

    content = response.content.decode()
    assert response.status_code == 200
    assert drawn.list_sha256 in content
    assert drawn.seed in content
    assert f"Recomputed result: {drawn.winner_label}." in content
    assert (content.count('<li class="ok">'), content.count('class="bad"')) == (2, 0)
    assert "js/verify.js" in content


def test_verify_page_never_shows_phones_or_emails(client, project, buyer, drawn):
    urls = [
        reverse(name, args=[drawn.token])
        for name in ("verify:draw", "verify:list", "verify:record")
    ]

    for url in urls:
        content = client.get(url).content.decode()
        assert buyer.email not in content
        assert buyer.phone not in content
        assert "0001" not in content


@pytest.mark.parametrize(
    ("language", "saved_as"),
    [
        (
            "en",
            "your browser saves it as {file}, usually in your Downloads folder. "
            "To recompute the draw offline with this app, move that file into "
            "the folder that holds the app's manage.py and run there:",
        ),
        (
            "es",
            "su navegador lo guarda como {file}, por lo general en su carpeta "
            "de Descargas. Para recalcular el sorteo sin conexión con esta "
            "aplicación, mueva ese archivo a la carpeta que contiene el "
            "manage.py de la aplicación y ejecute allí:",
        ),
    ],
)
def test_verify_page_names_the_downloaded_record_in_its_command(
    client, settings, drawn, language, saved_as
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    file_name = f"draw-{drawn.token}.json"

    page = client.get(reverse("verify:draw", args=[drawn.token]))
    record = client.get(reverse("verify:record", args=[drawn.token]))

    html = " ".join(unescape(page.content.decode()).split())
    assert record["Content-Disposition"] == f'attachment; filename="{file_name}"'
    assert saved_as.format(file=file_name) in html
    assert f"<code>.venv/bin/python manage.py verify_draw {file_name}</code>" in html


def test_readme_gives_the_verification_page_command(settings):
    readme = (settings.BASE_DIR / "README.md").read_text()

    command = "`.venv/bin/python manage.py verify_draw draw-<token>.json`"
    assert command in " ".join(readme.split())


def test_verify_list_is_the_hashed_file(client, drawn):
    response = client.get(reverse("verify:list", args=[drawn.token]))

    assert response.content == algorithm.list_bytes([f"{n:03d}" for n in range(1, 11)])
    assert algorithm.list_sha256(algorithm.read_list(response.content)) == (
        drawn.list_sha256
    )


def test_verify_record_holds_what_verify_draw_needs(client, drawn):
    response = client.get(reverse("verify:record", args=[drawn.token]))

    record = json.loads(response.content)
    assert (record["winner"], record["seed"], record["list_sha256"]) == (
        drawn.winner_label,
        drawn.seed,
        drawn.list_sha256,
    )
    assert record["list"] == [f"{n:03d}" for n in range(1, 11)]
    assert algorithm.Verification(record, record["list"]).ok


def test_lottery_records_say_how_long_before_the_lottery_the_plan_was_stated(
    client, organizer_client, organizer, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, date=timezone.localdate() - datetime.timedelta(days=1))
    draw = draws.draw_lottery(prize=prize, actor=organizer, result="4050", source="TV")
    record_url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    public = client.get(reverse("verify:draw", args=[draw.token])).content.decode()
    printed = organizer_client.get(record_url).content.decode()

    assert "Recomputed result: no winner." in public
    assert plan_sentence(draw) in " ".join(public.split())
    assert plan_sentence(draw) in " ".join(printed.split())


@pytest.mark.parametrize(
    ("include_reserved", "sold"),
    [(False, "paid in full"), (True, "reserved or sold")],
)
def test_lottery_records_say_how_many_numbers_came_too_late(
    client,
    organizer_client,
    organizer,
    project,
    raffle_set,
    buyer,
    prize,
    include_reserved,
    sold,
):
    draws.set_draws_include_reserved(project=project, include_reserved=include_reserved)
    sell_earlier(project, buyer, "013")
    sell(project, buyer, "050, 051")
    state_plan(prize, rule="none")
    sentence = (
        f"2 numbers {sold} on or after {date_format(prize.lottery_date)}, the "
        "day of the lottery, when its result could already be known."
    )

    form = text(organizer_client.get(draw_url(project, prize)))
    draw = draws.draw_lottery(prize=prize, actor=organizer, result="4050", source="TV")
    record_url = reverse("raffles:draw_record", args=[project.ref, 1, 1])
    public = text(client.get(reverse("verify:draw", args=[draw.token])))
    printed = text(organizer_client.get(record_url))

    assert f"Left out of this draw: {sentence}" in form
    assert f'Left out of the list</dt> <dd class="late"> {sentence}' in public
    assert f'Left out of the list</dt> <dd class="late"> {sentence}' in printed
    assert "Recomputed result: no winner. It matches the record." in public


def text(response):
    """A page's HTML with its runs of white space collapsed."""
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("rule", "result", "sentence"),
    [
        (
            "none",
            "4013",
            "Number 013 is on the list of eligible numbers, so it wins.",
        ),
        (
            "next",
            "4050",
            "Number 050 is not on the list of eligible numbers, so by the rule "
            "stated for this prize (the next eligible number upwards) number 077 "
            "wins.",
        ),
        (
            "next",
            "4090",
            "Number 090 is not on the list of eligible numbers and none above it "
            "is, so by the rule stated for this prize (the next eligible number "
            "upwards, going round to the first) number 013 wins.",
        ),
        (
            "none",
            "4050",
            "Number 050 is not on the list of eligible numbers, so by the rule "
            "stated for this prize (no winner) nobody wins it.",
        ),
    ],
)
def test_lottery_records_explain_how_the_number_drawn_gave_the_winner(
    client,
    organizer_client,
    organizer,
    project,
    raffle_set,
    buyer,
    prize,
    rule,
    result,
    sentence,
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, rule=rule)
    draw = draws.draw_lottery(prize=prize, actor=organizer, result=result, source="TV")
    record_url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    public = text(client.get(reverse("verify:draw", args=[draw.token])))
    printed = text(organizer_client.get(record_url))

    assert f'<p class="draw-outcome"> {sentence} </p>' in public
    assert f'<p class="draw-outcome"> {sentence} </p>' in printed
    assert (buyer.email in public, "0001" in public) == (False, False)


def test_lottery_records_explain_the_winner_in_spanish(
    client, organizer, settings, project, raffle_set, buyer, prize
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, rule="next")
    draw = draws.draw_lottery(prize=prize, actor=organizer, result="4050", source="TV")

    public = text(client.get(reverse("verify:draw", args=[draw.token])))

    assert (
        '<p class="draw-outcome"> El número 050 no está en la lista de números '
        "participantes, así que, según la regla anunciada para este premio (el "
        "siguiente número participante hacia arriba), gana el número 077. </p>"
    ) in public


def test_random_records_need_no_sentence_on_a_number_drawn(
    client, organizer_client, project, drawn
):
    record_url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    public = text(client.get(reverse("verify:draw", args=[drawn.token])))
    printed = text(organizer_client.get(record_url))

    assert ("draw-outcome" in public, "draw-outcome" in printed) == (False, False)


def test_draw_page_says_nothing_is_left_out_before_the_lottery_day(
    organizer_client, project, raffle_set, buyer, prize
):
    sell(project, buyer, "013")

    content = organizer_client.get(draw_url(project, prize)).content.decode()

    assert "Left out" not in content


def test_records_of_a_plan_stated_late_say_so(
    client, organizer, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize)
    draw = draws.draw_lottery(prize=prize, actor=organizer, result="4013", source="TV")
    # As recorded before plans had to come first: stated with the result.
    Draw.objects.filter(pk=draw.pk).update(rule_stated_at=draw.drawn_at)
    when = date_format(timezone.localtime(draw.drawn_at), "DATETIME_FORMAT")

    public = client.get(reverse("verify:draw", args=[draw.token])).content.decode()

    assert f"stated on {when}, not before the lottery" in " ".join(public.split())
    assert "days before the lottery" not in public


def test_verify_page_links_every_draw_of_the_prize(client, organizer, prize, drawn):
    redraw = draws.redraw(
        prize=prize, actor=organizer, reason="Winner unreachable", method="random"
    )

    first = client.get(reverse("verify:draw", args=[drawn.token])).content.decode()
    second = client.get(reverse("verify:draw", args=[redraw.token])).content.decode()

    assert reverse("verify:draw", args=[redraw.token]) in first
    assert "redraw because: Winner unreachable" in first
    assert "replaced by a later redraw" in first
    assert reverse("verify:draw", args=[drawn.token]) in second


def test_records_keep_the_prize_as_it_was_at_the_draw(
    organizer_client, client, organizer, project, prize, drawn
):
    draws.update_prize(prize=prize, name="Red bicycle")
    record_url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    printed = organizer_client.get(record_url).content.decode()
    public = client.get(reverse("verify:draw", args=[drawn.token])).content.decode()
    download = client.get(reverse("verify:record", args=[drawn.token]))

    record = json.loads(download.content)
    prize.refresh_from_db()
    assert (prize.position, prize.name) == (1, "Red bicycle")
    assert "<dd> 1. Bicycle </dd>" in " ".join(printed.split())
    assert "<dd> 1. Bicycle </dd>" in " ".join(public.split())
    assert (record["prize_position"], record["prize"]) == (1, "Bicycle")


# Reserved numbers, where the project lets them win, are marked everywhere

TAG = '<span class="tag reserved">reserved</span>'
BADGE = '<span class="badge state-reserved">reserved</span>'


@pytest.fixture
def reserved_win(organizer, project, raffle_set, buyer, prize):
    """001-003 paid, 005 reserved and the winner of prize 1."""
    sell(project, buyer, "001-003")
    sell(project, buyer, "005", state="reserved")
    draws.set_draws_include_reserved(project=project, include_reserved=True)
    return draws.draw_manual(prize=prize, actor=organizer, number="5")


@pytest.mark.parametrize(
    ("url_name", "mark"),
    [
        ("raffles:draws", TAG),
        ("raffles:prizes", TAG),
        ("raffles:draw_prize", TAG),
        ("raffles:draw_record", TAG),
        ("projects:detail", BADGE),
    ],
)
def test_organizer_pages_mark_a_reserved_winner(
    organizer_client, project, reserved_win, url_name, mark
):
    args = {
        "raffles:draws": [project.ref],
        "raffles:prizes": [project.ref],
        "raffles:draw_prize": [project.ref, 1],
        "raffles:draw_record": [project.ref, 1, 1],
        "projects:detail": [project.ref],
    }[url_name]

    content = organizer_client.get(reverse(url_name, args=args)).content.decode()

    assert content.count(mark) == 1


def test_verify_page_marks_reserved_numbers_and_winner(client, reserved_win):
    content = client.get(reverse("verify:draw", args=[reserved_win.token]))

    text = " ".join(content.content.decode().split())
    assert f'<dd class="winner"> 005 {TAG} — Ana 😀 Gómez </dd>' in text
    assert "1 number on the list was reserved (not fully paid) at the draw: 005" in text
    assert "(paid and reserved; reserved ones are marked)" in text


def test_printed_record_marks_reserved_numbers(organizer_client, project, reserved_win):
    url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    text = " ".join(organizer_client.get(url).content.decode().split())

    assert f'<dd class="winner"> 005 {TAG} — Ana 😀 Gómez </dd>' in text
    assert "Reserved (not fully paid) at the draw, 1 number: 005" in text


def test_downloaded_record_marks_reserved_numbers(client, reserved_win):
    response = client.get(reverse("verify:record", args=[reserved_win.token]))

    record = json.loads(response.content)
    assert (record["includes_reserved"], record["reserved"]) == (True, ["005"])
    assert (record["winner"], record["winner_reserved"]) == ("005", True)
    assert record["list"] == ["001", "002", "003", "005"]


def test_draw_histories_mark_an_earlier_reserved_winner(
    client, organizer_client, organizer, project, prize, reserved_win
):
    redraw = draws.redraw(
        prize=prize, actor=organizer, reason="Never paid", method="manual", number="2"
    )

    overview = organizer_client.get(reverse("raffles:draws", args=[project.ref]))
    public = client.get(reverse("verify:draw", args=[redraw.token]))

    history = overview.content.decode().split('<ol class="history">')[1]
    others = public.content.decode().split('<section class="other-draws">')[1]
    assert " ".join(history.split("</li>")[0].split()).count(TAG) == 1
    assert " ".join(others.split("</li>")[0].split()).count(TAG) == 1


@pytest.mark.parametrize("name", ["verify:draw", "verify:list", "verify:record"])
def test_verify_pages_of_an_unknown_token_are_404(client, drawn, name):
    assert client.get(reverse(name, args=["not-a-token"])).status_code == 404


@pytest.mark.parametrize(("case", "shown"), [("new", True), ("final", False)])
def test_prize_list_links_delete_only_when_the_prize_can_go(
    organizer_client, project, prize, case, shown
):
    if case == "final":
        state_plan(prize)
    url = reverse("raffles:prize_delete", args=[project.ref, prize.position])

    response = organizer_client.get(reverse("raffles:prizes", args=[project.ref]))

    assert (f'href="{url}"' in response.content.decode()) is shown
    assert (draws.deletion_problem(prize) is None) is shown


def test_prize_list_hides_delete_for_a_drawn_prize(
    organizer_client, project, prize, drawn
):
    url = reverse("raffles:prize_delete", args=[project.ref, prize.position])

    response = organizer_client.get(reverse("raffles:prizes", args=[project.ref]))

    assert f'href="{url}"' not in response.content.decode()
