"""A set's padding: fixed when the set is created, changed only on purpose.

Labels are printed on paper booklets and announced with the winners, so
growing or shrinking a set never rewrites them, and an explicit change is
refused once a number was drawn or a lottery plan stated.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws, services
from raffles.models import Raffle, RaffleEvent, RaffleSet
from raffles.tests.draws.helpers import state_plan

pytestmark = pytest.mark.django_db

DRAWN = (
    "The padding cannot change: number 501 has been drawn as a winner, and "
    "the numbers must stay written as announced."
)
PLANNED = (
    "The padding cannot change: prize 1 (Car) has a stated lottery plan, and "
    "the numbers must stay written as printed."
)


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa Escuela")


@pytest.fixture
def booklets(project):
    """Talonarios: numbers 500-999, padding left empty (3)."""
    return services.create_raffle_set(
        project=project,
        name="Talonarios",
        kind="paper",
        unit_price="2.00",
        first_number=500,
        quantity=500,
    )


@pytest.fixture
def drawn(project, booklets, organizer):
    """Number 501 paid and drawn by hand as the winner of prize 1."""
    buyer = BuyerFactory(owner=organizer)
    services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers="501",
        actor=organizer,
        state="paid",
        method="cash",
    )
    prize = draws.create_prize(project=project, name="Car")
    return draws.draw_manual(prize=prize, actor=organizer, number="501")


@pytest.fixture
def planned(project, booklets):
    return draws.create_prize(
        project=project,
        name="Car",
        lottery="National Lottery, first prize",
        lottery_date=timezone.localdate() + datetime.timedelta(days=10),
        unsold_rule="next",
    )


def labels(project, *numbers):
    raffles = Raffle.objects.filter(project=project, number__in=numbers)
    return [raffle.label for raffle in raffles.select_related("raffle_set")]


def test_padding_left_empty_is_the_digits_of_the_last_number(booklets):
    assert (booklets.padding, booklets.range_label) == (3, "500-999")


def test_grow_then_shrink_keeps_the_labels(project, booklets):
    services.update_raffle_set(raffle_set=booklets, quantity=600)
    grown = RaffleSet.objects.get(pk=booklets.pk)
    services.update_raffle_set(raffle_set=booklets, quantity=400)
    shrunk = RaffleSet.objects.get(pk=booklets.pk)

    assert (grown.padding, grown.range_label, grown.label_width) == (
        3,
        "500-1099",
        4,
    )
    assert (shrunk.padding, shrunk.range_label) == (3, "500-899")
    assert labels(project, 500, 899) == ["500", "899"]


def test_numbers_wider_than_the_padding_can_be_typed(project, booklets, organizer):
    services.update_raffle_set(raffle_set=booklets, quantity=600)

    found = services.resolve_labels(project, "999-1001")
    with pytest.raises(ValidationError) as refused:
        services.resolve_labels(project, "01000")

    assert found == {999: "999", 1000: "1000", 1001: "1001"}
    assert refused.value.message_dict == {
        "numbers": ["Too many digits for this project's numbers: 01000."]
    }


def test_a_drawn_winner_reads_as_its_number_after_the_set_grows(
    project, booklets, drawn
):
    services.update_raffle_set(raffle_set=booklets, quantity=600)

    assert (drawn.winner_label, labels(project, 501)) == ("501", ["501"])


def test_padding_can_change_before_any_draw_or_plan(project, booklets):
    services.update_raffle_set(raffle_set=booklets, padding=4)

    booklets.refresh_from_db()
    assert (booklets.padding, booklets.range_label) == (4, "0500-0999")
    assert labels(project, 500) == ["0500"]


@pytest.mark.parametrize(
    ("settled", "message"), [("drawn", DRAWN), ("planned", PLANNED)]
)
def test_padding_cannot_change_once_drawn_or_planned(
    request, project, booklets, settled, message
):
    request.getfixturevalue(settled)

    with pytest.raises(ValidationError) as refused:
        services.update_raffle_set(raffle_set=booklets, padding=4, quantity=600)

    booklets.refresh_from_db()
    assert refused.value.message_dict == {"padding": [message]}
    assert (booklets.padding, booklets.range_label) == (3, "500-999")


@pytest.mark.parametrize("settled", ["drawn", "planned"])
def test_the_same_padding_is_no_change_once_drawn_or_planned(
    request, project, booklets, settled
):
    request.getfixturevalue(settled)

    services.update_raffle_set(raffle_set=booklets, padding=3, unit_price="3.00")

    booklets.refresh_from_db()
    assert (booklets.padding, str(booklets.unit_price)) == (3, "3.00")


def test_growing_within_the_planned_digits_is_allowed(project, booklets, planned):
    services.update_raffle_set(raffle_set=booklets, quantity=400)
    services.update_raffle_set(raffle_set=booklets, quantity=500)

    booklets.refresh_from_db()
    assert booklets.range_label == "500-999"


# The same rules through the web page, the API and the admin


def web_edit(client, **changes):
    data = {
        "name": "Talonarios",
        "kind": "paper",
        "unit_price": "2.00",
        "first_number": "500",
        "quantity": "500",
        "padding": "3",
        **changes,
    }
    return client.post("/projects/1/sets/1/edit/", data)


def test_web_edit_with_an_empty_padding_keeps_it(organizer_client, booklets):
    web_edit(organizer_client, quantity="600", padding="")
    web_edit(organizer_client, quantity="400", padding="")

    response = organizer_client.get("/projects/1/sets/1/")

    booklets.refresh_from_db()
    assert (booklets.padding, booklets.range_label) == (3, "500-899")
    assert [raffle.label for raffle in response.context["grid"].raffles[:2]] == [
        "500",
        "501",
    ]


def test_web_edit_refuses_a_padding_change_after_a_draw(
    organizer_client, booklets, drawn
):
    response = web_edit(organizer_client, padding="4")

    booklets.refresh_from_db()
    assert response.context["form"].errors == {"padding": [DRAWN]}
    assert booklets.padding == 3


def test_api_put_and_patch_without_a_padding_keep_it(organizer_api, booklets):
    url = "/api/projects/1/sets/1/"
    body = {"name": "Talonarios", "unit_price": "2.00", "first_number": 500}

    grown = organizer_api.put(url, {**body, "quantity": 600}, format="json")
    shrunk = organizer_api.patch(url, {"quantity": 400, "padding": None}, format="json")
    number = organizer_api.get("/api/projects/1/numbers/500/")

    assert (grown.json()["padding"], grown.json()["range"]) == (3, "500-1099")
    assert (shrunk.json()["padding"], shrunk.json()["range"]) == (3, "500-899")
    assert number.json()["label"] == "500"


def test_api_refuses_a_padding_change_once_planned(organizer_api, booklets, planned):
    response = organizer_api.patch(
        "/api/projects/1/sets/1/", {"padding": 4}, format="json"
    )

    booklets.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["padding"] == [PLANNED]
    assert booklets.padding == 3


def admin_edit(client, booklets, **changes):
    data = {
        "name": "Talonarios",
        "kind": "paper",
        "unit_price": "2.00",
        "first_number": 500,
        "quantity": 500,
        "padding": 3,
        **changes,
    }
    url = reverse("admin:raffles_raffleset_change", args=[booklets.pk])
    return client.post(url, data)


def test_admin_edit_with_an_empty_padding_keeps_it(admin_client, booklets):
    response = admin_edit(admin_client, booklets, quantity=600, padding="")

    booklets.refresh_from_db()
    assert response.status_code == 302
    assert (booklets.padding, booklets.range_label) == (3, "500-1099")


def test_admin_refuses_a_padding_change_after_a_draw(admin_client, booklets, drawn):
    response = admin_edit(admin_client, booklets, padding=4)

    booklets.refresh_from_db()
    assert response.context["adminform"].form.errors == {"padding": [DRAWN]}
    assert booklets.padding == 3


def test_the_set_giving_a_stated_plan_its_digits_stays(project, booklets, planned):
    narrow = services.create_raffle_set(
        project=project, name="Online", unit_price="2.00", first_number=0, quantity=99
    )

    with pytest.raises(ValidationError) as refused:
        services.delete_raffle_set(raffle_set=booklets)
    services.delete_raffle_set(raffle_set=narrow)

    assert refused.value.messages == [
        "Prize 1 (Car) has a stated lottery plan that compares the last 3 digits, "
        "the width of this set's numbers: deleting it would change them."
    ]
    assert list(RaffleSet.objects.values_list("name", flat=True)) == ["Talonarios"]


def test_a_lottery_compares_the_widest_label_not_the_padding(project, organizer):
    """With padding 3 and numbers up to 1099, a lottery result is compared on
    4 digits: on 3, number 1013 could never win."""
    wide = services.create_raffle_set(
        project=project,
        name="Talonarios",
        unit_price="2.00",
        first_number=0,
        quantity=1100,
        padding=3,
    )
    buyer = BuyerFactory(owner=organizer)
    services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers="013, 1013",
        actor=organizer,
        state="paid",
        method="cash",
    )
    RaffleEvent._base_manager.filter(raffle__project=project).update(
        at=F("at") - datetime.timedelta(days=30)
    )
    prize = state_plan(draws.create_prize(project=project, name="Car"), rule="none")

    draw = draws.draw_lottery(prize=prize, actor=organizer, result="51013", source="TV")

    assert (wide.label(13), draw.lottery_digits, draw.lottery_number) == (
        "013",
        4,
        "1013",
    )
    assert draw.winner_label == "1013"


def test_shrinking_the_widest_set_cannot_narrow_a_planned_lottery(project, organizer):
    """0000-1999 written with padding 3: shrinking it to 999 would make a
    stated plan compare 3 digits instead of 4."""
    wide = services.create_raffle_set(
        project=project,
        name="Talonarios",
        unit_price="2.00",
        first_number=0,
        quantity=2000,
        padding=3,
    )
    draws.create_prize(
        project=project,
        name="Car",
        lottery="National Lottery, first prize",
        lottery_date=timezone.localdate() + datetime.timedelta(days=10),
        unsold_rule="next",
    )

    with pytest.raises(ValidationError) as refused:
        services.update_raffle_set(raffle_set=wide, quantity=1000)

    assert refused.value.message_dict == {
        "quantity": [
            "Prize 1 (Car) has a stated lottery plan that compares the last 4 "
            "digits, the width of this set's numbers, so its numbers cannot all "
            "become narrower."
        ]
    }
    wide.refresh_from_db()
    assert wide.quantity == 2000
    services.update_raffle_set(raffle_set=wide, quantity=1500)  # still 4 wide


def test_the_only_set_cannot_go_while_a_plan_is_stated(
    organizer_client, project, booklets, planned
):
    url = reverse("raffles:set_delete", args=[project.ref, booklets.ref])

    with pytest.raises(ValidationError):
        services.delete_raffle_set(raffle_set=booklets)
    page = organizer_client.get(url).content.decode()

    assert "deleting it would change them." in page
    assert not services.set_can_be_deleted(booklets)
    assert RaffleSet.objects.filter(pk=booklets.pk).exists()
