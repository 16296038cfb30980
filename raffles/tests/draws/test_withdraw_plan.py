"""A final lottery plan the lottery cannot decide is withdrawn, on record.

The lottery may be cancelled or postponed, or every number it could pick
sold on its day: without a way out, the prize could never be drawn, edited
or deleted, and its numbers never released.
"""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from raffles import draws, services
from raffles.models import Draw, WithdrawnPlan
from raffles.tests.draws.helpers import sell, sell_earlier, state_plan

REASON = "La lotería se aplazó ⏳"


def withdraw_url(project, prize):
    return reverse("raffles:withdraw_plan", args=[project.ref, prize.position])


@pytest.fixture
def final(project, raffle_set, buyer, prize):
    """013 and 077 sold a month ago; today is the day of the prize's lottery."""
    sell_earlier(project, buyer, "013, 077")
    return state_plan(prize, lottery="Lotería de Medellín", rule="next")


def test_withdrawing_keeps_the_plan_on_record_and_frees_the_prize(
    final, organizer, project
):
    stated = final.lottery_stated_at

    withdrawn = draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    final.refresh_from_db()
    assert not final.has_lottery_plan
    assert (final.lottery, final.lottery_date, final.unsold_rule) == ("", None, "")
    assert (
        withdrawn.lottery,
        withdrawn.lottery_date,
        withdrawn.unsold_rule,
        withdrawn.stated_at,
        withdrawn.reason,
        withdrawn.withdrawn_by,
    ) == (
        "Lotería de Medellín",
        timezone.localdate(),
        "next",
        stated,
        REASON,
        organizer,
    )
    draw = draws.draw_random(prize=final, actor=organizer)
    assert draw.winner_label in {"013", "077"}
    assert draw.withdrawn_plans_before == [withdrawn]


def test_a_prize_whose_every_number_was_sold_on_its_lottery_day_is_not_stuck(
    project, raffle_set, buyer, prize, organizer
):
    sell(project, buyer, "013")
    state_plan(prize)
    with pytest.raises(ValidationError) as error:
        draws.draw_lottery(prize=prize, actor=organizer, result="4013", source="TV")
    assert error.value.code == "empty"

    draws.withdraw_plan(prize=prize, actor=organizer, reason="Every sale was late")
    draw = draws.draw_manual(prize=prize, actor=organizer, number="013")

    assert draw.winner_label == "013"


def test_the_numbers_can_leave_once_the_plan_is_withdrawn(final, organizer, project):
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    raffle = project.raffles.get(number=13)
    services.refund_number(raffle=raffle, actor=organizer, reason="Gone")

    assert project.raffles.get(number=13).state == "available"


def test_a_plan_before_its_day_is_changed_not_withdrawn(
    project, raffle_set, prize, organizer
):
    day = timezone.localdate() + datetime.timedelta(days=1)
    state_plan(prize, date=day)

    with pytest.raises(ValidationError) as error:
        draws.withdraw_plan(prize=prize, actor=organizer, reason=REASON)

    assert error.value.messages == [
        f"The lottery of prize 1 (Bicycle) is on {date_format(day)}: until that "
        "day, change or remove its plan on the prize."
    ]
    assert WithdrawnPlan.objects.count() == 0


def test_no_plan_nothing_to_withdraw(project, raffle_set, prize, organizer, final):
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    with pytest.raises(ValidationError) as error:
        draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    assert error.value.messages == [
        "Prize 1 (Bicycle) has no lottery plan to withdraw."
    ]
    assert WithdrawnPlan.objects.count() == 1


def test_a_plan_drawn_under_is_not_withdrawn(final, organizer):
    draws.draw_lottery(prize=final, actor=organizer, result="4013", source="TV")

    with pytest.raises(ValidationError) as error:
        draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    assert error.value.messages == [
        "Prize 1 (Bicycle) has been drawn by its lottery plan, which stays on "
        "that draw's record."
    ]


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("  ", "Say why the lottery plan is withdrawn."),
        ("x" * 501, "Keep the reason under 500 characters."),
    ],
)
def test_withdrawing_needs_a_reason(final, organizer, reason, message):
    with pytest.raises(ValidationError) as error:
        draws.withdraw_plan(prize=final, actor=organizer, reason=reason)

    assert error.value.message_dict == {"reason": [message]}
    final.refresh_from_db()
    assert final.has_lottery_plan


# Pages


def test_draw_page_links_to_withdrawing_only_when_the_plan_is_final(
    organizer_client, final, project
):
    url = reverse("raffles:draw_prize", args=[project.ref, final.position])

    page = organizer_client.get(url).content.decode()

    assert f'href="{withdraw_url(project, final)}"' in page


def test_withdraw_page_shows_the_plan_and_asks_for_a_reason(
    organizer_client, final, project
):
    page = organizer_client.get(withdraw_url(project, final))
    refused = organizer_client.post(withdraw_url(project, final), {"reason": ""})

    text = " ".join(page.content.decode().split())
    assert "Withdraw the lottery plan of prize 1: Bicycle?" in text
    assert f"Lotería de Medellín, {date_format(final.lottery_date)}" in text
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    final.refresh_from_db()
    assert final.has_lottery_plan


def test_withdraw_page_withdraws_and_goes_back_to_the_draw(
    organizer_client, final, project
):
    response = organizer_client.post(
        withdraw_url(project, final), {"reason": REASON}, follow=True
    )

    assert response.redirect_chain == [
        (reverse("raffles:draw_prize", args=[project.ref, 1]), 302)
    ]
    assert "The lottery plan of prize “Bicycle” is withdrawn" in (
        response.content.decode()
    )
    assert 'value="random"' in response.content.decode()
    assert f"because: {REASON}" in response.content.decode()


def test_withdraw_page_without_a_final_plan_says_so(organizer_client, project, prize):
    page = organizer_client.get(withdraw_url(project, prize)).content.decode()

    assert "Prize 1 (Bicycle) has no lottery plan to withdraw." in page
    assert "<form" not in page.split("</header>")[-1]


def test_later_draws_show_the_withdrawn_plan_publicly(
    client, organizer_client, final, organizer, project
):
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)
    draw = draws.draw_random(prize=final, actor=organizer)
    record_url = reverse("raffles:draw_record", args=[project.ref, 1, 1])

    public = " ".join(
        client.get(reverse("verify:draw", args=[draw.token])).content.decode().split()
    )
    printed = " ".join(organizer_client.get(record_url).content.decode().split())
    record = json.loads(client.get(reverse("verify:record", args=[draw.token])).content)

    line = f"“Lotería de Medellín” of {date_format(final.lottery_date)}, withdrawn on"
    assert line in public and line in printed
    assert f"by {organizer.username} because: {REASON}" in public
    assert [
        (plan["lottery"], plan["withdrawn_by"], plan["reason"])
        for plan in record["withdrawn_plans"]
    ] == [("Lotería de Medellín", organizer.username, REASON)]


def test_an_earlier_draw_lists_no_plan_withdrawn_after_it(final, organizer):
    first = draws.draw_lottery(prize=final, actor=organizer, result="4013", source="TV")
    Draw._base_manager.filter(pk=first.pk).update(
        drawn_at=first.drawn_at - datetime.timedelta(days=2)
    )
    state_plan(final, lottery="Lotería de Bogotá", ahead=1)
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    first.refresh_from_db()
    assert first.withdrawn_plans_before == []


# API


def test_api_withdraws_a_final_plan(organizer_api, final, organizer, project):
    url = f"/api/projects/{project.ref}/prizes/1/withdraw-plan/"

    response = organizer_api.post(url, {"reason": REASON}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["lottery"], body["unsold_rule"], body["reason"]) == (
        "Lotería de Medellín",
        "next",
        REASON,
    )
    assert body["withdrawn_by"] == organizer.username
    prize = organizer_api.get(f"/api/projects/{project.ref}/prizes/1/").json()
    assert prize["lottery"] == ""
    assert prize["withdrawn_plans"] == [body]


def test_api_draws_list_the_plans_withdrawn_before_them(
    organizer_api, final, organizer, project
):
    first = draws.draw_lottery(prize=final, actor=organizer, result="4013", source="TV")
    Draw._base_manager.filter(pk=first.pk).update(
        drawn_at=first.drawn_at - datetime.timedelta(days=2)
    )
    state_plan(final, lottery="Lotería de Bogotá", ahead=1)
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)
    draws.redraw(
        prize=final, actor=organizer, reason="Winner unreachable", method="random"
    )

    listed = organizer_api.get(f"/api/projects/{project.ref}/draws/").json()

    assert [
        [plan["lottery"] for plan in draw["withdrawn_plans"]]
        for draw in listed["results"]
    ] == [[], ["Lotería de Bogotá"]]
    assert listed["results"][1]["withdrawn_plans"][0]["reason"] == REASON


@pytest.mark.parametrize(
    "address",
    ["/api/projects/1/prizes/", "/api/projects/1/prizes/1/", "/api/projects/1/draws/"],
)
def test_api_withdrawn_plans_cost_one_query_whatever_their_number(
    organizer_api,
    organizer,
    project,
    raffle_set,
    buyer,
    django_assert_num_queries,
    address,
):
    def prize_with_withdrawn_plans(name, count):
        prize = draws.create_prize(project=project, name=name)
        for index in range(count):
            state_plan(prize, lottery=f"Lottery {index}")
            draws.withdraw_plan(prize=prize, actor=organizer, reason=REASON)
        draws.draw_random(prize=prize, actor=organizer)

    sell_earlier(project, buyer, "001, 002, 003, 004")
    prize_with_withdrawn_plans("Bicycle", 1)
    organizer_api.get(address)
    with CaptureQueriesContext(connection) as small:
        assert organizer_api.get(address).status_code == 200
    prize_with_withdrawn_plans("Radio", 3)
    prize_with_withdrawn_plans("Kite", 2)

    with django_assert_num_queries(len(small.captured_queries)):
        response = organizer_api.get(address)

    assert response.status_code == 200


def test_api_refuses_withdrawing_before_the_lottery_day(
    organizer_api, project, raffle_set, prize
):
    state_plan(prize, date=timezone.localdate() + datetime.timedelta(days=2))
    url = f"/api/projects/{project.ref}/prizes/1/withdraw-plan/"

    response = organizer_api.post(url, {"reason": REASON}, format="json")

    assert response.status_code == 400
    assert "change or remove its plan on the prize" in response.json()["detail"]


def test_api_withdrawing_another_organizers_prize_is_404(
    api_client, other_organizer, final, project
):
    api_client.force_authenticate(other_organizer)
    url = f"/api/projects/{project.ref}/prizes/1/withdraw-plan/"

    response = api_client.post(url, {"reason": REASON}, format="json")

    assert response.status_code == 404
    final.refresh_from_db()
    assert final.has_lottery_plan


# Admin


def test_admin_prize_page_lists_withdrawn_plans(admin_client, final, organizer):
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    page = admin_client.get(reverse("admin:raffles_prize_change", args=[final.pk]))

    assert page.status_code == 200
    assert REASON in page.content.decode()


def test_a_prize_with_a_withdrawn_plan_stays(organizer_client, final, organizer):
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    with pytest.raises(ValidationError) as error:
        draws.delete_prize(prize=final)
    prizes = organizer_client.get(reverse("raffles:prizes", args=[final.project.ref]))

    assert error.value.messages == [
        "A lottery plan of prize 1 (Bicycle) was withdrawn, and stays on record "
        "with the prize, so you cannot delete it."
    ]
    delete_url = reverse("raffles:prize_delete", args=[final.project.ref, 1])
    assert f'href="{delete_url}"' not in prizes.content.decode()
    assert WithdrawnPlan.objects.filter(prize=final).exists()


def test_deleting_the_project_takes_its_withdrawn_plans(final, organizer, project):
    draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    project.delete()  # as the organizer's own deletion cascades

    assert WithdrawnPlan.objects.count() == 0


def test_admin_lists_withdrawn_plans_read_only(admin_client, final, organizer):
    withdrawn = draws.withdraw_plan(prize=final, actor=organizer, reason=REASON)

    listed = admin_client.get(reverse("admin:raffles_withdrawnplan_changelist"))
    found = admin_client.get(
        reverse("admin:raffles_withdrawnplan_changelist"), {"q": "aplazó"}
    )
    shown = admin_client.get(
        reverse("admin:raffles_withdrawnplan_change", args=[withdrawn.pk])
    )

    assert listed.status_code == shown.status_code == 200
    assert "Lotería de Medellín" in listed.content.decode()
    assert found.context["cl"].result_count == 1
    assert REASON in shown.content.decode()
    assert 'name="_save"' not in shown.content.decode()
