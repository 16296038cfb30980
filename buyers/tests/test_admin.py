import pytest
from django.urls import reverse

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

ADD = "admin:buyers_buyer_add"


def buyer_data(owner, **values):
    return {
        "owner": owner.pk,
        "first_name": "Ana 😀",
        "last_name": "Gómez",
        "email": "ana.gomez+rifa@example.com",
        "phone": "(+54) 9 11 2345-6789",
        "notes": "Pagó 💵",
        **values,
    }


def test_buyer_add_goes_through_the_service(admin_client, organizer):
    BuyerFactory(owner=organizer)

    response = admin_client.post(reverse(ADD), buyer_data(organizer))

    assert response.status_code == 302
    buyer = Buyer.objects.get(owner=organizer, first_name="Ana 😀")
    assert (buyer.ref, buyer.last_name, buyer.phone, buyer.notes) == (
        2,
        "Gómez",
        "+5491123456789",
        "Pagó 💵",
    )


@pytest.mark.parametrize(
    "values, errors",
    [
        (
            {"phone": "12"},
            {"phone": ["Enter a valid phone number, e.g. +54 9 11 2345 6789."]},
        ),
        ({"phone": "", "email": ""}, {"phone": ["Give at least an email or a phone."]}),
        ({"email": "ana@"}, {"email": ["Enter a valid email address."]}),
        (
            {"first_name": "A" * 300},
            {
                "first_name": [
                    "Ensure this value has at most 100 characters (it has 300)."
                ]
            },
        ),
    ],
)
def test_buyer_add_shows_errors_next_to_fields(admin_client, organizer, values, errors):
    response = admin_client.post(reverse(ADD), buyer_data(organizer, **values))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    assert Buyer.objects.count() == 0


def test_buyer_change_normalizes_phone(admin_client, organizer):
    buyer = BuyerFactory(owner=organizer, phone="")

    response = admin_client.post(
        reverse("admin:buyers_buyer_change", args=[buyer.pk]),
        {
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
            "email": buyer.email,
            "phone": "+1 (201) 555-0123",
            "notes": "",
        },
    )

    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.phone == "+12015550123"


@pytest.mark.parametrize(
    "region, hint",
    [
        ("CO", "Numbers from Colombia may omit +57, e.g. 321 1234567;"),
        ("DE", "Numbers from Germany may omit +49, e.g. 01512 3456789;"),
    ],
)
def test_buyer_add_tells_how_to_type_a_phone(admin_client, settings, region, hint):
    settings.PHONE_REGION = region

    response = admin_client.get(reverse(ADD))

    assert response.context["adminform"].form["phone"].help_text == (
        f"{hint} others need their country code."
    )


def test_buyer_search_by_a_shared_phone_finds_both(admin_client, organizer):
    ana = BuyerFactory(owner=organizer, first_name="Ana", phone="+57 300 000 0001")
    luis = BuyerFactory(owner=organizer, first_name="Luis", phone="+573000000001")
    BuyerFactory(owner=organizer, first_name="Eva", phone="+57 300 000 0002")

    response = admin_client.get(
        reverse("admin:buyers_buyer_changelist"), {"q": "0057 300-000-0001"}
    )

    assert sorted(b.pk for b in response.context["cl"].result_list) == sorted(
        [ana.pk, luis.pk]
    )


@pytest.mark.parametrize("query", ["munoz", "MUÑOZ", "jose munoz"])
def test_buyer_search_ignores_accents_and_case(admin_client, organizer, query):
    jose = BuyerFactory(owner=organizer, first_name="José", last_name="Muñoz")
    BuyerFactory(owner=organizer, first_name="Luis", last_name="Pérez")

    response = admin_client.get(reverse("admin:buyers_buyer_changelist"), {"q": query})

    assert [b.pk for b in response.context["cl"].result_list] == [jose.pk]


def test_buyer_search_still_finds_the_organizer(admin_client, organizer):
    ana = BuyerFactory(owner=organizer, first_name="Ana")

    response = admin_client.get(
        reverse("admin:buyers_buyer_changelist"), {"q": organizer.username}
    )

    assert [b.pk for b in response.context["cl"].result_list] == [ana.pk]


def test_buyer_holding_a_number_cannot_be_deleted(admin_client, organizer):
    buyer = BuyerFactory(owner=organizer)
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    sell_numbers(project=project, buyer=buyer, numbers="01", actor=organizer)

    response = admin_client.post(
        reverse("admin:buyers_buyer_delete", args=[buyer.pk]), {"post": "yes"}
    )

    assert response.status_code == 200
    assert response.context["protected"]
    assert Buyer.objects.filter(pk=buyer.pk).exists()


def test_buyer_without_numbers_is_deleted(admin_client, organizer):
    buyer = BuyerFactory(owner=organizer)

    response = admin_client.post(
        reverse("admin:buyers_buyer_delete", args=[buyer.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Buyer.objects.count() == 0
