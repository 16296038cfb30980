"""API of prizes and draws."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.models import Draw, Prize
from raffles.tests.draws.helpers import sell, sell_earlier, state_plan
from raffles.tests.factories import RaffleSetFactory
from rafflesite.lib import draws as algorithm


def prizes_url(project):
    return f"/api/projects/{project.ref}/prizes/"


def prize_url(project, position):
    return f"/api/projects/{project.ref}/prizes/{position}/"


def draw_url(project, position):
    return f"/api/projects/{project.ref}/prizes/{position}/draw/"


def draws_url(project):
    return f"/api/projects/{project.ref}/draws/"


@pytest.fixture
def drawn(project, raffle_set, buyer, prize, organizer):
    sell(project, buyer, "001-010")
    return draws.draw_random(prize=prize, actor=organizer)


# Prizes


def test_create_prize_with_position_and_sets(organizer_api, project, raffle_set):
    draws.create_prize(project=project, name="Car")

    response = organizer_api.post(
        prizes_url(project),
        {
            "position": 1,
            "name": "Canasta Navideña 🎄",
            "description": "Pagó 💵",
            "sets": [raffle_set.ref],
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json() == {
        "position": 1,
        "name": "Canasta Navideña 🎄",
        "description": "Pagó 💵",
        "sets": [raffle_set.ref],
        "lottery": "",
        "lottery_date": None,
        "unsold_rule": "",
        "lottery_stated_at": None,
        "withdrawn_plans": [],
        "eligible_count": 0,
        "late_count": None,
        "drawn": False,
        "winner": None,
        "winner_reserved": False,
    }
    assert list(Prize.objects.values_list("position", "name")) == [
        (1, "Canasta Navideña 🎄"),
        (2, "Car"),
    ]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"name": ""}, {"name"}),
        ({"name": "x" * 201}, {"name"}),
        ({"name": "Car", "sets": [99]}, {"sets"}),
        ({"name": "Car", "position": 5}, {"position"}),
        ({"name": "Car", "lottery": "Lotto"}, {"lottery_date", "unsold_rule"}),
        ({"name": "Car", "unsold_rule": "maybe"}, {"unsold_rule"}),
    ],
)
def test_create_prize_refuses_bad_input(
    organizer_api, project, raffle_set, payload, errors
):
    response = organizer_api.post(prizes_url(project), payload, format="json")

    assert response.status_code == 400
    assert set(response.json()) - {"detail"} == errors
    assert Prize.objects.count() == 0


def test_prize_detail_patch_put_and_delete(organizer_api, project, raffle_set, prize):
    draws.create_prize(project=project, name="Hamper", description="Wine")

    patched = organizer_api.patch(prize_url(project, 2), {"position": 1}, format="json")
    put = organizer_api.put(prize_url(project, 1), {"name": "Basket"}, format="json")
    deleted = organizer_api.delete(prize_url(project, 2))

    assert (patched.status_code, patched.json()["name"]) == (200, "Hamper")
    assert put.json()["description"] == ""
    assert deleted.status_code == 204
    assert list(Prize.objects.values_list("position", "name")) == [(1, "Basket")]


def test_drawn_prize_cannot_be_deleted(organizer_api, project, drawn):
    response = organizer_api.delete(prize_url(project, 1))

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Prize 1 (Bicycle) has been drawn, so you cannot delete it."
    )
    assert Prize.objects.count() == 1


def test_prize_with_a_final_plan_cannot_be_deleted_or_change_its_sets(
    organizer_api, project, raffle_set, prize
):
    state_plan(prize)
    refusal = (
        "The lottery plan of prize 1 (Bicycle) is final since "
        f"{date_format(prize.lottery_date)}, the day of its lottery, so you "
        "cannot {verb}."
    )

    deleting = organizer_api.delete(prize_url(project, 1))
    limiting = organizer_api.patch(
        prize_url(project, 1), {"sets": [raffle_set.ref]}, format="json"
    )

    assert (deleting.status_code, limiting.status_code) == (400, 400)
    assert deleting.json() == {"detail": refusal.format(verb="delete it")}
    assert limiting.json()["sets"] == [refusal.format(verb="change its sets")]
    assert list(Prize.objects.get().raffle_sets.all()) == []


def test_prize_list_shows_eligible_counts_and_winners(organizer_api, project, drawn):
    draws.create_prize(project=project, name="Hamper")

    response = organizer_api.get(prizes_url(project))

    results = response.json()["results"]
    assert [(p["position"], p["drawn"], p["winner"]) for p in results] == [
        (1, True, drawn.winner_label),
        (2, False, None),
    ]
    assert [p["eligible_count"] for p in results] == [9, 9]


# Drawing


def test_random_draw_answers_the_record(organizer_api, project, raffle_set, buyer):
    sell(project, buyer, "007, 042")
    draws.create_prize(project=project, name="Car")

    response = organizer_api.post(
        draw_url(project, 1), {"method": "random"}, format="json"
    )

    data = response.json()
    draw = Draw.objects.get()
    assert response.status_code == 201
    assert data["winner"] in ("007", "042")
    assert data["winner_number"] == int(data["winner"])
    assert (data["method"], data["seed"], data["list_sha256"]) == (
        "random",
        draw.seed,
        algorithm.list_sha256(["007", "042"]),
    )
    assert (data["algorithm"], data["algorithm_version"]) == (
        "hmac-sha256-rejection",
        1,
    )
    assert data["verify_url"] == f"http://testserver/verify/{draw.token}/"
    assert data["buyer"] == {"ref": buyer.ref, "name": "Ana 😀 Gómez"}
    assert data["winner"] == algorithm.random_winner(data["seed"], ["007", "042"])


def test_second_draw_is_409_unless_a_redraw_with_a_reason(
    organizer_api, project, drawn
):
    refused = organizer_api.post(
        draw_url(project, 1), {"method": "random"}, format="json"
    )
    redrawn = organizer_api.post(
        draw_url(project, 1),
        {"method": "random", "reason": "Winner unreachable"},
        format="json",
    )

    assert refused.status_code == 409
    assert list(refused.json()) == ["detail"]
    assert "redraw with a reason" in refused.json()["detail"]
    assert redrawn.status_code == 201
    assert (redrawn.json()["draw"], redrawn.json()["reason"]) == (
        2,
        "Winner unreachable",
    )
    assert redrawn.json()["winner"] != drawn.winner_label


@pytest.mark.parametrize(
    ("result", "rule", "winner"),
    [("48013", "none", "013"), ("48050", "none", None), ("48050", "next", "077")],
)
def test_lottery_draw(
    organizer_api, project, raffle_set, buyer, prize, result, rule, winner
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize, lottery="National Lottery", rule=rule)

    response = organizer_api.post(
        draw_url(project, 1),
        {
            "method": "lottery",
            "result": result,
            "source": "https://lottery.example/results",
        },
        format="json",
    )

    data = response.json()
    assert response.status_code == 201
    assert (data["winner"], data["method"], data["unsold_rule"]) == (
        winner,
        "lottery",
        rule,
    )
    assert (data["lottery"], data["lottery_date"]) == (
        "National Lottery",
        timezone.localdate().isoformat(),
    )
    assert (data["result"], data["lottery_number"], data["lottery_digits"]) == (
        result,
        result[-3:],
        3,
    )
    assert data["rule_stated_at"] == prize.lottery_stated_at.isoformat().replace(
        "+00:00", "Z"
    )
    assert (data["seed"], data["algorithm"]) == (None, None)
    assert data["late_count"] == 0


def test_lottery_draw_says_how_many_numbers_were_sold_too_late(
    organizer_api, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013, 077")
    sell(project, buyer, "050")
    state_plan(prize, rule="next")

    response = organizer_api.post(
        draw_url(project, 1),
        {"method": "lottery", "result": "4050", "source": "TV"},
        format="json",
    )
    listed = organizer_api.get(draws_url(project)).json()["results"]

    data = response.json()
    assert (data["winner"], data["eligible_count"], data["late_count"]) == (
        "077",
        2,
        1,
    )
    assert [draw["late_count"] for draw in listed] == [1]


def test_eligible_count_leaves_out_what_the_lottery_draw_will(
    organizer_api, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013, 077")
    sell(project, buyer, "050")
    state_plan(prize, rule="next")
    draws.create_prize(project=project, name="Hamper")

    listed = organizer_api.get(prizes_url(project)).json()["results"]
    response = organizer_api.post(
        draw_url(project, 1),
        {"method": "lottery", "result": "4013", "source": "TV"},
        format="json",
    )

    assert [prize["eligible_count"] for prize in listed] == [2, 3]
    assert [prize["late_count"] for prize in listed] == [1, None]
    assert response.json()["eligible_count"] == 2


@pytest.mark.parametrize(
    "body", [{"method": "random"}, {"method": "manual", "number": "013"}]
)
def test_prize_with_a_lottery_plan_refuses_other_methods(
    organizer_api, project, raffle_set, buyer, prize, body
):
    sell_earlier(project, buyer, "013, 077")
    state_plan(prize)

    response = organizer_api.post(draw_url(project, 1), body, format="json")

    assert response.status_code == 400
    assert response.json()["method"] == [
        "Prize 1 (Bicycle) was announced to be drawn by the lottery “National "
        f"Lottery, first prize” of {date_format(prize.lottery_date)}, so it is "
        "drawn by that lottery's result only. If that lottery cannot decide "
        "it, withdraw the plan first, saying why."
    ]
    assert Draw.objects.count() == 0


def test_lottery_draw_still_takes_the_plan_repeated(
    organizer_api, project, raffle_set, buyer, prize
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, lottery="National Lottery", rule="next")

    response = organizer_api.post(
        draw_url(project, 1),
        {
            "method": "lottery",
            "lottery": "National Lottery",
            "lottery_date": timezone.localdate().isoformat(),
            "unsold_rule": "next",
            "result": "4013",
            "source": "TV",
        },
        format="json",
    )

    assert (response.status_code, response.json()["winner"]) == (201, "013")


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [("lottery", "Lotto", "National Lottery"), ("unsold_rule", "none", "next")],
)
def test_lottery_draw_refuses_another_plan_than_the_stated_one(
    organizer_api, project, raffle_set, buyer, prize, field, value, shown
):
    sell_earlier(project, buyer, "013")
    state_plan(prize, lottery="National Lottery", rule="next")

    response = organizer_api.post(
        draw_url(project, 1),
        {"method": "lottery", "result": "4013", "source": "TV", field: value},
        format="json",
    )

    message = (
        f"Prize 1 (Bicycle) was announced with “{shown}”; the draw must keep to it."
    )
    assert response.status_code == 400
    assert response.json() == {"detail": f"{field}: {message}", field: [message]}
    assert Draw.objects.count() == 0


def test_lottery_draw_without_a_stated_plan_is_refused(
    organizer_api, project, raffle_set, buyer, prize
):
    sell(project, buyer, "013")

    response = organizer_api.post(
        draw_url(project, 1),
        {
            "method": "lottery",
            "lottery": "National Lottery",
            "unsold_rule": "none",
            "result": "4013",
            "source": "TV",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "State the lottery plan on prize 1 (Bicycle) first: the lottery, "
        "its date and the rule for an unsold number, before the lottery's day."
    }
    assert Draw.objects.count() == 0


def test_prize_states_its_lottery_plan_before_the_lottery(
    organizer_api, project, raffle_set, prize
):
    day = timezone.localdate() + datetime.timedelta(days=5)
    plan = {"lottery": "Lotto", "lottery_date": day.isoformat(), "unsold_rule": "next"}

    created = organizer_api.post(
        prizes_url(project), {"name": "Hamper", **plan}, format="json"
    )
    patched = organizer_api.patch(prize_url(project, 1), plan, format="json")

    assert (created.status_code, patched.status_code) == (201, 200)
    for data in (created.json(), patched.json()):
        assert {key: data[key] for key in plan} == plan
        assert data["lottery_stated_at"] is not None


@pytest.mark.parametrize("days", [0, -3])
def test_prize_cannot_state_a_plan_from_the_lottery_day_on(
    organizer_api, project, raffle_set, prize, days
):
    day = timezone.localdate() + datetime.timedelta(days=days)

    response = organizer_api.patch(
        prize_url(project, 1),
        {"lottery": "Lotto", "lottery_date": day.isoformat(), "unsold_rule": "next"},
        format="json",
    )

    prize.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["lottery_date"] == [
        f"State the plan before the lottery's day: {date_format(day)} is not "
        "after today."
    ]
    assert prize.has_lottery_plan is False


def test_prize_plan_is_final_from_the_lottery_day(
    organizer_api, project, raffle_set, prize
):
    state_plan(prize, rule="none")

    response = organizer_api.patch(
        prize_url(project, 1), {"unsold_rule": "next"}, format="json"
    )

    prize.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["unsold_rule"] == [
        f"The lottery plan is final since {date_format(prize.lottery_date)}, the "
        "day of its lottery."
    ]
    assert prize.unsold_rule == "none"


def test_manual_draw_and_its_refusal(organizer_api, project, raffle_set, buyer, prize):
    sell(project, buyer, "007")
    sell(project, buyer, "008", state="reserved")

    refused = organizer_api.post(
        draw_url(project, 1), {"method": "manual", "number": "8"}, format="json"
    )
    drawn = organizer_api.post(
        draw_url(project, 1), {"method": "manual", "number": 7}, format="json"
    )

    assert refused.status_code == 400
    assert refused.json()["number"] == ["Number 008 is reserved, so it cannot win."]
    assert (drawn.status_code, drawn.json()["winner"]) == (201, "007")


@pytest.mark.parametrize("typed", ["²", "٣", "1.5", "-1"])
def test_manual_draw_refuses_other_characters_than_digits(
    organizer_api, project, raffle_set, buyer, prize, typed
):
    sell(project, buyer, "001-003")

    response = organizer_api.post(
        draw_url(project, 1), {"method": "manual", "number": typed}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "number: Type the number drawn, e.g. 007.",
        "number": ["Type the number drawn, e.g. 007."],
    }
    assert Draw.objects.count() == 0


def test_manual_draw_trims_the_number(organizer_api, project, raffle_set, buyer, prize):
    sell(project, buyer, "001-010")

    response = organizer_api.post(
        draw_url(project, 1), {"method": "manual", "number": " 7 "}, format="json"
    )

    assert (response.status_code, response.json()["winner"]) == (201, "007")


@pytest.mark.parametrize(
    "payload",
    [{}, {"method": "dice"}, {"method": "lottery"}, {"method": "manual"}],
)
def test_draw_refuses_bad_input(
    organizer_api, project, raffle_set, buyer, prize, payload
):
    sell(project, buyer, "007")

    response = organizer_api.post(draw_url(project, 1), payload, format="json")

    assert response.status_code == 400
    assert Draw.objects.count() == 0


def test_draw_refuses_zero_eligible(organizer_api, project, raffle_set, prize):
    response = organizer_api.post(
        draw_url(project, 1), {"method": "random"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "No number can win prize 1 (Bicycle): none is eligible."
    )


def test_draw_list_shows_every_draw(organizer_api, organizer, project, drawn):
    draws.redraw(
        prize=drawn.prize, actor=organizer, reason="Unreachable", method="random"
    )

    response = organizer_api.get(draws_url(project))

    results = response.json()["results"]
    labels = [f"{n:03d}" for n in range(1, 11)]
    assert [(d["prize"], d["draw"], d["current"]) for d in results] == [
        (1, 1, False),
        (1, 2, True),
    ]
    assert results[0]["winner"] == drawn.winner_label
    assert (results[0]["method"], results[0]["seed"]) == ("random", drawn.seed)
    assert results[0]["list_sha256"] == algorithm.list_sha256(labels)
    assert (results[0]["algorithm"], results[0]["algorithm_version"]) == (
        "hmac-sha256-rejection",
        1,
    )
    assert results[0]["verify_url"] == f"http://testserver/verify/{drawn.token}/"
    assert results[0]["winner"] == algorithm.random_winner(drawn.seed, labels)
    assert results[1]["reason"] == "Unreachable"
    assert results[1]["list_sha256"] == algorithm.list_sha256(
        [label for label in labels if label != drawn.winner_label]
    )


def test_random_seed_comes_from_the_secrets_module(
    organizer_api, project, raffle_set, buyer, prize, monkeypatch
):
    sell(project, buyer, "001-010")
    seed = "5eed" * 16
    asked = []

    def token_hex(nbytes):
        asked.append(nbytes)
        return seed

    monkeypatch.setattr(algorithm.secrets, "token_hex", token_hex)

    response = organizer_api.post(
        draw_url(project, 1), {"method": "random"}, format="json"
    )

    labels = [f"{n:03d}" for n in range(1, 11)]
    assert asked == [32]
    assert (response.json()["seed"], Draw.objects.get().seed) == (seed, seed)
    assert response.json()["winner"] == algorithm.random_winner(seed, labels)


def test_draw_answers_mark_a_reserved_winner(
    organizer_api, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001")
    sell(project, buyer, "005", state="reserved")
    draws.set_draws_include_reserved(project=project, include_reserved=True)

    drawn = organizer_api.post(
        draw_url(project, 1), {"method": "manual", "number": "5"}, format="json"
    )
    listed = organizer_api.get(draws_url(project)).json()["results"]
    prizes = organizer_api.get(prizes_url(project)).json()["results"]

    answer = drawn.json()
    assert (answer["winner"], answer["winner_reserved"]) == ("005", True)
    assert answer["includes_reserved"] is True
    assert [(d["winner"], d["winner_reserved"]) for d in listed] == [("005", True)]
    assert [(p["winner"], p["winner_reserved"]) for p in prizes] == [("005", True)]


def test_draw_answers_say_a_paid_winner_was_not_reserved(organizer_api, project, drawn):
    listed = organizer_api.get(draws_url(project)).json()["results"]
    prizes = organizer_api.get(prizes_url(project)).json()["results"]

    assert [d["winner_reserved"] for d in listed] == [False]
    assert [p["winner_reserved"] for p in prizes] == [False]


def test_draw_list_query_count_does_not_grow(
    organizer_api, organizer, project, raffle_set, buyer
):
    sell(project, buyer, "001-050")
    prize = draws.create_prize(project=project, name="Car")
    draws.draw_random(prize=prize, actor=organizer)
    for url in (draws_url(project), prizes_url(project)):
        with CaptureQueriesContext(connection) as small:
            organizer_api.get(url)
        for position in range(2, 6):
            more = draws.create_prize(project=project, name=f"Prize {position}")
            draws.draw_random(prize=more, actor=organizer)
        with CaptureQueriesContext(connection) as large:
            response = organizer_api.get(url)

        assert response.status_code == 200
        assert len(large.captured_queries) == len(small.captured_queries)


# Isolation: the owner, another organizer, anonymous


def endpoints(project):
    return [
        ("get", prizes_url(project), None),
        ("post", prizes_url(project), {"name": "Hamper"}),
        ("get", prize_url(project, 1), None),
        ("patch", prize_url(project, 1), {"name": "Renamed"}),
        ("put", prize_url(project, 1), {"name": "Renamed"}),
        ("delete", prize_url(project, 1), None),
        ("post", draw_url(project, 1), {"method": "random", "reason": "x"}),
        ("get", draws_url(project), None),
    ]


def test_endpoints_answer_their_owner(organizer_api, project, drawn):
    for method, url, data in endpoints(project):
        response = getattr(organizer_api, method)(url, data, format="json")
        assert response.status_code in (200, 201, 204, 400), (method, url)
        assert response.status_code != 404


def test_endpoints_are_404_for_another_organizer(
    api_client, other_organizer, project, drawn
):
    api_client.force_authenticate(other_organizer)

    for method, url, data in endpoints(project):
        response = getattr(api_client, method)(url, data, format="json")
        assert response.status_code == 404, (method, url)

    assert list(Prize.objects.values_list("name", flat=True)) == ["Bicycle"]
    assert Draw.objects.count() == 1


def test_endpoints_are_401_without_a_token(api_client, project, drawn):
    for method, url, data in endpoints(project):
        response = getattr(api_client, method)(url, data, format="json")
        assert response.status_code == 401, (method, url)

    assert (Prize.objects.count(), Draw.objects.count()) == (1, 1)


def test_other_organizers_project_with_the_same_ref_stays_apart(
    api_client, other_organizer, project, drawn
):
    theirs = ProjectFactory(owner=other_organizer, name="Theirs")
    RaffleSetFactory(project=theirs)
    api_client.force_authenticate(other_organizer)

    response = api_client.get(draws_url(theirs))

    assert theirs.ref == project.ref
    assert response.json()["results"] == []
