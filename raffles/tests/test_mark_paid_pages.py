import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.formats import date_format

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.models import Payment, Raffle, RaffleEvent
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

URL = "/projects/1/mark-paid/"


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer, name="Spring fair")
    RaffleSetFactory(
        project=project, name="Main", quantity=1000, unit_price=Decimal("10.00")
    )
    return project


@pytest.fixture
def ana(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")


@pytest.fixture
def luis(organizer):
    return BuyerFactory(owner=organizer, first_name="Luis", last_name="Peña")


def sell(project, buyer, numbers, state="reserved"):
    return services.sell_numbers(
        project=project, buyer=buyer, numbers=numbers, actor=project.owner, state=state
    )


def posted(**changes):
    data = {
        "numbers": "1-2, 5",
        "method": "mobile",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "Transfer 88",
        "reviewed": "001-002, 005",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def states(project):
    raffles = Raffle.objects.filter(project=project).exclude(state="available")
    return dict(raffles.order_by("number").values_list("number", "state"))


def text_of(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def reserved(project, ana, luis):
    sell(project, ana, "1-2")
    sell(project, luis, "5")
    services.record_payment(
        raffle=Raffle.objects.get(project=project, number=2),
        amount="4.00",
        method="cash",
        actor=project.owner,
    )


def test_mark_paid_page_shows_what_each_buyer_owes(
    organizer_client, project, reserved, ana, luis
):
    response = organizer_client.get(
        URL + "?numbers=001&numbers=002&numbers=005&next=/projects/1/sets/1/"
    )

    rows = [
        (row["buyer"], row["labels"], row["owed"])
        for row in response.context["selection"].by_buyer()
    ]
    assert rows == [
        (ana, "001-002", Decimal("16.00")),
        (luis, "005", Decimal("10.00")),
    ]
    html = text_of(response)
    assert '<input type="hidden" name="reviewed" value="001-002, 005">' in html
    assert "Mark 3 numbers paid (26.00 USD)" in html
    assert '<input type="hidden" name="next" value="/projects/1/sets/1/">' in html


def test_mark_paid_pays_the_reviewed_numbers(
    organizer_client, organizer, project, reserved
):
    response = organizer_client.post(URL, posted(next="/projects/1/sets/1/"))

    assert response.status_code == 302
    assert response["Location"] == "/projects/1/sets/1/"
    assert states(project) == {1: "paid", 2: "paid", 5: "paid"}
    payments = Payment.objects.filter(method="mobile").order_by("raffle__number")
    assert [(p.raffle.number, p.amount, p.reference) for p in payments] == [
        (1, Decimal("10.00"), "Transfer 88"),
        (2, Decimal("6.00"), "Transfer 88"),
        (5, Decimal("10.00"), "Transfer 88"),
    ]
    assert [p.recorded_by for p in payments] == [organizer] * 3
    follow = organizer_client.get(response["Location"])
    assert [str(m) for m in follow.context["messages"]] == [
        "Marked 001-002, 005 paid: 3 numbers, 26.00 USD."
    ]


def test_mark_paid_keeps_the_payment_date(organizer_client, project, reserved):
    Raffle.objects.filter(project=project).update(
        reserved_at=timezone.make_aware(datetime.datetime(2026, 2, 1, 12))
    )

    organizer_client.post(URL, posted(paid_on="2026-02-14"))

    dates = {
        timezone.localdate(p.paid_at) for p in Payment.objects.filter(method="mobile")
    }
    assert [str(day) for day in dates] == ["2026-02-14"]


def test_mark_paid_refuses_a_date_before_a_reservation(
    organizer_client, project, reserved
):
    day = timezone.localdate()

    response = organizer_client.post(URL, posted(paid_on="2026-02-14"))

    shown = date_format(day)
    assert response.context["form"].errors["paid_on"] == [
        f"Number 001 was reserved on {shown}: date its payment on {shown} or later."
    ]
    assert Payment.objects.filter(method="mobile").count() == 0


def test_mark_paid_previews_numbers_not_yet_reviewed(
    organizer_client, project, reserved
):
    response = organizer_client.post(URL, posted(reviewed=None))

    assert response.status_code == 200
    assert response.context["reviewable"] is True
    assert 'name="reviewed" value="001-002, 005"' in text_of(response)
    assert states(project) == {1: "reserved", 2: "reserved", 5: "reserved"}


def test_mark_paid_previews_again_when_the_numbers_changed(
    organizer_client, project, reserved
):
    response = organizer_client.post(URL, posted(numbers="1-2", reviewed="001"))

    assert response.status_code == 200
    assert 'name="reviewed" value="001-002"' in text_of(response)
    assert states(project) == {1: "reserved", 2: "reserved", 5: "reserved"}


def test_mark_paid_names_numbers_that_are_not_reserved_and_changes_nothing(
    organizer_client, project, reserved, ana
):
    sell(project, ana, "7", state="paid")
    history = RaffleEvent.objects.count()

    response = organizer_client.post(
        URL, posted(numbers="1-2, 6-7", reviewed="001-002, 006-007")
    )

    assert response.context["form"].errors == {
        "numbers": [
            "Numbers 006 (available), 007 (paid) are not reserved, so they cannot "
            "be marked paid."
        ]
    }
    assert response.context["reviewable"] is False
    assert states(project) == {1: "reserved", 2: "reserved", 5: "reserved", 7: "paid"}
    assert RaffleEvent.objects.count() == history


def test_mark_paid_page_warns_about_ticked_numbers_not_reserved(
    organizer_client, project, reserved
):
    response = organizer_client.get(URL, {"numbers": "1-3"})

    assert [r.label for r in response.context["refused"]] == ["003"]
    assert (
        'Not reserved, so they cannot be marked paid: <span class="label">003</span> '
        "(available)"
    ) in text_of(response)


@pytest.mark.parametrize(
    "changes, errors",
    [
        ({"numbers": ""}, {"numbers": ["This field is required."]}),
        (
            {"numbers": "1, x"},
            {"numbers": ["“x” is not a number or a range like 100-105."]},
        ),
        ({"numbers": "5000"}, {"numbers": ["Not in any set of this project: 5000."]}),
        (
            {"method": "cheque"},
            {
                "method": [
                    "Select a valid choice. cheque is not one of the available choices."
                ]
            },
        ),
        ({"paid_on": "31/31/2026"}, {"paid_on": ["Enter a valid date."]}),
    ],
)
def test_mark_paid_refuses_bad_input(
    organizer_client, project, reserved, changes, errors
):
    response = organizer_client.post(URL, posted(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert states(project) == {1: "reserved", 2: "reserved", 5: "reserved"}


@pytest.mark.parametrize("size", [3, 60])
def test_mark_paid_page_query_count_is_constant(
    organizer_client, organizer, project, django_assert_num_queries, size
):
    for number in range(size):
        sell(project, BuyerFactory(owner=organizer), str(number))

    # Session, user, project, the project's sets, the numbers with buyers.
    with django_assert_num_queries(5):
        response = organizer_client.get(URL, {"numbers": f"0-{size - 1}"})

    assert response.context["selection"].count == size


# Isolation


def test_mark_paid_page_is_shown_to_its_owner(organizer_client, project):
    assert organizer_client.get(URL).status_code == 200


def test_mark_paid_is_not_found_for_another_organizer(
    client, other_organizer, project, reserved
):
    client.force_login(other_organizer)

    page = client.get(URL, {"numbers": "1"})
    action = client.post(URL, posted())

    assert (page.status_code, action.status_code) == (404, 404)
    assert states(project) == {1: "reserved", 2: "reserved", 5: "reserved"}


def test_mark_paid_sends_anonymous_visitors_to_log_in(client, project, reserved):
    page = client.get(URL)
    action = client.post(URL, posted())

    assert page.url.startswith(resolve_url(settings.LOGIN_URL))
    assert action.url.startswith(resolve_url(settings.LOGIN_URL))
    assert states(project) == {1: "reserved", 2: "reserved", 5: "reserved"}


def test_mark_paid_names_a_long_list_of_numbers_not_reserved_in_short(
    organizer_client, project, ana
):
    sell(project, ana, ", ".join(str(n) for n in range(0, 1000, 2)))

    response = organizer_client.post(URL, posted(numbers="0-999", reviewed=""))

    odds = ", ".join(f"{n:03} (available)" for n in range(1, 40, 2))
    assert response.context["form"].errors == {
        "numbers": [
            f"Numbers {odds} and 480 more are not reserved, so they cannot be "
            "marked paid."
        ]
    }
