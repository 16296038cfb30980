import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.models import Payment, Raffle, RaffleEvent
from raffles.tests.factories import RaffleSetFactory
from raffles.tests.helpers import history_cells, shown_time


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer, name="Spring fair")
    RaffleSetFactory(
        project=project, name="Main", quantity=1000, unit_price=Decimal("10.00")
    )
    return project


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(
        owner=organizer, first_name="Ana", last_name="Gómez", phone="+573000000001"
    )


@pytest.fixture
def reserved(project, buyer):
    return _sell(project, buyer, "001")


@pytest.fixture
def paid(project, buyer):
    return _sell(project, buyer, "002", state="paid")


def _sell(project, buyer, number, state="reserved"):
    [raffle] = services.sell_numbers(
        project=project, buyer=buyer, numbers=number, actor=project.owner, state=state
    )
    return raffle


def _url(name, raffle, label=None):
    return reverse(name, args=[raffle.project.ref, label or raffle.label])


def _number(project, number):
    return Raffle.objects.select_related("raffle_set").get(
        project=project, number=number
    )


def _payment(**changes):
    data = {
        "payment-amount": "4.00",
        "payment-method": "cash",
        "payment-paid_on": timezone.localdate().isoformat(),
        "payment-reference": "",
    }
    return {**data, **changes}


def _reserved_days_ago(raffle, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    Raffle.objects.filter(pk=raffle.pk).update(reserved_at=moment)
    return moment


def _messages(response):
    return [str(message) for message in response.context["messages"]]


# The page


@pytest.mark.parametrize("typed", ["7", "07", "007"])
def test_number_page_accepts_the_number_with_or_without_zeros(
    organizer_client, project, typed
):
    response = organizer_client.get(
        reverse("raffles:number_detail", args=[project.ref, typed])
    )

    assert response.status_code == 200
    assert response.context["raffle"].label == "007"


@pytest.mark.parametrize("typed", ["0007", "abc", "1000", "-1"])
def test_number_page_is_not_found_for_other_spellings(organizer_client, project, typed):
    response = organizer_client.get(
        reverse("raffles:number_detail", args=[project.ref, typed])
    )

    assert response.status_code == 404


def test_number_page_shows_the_number_its_buyer_and_money(
    organizer_client, organizer, reserved
):
    services.record_payment(
        raffle=reserved,
        amount="4.00",
        method="bank_transfer",
        actor=organizer,
        reference="Tx 77",
    )
    services.update_number_notes(raffle=reserved, notes="Pagó 💵 en la feria")

    response = organizer_client.get(_url("raffles:number_detail", reserved))

    page = response.content.decode()
    assert "Main (000-999)" in page
    assert '<a href="/buyers/1/">Ana Gómez</a>' in page
    assert "+57 300 0000001" in page
    for text in ("10.00 USD", "4.00 USD", "6.00 USD", "Tx 77", "bank transfer"):
        assert text in page
    assert "Pagó 💵 en la feria" in page
    assert [str(p.amount) for p in response.context["payments"]] == ["4.00"]


def test_number_page_shows_history_newest_first(
    organizer_client, organizer, project, buyer
):
    raffle = _sell(project, buyer, "010")
    services.release_number(raffle=raffle, actor=organizer, reason="Wrong number")
    raffle = _sell(project, buyer, "010", state="paid")

    response = organizer_client.get(_url("raffles:number_detail", raffle))

    events = [(e.kind, e.reason) for e in response.context["events"]]
    assert events == [("sell", ""), ("release", "Wrong number"), ("reserve", "")]
    assert "Wrong number" in response.content.decode()


def test_number_page_history_shows_who_acted_and_when(
    organizer_client, organizer, project, buyer, settings
):
    settings.TIME_ZONE = "America/Bogota"
    raffle = _sell(project, buyer, "010")
    services.record_payment(
        raffle=raffle, amount=Decimal("4.00"), method="cash", actor=organizer
    )

    response = organizer_client.get(_url("raffles:number_detail", raffle))

    events = response.context["events"]
    assert history_cells(response, "when") == [shown_time(e.at) for e in events]
    assert history_cells(response, "by") == ["organizer", "organizer"]


@pytest.mark.parametrize(
    ("language", "states"),
    [
        ("en", ["reserved → paid", "still reserved", "available → reserved"]),
        ("es", ["reservado → pagado", "sigue reservado", "disponible → reservado"]),
    ],
)
def test_number_page_history_says_a_partial_payment_keeps_the_state(
    organizer_client, organizer, reserved, language, states
):
    for amount in ("4.00", "6.00"):
        services.record_payment(
            raffle=reserved, amount=Decimal(amount), method="cash", actor=organizer
        )
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = organizer_client.get(_url("raffles:number_detail", reserved))

    assert history_cells(response, "state") == states


@pytest.mark.parametrize(
    "state, shown, hidden",
    [
        (
            "available",
            ["/sell/?numbers=003"],
            ["/payments/", "/mark-paid/", "/release/", "/refund/"],
        ),
        (
            "reserved",
            ["/payments/", "/mark-paid/", "/release/"],
            ["/refund/", "/sell/"],
        ),
        ("paid", ["/refund/"], ["/payments/", "/mark-paid/", "/release/", "/sell/"]),
    ],
)
def test_number_page_offers_the_actions_of_its_state(
    organizer_client, project, buyer, state, shown, hidden
):
    if state != "available":
        _sell(project, buyer, "003", state=state)

    response = organizer_client.get(
        reverse("raffles:number_detail", args=[project.ref, "003"])
    )

    page = response.content.decode()
    assert [url for url in shown if url not in page] == []
    assert [url for url in hidden if url in page] == []


# Payments


def test_partial_payments_reach_paid_then_refuse_more(
    organizer_client, project, reserved
):
    url = _url("raffles:number_payment", reserved)

    first = organizer_client.post(
        url, _payment(**{"payment-amount": "4.00"}), follow=True
    )
    after_first = _number(project, 1)
    second = organizer_client.post(
        url, _payment(**{"payment-amount": "6.00"}), follow=True
    )
    after_second = _number(project, 1)
    extra = organizer_client.post(
        url, _payment(**{"payment-amount": "0.01"}), follow=True
    )

    assert _messages(first) == [
        "Payment of 4.00 USD recorded for number 001; 6.00 USD still owed."
    ]
    assert (after_first.state, str(after_first.amount_paid)) == ("reserved", "4.00")
    assert _messages(second) == ["Payment of 6.00 USD recorded; number 001 is paid."]
    assert (after_second.state, str(after_second.amount_paid)) == ("paid", "10.00")
    assert _messages(extra) == [
        "Number 001 is paid: only a reserved number takes payments."
    ]
    assert [str(p.amount) for p in Payment.objects.filter(raffle=reserved)] == [
        "4.00",
        "6.00",
    ]
    kinds = RaffleEvent.objects.filter(raffle=reserved).order_by("at", "pk")
    assert [(e.kind, str(e.amount)) for e in kinds] == [
        ("reserve", "None"),
        ("payment", "4.00"),
        ("payment", "6.00"),
    ]


def test_payment_confirms_what_is_still_owed(organizer_client, reserved):
    response = organizer_client.post(
        _url("raffles:number_payment", reserved), _payment(), follow=True
    )

    assert response.redirect_chain == [(_url("raffles:number_detail", reserved), 302)]
    assert _messages(response) == [
        "Payment of 4.00 USD recorded for number 001; 6.00 USD still owed."
    ]


def test_payment_over_what_is_owed_is_a_field_error(
    organizer_client, project, reserved
):
    response = organizer_client.post(
        _url("raffles:number_payment", reserved),
        _payment(**{"payment-amount": "10.01"}),
    )

    assert response.status_code == 200
    assert response.context["payment_form"].errors["amount"] == [
        "Only 10.00 USD is still owed on number 001."
    ]
    assert 'id="id_payment-amount_error"' in response.content.decode()
    assert str(_number(project, 1).amount_paid) == "0.00"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"payment-amount": ""}, "amount", "This field is required."),
        (
            {"payment-amount": "abc"},
            "amount",
            "Enter an amount such as 1,234.50.",
        ),
        ({"payment-amount": "0"}, "amount", "Enter an amount greater than 0."),
        ({"payment-amount": "-4"}, "amount", "Enter an amount greater than 0."),
        (
            {"payment-amount": "2.225"},
            "amount",
            "Use at most two decimal places.",
        ),
        (
            {"payment-method": "cheque"},
            "method",
            "Select a valid choice. cheque is not one of the available choices.",
        ),
        ({"payment-paid_on": "yesterday"}, "paid_on", "Enter a valid date."),
    ],
)
def test_payment_shows_errors_next_to_the_field(
    organizer_client, project, reserved, changes, field, message
):
    response = organizer_client.post(
        _url("raffles:number_payment", reserved), _payment(**changes)
    )

    assert response.status_code == 200
    assert response.context["payment_form"].errors[field] == [message]
    assert Payment.objects.filter(raffle=reserved).count() == 0


def test_payment_keeps_the_date_given(organizer_client, reserved):
    _reserved_days_ago(reserved, 10)
    day = timezone.localdate() - datetime.timedelta(days=3)

    organizer_client.post(
        _url("raffles:number_payment", reserved),
        _payment(**{"payment-paid_on": day.isoformat(), "payment-reference": "Rcpt 4"}),
    )

    payment = Payment.objects.get(raffle=reserved)
    assert timezone.localtime(payment.paid_at).date() == day
    assert payment.reference == "Rcpt 4"


def test_payment_and_mark_paid_take_only_post(organizer_client, reserved):
    for name in ("raffles:number_payment", "raffles:number_mark_paid"):
        response = organizer_client.get(_url(name, reserved))

        assert response.status_code == 405


def test_mark_paid_pays_what_is_owed(organizer_client, organizer, project, reserved):
    services.record_payment(
        raffle=reserved, amount="3.00", method="cash", actor=organizer
    )

    response = organizer_client.post(
        _url("raffles:number_mark_paid", reserved),
        {"paid-method": "card", "paid-reference": "POS 12"},
        follow=True,
    )

    raffle = _number(project, 1)
    assert (raffle.state, str(raffle.amount_paid), raffle.method) == (
        "paid",
        "10.00",
        "card",
    )
    last = Payment.objects.filter(raffle=reserved).order_by("pk").last()
    assert (str(last.amount), last.reference) == ("7.00", "POS 12")
    assert _messages(response) == ["Number 001 marked paid (7.00 USD, card)."]


def test_mark_paid_shows_errors_next_to_the_field(organizer_client, reserved):
    response = organizer_client.post(
        _url("raffles:number_mark_paid", reserved), {"paid-method": ""}
    )

    assert response.context["mark_paid_form"].errors["method"] == [
        "This field is required."
    ]
    assert Payment.objects.filter(raffle=reserved).count() == 0


def test_mark_paid_of_a_paid_number_is_refused(organizer_client, paid):
    response = organizer_client.post(
        _url("raffles:number_mark_paid", paid), {"paid-method": "cash"}, follow=True
    )

    assert _messages(response) == [
        "Number 002 is paid: only a reserved number is marked paid."
    ]
    assert Payment.objects.filter(raffle=paid).count() == 1


# Release and refund


def test_release_asks_first(organizer_client, project, reserved):
    response = organizer_client.get(_url("raffles:number_release", reserved))

    assert response.status_code == 200
    assert "Release number 001?" in response.content.decode()
    assert _number(project, 1).state == "reserved"


@pytest.mark.parametrize(
    ("name", "label", "help_text", "required"),
    [
        (
            "raffles:number_release",
            "Reason (optional):",
            "Kept in the number's history.",
            "",
        ),
        (
            "raffles:number_refund",
            "Reason:",
            "Required: the reason is kept in the number's history.",
            " required",
        ),
    ],
)
def test_reason_field_says_whether_it_is_required(
    organizer_client, reserved, paid, name, label, help_text, required
):
    raffle = reserved if name == "raffles:number_release" else paid

    html = " ".join(organizer_client.get(_url(name, raffle)).content.decode().split())

    assert (
        f'<label for="id_reason">{label}</label> <div class="helptext" '
        f'id="id_reason_helptext">{help_text}</div> <textarea name="reason" '
        f'cols="40" rows="2" maxlength="500"{required} '
        'aria-describedby="id_reason_helptext" id="id_reason">'
    ) in html


def test_release_with_a_reason_shows_it_in_the_history(
    organizer_client, organizer, project, reserved, buyer
):
    response = organizer_client.post(
        _url("raffles:number_release", reserved),
        {"reason": "Changed her mind 🙃"},
        follow=True,
    )
    buyer_page = organizer_client.get(buyer.get_absolute_url())

    assert _number(project, 1).state == "available"
    assert history_cells(response, "event") == ["released", "reserved"]
    assert history_cells(response, "reason") == ["Changed her mind 🙃", ""]
    assert history_cells(buyer_page, "reason") == ["Changed her mind 🙃", ""]


def test_release_makes_the_number_available_and_keeps_history(
    organizer_client, organizer, project, reserved
):
    services.record_payment(
        raffle=reserved, amount="4.00", method="cash", actor=organizer
    )

    response = organizer_client.post(
        _url("raffles:number_release", reserved), {"reason": ""}, follow=True
    )

    raffle = _number(project, 1)
    assert (raffle.state, raffle.buyer, str(raffle.amount_paid)) == (
        "available",
        None,
        "0.00",
    )
    assert _messages(response) == [
        "Number 001 released: it is available again. Give Ana Gómez back the "
        "4.00 USD paid for it."
    ]
    event = RaffleEvent.objects.filter(raffle=reserved).order_by("-pk").first()
    assert (event.kind, event.buyer.full_name, str(event.amount)) == (
        "release",
        "Ana Gómez",
        "4.00",
    )
    assert Payment.objects.get(raffle=reserved).cleared_at is not None


def test_release_of_a_paid_number_is_refused(organizer_client, project, paid):
    response = organizer_client.post(
        _url("raffles:number_release", paid), {"reason": "x"}, follow=True
    )

    assert _messages(response) == [
        "Number 002 is paid: only a reserved number is released."
    ]
    assert _number(project, 2).state == "paid"


def test_refund_asks_first(organizer_client, project, paid):
    response = organizer_client.get(_url("raffles:number_refund", paid))

    assert response.status_code == 200
    assert "Refund number 002?" in response.content.decode()
    assert _number(project, 2).state == "paid"


def test_refund_needs_a_reason(organizer_client, project, paid):
    response = organizer_client.post(
        _url("raffles:number_refund", paid), {"reason": "  "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Say why the number is refunded."
    ]
    assert _number(project, 2).state == "paid"


def test_refund_makes_the_number_available_with_its_reason(
    organizer_client, project, paid
):
    response = organizer_client.post(
        _url("raffles:number_refund", paid),
        {"reason": "Duplicate sale 😕"},
        follow=True,
    )

    assert _number(project, 2).state == "available"
    assert _messages(response) == [
        "Number 002 refunded (10.00 USD): it is available again."
    ]
    event = RaffleEvent.objects.filter(raffle=paid).order_by("-pk").first()
    assert (event.kind, event.reason) == ("refund", "Duplicate sale 😕")


def test_refund_of_a_reserved_number_is_refused(organizer_client, reserved):
    response = organizer_client.get(
        _url("raffles:number_refund", reserved), follow=True
    )

    assert _messages(response) == [
        "Number 001 is reserved: only a paid number is refunded."
    ]


def test_notes_are_saved(organizer_client, project, reserved):
    response = organizer_client.post(
        _url("raffles:number_notes", reserved), {"notes": "Pagó 💵"}, follow=True
    )

    assert _number(project, 1).notes == "Pagó 💵"
    assert _messages(response) == ["Notes of number 001 saved."]


def test_notes_too_long_are_a_field_error(organizer_client, project, reserved):
    response = organizer_client.post(
        _url("raffles:number_notes", reserved), {"notes": "x" * 501}
    )

    assert response.context["notes_form"].errors["notes"] == [
        "Ensure this value has at most 500 characters (it has 501)."
    ]
    assert _number(project, 1).notes == ""


# Voiding a payment


def _void_url(raffle, position=1):
    return reverse(
        "raffles:payment_void", args=[raffle.project.ref, raffle.label, position]
    )


@pytest.fixture
def partly_paid(organizer, reserved):
    services.record_payment(
        raffle=reserved, amount="3.00", method="card", actor=organizer
    )
    services.record_payment(
        raffle=reserved,
        amount="4.00",
        method="bank_transfer",
        actor=organizer,
        reference="Tx 12",
    )
    return reserved


def test_number_page_offers_to_void_payments_of_a_reserved_number(
    organizer_client, partly_paid
):
    response = organizer_client.get(_url("raffles:number_detail", partly_paid))

    assert [p.position for p in response.context["payments"]] == [1, 2]
    html = response.content.decode()
    assert 'href="/projects/1/numbers/001/payments/1/void/"' in html
    assert 'href="/projects/1/numbers/001/payments/2/void/"' in html


def test_void_asks_first(organizer_client, partly_paid):
    response = organizer_client.get(_void_url(partly_paid, 2))

    assert response.status_code == 200
    assert response.context["payment"].reference == "Tx 12"
    html = response.content.decode()
    assert "Void this payment of number 001?" in html
    assert "4.00 USD" in html
    assert _number(partly_paid.project, 1).amount_paid == Decimal("7.00")


def test_void_needs_a_reason(organizer_client, partly_paid):
    response = organizer_client.post(_void_url(partly_paid, 2), {"reason": " "})

    assert response.context["form"].errors == {
        "reason": ["Say why the payment is voided."]
    }
    assert _number(partly_paid.project, 1).amount_paid == Decimal("7.00")


def test_void_takes_the_payment_back_and_keeps_it_on_record(
    organizer_client, organizer, partly_paid
):
    response = organizer_client.post(
        _void_url(partly_paid, 2), {"reason": "Transfer bounced"}, follow=True
    )

    raffle = _number(partly_paid.project, 1)
    assert response.redirect_chain == [("/projects/1/numbers/001/", 302)]
    assert _messages(response) == [
        "Payment of 4.00 USD on number 001 voided; 7.00 USD still owed."
    ]
    assert (raffle.state, raffle.amount_paid, raffle.method) == (
        "reserved",
        Decimal("3.00"),
        "card",
    )
    voided = Payment.objects.get(reference="Tx 12")
    assert voided.cleared_at is not None
    event = raffle.events.latest("pk")
    assert (event.kind, event.amount, event.reason, event.actor) == (
        "payment",
        Decimal("-4.00"),
        "Transfer bounced",
        organizer,
    )
    html = response.content.decode()
    assert "payment voided" in html
    assert "-4.00 USD" in html
    assert 'href="/projects/1/numbers/001/payments/2/void/"' not in html


def test_void_of_a_paid_number_is_refused(organizer_client, paid):
    response = organizer_client.get(_void_url(paid, 1), follow=True)

    assert _messages(response) == [
        "Only a payment that still counts on a reserved number can be voided; "
        "number 002 is paid. A paid number is corrected with a refund."
    ]
    assert Payment.objects.get(raffle=paid).cleared_at is None


def test_void_of_a_cleared_payment_is_refused(organizer_client, organizer, partly_paid):
    organizer_client.post(_void_url(partly_paid, 1), {"reason": "Typo"})

    response = organizer_client.post(
        _void_url(partly_paid, 1), {"reason": "Again"}, follow=True
    )

    assert _messages(response)[-1].startswith("Only a payment that still counts")
    assert _number(partly_paid.project, 1).amount_paid == Decimal("4.00")


@pytest.mark.parametrize("position", [0, 3])
def test_void_of_an_unknown_payment_is_not_found(
    organizer_client, partly_paid, position
):
    response = organizer_client.get(_void_url(partly_paid, position))

    assert response.status_code == 404


def test_void_is_not_found_for_another_organizer(client, other_organizer, partly_paid):
    client.force_login(other_organizer)

    page = client.get(_void_url(partly_paid, 1))
    action = client.post(_void_url(partly_paid, 1), {"reason": "Mine now"})

    assert (page.status_code, action.status_code) == (404, 404)
    assert _number(partly_paid.project, 1).amount_paid == Decimal("7.00")


def test_void_sends_anonymous_visitors_to_log_in(client, partly_paid):
    page = client.get(_void_url(partly_paid, 1))
    action = client.post(_void_url(partly_paid, 1), {"reason": "x"})

    assert page.url.startswith(resolve_url(settings.LOGIN_URL))
    assert action.url.startswith(resolve_url(settings.LOGIN_URL))
    assert Payment.objects.filter(cleared_at__isnull=False).count() == 0


# Correcting a payment: void it, then record the right one


def _correct_url(raffle, position=1):
    return reverse(
        "raffles:payment_correct", args=[raffle.project.ref, raffle.label, position]
    )


def test_number_page_offers_to_correct_payments_that_count(
    organizer_client, partly_paid
):
    services.void_payment(
        payment=Payment.objects.get(reference="Tx 12"),
        actor=partly_paid.project.owner,
        reason="Typo",
    )

    response = organizer_client.get(_url("raffles:number_detail", partly_paid))

    html = response.content.decode()
    assert 'href="/projects/1/numbers/001/payments/1/correct/">Correct…</a>' in html
    assert 'href="/projects/1/numbers/001/payments/2/correct/"' not in html


def test_number_page_offers_no_correction_on_a_paid_number(organizer_client, paid):
    response = organizer_client.get(_url("raffles:number_detail", paid))

    html = " ".join(response.content.decode().split())
    assert "/payments/1/correct/" not in html
    assert (
        "A paid number's payments are corrected by refunding the number and "
        "selling it again."
    ) in html


def test_correct_asks_for_a_reason_first(organizer_client, partly_paid):
    response = organizer_client.get(_correct_url(partly_paid, 2))

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert response.context["payment"].reference == "Tx 12"
    assert "Correct this payment of number 001?" in html
    assert "Void and correct" in html
    assert _number(partly_paid.project, 1).amount_paid == Decimal("7.00")


def test_correct_needs_a_reason(organizer_client, partly_paid):
    response = organizer_client.post(_correct_url(partly_paid, 2), {"reason": ""})

    assert response.context["form"].errors == {
        "reason": ["Say why the payment is voided."]
    }
    assert Payment.objects.filter(cleared_at__isnull=False).count() == 0


def test_correct_voids_and_fills_the_payment_form_with_it(
    organizer_client, organizer, partly_paid
):
    wrong = Payment.objects.get(reference="Tx 12")
    wrong.paid_at = timezone.make_aware(datetime.datetime(2027, 3, 4, 12))
    wrong.save(update_fields=["paid_at"])

    response = organizer_client.post(
        _correct_url(partly_paid, 2), {"reason": "Wrong method"}, follow=True
    )

    raffle = _number(partly_paid.project, 1)
    assert response.redirect_chain == [
        ("/projects/1/numbers/001/?correct=2#record-payment", 302)
    ]
    assert _messages(response) == [
        "Payment of 4.00 USD on number 001 voided; 7.00 USD still owed."
    ]
    assert (raffle.state, raffle.amount_paid, raffle.method) == (
        "reserved",
        Decimal("3.00"),
        "card",
    )
    event = raffle.events.latest("pk")
    assert (event.kind, event.amount, event.reason, event.payment) == (
        "payment",
        Decimal("-4.00"),
        "Wrong method",
        wrong,
    )
    assert response.context["payment_form"].initial == {
        "amount": Decimal("4.00"),
        "method": "bank_transfer",
        "paid_on": datetime.date(2027, 3, 4),
        "reference": "Tx 12",
    }
    html = " ".join(response.content.decode().split())
    assert (
        "Filled in with voided payment 2: correct what was wrong, then record it."
    ) in html
    assert 'name="payment-reference" value="Tx 12"' in html


def test_correct_then_record_the_right_payment(organizer_client, partly_paid):
    organizer_client.post(_correct_url(partly_paid, 2), {"reason": "Wrong method"})

    response = organizer_client.post(
        _url("raffles:number_payment", partly_paid),
        _payment(
            **{
                "payment-method": "mobile",
                "payment-paid_on": timezone.localdate().isoformat(),
                "payment-reference": "Tx 12",
            }
        ),
        follow=True,
    )

    raffle = _number(partly_paid.project, 1)
    assert response.redirect_chain == [("/projects/1/numbers/001/", 302)]
    assert (raffle.state, raffle.amount_paid, raffle.method) == (
        "reserved",
        Decimal("7.00"),
        "mobile",
    )
    payments = [
        (p.amount, p.method, p.reference, p.cleared_at is None)
        for p in Payment.objects.filter(raffle=raffle).order_by("pk")
    ]
    assert payments == [
        (Decimal("3.00"), "card", "", True),
        (Decimal("4.00"), "bank_transfer", "Tx 12", False),
        (Decimal("4.00"), "mobile", "Tx 12", True),
    ]
    kinds = [(e.kind, e.amount) for e in raffle.events.order_by("pk")]
    assert kinds == [
        ("reserve", None),
        ("payment", Decimal("3.00")),
        ("payment", Decimal("4.00")),
        ("payment", Decimal("-4.00")),
        ("payment", Decimal("4.00")),
    ]


@pytest.mark.parametrize(
    "query", ["?correct=1", "?correct=2", "?correct=x", "?correct=²", "?correct=٢"]
)
def test_number_page_fills_the_form_only_from_a_voided_payment(
    organizer_client, partly_paid, query
):
    services.void_payment(
        payment=Payment.objects.get(reference="Tx 12"),
        actor=partly_paid.project.owner,
        reason="Typo",
    )

    response = organizer_client.get(_url("raffles:number_detail", partly_paid) + query)

    corrected = response.context["corrected"]
    assert (corrected.position if corrected else None) == (
        2 if query == "?correct=2" else None
    )


def test_correct_of_a_paid_number_is_refused(organizer_client, paid):
    page = organizer_client.get(_correct_url(paid, 1), follow=True)
    action = organizer_client.post(
        _correct_url(paid, 1), {"reason": "Wrong method"}, follow=True
    )

    refusal = (
        "Only a payment that still counts on a reserved number can be voided; "
        "number 002 is paid. A paid number is corrected with a refund."
    )
    assert (_messages(page), _messages(action)) == ([refusal], [refusal])
    assert Payment.objects.get(raffle=paid).cleared_at is None
    assert _number(paid.project, 2).state == "paid"


def test_correct_is_shown_to_its_owner(organizer_client, partly_paid):
    response = organizer_client.get(_correct_url(partly_paid, 1))

    assert response.status_code == 200


def test_correct_is_not_found_for_another_organizer(
    client, other_organizer, partly_paid
):
    client.force_login(other_organizer)

    page = client.get(_correct_url(partly_paid, 1))
    action = client.post(_correct_url(partly_paid, 1), {"reason": "Mine now"})

    assert (page.status_code, action.status_code) == (404, 404)
    assert _number(partly_paid.project, 1).amount_paid == Decimal("7.00")


def test_correct_sends_anonymous_visitors_to_log_in(client, partly_paid):
    page = client.get(_correct_url(partly_paid, 1))
    action = client.post(_correct_url(partly_paid, 1), {"reason": "x"})

    assert page.url.startswith(resolve_url(settings.LOGIN_URL))
    assert action.url.startswith(resolve_url(settings.LOGIN_URL))
    assert Payment.objects.filter(cleared_at__isnull=False).count() == 0


@pytest.mark.parametrize("size", [1, 12])
def test_number_page_query_count_is_constant(
    organizer_client, organizer, reserved, django_assert_num_queries, size
):
    for _ in range(size):
        services.record_payment(
            raffle=reserved, amount="0.50", method="cash", actor=organizer
        )

    url = _url("raffles:number_detail", reserved)

    # Session, user, number (with its project), payments, history, and the
    # prizes waiting for their lottery's draw (may it be released today?).
    with django_assert_num_queries(6):
        response = organizer_client.get(url)

    assert len(response.context["payments"]) == size


# Isolation

PAGES = [
    ("raffles:number_detail", "001"),
    ("raffles:number_release", "001"),
    ("raffles:number_refund", "002"),
]
ACTIONS = [
    ("raffles:number_payment", "001", _payment()),
    ("raffles:number_mark_paid", "001", {"paid-method": "cash"}),
    ("raffles:number_release", "001", {"reason": "x"}),
    ("raffles:number_refund", "002", {"reason": "x"}),
    ("raffles:number_notes", "001", {"notes": "x"}),
]


@pytest.mark.parametrize("name, label", PAGES)
def test_number_page_is_shown_to_its_owner(
    organizer_client, project, reserved, paid, name, label
):
    response = organizer_client.get(reverse(name, args=[project.ref, label]))

    assert response.status_code == 200


@pytest.mark.parametrize("name, label", PAGES)
def test_number_page_is_not_found_for_another_organizer(
    client, other_organizer, project, reserved, paid, name, label
):
    client.force_login(other_organizer)

    response = client.get(reverse(name, args=[project.ref, label]))

    assert response.status_code == 404


@pytest.mark.parametrize("name, label", PAGES)
def test_number_page_sends_anonymous_visitors_to_log_in(
    client, project, reserved, paid, name, label
):
    response = client.get(reverse(name, args=[project.ref, label]))

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name, label, data", ACTIONS)
def test_number_action_by_another_organizer_is_not_found_and_changes_nothing(
    client, other_organizer, project, reserved, paid, name, label, data
):
    client.force_login(other_organizer)
    before = list(Raffle.objects.values_list("number", "state", "notes"))

    response = client.post(reverse(name, args=[project.ref, label]), data)

    assert response.status_code == 404
    assert list(Raffle.objects.values_list("number", "state", "notes")) == before
    assert Payment.objects.count() == 1
    assert RaffleEvent.objects.count() == 2


@pytest.mark.parametrize("name, label, data", ACTIONS)
def test_number_action_by_anonymous_changes_nothing(
    client, project, reserved, paid, name, label, data
):
    response = client.post(reverse(name, args=[project.ref, label]), data)

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert RaffleEvent.objects.count() == 2


# Payment dates


def _short(day):
    return date_format(day)


def test_payment_dated_after_today_is_refused_next_to_the_date(
    organizer_client, reserved
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = organizer_client.post(
        _url("raffles:number_payment", reserved),
        _payment(**{"payment-paid_on": tomorrow.isoformat()}),
    )

    today = _short(timezone.localdate())
    assert response.context["payment_form"].errors["paid_on"] == [
        f"A payment cannot be dated after today ({today})."
    ]
    assert Payment.objects.filter(raffle=reserved).count() == 0


def test_payment_dated_before_the_reservation_is_refused_next_to_the_date(
    organizer_client, reserved
):
    reserved_at = _reserved_days_ago(reserved, 2)
    day = _short(timezone.localdate(reserved_at))

    response = organizer_client.post(
        _url("raffles:number_payment", reserved),
        _payment(**{"payment-paid_on": "1999-01-01"}),
    )

    assert response.context["payment_form"].errors["paid_on"] == [
        f"Number 001 was reserved on {day}: date its payment on {day} or later."
    ]
    assert Payment.objects.filter(raffle=reserved).count() == 0


# Money as the language writes it


def test_available_number_shows_what_is_owed_as_money(organizer_client, project):
    response = organizer_client.get(f"/projects/{project.ref}/numbers/5/")

    assert "<dd>\n      0.00 USD\n    </dd>" in response.content.decode()


@pytest.mark.parametrize(
    "typed, amount", [("4,50", "4.50"), ("4.50", "4.50"), ("1,5", "1.50")]
)
def test_payment_amount_takes_a_spanish_decimal_comma(
    organizer_client, project, reserved, typed, amount
):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    organizer_client.post(
        _url("raffles:number_payment", reserved),
        _payment(**{"payment-amount": typed}),
    )

    assert str(Payment.objects.get(raffle=reserved).amount) == amount


def test_payment_form_fills_in_the_amount_in_spanish(organizer_client, project, buyer):
    RaffleSetFactory(
        project=project,
        name="Big",
        first_number=5000,
        quantity=10,
        unit_price=Decimal("5000.50"),
    )
    raffle = _sell(project, buyer, "5001")
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = organizer_client.get(_url("raffles:number_detail", raffle))

    assert 'value="5\xa0000,50"' in response.content.decode()


# Voided payments and giving money back


def test_voided_payment_says_voided_on_its_date(organizer_client, partly_paid):
    organizer_client.post(_void_url(partly_paid, 2), {"reason": "Transfer bounced"})

    response = organizer_client.get(_url("raffles:number_detail", partly_paid))

    today = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert f"voided on {today}" in response.content.decode()
    assert "cleared on" not in response.content.decode()


def test_release_page_says_to_give_the_money_back(organizer_client, partly_paid):
    response = organizer_client.get(_url("raffles:number_release", partly_paid))

    page = " ".join(response.content.decode().split())
    assert "The number is reserved for Ana Gómez, who has paid 7.00 USD so far." in page
    assert (
        "Its payments will no longer count as collected: give the 7.00 USD back "
        "to Ana Gómez." in page
    )


def test_release_page_of_an_unpaid_number_says_nothing_to_give_back(
    organizer_client, reserved
):
    response = organizer_client.get(_url("raffles:number_release", reserved))

    page = " ".join(response.content.decode().split())
    assert "The number is reserved for Ana Gómez, who has paid nothing yet." in page
    assert 'id="give-back"' not in page


def test_refund_page_says_to_give_the_money_back(organizer_client, paid):
    response = organizer_client.get(_url("raffles:number_refund", paid))

    page = " ".join(response.content.decode().split())
    assert (
        "Its payments will no longer count as collected: give the 10.00 USD back "
        "to Ana Gómez." in page
    )


def test_release_without_payments_names_no_money(organizer_client, reserved):
    response = organizer_client.post(
        _url("raffles:number_release", reserved), {"reason": ""}, follow=True
    )

    assert _messages(response) == ["Number 001 released: it is available again."]


def test_refund_names_the_money_with_its_currency(organizer_client, paid):
    response = organizer_client.post(
        _url("raffles:number_refund", paid), {"reason": "Paid twice"}, follow=True
    )

    assert _messages(response) == [
        "Number 002 refunded (10.00 USD): it is available again."
    ]


def test_spanish_messages_write_whole_currencies_without_cents(
    organizer_client, organizer, buyer
):
    project = ProjectFactory(owner=organizer, name="Rifa CLP", currency="CLP")
    RaffleSetFactory(
        project=project, name="Main", quantity=100, unit_price=Decimal("5000")
    )
    raffle = _sell(project, buyer, "01")
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = organizer_client.post(
        _url("raffles:number_payment", raffle),
        _payment(**{"payment-amount": "2000"}),
        follow=True,
    )

    assert _messages(response) == [
        "Pago de 2\xa0000 CLP registrado para el número 01; quedan 3\xa0000 CLP "
        "por pagar."
    ]
