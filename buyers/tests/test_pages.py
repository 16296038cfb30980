from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from buyers import selectors
from buyers.models import Buyer
from buyers.receipts import receipt_text
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.tests.factories import RaffleSetFactory
from raffles.tests.helpers import history_cells, shown_time


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(
        owner=organizer, first_name="Ana", last_name="Gómez", phone="+573000000001"
    )


def _form(**changes):
    data = {
        "first_name": "Ana",
        "last_name": "Gómez",
        "email": "ana@example.com",
        "phone": "",
        "notes": "",
    }
    return {**data, **changes}


def _sell(project, buyer, numbers, state="reserved"):
    return services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
    )


def _errors(response, field):
    return response.context["form"].errors.get(field, [])


# List and search


def test_buyer_list_shows_the_organizers_buyers_only(
    organizer_client, buyer, other_organizer
):
    BuyerFactory(owner=other_organizer, first_name="Luis", last_name="Ajeno")

    response = organizer_client.get(reverse("buyers:list"))

    assert response.status_code == 200
    assert [b.full_name for b in response.context["buyers"]] == ["Ana Gómez"]
    assert "Ajeno" not in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("gómez", ["Ana Gómez"]),
        ("ana gómez", ["Ana Gómez"]),
        ("+57 300 000 0001", ["Ana Gómez"]),
        ("bruno@example", ["Bruno Díaz"]),
        ("nobody", []),
    ],
)
def test_buyer_list_searches_by_name_phone_or_email(
    organizer_client, buyer, organizer, query, expected
):
    BuyerFactory(
        owner=organizer, first_name="Bruno", last_name="Díaz", email="bruno@example.com"
    )

    response = organizer_client.get(reverse("buyers:list"), {"q": query})

    assert [b.full_name for b in response.context["buyers"]] == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("gomez", ["Ana Gómez"]),
        ("GÓMEZ", ["Ana Gómez"]),
        ("muñoz", ["José Muñoz"]),
        ("munoz", ["José Muñoz"]),
        ("jose", ["José Muñoz"]),
        ("JOSÉ MUÑOZ", ["José Muñoz"]),
    ],
)
def test_buyer_list_search_ignores_accents_and_case(
    organizer_client, buyer, organizer, query, expected
):
    BuyerFactory(
        owner=organizer, first_name="José", last_name="Muñoz", email="jm@example.com"
    )

    response = organizer_client.get(reverse("buyers:list"), {"q": query})

    assert [b.full_name for b in response.context["buyers"]] == expected


def test_buyer_list_search_by_shared_phone_finds_both(organizer_client, organizer):
    for first_name in ("Ana", "Luis"):
        BuyerFactory(
            owner=organizer,
            first_name=first_name,
            last_name="Gómez",
            email="",
            phone="+57 300 000 0001",
        )

    response = organizer_client.get(reverse("buyers:list"), {"q": "3000000001"})

    names = [b.full_name for b in response.context["buyers"]]
    assert names == ["Ana Gómez", "Luis Gómez"]
    assert Buyer.objects.filter(owner=organizer).count() == 2


def test_buyer_list_paginates_and_keeps_the_search(organizer_client, organizer):
    for n in range(55):
        BuyerFactory(owner=organizer, first_name=f"Ana{n:02}", last_name="Gómez")

    first = organizer_client.get(reverse("buyers:list"), {"q": "gómez"})
    second = organizer_client.get(reverse("buyers:list"), {"q": "gómez", "page": 2})

    assert len(first.context["buyers"]) == 50
    assert len(second.context["buyers"]) == 5
    assert "q=g%C3%B3mez&amp;page=2" in first.content.decode()


def test_buyer_list_shows_numbers_held(organizer_client, organizer, buyer):
    raffle_set = RaffleSetFactory(project__owner=organizer)
    _sell(raffle_set.project, buyer, "1-3")

    response = organizer_client.get(reverse("buyers:list"))

    assert response.context["buyers"][0].held_count == 3


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("query", ["", "gomez"])
def test_buyer_list_queries_do_not_grow(
    organizer_client, organizer, django_assert_num_queries, size, query
):
    raffle_set = RaffleSetFactory(project__owner=organizer)
    for n in range(size):
        buyer = BuyerFactory(owner=organizer)
        _sell(raffle_set.project, buyer, str(n))

    # Session, user, count, page of buyers.
    with django_assert_num_queries(4):
        response = organizer_client.get(reverse("buyers:list"), {"q": query})

    assert len(response.context["buyers"]) == size


# Create


def test_buyer_create_round_trips_accents_and_emoji(organizer_client, organizer):
    data = _form(first_name="Ana 😀", last_name="Gómez", notes="Pagó 💵")

    response = organizer_client.post(reverse("buyers:new"), data, follow=True)

    buyer = Buyer.objects.get(owner=organizer)
    assert (buyer.full_name, buyer.notes) == ("Ana 😀 Gómez", "Pagó 💵")
    assert response.redirect_chain == [(reverse("buyers:detail", args=[1]), 302)]
    page = response.content.decode()
    assert "Ana 😀 Gómez" in page
    assert "Pagó 💵" in page
    assert "Buyer Ana 😀 Gómez added." in page


@pytest.mark.parametrize("email", ["ana.gomez+rifa@example.com", "luis@peña.example"])
def test_buyer_create_accepts_plus_and_international_emails(
    organizer_client, organizer, email
):
    response = organizer_client.post(reverse("buyers:new"), _form(email=email))

    assert response.status_code == 302
    assert Buyer.objects.get(owner=organizer).email == email


@pytest.mark.parametrize("email", ["ana@", "a b@example.com"])
def test_buyer_create_refuses_malformed_emails(organizer_client, organizer, email):
    response = organizer_client.post(reverse("buyers:new"), _form(email=email))

    assert response.status_code == 200
    assert _errors(response, "email") == ["Enter a valid email address."]
    assert Buyer.objects.filter(owner=organizer).count() == 0


@pytest.mark.parametrize(
    "phone",
    [
        "+57 300 000 0001",
        "(+57) 3000000001",
        "0057 300-000-0001",
        "300 000 0001",
    ],
)
def test_buyer_create_stores_phone_spellings_alike(
    organizer_client, organizer, settings, phone
):
    settings.PHONE_REGION = "CO"

    organizer_client.post(reverse("buyers:new"), _form(email="", phone=phone))

    buyer = Buyer.objects.get(owner=organizer)
    assert buyer.phone == "+573000000001"
    page = organizer_client.get(buyer.get_absolute_url()).content.decode()
    assert "+57 300 0000001" in page


@pytest.mark.parametrize(
    "region, hint",
    [
        ("CO", "Numbers from Colombia may omit +57, e.g. 321 1234567;"),
        ("AR", "Numbers from Argentina may omit +54, e.g. 011 15-2345-6789;"),
    ],
)
def test_buyer_forms_tell_how_to_type_a_phone(
    organizer_client, buyer, settings, region, hint
):
    settings.PHONE_REGION = region

    new = organizer_client.get(reverse("buyers:new"))
    edit = organizer_client.get(reverse("buyers:edit", args=[buyer.ref]))

    for response in (new, edit):
        help_text = response.context["form"]["phone"].help_text
        assert help_text == (
            f"Give an email, a phone or both. {hint} others need their country code."
        )
        assert hint in response.content.decode()


@pytest.mark.parametrize("phone", ["12", "abc"])
def test_buyer_create_refuses_malformed_phones(
    organizer_client, organizer, settings, phone
):
    settings.PHONE_REGION = "CO"

    response = organizer_client.post(reverse("buyers:new"), _form(phone=phone))

    assert response.status_code == 200
    assert _errors(response, "phone") == [
        "Enter a valid phone number, e.g. +54 9 11 2345 6789."
    ]
    assert Buyer.objects.filter(owner=organizer).count() == 0


def test_buyer_create_refuses_a_300_character_name(organizer_client, organizer):
    response = organizer_client.post(reverse("buyers:new"), _form(first_name="A" * 300))

    assert response.status_code == 200
    assert _errors(response, "first_name") == [
        "Ensure this value has at most 100 characters (it has 300)."
    ]
    assert Buyer.objects.filter(owner=organizer).count() == 0


def test_buyer_create_needs_a_name_and_a_contact(organizer_client, organizer):
    no_name = organizer_client.post(reverse("buyers:new"), _form(first_name=""))
    no_contact = organizer_client.post(reverse("buyers:new"), _form(email=""))

    assert _errors(no_name, "first_name") == ["This field is required."]
    assert _errors(no_contact, "phone") == ["Give at least an email or a phone."]
    assert "Give at least an email or a phone." in no_contact.content.decode()
    assert Buyer.objects.filter(owner=organizer).count() == 0


def test_buyer_create_empty_submission_shows_errors(organizer_client):
    response = organizer_client.post(reverse("buyers:new"), {})

    assert response.status_code == 200
    assert _errors(response, "first_name") == ["This field is required."]


# Detail


def test_buyer_detail_lists_numbers_across_projects_with_totals(
    organizer_client, organizer, buyer
):
    spring = RaffleSetFactory(
        project=ProjectFactory(owner=organizer, name="Spring"),
        unit_price=Decimal("10.00"),
        quantity=1000,
    )
    autumn = RaffleSetFactory(
        project=ProjectFactory(owner=organizer, name="Autumn"),
        unit_price=Decimal("5.00"),
    )
    [reserved] = _sell(spring.project, buyer, "007")
    services.record_payment(
        raffle=reserved, amount="4.00", method="cash", actor=organizer
    )
    _sell(autumn.project, buyer, "12", state="paid")

    response = organizer_client.get(buyer.get_absolute_url())

    holdings = [
        (r.project.name, r.label, r.state, r.price, r.amount_paid, r.outstanding)
        for r in response.context["holdings"]
    ]
    assert holdings == [
        ("Autumn", "12", "paid", Decimal("5.00"), Decimal("5.00"), Decimal("0.00")),
        (
            "Spring",
            "007",
            "reserved",
            Decimal("10.00"),
            Decimal("4.00"),
            Decimal("6.00"),
        ),
    ]
    totals = [
        (t["currency"], t["count"], str(t["paid"]), str(t["owed"]))
        for t in response.context["totals"]
    ]
    assert totals == [("USD", 2, "9.00", "6.00")]
    page = response.content.decode()
    assert 'href="/projects/1/numbers/007/"' in page
    assert "9.00 USD" in page


def test_buyer_detail_keeps_currencies_apart(organizer_client, organizer, buyer):
    dollars = RaffleSetFactory(project=ProjectFactory(owner=organizer, currency="USD"))
    pesos = RaffleSetFactory(project=ProjectFactory(owner=organizer, currency="COP"))
    _sell(dollars.project, buyer, "1", state="paid")
    _sell(pesos.project, buyer, "1-2")

    response = organizer_client.get(buyer.get_absolute_url())

    totals = [
        (t["currency"], t["count"], str(t["paid"]), str(t["owed"]))
        for t in response.context["totals"]
    ]
    assert totals == [("COP", 2, "0.00", "4.00"), ("USD", 1, "2.00", "0.00")]


def test_buyer_detail_shows_history_newest_first(organizer_client, organizer, buyer):
    raffle_set = RaffleSetFactory(project__owner=organizer)
    [raffle] = _sell(raffle_set.project, buyer, "05")
    services.release_number(raffle=raffle, actor=organizer, reason="Changed mind")

    response = organizer_client.get(buyer.get_absolute_url())

    events = [(e.kind, e.raffle.label, e.reason) for e in response.context["events"]]
    assert events == [("release", "05", "Changed mind"), ("reserve", "05", "")]
    assert response.context["holdings"] == []
    assert "Changed mind" in response.content.decode()


def test_buyer_detail_history_shows_who_acted_and_when(
    organizer_client, organizer, buyer, settings
):
    settings.TIME_ZONE = "America/Bogota"
    raffle_set = RaffleSetFactory(project__owner=organizer)
    [raffle] = _sell(raffle_set.project, buyer, "05")
    services.release_number(raffle=raffle, actor=organizer, reason="Changed mind")

    response = organizer_client.get(buyer.get_absolute_url())

    events = response.context["events"]
    assert history_cells(response, "when") == [shown_time(e.at) for e in events]
    assert history_cells(response, "by") == ["organizer", "organizer"]


@pytest.mark.parametrize("size", [2, 20])
def test_buyer_detail_queries_do_not_grow(
    organizer_client, organizer, buyer, django_assert_num_queries, size
):
    for _ in range(size):
        raffle_set = RaffleSetFactory(project=ProjectFactory(owner=organizer))
        raffle = _sell(raffle_set.project, buyer, "1-3")[0]
        services.record_payment(
            raffle=raffle, amount="1.00", method="cash", actor=organizer
        )

    # Session, user, buyer, holdings, totals, history, buyers sharing the
    # phone or email, whether the buyer holds a number (no Delete link).
    with django_assert_num_queries(8):
        response = organizer_client.get(buyer.get_absolute_url())

    assert len(response.context["holdings"]) == 3 * size


def test_buyer_detail_shares_a_receipt_on_whatsapp(organizer_client, organizer, buyer):
    spring = RaffleSetFactory(
        project=ProjectFactory(owner=organizer, name="Rifa Navideña 🎄"),
        unit_price=Decimal("10.00"),
        quantity=1000,
    )
    _sell(spring.project, buyer, "7-9", state="paid")
    _sell(spring.project, buyer, "12, 40")

    response = organizer_client.get(buyer.get_absolute_url())

    text = (
        "Hello Ana, these are your raffle numbers:\n"
        "• Rifa Navideña 🎄: 007-009 (paid); 012, 040 (reserved)\n"
        "Paid: 30.00 USD. Still owed: 20.00 USD.\n"
        "Thank you!"
    )
    url = "https://wa.me/573000000001?text=" + quote(text, safe="")
    assert response.context["whatsapp_url"] == url
    assert f'href="{url}"' in response.content.decode()


def test_whatsapp_receipt_without_a_phone_lets_whatsapp_ask_whom(
    organizer_client, organizer
):
    ana = BuyerFactory(owner=organizer, first_name="Ana", email="ana@example.com")
    raffle_set = RaffleSetFactory(project__owner=organizer)
    _sell(raffle_set.project, ana, "5", state="paid")

    response = organizer_client.get(ana.get_absolute_url())

    text = (
        "Hello Ana, these are your raffle numbers:\n"
        f"• {raffle_set.project.name}: 05 (paid)\n"
        "Paid: 2.00 USD. Nothing is owed.\n"
        "Thank you!"
    )
    assert response.context["whatsapp_url"] == "https://wa.me/?text=" + quote(
        text, safe=""
    )


def test_buyer_detail_names_buyers_sharing_the_phone(
    organizer_client, organizer, buyer
):
    son = BuyerFactory(owner=organizer, first_name="Luis", phone="+573000000001")
    BuyerFactory(owner=organizer, first_name="Otro", phone="+573000000002")

    response = organizer_client.get(buyer.get_absolute_url())

    assert response.context["sharing"] == [son]
    assert f'<a href="/buyers/{son.ref}/">Luis Gómez</a>' in response.content.decode()


# Edit


def test_buyer_edit_shows_current_values(organizer_client, buyer):
    response = organizer_client.get(reverse("buyers:edit", args=[buyer.ref]))

    assert response.context["form"].initial["phone"] == "+57 300 0000001"


def test_buyer_edit_saves_changes(organizer_client, buyer):
    data = _form(first_name="Ana María", phone="+57 300 000 0001", notes="Pagó 💵")

    response = organizer_client.post(
        reverse("buyers:edit", args=[buyer.ref]), data, follow=True
    )

    buyer.refresh_from_db()
    assert (buyer.full_name, buyer.phone, buyer.notes) == (
        "Ana María Gómez",
        "+573000000001",
        "Pagó 💵",
    )
    assert "Buyer Ana María Gómez saved." in response.content.decode()


def test_buyer_edit_shows_service_errors_and_changes_nothing(organizer_client, buyer):
    data = _form(email="", phone="")

    response = organizer_client.post(reverse("buyers:edit", args=[buyer.ref]), data)

    assert response.status_code == 200
    assert _errors(response, "phone") == ["Give at least an email or a phone."]
    buyer.refresh_from_db()
    assert buyer.phone == "+573000000001"


# Delete


def test_buyer_delete_asks_first_then_deletes(organizer_client, organizer, buyer):
    url = reverse("buyers:delete", args=[buyer.ref])

    confirm = organizer_client.get(url)
    response = organizer_client.post(url, follow=True)

    assert confirm.status_code == 200
    assert Buyer.objects.filter(owner=organizer).exists() is False
    assert response.redirect_chain == [(reverse("buyers:list"), 302)]
    assert "Buyer Ana Gómez deleted." in response.content.decode()


def test_buyer_delete_is_refused_for_a_buyer_with_history(
    organizer_client, organizer, buyer
):
    raffle_set = RaffleSetFactory(project__owner=organizer)
    [raffle] = _sell(raffle_set.project, buyer, "01")
    services.release_number(raffle=raffle, actor=organizer)

    response = organizer_client.post(
        reverse("buyers:delete", args=[buyer.ref]), follow=True
    )

    assert Buyer.objects.filter(pk=buyer.pk).exists() is True
    assert response.redirect_chain == [(buyer.get_absolute_url(), 302)]
    assert (
        "Ana Gómez has numbers or payments on record, so the buyer cannot be deleted."
        in response.content.decode()
    )


# Isolation

PAGES = ["buyers:detail", "buyers:edit", "buyers:delete"]


@pytest.mark.parametrize("name", PAGES)
def test_buyer_page_is_shown_to_its_owner(organizer_client, buyer, name):
    response = organizer_client.get(reverse(name, args=[buyer.ref]))

    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_buyer_page_is_not_found_for_another_organizer(
    client, buyer, other_organizer, name
):
    client.force_login(other_organizer)

    response = client.get(reverse(name, args=[buyer.ref]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["buyers:list", "buyers:new", *PAGES])
def test_buyer_page_sends_anonymous_visitors_to_log_in(client, buyer, name):
    args = [] if name in ("buyers:list", "buyers:new") else [buyer.ref]

    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name", ["buyers:list", "buyers:new"])
def test_buyer_list_and_new_are_shown_to_any_organizer(client, buyer, name):
    client.force_login(UserFactory(username="newcomer"))

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "Ana Gómez" not in response.content.decode()


@pytest.mark.parametrize(
    "name, data",
    [("buyers:edit", _form(first_name="Hijacked")), ("buyers:delete", {})],
)
def test_buyer_writes_by_another_organizer_are_not_found_and_change_nothing(
    client, buyer, other_organizer, name, data
):
    client.force_login(other_organizer)

    response = client.post(reverse(name, args=[buyer.ref]), data)

    assert response.status_code == 404
    buyer.refresh_from_db()
    assert buyer.full_name == "Ana Gómez"


# A shared phone or email: a hint, never a refusal


def test_buyer_create_with_a_shared_phone_adds_the_buyer_and_hints(
    organizer_client, organizer, buyer, settings
):
    settings.PHONE_REGION = "CO"

    response = organizer_client.post(
        reverse("buyers:new"),
        _form(first_name="Luis", email="", phone="300 000 0001"),
        follow=True,
    )

    luis = Buyer.objects.get(owner=organizer, first_name="Luis")
    assert luis.phone == buyer.phone
    assert [str(m) for m in response.context["messages"]] == [
        "Buyer Luis Gómez added.",
        "Ana Gómez also uses this phone or email. That is allowed; check that it "
        "is not the same person twice.",
    ]


def test_buyer_create_with_a_shared_email_hints_in_any_case(
    organizer_client, organizer
):
    BuyerFactory(owner=organizer, first_name="Ana", email="Ana@Example.com")
    BuyerFactory(owner=organizer, first_name="Eva", email="ana@example.com")

    response = organizer_client.post(
        reverse("buyers:new"), _form(first_name="Luis", email="ana@EXAMPLE.com")
    )

    assert [str(m) for m in get_messages(response.wsgi_request)][1] == (
        "Ana Gómez, Eva Gómez also use this phone or email. That is allowed; "
        "check that it is not the same person twice."
    )


def test_buyer_create_without_a_shared_contact_gives_no_hint(organizer_client, buyer):
    response = organizer_client.post(
        reverse("buyers:new"), _form(email="", phone="+57 300 000 0009")
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Buyer Ana Gómez added."
    ]


def test_buyer_edit_hints_but_not_about_the_buyer_itself(
    organizer_client, organizer, buyer
):
    response = organizer_client.post(
        reverse("buyers:edit", args=[buyer.ref]),
        _form(phone="+57 300 000 0001", email="new@example.com"),
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Buyer Ana Gómez saved."
    ]


def test_buyer_form_carries_the_live_hint(organizer_client, buyer):
    new = organizer_client.get(reverse("buyers:new")).content.decode()
    edit = organizer_client.get(reverse("buyers:edit", args=[buyer.ref]))

    assert 'data-phone="id_phone"' in new
    assert 'data-email="id_email"' in new
    assert 'data-exclude=""' in new
    assert f'data-exclude="{buyer.ref}"' in edit.content.decode()
    assert '<script src="/static/js/contact-hint.js" defer></script>' in new


# The search used by the pages' scripts

SEARCH = "/buyers/search.json"


def test_buyer_search_json_finds_by_name_phone_or_email(
    organizer_client, organizer, buyer
):
    BuyerFactory(owner=organizer, first_name="Luis", last_name="Peña")

    by_name = organizer_client.get(SEARCH, {"q": "ana gómez"}).json()
    by_phone = organizer_client.get(SEARCH, {"q": "+57 300 000 0001"}).json()

    expected = {
        "results": [
            {
                "ref": buyer.ref,
                "name": "Ana Gómez",
                "phone": "+57 300 0000001",
                "email": buyer.email,
                "url": f"/buyers/{buyer.ref}/",
            }
        ]
    }
    assert by_name == expected
    assert by_phone == expected


@pytest.mark.parametrize("query", ["jose pena", "JOSÉ PEÑA", "pen\u0303a"])
def test_buyer_search_json_ignores_accents_and_case(
    organizer_client, organizer, buyer, query
):
    BuyerFactory(owner=organizer, first_name="José", last_name="Peña")

    response = organizer_client.get(SEARCH, {"q": query})

    assert [row["name"] for row in response.json()["results"]] == ["José Peña"]


def test_buyer_search_json_finds_buyers_sharing_a_contact(
    organizer_client, organizer, buyer
):
    son = BuyerFactory(owner=organizer, first_name="Luis", phone="+573000000001")

    shared = organizer_client.get(
        SEARCH, {"phone": "+57 300 000 0001", "email": "", "exclude": son.ref}
    ).json()
    nothing = organizer_client.get(SEARCH, {"phone": "", "email": ""}).json()

    assert [row["name"] for row in shared["results"]] == ["Ana Gómez"]
    assert nothing == {"results": []}


@pytest.mark.parametrize("exclude", ["²", "٣"])
def test_buyer_search_json_ignores_an_exclude_that_is_not_digits(
    organizer_client, organizer, buyer, exclude
):
    response = organizer_client.get(
        SEARCH, {"phone": buyer.phone, "email": "", "exclude": exclude}
    )

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Ana Gómez"]


def test_buyer_search_json_caps_its_results(organizer_client, organizer):
    for _ in range(12):
        BuyerFactory(owner=organizer)

    response = organizer_client.get(SEARCH, {"q": "gómez"})

    assert len(response.json()["results"]) == 10


@pytest.mark.parametrize("size", [2, 30])
def test_buyer_search_json_query_count_is_constant(
    organizer_client, organizer, django_assert_num_queries, size
):
    for _ in range(size):
        BuyerFactory(owner=organizer)

    # Session, user, buyers.
    with django_assert_num_queries(3):
        organizer_client.get(SEARCH, {"q": "gómez"})


def test_buyer_search_json_shows_only_the_organizers_buyers(
    client, buyer, other_organizer
):
    client.force_login(other_organizer)

    response = client.get(SEARCH, {"q": "Ana"})
    shared = client.get(SEARCH, {"phone": "+573000000001"})

    assert response.status_code == 200
    assert response.json() == {"results": []}
    assert shared.json() == {"results": []}


def test_buyer_search_json_asks_anonymous_visitors_to_log_in(client, buyer):
    response = client.get(SEARCH, {"q": "Ana"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Log in first."}


def test_buyer_without_numbers_has_no_whatsapp_link(organizer_client, buyer):
    response = organizer_client.get(buyer.get_absolute_url())

    assert response.context["whatsapp_url"] == ""
    assert 'id="share-whatsapp"' not in response.content.decode()


def test_whatsapp_receipt_in_spanish_agrees_with_how_many_numbers(organizer, buyer):
    raffle_set = RaffleSetFactory(
        project=ProjectFactory(owner=organizer, name="Rifa"), quantity=1000
    )
    _sell(raffle_set.project, buyer, "7, 12, 102-104", state="paid")
    _sell(raffle_set.project, buyer, "40")
    holdings = selectors.buyer_holdings(buyer)

    with translation.override("es"):
        text = receipt_text(buyer, holdings, [])

    assert text.splitlines()[1] == (
        "• Rifa: 007, 012, 102-104 (pagados); 040 (reservado)"
    )


@pytest.mark.parametrize(("history", "shown"), [(False, True), (True, False)])
def test_buyer_page_shows_delete_only_when_the_buyer_can_go(
    organizer_client, organizer, buyer, history, shown
):
    if history:
        raffle_set = RaffleSetFactory(project__owner=organizer)
        [raffle] = _sell(raffle_set.project, buyer, "01")
        services.release_number(raffle=raffle, actor=organizer)

    response = organizer_client.get(buyer.get_absolute_url())

    delete_url = reverse("buyers:delete", args=[buyer.ref])
    assert (f'href="{delete_url}"' in response.content.decode()) is shown


def test_buyer_delete_page_shows_the_problem_instead_of_the_button(
    organizer_client, organizer, buyer
):
    raffle_set = RaffleSetFactory(project__owner=organizer)
    [raffle] = _sell(raffle_set.project, buyer, "01")
    services.release_number(raffle=raffle, actor=organizer)

    response = organizer_client.get(reverse("buyers:delete", args=[buyer.ref]))

    page = response.content.decode()
    assert response.context["problem"] == (
        "Ana Gómez has numbers or payments on record, so the buyer cannot be deleted."
    )
    assert "Ana Gómez cannot be deleted" in page
    assert "Delete buyer</button>" not in page
