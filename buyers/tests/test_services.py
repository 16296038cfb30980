import pytest
from django.core.exceptions import ValidationError

from buyers import services
from buyers.models import Buyer
from buyers.selectors import search_buyers
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle
from raffles.services import release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

INVALID_PHONE = "Enter a valid phone number, e.g. +54 9 11 2345 6789."


def errors(error_info):
    error = error_info.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def create(owner, **values):
    return services.create_buyer(owner=owner, **{"first_name": "Ana", **values})


def test_create_buyer_numbers_each_organizer_from_one(organizer, other_organizer):
    first = create(organizer, email="a@example.com")
    second = create(organizer, email="b@example.com")

    theirs = create(other_organizer, email="a@example.com")

    assert (first.ref, second.ref, theirs.ref) == (1, 2, 1)


def test_create_buyer_never_reuses_a_ref(organizer):
    create(organizer, email="a@example.com")
    services.delete_buyer(buyer=create(organizer, email="b@example.com"))

    third = create(organizer, email="c@example.com")

    assert third.ref == 3


def test_accents_b1_buyer_round_trips(organizer):
    buyer = create(
        organizer,
        first_name="Ana 😀",
        last_name="Gómez",
        email="ana@example.com",
        notes="Pagó 💵\nen efectivo",
    )

    stored = Buyer.objects.get(pk=buyer.pk)
    assert (stored.first_name.encode(), stored.last_name.encode()) == (
        "Ana 😀".encode(),
        "Gómez".encode(),
    )
    assert stored.notes == "Pagó 💵\nen efectivo"
    assert stored.full_name == "Ana 😀 Gómez"


@pytest.mark.parametrize(
    "email, stored",
    [
        ("ana.gomez+rifa@example.com", "ana.gomez+rifa@example.com"),
        ("luis@peña.example", "luis@peña.example"),
        ("Ana@EXAMPLE.COM", "Ana@example.com"),
        ("  ana@example.com ", "ana@example.com"),
    ],
)
def test_emails_b2_accepted(organizer, email, stored):
    buyer = create(organizer, email=email)

    assert Buyer.objects.get(pk=buyer.pk).email == stored


@pytest.mark.parametrize("email", ["ana@", "a b@example.com", "@example.com", "ana"])
def test_emails_b2_refused(organizer, email):
    with pytest.raises(ValidationError) as refused:
        create(organizer, email=email)

    assert errors(refused) == {"email": ["Enter a valid email address."]}
    assert Buyer.objects.count() == 0


@pytest.mark.parametrize(
    "phone",
    ["+57 300 000 0001", "(+57) 3000000001", "0057 300-000-0001", "300 000 0001"],
)
def test_phones_b3_stored_in_e164(organizer, settings, phone):
    settings.PHONE_REGION = "CO"

    buyer = create(organizer, phone=phone)

    stored = Buyer.objects.get(pk=buyer.pk)
    assert (stored.phone, stored.phone_display) == ("+573000000001", "+57 300 0000001")


@pytest.mark.parametrize(
    "phone", ["011 15 2345 6789", "+54 9 11 2345 6789", "(+54) 9 11 2345-6789"]
)
def test_phones_b3_argentine_forms_are_one_number(organizer, settings, phone):
    settings.PHONE_REGION = "AR"

    buyer = create(organizer, phone=phone)

    assert buyer.phone == "+5491123456789"


@pytest.mark.parametrize("phone", ["12", "abc", "+57", "300 000 0001 0001"])
def test_phones_b3_refused(organizer, settings, phone):
    settings.PHONE_REGION = "CO"

    with pytest.raises(ValidationError) as refused:
        create(organizer, phone=phone)

    assert errors(refused) == {"phone": [INVALID_PHONE]}
    assert Buyer.objects.count() == 0


def test_shared_phone_b4_two_buyers_two_sales(organizer):
    ana = create(organizer, first_name="Ana", last_name="Gómez", phone="+573000000001")
    luis = create(
        organizer, first_name="Luis", last_name="Gómez", phone="+57 300 000 0001"
    )
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)

    sell_numbers(project=project, buyer=ana, numbers="01", actor=organizer)
    sell_numbers(project=project, buyer=luis, numbers="02", actor=organizer)

    assert Buyer.objects.filter(owner=organizer).count() == 2
    assert list(
        Raffle.objects.filter(project=project, buyer__isnull=False)
        .order_by("number")
        .values_list("number", "buyer")
    ) == [(1, ana.pk), (2, luis.pk)]
    assert sorted(b.pk for b in search_buyers(organizer, "(+57) 300 000-0001")) == [
        ana.pk,
        luis.pk,
    ]


def test_long_input_b5_is_a_field_error(organizer):
    with pytest.raises(ValidationError) as refused:
        create(organizer, first_name="A" * 300, email="ana@example.com")

    assert errors(refused) == {
        "first_name": ["Ensure this value has at most 100 characters (it has 300)."]
    }
    assert Buyer.objects.count() == 0


@pytest.mark.parametrize(
    "values, expected",
    [
        ({}, {"phone": ["Give at least an email or a phone."]}),
        (
            {"first_name": " ", "email": "a@example.com"},
            {"first_name": ["This field cannot be blank."]},
        ),
        (
            {"phone": "12", "email": "ana@"},
            {"phone": [INVALID_PHONE], "email": ["Enter a valid email address."]},
        ),
    ],
)
def test_create_buyer_refuses_missing_details(organizer, values, expected):
    with pytest.raises(ValidationError) as refused:
        create(organizer, **values)

    assert errors(refused) == expected


def test_create_buyer_tidies_spaces_but_keeps_note_lines(organizer):
    buyer = create(
        organizer,
        first_name="  María   José ",
        last_name=" Núñez ",
        email="mj@example.com",
        notes="  Line one\n  Line two ",
    )

    assert (buyer.first_name, buyer.last_name, buyer.notes) == (
        "María José",
        "Núñez",
        "  Line one\n  Line two ",
    )


def test_update_buyer_changes_only_given_fields(organizer):
    buyer = BuyerFactory(owner=organizer, first_name="Ana", email="ana@example.com")

    services.update_buyer(buyer=buyer, phone="+1 201 555 0123")

    buyer.refresh_from_db()
    assert (buyer.first_name, buyer.email, buyer.phone) == (
        "Ana",
        "ana@example.com",
        "+12015550123",
    )


def test_update_buyer_refuses_removing_the_last_contact(organizer):
    buyer = BuyerFactory(owner=organizer, email="ana@example.com")

    with pytest.raises(ValidationError) as refused:
        services.update_buyer(buyer=buyer, email="")

    assert errors(refused) == {"phone": ["Give at least an email or a phone."]}
    assert Buyer.objects.get(pk=buyer.pk).email == "ana@example.com"


def test_update_buyer_refuses_unknown_fields(organizer):
    buyer = BuyerFactory(owner=organizer)

    with pytest.raises(TypeError, match="Cannot change owner"):
        services.update_buyer(buyer=buyer, owner=None)


def test_delete_buyer_refuses_one_with_history(organizer):
    buyer = BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    sell_numbers(project=project, buyer=buyer, numbers="01", actor=organizer)
    release_number(
        raffle=Raffle.objects.get(project=project, number=1), actor=organizer
    )

    with pytest.raises(ValidationError) as refused:
        services.delete_buyer(buyer=buyer)

    assert errors(refused) == [
        "Ana Gómez has numbers or payments on record, so the buyer cannot be deleted."
    ]
    assert Buyer.objects.filter(pk=buyer.pk).exists()


# Search without accents or case


def test_create_buyer_stores_the_folded_name_and_email(organizer):
    buyer = create(
        organizer, first_name="José", last_name="MUÑOZ", email="Jose@Ejemplo.COM"
    )

    buyer.refresh_from_db()
    assert buyer.search_text == "jose munoz jose@ejemplo.com"


def test_update_buyer_keeps_the_search_text_up_to_date(organizer):
    buyer = create(organizer, last_name="Gómez", email="ana@example.com")

    services.update_buyer(buyer=buyer, last_name="Peña")
    services.update_buyer(buyer=buyer, notes="Vive cerca")

    buyer.refresh_from_db()
    assert buyer.search_text == "ana pena ana@example.com"


@pytest.mark.parametrize(
    "query", ["gomez", "GÓMEZ", "Gómez", "góm", "ana gomez", "GOMEZ ANA", "jose"]
)
def test_search_buyers_ignores_accents_and_case(organizer, query):
    ana = create(organizer, last_name="Gómez", email="jose@example.com")
    create(organizer, first_name="Luis", last_name="Pérez", email="luis@example.com")

    found = search_buyers(organizer, query)

    assert [buyer.pk for buyer in found] == [ana.pk]


@pytest.mark.parametrize("query", ["muñoz", "munoz", "MUNOZ", "Mun\u0303oz"])
def test_search_buyers_finds_an_enye_either_way(organizer, query):
    create(organizer, first_name="José", last_name="Muñoz", email="jm@example.com")

    found = search_buyers(organizer, query)

    assert [buyer.full_name for buyer in found] == ["José Muñoz"]


@pytest.mark.parametrize("query", ["\u0301", "gomez perez", "nadie"])
def test_search_buyers_finds_nobody_for_unmatched_text(organizer, query):
    create(organizer, last_name="Gómez", email="ana@example.com")

    assert list(search_buyers(organizer, query)) == []


def test_search_buyers_still_reads_phones(organizer, settings):
    settings.PHONE_REGION = "CO"
    ana = create(organizer, last_name="Gómez", phone="+573000000001")

    by_phone = search_buyers(organizer, "300 000 0001")
    by_digits = search_buyers(organizer, "0000001")

    assert [b.pk for b in by_phone] == [ana.pk]
    assert [b.pk for b in by_digits] == [ana.pk]
