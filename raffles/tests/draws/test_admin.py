"""Admin of prizes and draws: writes go through the services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.tests.factories import UserFactory
from raffles import admin_draws, draws
from raffles.models import Draw, Prize
from raffles.tests.draws.helpers import sell, state_plan

pytestmark = pytest.mark.usefixtures("pages")


@pytest.fixture
def admin_client(client, db):
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def prize_form(project, **values):
    return {
        "project": project.pk,
        "name": "Hamper",
        "description": "",
        "order": "",
        "lottery": "",
        "lottery_date": "",
        "unsold_rule": "",
        **values,
    }


def test_admin_registers_prizes_and_draws():
    from django.contrib import admin

    assert isinstance(admin.site._registry[Prize], admin_draws.PrizeAdmin)
    assert isinstance(admin.site._registry[Draw], admin_draws.DrawAdmin)


def test_admin_adds_a_prize_through_the_service(admin_client, project, prize):
    response = admin_client.post(
        reverse("admin:raffles_prize_add"), prize_form(project, order="1")
    )

    assert response.status_code == 302
    assert list(Prize.objects.values_list("position", "name")) == [
        (1, "Hamper"),
        (2, "Bicycle"),
    ]


def test_admin_shows_service_errors_next_to_fields(admin_client, project, prize):
    response = admin_client.post(
        reverse("admin:raffles_prize_add"),
        prize_form(project, order="7", lottery="Lotto"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Give the date of the lottery&#x27;s draw." in content
    assert Prize.objects.count() == 1


def test_admin_states_a_lottery_plan_through_the_service(admin_client, project, prize):
    day = timezone.localdate() + datetime.timedelta(days=3)

    response = admin_client.post(
        reverse("admin:raffles_prize_change", args=[prize.pk]),
        prize_form(
            project,
            name="Bicycle",
            order="1",
            lottery="Lotto",
            lottery_date=day.isoformat(),
            unsold_rule="next",
        ),
    )

    prize.refresh_from_db()
    assert response.status_code == 302
    assert (prize.lottery, prize.lottery_date, prize.plan_days_ahead) == (
        "Lotto",
        day,
        3,
    )


def test_admin_refuses_changing_a_final_lottery_plan(admin_client, project, prize):
    state_plan(prize, lottery="Lotto", rule="none")

    response = admin_client.post(
        reverse("admin:raffles_prize_change", args=[prize.pk]),
        prize_form(
            project,
            name="Bicycle",
            order="1",
            lottery="Lotto",
            lottery_date=prize.lottery_date.isoformat(),
            unsold_rule="next",
        ),
    )

    prize.refresh_from_db()
    day = date_format(prize.lottery_date)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "unsold_rule": [
            f"The lottery plan is final since {day}, the day of its lottery."
        ]
    }
    assert prize.unsold_rule == "none"


def test_admin_shows_a_position_out_of_range(admin_client, project, prize):
    response = admin_client.post(
        reverse("admin:raffles_prize_add"), prize_form(project, order="7")
    )

    assert response.status_code == 200
    assert "Choose a position from 1 to 2." in response.content.decode()
    assert Prize.objects.count() == 1


def test_admin_refuses_changing_the_sets_of_a_drawn_prize(
    admin_client, organizer, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001")
    draws.draw_random(prize=prize, actor=organizer)
    url = reverse("admin:raffles_prize_change", args=[prize.pk])

    response = admin_client.post(
        url, prize_form(project, name="Bicycle", raffle_sets=[raffle_set.pk])
    )

    assert response.status_code == 200
    assert "has been drawn, so you cannot change its sets." in response.content.decode()
    assert list(prize.raffle_sets.all()) == []


def test_admin_cannot_delete_a_drawn_prize(
    admin_client, organizer, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001")
    draws.draw_random(prize=prize, actor=organizer)

    response = admin_client.post(
        reverse("admin:raffles_prize_delete", args=[prize.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Prize.objects.count() == 1


def test_admin_cannot_delete_a_prize_with_a_final_plan(admin_client, project, prize):
    state_plan(prize)

    response = admin_client.post(
        reverse("admin:raffles_prize_delete", args=[prize.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Prize.objects.count() == 1


def test_admin_refuses_changing_the_sets_of_a_prize_with_a_final_plan(
    admin_client, project, raffle_set, prize
):
    state_plan(prize, lottery="Lotto", rule="none")

    response = admin_client.post(
        reverse("admin:raffles_prize_change", args=[prize.pk]),
        prize_form(
            project,
            name="Bicycle",
            order="1",
            raffle_sets=[raffle_set.pk],
            lottery="Lotto",
            lottery_date=prize.lottery_date.isoformat(),
            unsold_rule="none",
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "raffle_sets": [
            "The lottery plan of prize 1 (Bicycle) is final since "
            f"{date_format(prize.lottery_date)}, the day of its lottery, so you "
            "cannot change its sets."
        ]
    }
    assert list(prize.raffle_sets.all()) == []


def test_admin_deletes_an_undrawn_prize_closing_the_gap(admin_client, project, prize):
    draws.create_prize(project=project, name="Hamper")

    admin_client.post(
        reverse("admin:raffles_prize_delete", args=[prize.pk]), {"post": "yes"}
    )

    assert list(Prize.objects.values_list("position", "name")) == [(1, "Hamper")]


def test_admin_draws_are_read_only(
    admin_client, organizer, project, raffle_set, buyer, prize
):
    sell(project, buyer, "001")
    draw = draws.draw_random(prize=prize, actor=organizer)

    listing = admin_client.get(reverse("admin:raffles_draw_changelist"))
    detail = admin_client.get(reverse("admin:raffles_draw_change", args=[draw.pk]))
    adding = admin_client.get(reverse("admin:raffles_draw_add"))
    changing = admin_client.post(
        reverse("admin:raffles_draw_change", args=[draw.pk]), {"winner_label": "002"}
    )

    assert listing.status_code == 200
    assert "organizer" in listing.content.decode()
    assert detail.status_code == 200
    assert reverse("verify:draw", args=[draw.token]) in detail.content.decode()
    assert (adding.status_code, changing.status_code) == (403, 403)
    assert Draw.objects.get().winner_label == "001"


def test_admin_lists_show_the_owner(admin_client, project, prize):
    response = admin_client.get(reverse("admin:raffles_prize_changelist"))

    assert response.status_code == 200
    assert "organizer" in response.content.decode()
