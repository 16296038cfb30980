import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.models import Payment, Raffle
from raffles.tests.factories import RaffleSetFactory


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")


@pytest.fixture
def raffle_set(project):
    """Numbers 000-999 at 10.00."""
    return RaffleSetFactory(
        project=project, name="Main", quantity=1000, unit_price=Decimal("10.00")
    )


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")


def _url(project):
    return reverse("raffles:sell", args=[project.ref])


def _sale(buyer=None, **changes):
    """A sale as posted from its review page; without `confirm` it is reviewed."""
    data = {
        "numbers": "7",
        "buyer": buyer.ref if buyer else "",
        "state": "reserved",
        "method": "cash",
        "paid_on": timezone.localdate().isoformat(),
        "reference": "",
        "confirm": "1",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _new_buyer(**changes):
    data = {
        "new-first_name": "Luis",
        "new-last_name": "Peña",
        "new-email": "luis@example.com",
        "new-phone": "",
        "new-notes": "",
    }
    return {**data, **changes}


def _text(response):
    """The page's HTML with every run of white space made one space."""
    return " ".join(response.content.decode().split())


def _states(project, numbers):
    raffles = Raffle.objects.filter(project=project, number__in=numbers)
    return dict(raffles.order_by("number").values_list("number", "state"))


def test_sell_page_prefills_numbers_and_buyer(organizer_client, raffle_set, buyer):
    response = organizer_client.get(
        _url(raffle_set.project), {"numbers": "040-045", "buyer": buyer.ref}
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form["numbers"].value() == "040-045"
    assert str(form["buyer"].value()) == str(buyer.ref)
    assert 'value="040-045"' in response.content.decode()


@pytest.mark.parametrize(
    "region, hint",
    [
        ("CO", "Numbers from Colombia may omit +57, e.g. 321 1234567;"),
        ("ES", "Numbers from Spain may omit +34, e.g. 612 34 56 78;"),
    ],
)
def test_sell_page_tells_how_to_type_a_new_buyers_phone(
    organizer_client, raffle_set, settings, region, hint
):
    settings.PHONE_REGION = region

    response = organizer_client.get(_url(raffle_set.project))

    phone = response.context["buyer_form"]["phone"]
    assert phone.help_text.endswith(f"{hint} others need their country code.")
    assert hint in _text(response)


@pytest.mark.parametrize("typed", ["²", "٣"])
def test_sell_page_reads_a_buyer_typed_without_ascii_digits_as_none(
    organizer_client, raffle_set, buyer, typed
):
    response = organizer_client.post(
        _url(raffle_set.project),
        _sale(buyer=None, buyer_q="", numbers="7") | {"buyer": typed},
    )

    assert response.status_code == 200
    assert response.context["chosen"] is None
    assert Raffle.objects.get(project=raffle_set.project, number=7).state == (
        "available"
    )


def test_sell_page_offers_only_the_organizers_buyers(
    organizer_client, raffle_set, buyer, other_organizer
):
    BuyerFactory(owner=other_organizer, first_name="Ajeno")

    response = organizer_client.get(_url(raffle_set.project))
    searched = organizer_client.post(
        _url(raffle_set.project), _sale(numbers="", buyer_q="Ajeno", find="1")
    )

    assert response.context["candidates"] == [buyer]
    assert "Ajeno" not in response.content.decode()
    assert searched.context["candidates"] == []
    assert "Ajeno Gómez" not in searched.content.decode()


def test_sell_reserves_numbers_for_an_existing_buyer(
    organizer_client, raffle_set, buyer
):
    data = _sale(buyer, numbers="7, 12, 100-102")

    response = organizer_client.post(_url(raffle_set.project), data, follow=True)

    assert response.redirect_chain == [(buyer.get_absolute_url(), 302)]
    assert "Reserved 007, 012, 100-102 for Ana Gómez." in response.content.decode()
    assert _states(raffle_set.project, [7, 12, 100, 101, 102, 103]) == {
        7: "reserved",
        12: "reserved",
        100: "reserved",
        101: "reserved",
        102: "reserved",
        103: "available",
    }
    assert set(Raffle.objects.filter(buyer=buyer).values_list("number", flat=True)) == {
        7,
        12,
        100,
        101,
        102,
    }


def test_sell_paid_records_a_payment_with_the_method(
    organizer_client, organizer, raffle_set, buyer
):
    data = _sale(buyer, numbers="5", state="paid", method="mobile", reference="Tx 9")

    response = organizer_client.post(_url(raffle_set.project), data, follow=True)

    raffle = Raffle.objects.get(project=raffle_set.project, number=5)
    payment = Payment.objects.get(raffle=raffle)
    assert (raffle.state, raffle.method) == ("paid", "mobile")
    assert (str(payment.amount), payment.method, payment.reference) == (
        "10.00",
        "mobile",
        "Tx 9",
    )
    assert payment.recorded_by == organizer
    assert "Sold 005, paid, to Ana Gómez." in response.content.decode()


def test_sell_to_a_new_buyer_creates_the_buyer_and_sells(
    organizer_client, organizer, raffle_set
):
    data = {**_sale(numbers="1-2"), **_new_buyer(**{"new-first_name": "Luis 😀"})}

    response = organizer_client.post(_url(raffle_set.project), data, follow=True)

    buyer = Buyer.objects.get(owner=organizer)
    assert buyer.full_name == "Luis 😀 Peña"
    assert response.redirect_chain == [(buyer.get_absolute_url(), 302)]
    assert list(
        Raffle.objects.filter(buyer=buyer).values_list("number", flat=True)
    ) == [
        1,
        2,
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "Buyer Luis 😀 Peña added.",
        "Reserved 001-002 for Luis 😀 Peña.",
    ]


def test_sell_lists_exactly_the_taken_numbers_and_changes_nothing(
    organizer_client, organizer, raffle_set, buyer
):
    holder = BuyerFactory(owner=organizer, first_name="Luis")
    services.sell_numbers(
        project=raffle_set.project,
        buyer=holder,
        numbers="043",
        actor=organizer,
        state="paid",
    )

    response = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="040-045")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["numbers"] == [
        "Number 043 (paid) is no longer available."
    ]
    assert "Number 043 (paid) is no longer available." in response.content.decode()
    assert _states(raffle_set.project, range(40, 46)) == {
        40: "available",
        41: "available",
        42: "available",
        43: "paid",
        44: "available",
        45: "available",
    }
    assert Raffle.objects.get(project=raffle_set.project, number=43).buyer == holder


def test_sell_refused_for_a_new_buyer_leaves_no_buyer_behind(
    organizer_client, organizer, raffle_set, buyer
):
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers="43", actor=organizer
    )
    data = {**_sale(numbers="040-045"), **_new_buyer()}

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.context["form"].errors["numbers"] == [
        "Number 043 (reserved) is no longer available."
    ]
    assert list(Buyer.objects.filter(owner=organizer)) == [buyer]
    assert response.context["buyer_form"]["first_name"].value() == "Luis"


def test_sell_keeps_leading_zeros(organizer_client, raffle_set, buyer):
    project = raffle_set.project

    sold = organizer_client.post(
        _url(project), _sale(buyer, numbers="007"), follow=True
    )
    page = organizer_client.get(
        reverse("raffles:number_detail", args=[project.ref, "7"])
    )
    services.mark_paid(
        raffle=Raffle.objects.get(project=project, number=7),
        method="cash",
        actor=project.owner,
    )
    csv = organizer_client.get(reverse("raffles:draw_list_csv", args=[project.ref]))

    assert "Reserved 007 for Ana Gómez." in sold.content.decode()
    assert page.context["raffle"].label == "007"
    assert 'Number <span class="label">007</span>' in page.content.decode()
    assert b'"007","Ana ' in b"".join(csv.streaming_content)


def test_sell_refuses_too_many_digits(organizer_client, raffle_set, buyer):
    response = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="0007")
    )

    assert response.context["form"].errors["numbers"] == [
        "Too many digits for this project's numbers: 0007."
    ]
    assert Raffle.objects.filter(buyer=buyer).count() == 0


@pytest.mark.parametrize(
    "numbers, message",
    [
        ("", "This field is required."),
        ("7, x", "“x” is not a number or a range like 100-105."),
        ("1000", "Not in any set of this project: 1000."),
        ("9-3", "The range “9-3” ends before it starts."),
    ],
)
def test_sell_shows_number_errors_next_to_the_field(
    organizer_client, raffle_set, buyer, numbers, message
):
    response = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers=numbers)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["numbers"] == [message]
    assert Raffle.objects.filter(buyer=buyer).count() == 0


def test_sell_needs_a_buyer(organizer_client, raffle_set):
    response = organizer_client.post(_url(raffle_set.project), _sale(numbers=""))

    assert response.context["form"].errors == {
        "numbers": ["This field is required."],
        "buyer": ["Choose a buyer, or fill in the new buyer's details below."],
    }


@pytest.mark.parametrize(
    ("numbers", "error"),
    [
        ("5", "Number 005 (reserved) is no longer available."),
        ("990-1200", "Not in any set of this project: 1000-1200."),
    ],
)
def test_sell_names_the_numbers_problem_with_the_missing_buyer(
    organizer_client, raffle_set, buyer, numbers, error
):
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers="5", actor=buyer.owner
    )

    response = organizer_client.post(
        _url(raffle_set.project), _sale(numbers=numbers, confirm=None)
    )

    assert response.context["form"].errors == {
        "numbers": [error],
        "buyer": ["Choose a buyer, or fill in the new buyer's details below."],
    }


def test_sell_refuses_an_existing_and_a_new_buyer_at_once(
    organizer_client, organizer, raffle_set, buyer
):
    data = {**_sale(buyer), **_new_buyer()}

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.context["form"].errors["buyer"] == [
        "Choose an existing buyer or fill in a new one, not both."
    ]
    assert Buyer.objects.filter(owner=organizer).count() == 1
    assert (
        Raffle.objects.filter(project=raffle_set.project)
        .exclude(state="available")
        .count()
        == 0
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"new-email": "ana@"}, "email", "Enter a valid email address."),
        ({"new-email": ""}, "phone", "Give at least an email or a phone."),
        (
            {"new-first_name": "A" * 300},
            "first_name",
            "Ensure this value has at most 100 characters (it has 300).",
        ),
        (
            {"new-phone": "12"},
            "phone",
            "Enter a valid phone number, e.g. +54 9 11 2345 6789.",
        ),
    ],
)
# Reviewing (no `confirm`) reports the same errors as confirming.
@pytest.mark.parametrize("confirm", ["1", None])
def test_sell_shows_new_buyer_errors_next_to_its_fields(
    organizer_client, organizer, raffle_set, changes, field, message, confirm
):
    data = {**_sale(confirm=confirm), **_new_buyer(**changes)}

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.templates[0].name == "raffles/sell_form.html"
    assert response.context["buyer_form"].errors[field] == [message]
    assert f'id="id_new-{field}_error"' in response.content.decode()
    assert Buyer.objects.filter(owner=organizer).count() == 0
    assert Raffle.objects.filter(project=raffle_set.project, number=7).get().state == (
        "available"
    )


def test_sell_refuses_another_organizers_buyer(
    organizer_client, raffle_set, other_organizer
):
    BuyerFactory(owner=other_organizer)
    stranger = BuyerFactory(owner=other_organizer)

    response = organizer_client.post(_url(raffle_set.project), _sale(stranger))

    assert response.context["form"].errors["buyer"] == ["Choose one of your buyers."]
    assert Raffle.objects.filter(buyer=stranger).count() == 0


def test_sell_goes_back_to_a_safe_next_page(organizer_client, raffle_set, buyer):
    back = reverse("raffles:number_detail", args=[raffle_set.project.ref, "007"])

    inside = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="7", next=back)
    )
    outside = organizer_client.post(
        _url(raffle_set.project),
        _sale(buyer, numbers="8", next="https://evil.example/"),
    )

    assert inside.url == back
    assert outside.url == buyer.get_absolute_url()


# Picking numbers, reviewing, confirming


def test_sell_page_echoes_ticked_numbers_as_runs(organizer_client, raffle_set):
    url = _url(raffle_set.project)

    response = organizer_client.get(
        url + "?numbers=007&numbers=008&numbers=009&numbers=012"
    )

    assert response.context["form"]["numbers"].value() == "007-009, 012"
    html = response.content.decode()
    assert '<span class="label">007-009, 012</span>: 4 numbers, 40.00 USD.' in html


def test_sell_page_names_taken_numbers_before_anything_is_sent(
    organizer_client, organizer, raffle_set, buyer
):
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers="8", actor=organizer
    )

    response = organizer_client.get(_url(raffle_set.project), {"numbers": "7-9"})

    assert [r.label for r in response.context["taken"]] == ["008"]
    assert 'Already taken: <span class="label">008</span> (reserved)' in _text(response)


def test_sell_is_reviewed_before_it_is_confirmed(organizer_client, raffle_set, buyer):
    data = _sale(buyer, numbers="7, 12, 100-105", state="paid", confirm=None)

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "raffles/sell_review.html"
    html = response.content.decode()
    assert '<span class="label" id="review-numbers">007, 012, 100-105</span>' in html
    assert "(8 numbers)" in html
    assert f"paid in full (cash, {date_format(timezone.localdate())})" in _text(
        response
    )
    assert "80.00 USD" in html
    assert 'name="confirm"' in html
    assert 'name="edit"' in html
    assert _states(raffle_set.project, [7, 12, 100]) == {
        7: "available",
        12: "available",
        100: "available",
    }


def test_sell_review_carries_the_sale_to_confirm(organizer_client, raffle_set, buyer):
    review = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="7-8", confirm=None)
    )
    carried = review.context["form"].data.dict()

    response = organizer_client.post(
        _url(raffle_set.project), {**carried, "confirm": "1"}
    )

    assert response.status_code == 302
    assert _states(raffle_set.project, [7, 8]) == {7: "reserved", 8: "reserved"}


def test_sell_review_hides_every_field_for_the_confirmation(
    organizer_client, raffle_set
):
    data = {**_sale(numbers="1", confirm=None), **_new_buyer()}

    response = organizer_client.post(_url(raffle_set.project), data)

    html = response.content.decode()
    for name, value in [
        ("numbers", "1"),
        ("state", "reserved"),
        ("new-first_name", "Luis"),
        ("new-email", "luis@example.com"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}"' in html
    assert "Luis Peña (new buyer)" in html
    assert Buyer.objects.count() == 0


def test_sell_review_names_taken_numbers(
    organizer_client, organizer, raffle_set, buyer
):
    services.sell_numbers(
        project=raffle_set.project,
        buyer=buyer,
        numbers="43",
        actor=organizer,
        state="paid",
    )

    response = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="40-45", confirm=None)
    )

    assert response.context["form"].errors["numbers"] == [
        "Number 043 (paid) is no longer available."
    ]
    assert [t.name for t in response.templates][0] == "raffles/sell_form.html"


def test_sell_change_goes_back_to_the_form_without_errors(
    organizer_client, raffle_set, buyer
):
    data = _sale(buyer, numbers="7-8", confirm=None, edit="1")

    response = organizer_client.post(_url(raffle_set.project), data)

    form = response.context["form"]
    assert not form.is_bound
    assert form["numbers"].value() == "7-8"
    assert response.context["chosen"] == buyer
    assert "checked" in response.content.decode()
    assert _states(raffle_set.project, [7]) == {7: "available"}


def test_sell_confirmed_after_someone_else_took_a_number_names_it(
    organizer_client, organizer, raffle_set, buyer
):
    review = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="7-9", confirm=None)
    )
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers="9", actor=organizer
    )

    response = organizer_client.post(
        _url(raffle_set.project), {**review.context["form"].data.dict(), "confirm": "1"}
    )

    assert response.context["form"].errors["numbers"] == [
        "Number 009 (reserved) is no longer available."
    ]
    assert _states(raffle_set.project, [7, 8]) == {7: "available", 8: "available"}


def test_sell_paid_keeps_the_payment_date(organizer_client, raffle_set, buyer):
    data = _sale(buyer, numbers="5", state="paid", paid_on="2026-03-01")

    organizer_client.post(_url(raffle_set.project), data)

    payment = Payment.objects.get()
    assert timezone.localdate(payment.paid_at) == datetime.date(2026, 3, 1)


def test_sell_without_a_payment_date_pays_today(organizer_client, raffle_set, buyer):
    data = _sale(buyer, numbers="5", state="paid", paid_on="")

    organizer_client.post(_url(raffle_set.project), data)

    payment = Payment.objects.get()
    assert timezone.localdate(payment.paid_at) == timezone.localdate()


# Finding the buyer


@pytest.mark.parametrize(
    "query", ["gómez", "ana gómez", "+57 300 000 0001", "3000000001", "ANA.G@"]
)
def test_sell_finds_a_buyer_by_name_phone_or_email(
    organizer_client, organizer, raffle_set, query
):
    ana = BuyerFactory(
        owner=organizer,
        first_name="Ana",
        last_name="Gómez",
        phone="+57 300 000 0001",
        email="ana.g@example.com",
    )
    BuyerFactory(owner=organizer, first_name="Luis", last_name="Peña")

    response = organizer_client.post(
        _url(raffle_set.project),
        _sale(numbers="7", buyer_q=query, find="1", confirm=None),
    )

    assert response.context["candidates"] == [ana]
    assert response.context["form"].errors == {}
    assert _states(raffle_set.project, [7]) == {7: "available"}


def test_sell_enter_in_the_search_box_lists_matches_with_the_error(
    organizer_client, organizer, raffle_set, buyer
):
    # Without scripts, Enter presses the form's first button: "review".
    data = _sale(numbers="7", buyer_q="gómez", confirm=None, review="1")

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.context["candidates"] == [buyer]
    assert response.context["form"].errors == {
        "buyer": ["Choose a buyer, or fill in the new buyer's details below."]
    }
    assert _states(raffle_set.project, [7]) == {7: "available"}


def test_sell_find_keeps_what_was_typed(organizer_client, raffle_set):
    data = {
        **_sale(numbers="7, 9", buyer_q="nobody", find="1", confirm=None),
        **_new_buyer(),
    }

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.context["form"]["numbers"].value() == "7, 9"
    assert response.context["buyer_form"]["first_name"].value() == "Luis"
    assert response.context["candidates"] == []
    assert "No buyer matches." in response.content.decode()


def test_sell_offers_the_buyers_added_last(organizer_client, organizer, raffle_set):
    buyers = [BuyerFactory(owner=organizer) for _ in range(7)]

    response = organizer_client.get(_url(raffle_set.project))

    assert response.context["candidates"] == buyers[:1:-1]


def test_sell_offers_the_chosen_buyer_first(
    organizer_client, organizer, raffle_set, buyer
):
    for _ in range(6):
        BuyerFactory(owner=organizer)

    response = organizer_client.get(_url(raffle_set.project), {"buyer": buyer.ref})

    assert response.context["candidates"][0] == buyer
    assert f'name="buyer" value="{buyer.ref}" checked>' in _text(response)


def test_sell_to_a_new_buyer_hints_at_a_shared_phone(
    organizer_client, organizer, raffle_set, settings
):
    settings.PHONE_REGION = "CO"
    mother = BuyerFactory(
        owner=organizer, first_name="Ana", last_name="Gómez", phone="+573000000001"
    )
    data = {
        **_sale(numbers="7", confirm=None),
        **_new_buyer(**{"new-phone": "300 000 0001", "new-email": ""}),
    }

    review = organizer_client.post(_url(raffle_set.project), data)
    sold = organizer_client.post(
        _url(raffle_set.project), {**data, "confirm": "1"}, follow=True
    )

    assert review.context["sharing"] == [mother]
    assert "Other buyers already use this phone or email:" in review.content.decode()
    son = Buyer.objects.get(owner=organizer, first_name="Luis")
    assert son.phone == mother.phone
    assert sold.redirect_chain == [(son.get_absolute_url(), 302)]


@pytest.mark.parametrize("size", [2, 40])
def test_sell_page_query_count_is_constant(
    organizer_client, organizer, raffle_set, django_assert_num_queries, size
):
    for _ in range(size):
        BuyerFactory(owner=organizer)

    # Session, user, project, the sets and numbers echoed, buyers added last.
    with django_assert_num_queries(6):
        organizer_client.get(_url(raffle_set.project), {"numbers": "1-5"})
    # ... and a search instead of the buyers added last.
    with django_assert_num_queries(6):
        organizer_client.post(
            _url(raffle_set.project), _sale(buyer_q="Gómez", find="1")
        )


# Isolation


def test_sell_page_is_shown_to_its_owner(organizer_client, raffle_set):
    response = organizer_client.get(_url(raffle_set.project))

    assert response.status_code == 200


def test_sell_page_is_not_found_for_another_organizer(
    client, raffle_set, other_organizer
):
    client.force_login(other_organizer)

    response = client.get(_url(raffle_set.project))

    assert response.status_code == 404


def test_sell_page_sends_anonymous_visitors_to_log_in(client, raffle_set):
    response = client.get(_url(raffle_set.project))

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_sell_by_another_organizer_is_not_found_and_changes_nothing(
    client, raffle_set, other_organizer
):
    client.force_login(other_organizer)
    data = {**_sale(numbers="1-5"), **_new_buyer()}

    response = client.post(_url(raffle_set.project), data)

    assert response.status_code == 404
    assert Buyer.objects.count() == 0
    assert Raffle.objects.exclude(state="available").count() == 0


@pytest.mark.parametrize("step", ["review", "confirm"])
def test_sell_paid_dated_after_today_is_refused_next_to_the_date(
    organizer_client, raffle_set, buyer, step
):
    """Typed past the picker's max (the form does not let the browser
    validate), the date is refused before the review, not after it."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    confirm = "1" if step == "confirm" else None
    data = _sale(
        buyer, numbers="5", state="paid", paid_on=tomorrow.isoformat(), confirm=confirm
    )

    response = organizer_client.post(_url(raffle_set.project), data)

    today = date_format(timezone.localdate())
    assert response.templates[0].name == "raffles/sell_form.html"
    assert response.context["form"].errors["paid_on"] == [
        f"A payment cannot be dated after today ({today})."
    ]
    assert Payment.objects.count() == 0


def test_a_reservation_ignores_a_payment_date_after_today(
    organizer_client, raffle_set, buyer
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = _sale(buyer, numbers="5", paid_on=tomorrow.isoformat())

    organizer_client.post(_url(raffle_set.project), data)

    assert raffle_set.raffles.get(number=5).state == "reserved"


@pytest.mark.parametrize(
    ("page", "name"),
    [
        ("raffles:sell", "paid_on"),
        ("raffles:mark_paid_many", "paid_on"),
        ("raffles:number_detail", "payment-paid_on"),
    ],
)
def test_payment_date_pickers_offer_no_day_after_today(
    settings, organizer_client, raffle_set, buyer, page, name
):
    # Already tomorrow there for most of the day in UTC.
    settings.TIME_ZONE = "Pacific/Kiritimati"
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers="7", actor=buyer.owner
    )
    args = [raffle_set.project.ref] + (["007"] if page.endswith("detail") else [])

    def today():
        return datetime.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()

    before = today()
    response = organizer_client.get(reverse(page, args=args))
    # Either day, should the request straddle midnight there.
    days = {before.isoformat(), today().isoformat()}

    [picker] = re.findall(rf'<input type="date" name="{name}"[^>]*>', response.text)
    [max_day] = re.findall(r' max="([^"]*)"', picker)
    assert max_day in days


def test_sell_names_a_long_list_of_taken_numbers_in_short(
    organizer_client, organizer, raffle_set, buyer
):
    odds = ", ".join(str(n) for n in range(1, 1000, 2))
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers=odds, actor=organizer
    )

    response = organizer_client.post(
        _url(raffle_set.project), _sale(buyer, numbers="000-999", confirm=None)
    )

    named = ", ".join(f"{n:03} (reserved)" for n in range(1, 40, 2))
    assert response.context["form"].errors["numbers"] == [
        f"Numbers {named} and 480 more are no longer available."
    ]


def test_sell_page_names_a_long_list_of_taken_numbers_in_short(
    organizer_client, organizer, raffle_set, buyer
):
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers="0-99", actor=organizer
    )
    odds = ", ".join(str(n) for n in range(101, 1000, 2))
    services.sell_numbers(
        project=raffle_set.project, buyer=buyer, numbers=odds, actor=organizer
    )

    response = organizer_client.get(_url(raffle_set.project), {"numbers": "0-999"})

    assert (
        'Already taken: <span class="label">000-099</span> (reserved), '
        '<span class="label">101</span> (reserved),'
    ) in _text(response)
    assert '<span class="label">137</span> (reserved) and 431 more </p>' in _text(
        response
    )


def test_sell_names_numbers_outside_every_set_in_short(
    organizer_client, raffle_set, buyer
):
    data = _sale(buyer, numbers="1-100000", confirm=None)

    response = organizer_client.post(_url(raffle_set.project), data)

    assert response.context["form"].errors["numbers"] == [
        "Not in any set of this project: 1000-100000."
    ]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The range “0-100000” has more than 100,000 numbers."),
        ("es", "El rango «0-100000» tiene más de 100\xa0000 números."),
    ],
)
def test_sell_writes_the_limit_of_a_range_in_the_language(
    organizer_client, raffle_set, buyer, language, message
):
    data = _sale(buyer, numbers="0-100000", confirm=None)

    response = organizer_client.post(
        _url(raffle_set.project), data, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.context["form"].errors["numbers"] == [message]
