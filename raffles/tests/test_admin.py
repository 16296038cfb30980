from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.models import Payment, Raffle, RaffleEvent, RaffleSet
from raffles.services import refund_number, release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

NUMBERS = "admin:raffles_raffle_changelist"


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa Scouts")


@pytest.fixture
def raffle_set(project):
    return RaffleSetFactory(project=project, name="Booklets", quantity=100)


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana", last_name="Gómez")


def number(project, value):
    return Raffle.objects.select_related("raffle_set").get(
        project=project, number=value
    )


def sell(project, buyer, numbers, state="reserved"):
    sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
    )


def run_action(client, action, raffles, **form):
    """The changelist's POST and then, with `form`, the confirmation's."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [raffle.pk for raffle in raffles]}
    if not form:
        data["index"] = 0
    return client.post(reverse(NUMBERS), {**data, **form})


def messages_of(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def history(raffle):
    return list(
        RaffleEvent.objects.filter(raffle=raffle)
        .order_by("pk")
        .values_list("kind", "from_state", "to_state", "amount", "reason")
    )


def test_mark_paid_action_asks_for_method_first(admin_client, project, raffle_set):
    response = run_action(admin_client, "mark_paid", [number(project, 1)])

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["method", "reference"]
    assert number(project, 1).state == "available"


def test_mark_paid_action_pays_reserved_refuses_others(
    admin_client, admin_user, project, raffle_set, buyer
):
    sell(project, buyer, "02")
    sell(project, buyer, "03", state="paid")
    selection = [number(project, n) for n in (1, 2, 3)]

    response = run_action(
        admin_client,
        "mark_paid",
        selection,
        apply="Apply",
        method="bank_transfer",
        reference="Transfer 991",
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        ("warning", "Number 01 is available: only a reserved number is marked paid."),
        ("warning", "Number 03 is paid: only a reserved number is marked paid."),
        ("success", "Marked 1 number paid: 02."),
    ]
    available, reserved, paid = (number(project, n) for n in (1, 2, 3))
    assert (available.state, available.buyer, history(available)) == (
        "available",
        None,
        [],
    )
    assert (reserved.state, reserved.amount_paid, reserved.method) == (
        "paid",
        Decimal("2.00"),
        "bank_transfer",
    )
    assert list(
        reserved.payments.values_list("amount", "method", "reference", "recorded_by")
    ) == [(Decimal("2.00"), "bank_transfer", "Transfer 991", admin_user.pk)]
    assert history(reserved) == [
        ("reserve", "available", "reserved", None, ""),
        ("payment", "reserved", "paid", Decimal("2.00"), "Transfer 991"),
    ]
    assert (paid.state, paid.payments.count(), len(history(paid))) == ("paid", 1, 1)


def test_release_action_releases_reserved_with_reason(
    admin_client, project, raffle_set, buyer
):
    sell(project, buyer, "05")
    sell(project, buyer, "06", state="paid")
    selection = [number(project, 5), number(project, 6)]

    response = run_action(
        admin_client, "release", selection, apply="Apply", reason="Never paid"
    )

    assert messages_of(response) == [
        ("warning", "Number 06 is paid: only a reserved number is released."),
        ("success", "Released 1 number: 05."),
    ]
    released = number(project, 5)
    assert (released.state, released.buyer) == ("available", None)
    assert history(released)[-1] == (
        "release",
        "reserved",
        "available",
        None,
        "Never paid",
    )
    assert number(project, 6).state == "paid"


def test_refund_action_requires_a_reason(admin_client, project, raffle_set, buyer):
    sell(project, buyer, "07", state="paid")

    response = run_action(
        admin_client, "refund", [number(project, 7)], apply="Apply", reason=""
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert number(project, 7).state == "paid"


def test_refund_action_refunds_paid_and_keeps_payment(
    admin_client, project, raffle_set, buyer
):
    sell(project, buyer, "07", state="paid")
    sell(project, buyer, "08")

    response = run_action(
        admin_client,
        "refund",
        [number(project, 7), number(project, 8)],
        apply="Apply",
        reason="Paid twice",
    )

    assert messages_of(response) == [
        ("warning", "Number 08 is reserved: only a paid number is refunded."),
        ("success", "Refunded 1 number: 07."),
    ]
    refunded = number(project, 7)
    assert (refunded.state, refunded.buyer, refunded.amount_paid) == (
        "available",
        None,
        Decimal("0.00"),
    )
    assert history(refunded)[-1] == (
        "refund",
        "paid",
        "available",
        Decimal("2.00"),
        "Paid twice",
    )
    assert (
        Payment.objects.filter(raffle=refunded, cleared_at__isnull=False).count() == 1
    )


def test_action_refuses_too_large_a_selection(admin_client, organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=501)

    response = run_action(admin_client, "mark_paid", project.raffles.all())

    assert messages_of(response) == [("error", "Select at most 500 numbers at a time.")]


def number_change_data(raffle, **changes):
    return {
        "notes": raffle.notes,
        "payments-TOTAL_FORMS": 0,
        "payments-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        **changes,
    }


def test_number_change_form_saves_notes_only(
    admin_client, project, raffle_set, buyer, other_organizer
):
    sell(project, buyer, "09")
    raffle = number(project, 9)
    other = BuyerFactory(owner=other_organizer)
    url = reverse("admin:raffles_raffle_change", args=[raffle.pk])

    response = admin_client.post(
        url,
        number_change_data(
            raffle,
            notes="  Booklet 3, page 2 ",
            state="paid",
            buyer=other.pk,
            price="0",
            amount_paid="2.00",
        ),
    )

    assert response.status_code == 302
    raffle = number(project, 9)
    assert (raffle.notes, raffle.state, raffle.buyer, raffle.price) == (
        "Booklet 3, page 2",
        "reserved",
        buyer,
        Decimal("2.00"),
    )


def test_number_change_page_links_set_project_and_buyer(
    admin_client, project, raffle_set, buyer
):
    sell(project, buyer, "10", state="paid")
    raffle = number(project, 10)

    response = admin_client.get(
        reverse("admin:raffles_raffle_change", args=[raffle.pk])
    )

    html = response.content.decode()
    for url in (
        reverse("admin:raffles_raffleset_change", args=[raffle_set.pk]),
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:buyers_buyer_change", args=[buyer.pk]),
        reverse("admin:accounts_user_change", args=[project.owner_id]),
    ):
        assert f'href="{url}"' in html
    assert "Save" in html
    assert list(response.context["inline_admin_formsets"][0].formset.queryset) == list(
        raffle.payments.all()
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:raffles_raffle_add",
        "admin:raffles_payment_add",
        "admin:raffles_raffleevent_add",
    ],
)
def test_numbers_payments_and_history_cannot_be_added(admin_client, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 403


@pytest.mark.parametrize("model", ["raffle", "payment", "raffleevent"])
def test_numbers_payments_and_history_cannot_be_deleted(
    admin_client, project, raffle_set, buyer, model
):
    sell(project, buyer, "11", state="paid")
    raffle = number(project, 11)
    obj = {
        "raffle": raffle,
        "payment": raffle.payments.get(),
        "raffleevent": raffle.events.get(),
    }[model]

    response = admin_client.post(
        reverse(f"admin:raffles_{model}_delete", args=[obj.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", ["payment", "raffleevent"])
def test_payments_and_history_are_read_only(
    admin_client, project, raffle_set, buyer, model
):
    sell(project, buyer, "12", state="paid")
    raffle = number(project, 12)
    obj = raffle.payments.get() if model == "payment" else raffle.events.get()
    url = reverse(f"admin:raffles_{model}_change", args=[obj.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"amount": "1.00", "reason": "edited"})

    assert page.status_code == 200
    assert "Save" not in page.content.decode()
    assert response.status_code == 403


def make_sales(organizer, size):
    """`size` sold numbers spread over buyers, sets and two projects."""
    for index in range(2):
        project = ProjectFactory(owner=organizer)
        raffle_set = RaffleSetFactory(project=project, quantity=size * 2)
        for n in range(size):
            buyer = BuyerFactory(owner=organizer)
            sell(project, buyer, [raffle_set.label(n)], state="paid")
        refund_number(
            raffle=number(project, 0), actor=organizer, reason=f"Mistake {index}"
        )


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:raffles_raffle_changelist",
        "admin:raffles_raffleset_changelist",
        "admin:raffles_payment_changelist",
        "admin:raffles_raffleevent_changelist",
        "admin:projects_project_changelist",
        "admin:buyers_buyer_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_changelist_queries_do_not_grow_with_data(
    admin_client, organizer, other_organizer, url_name
):
    url = reverse(url_name)
    make_sales(organizer, 3)
    small = query_count(admin_client, url)

    make_sales(other_organizer, 30)
    large = query_count(admin_client, url)

    assert small == large


def test_number_changelist_of_100000_numbers_shows_one_page(admin_client, organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project, quantity=10)
    small = query_count(admin_client, reverse(NUMBERS))
    RaffleSetFactory(project=project, first_number=10, quantity=100_000)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse(NUMBERS))

    assert len(queries) == small
    assert len(response.context["cl"].result_list) == 100
    assert response.context["cl"].result_count == 100_010
    assert response.context["cl"].full_result_count is None


@pytest.mark.parametrize("term", ["042", "42"])
def test_number_changelist_finds_a_number(admin_client, project, raffle_set, term):
    other = RaffleSetFactory(project=ProjectFactory(), first_number=0, quantity=50)

    response = admin_client.get(reverse(NUMBERS), {"q": term})

    assert sorted(
        (r.project_id, r.number) for r in response.context["cl"].result_list
    ) == sorted([(project.pk, 42), (other.project_id, 42)])


@pytest.mark.parametrize("term", ["²", "٣", "4²"])
def test_number_changelist_reads_only_ascii_digits_as_a_number(
    admin_client, project, raffle_set, term
):
    response = admin_client.get(reverse(NUMBERS), {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_number_changelist_finds_a_buyer_by_phone(
    admin_client, organizer, project, raffle_set
):
    ana = BuyerFactory(owner=organizer, phone="+1 201 555 0123")
    sell(project, ana, "13")

    response = admin_client.get(reverse(NUMBERS), {"q": "(201) 555-0123"})

    assert [r.number for r in response.context["cl"].result_list] == [13]


def set_data(project, **values):
    return {
        "project": project.pk,
        "name": "Online",
        "kind": "virtual",
        "unit_price": "2.50",
        "first_number": 100,
        "quantity": 50,
        "padding": "",
        **values,
    }


def test_set_add_creates_numbers_through_the_service(admin_client, project, raffle_set):
    response = admin_client.post(
        reverse("admin:raffles_raffleset_add"), set_data(project)
    )

    assert response.status_code == 302
    created = RaffleSet.objects.get(project=project, name="Online")
    assert (created.ref, created.padding, created.raffles.count()) == (2, 3, 50)


@pytest.mark.parametrize(
    "values, field, message",
    [
        (
            {"first_number": 50},
            "first_number",
            "Numbers 50-99 overlap set “Booklets” (00-99): numbers are unique "
            "across a project.",
        ),
        ({"quantity": 0}, "quantity", "A set needs at least one number."),
        (
            {"name": "BOOKLETS"},
            "name",
            "A set named “BOOKLETS” already exists in this project.",
        ),
        (
            {"unit_price": "2.225"},
            "unit_price",
            "Ensure that there are no more than 2 decimal places.",
        ),
    ],
)
def test_set_add_shows_service_errors_next_to_fields(
    admin_client, project, raffle_set, values, field, message
):
    response = admin_client.post(
        reverse("admin:raffles_raffleset_add"), set_data(project, **values)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [message]}
    assert list(RaffleSet.objects.filter(project=project)) == [raffle_set]


def test_set_change_refuses_shrinking_past_sold_numbers(
    admin_client, project, raffle_set, buyer
):
    sell(project, buyer, "90")
    url = reverse("admin:raffles_raffleset_change", args=[raffle_set.pk])

    response = admin_client.post(
        url,
        {
            "name": "Booklets",
            "kind": "paper",
            "unit_price": "3.00",
            "first_number": 0,
            "quantity": 50,
            "padding": 2,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "quantity": [
            "Number 90 is or was reserved or paid, so it cannot be removed: its "
            "history must stay."
        ]
    }
    raffle_set.refresh_from_db()
    assert (raffle_set.quantity, raffle_set.unit_price) == (100, Decimal("2.00"))
    assert raffle_set.raffles.count() == 100


def test_set_change_refuses_shrinking_past_numbers_with_history(
    admin_client, project, raffle_set, buyer
):
    sell(project, buyer, "60-61")
    for value in (60, 61):
        release_number(raffle=number(project, value), actor=project.owner)
    url = reverse("admin:raffles_raffleset_change", args=[raffle_set.pk])

    response = admin_client.post(
        url,
        {
            "name": "Booklets",
            "kind": "paper",
            "unit_price": "2.00",
            "first_number": 0,
            "quantity": 50,
            "padding": 2,
        },
    )

    assert response.context["adminform"].form.errors == {
        "quantity": [
            "Numbers 60-61 are or were reserved or paid, so they cannot be "
            "removed: their history must stay."
        ]
    }
    assert raffle_set.raffles.count() == 100


def test_set_change_grows_and_reprices(admin_client, project, raffle_set, buyer):
    sell(project, buyer, "20")
    url = reverse("admin:raffles_raffleset_change", args=[raffle_set.pk])

    response = admin_client.post(
        url,
        {
            "name": "Booklets",
            "kind": "paper",
            "unit_price": "3.00",
            "first_number": 0,
            "quantity": 150,
            "padding": 2,
        },
    )

    assert response.status_code == 302
    raffle_set.refresh_from_db()
    assert (raffle_set.quantity, raffle_set.padding, raffle_set.range_label) == (
        150,
        2,
        "00-149",
    )
    assert raffle_set.unit_price == Decimal("3.00")
    assert raffle_set.raffles.count() == 150
    assert number(project, 20).price == Decimal("2.00")


def test_set_delete_with_sold_numbers_is_refused(
    admin_client, project, raffle_set, buyer
):
    sell(project, buyer, "30")
    url = reverse("admin:raffles_raffleset_delete", args=[raffle_set.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert dict(page.context["model_count"]) == {"raffle sets": 1, "numbers": 100}
    assert response.status_code == 302
    assert messages_of(response) == [
        (
            "error",
            "Number 30 is or was reserved or paid, so it cannot be removed: its "
            "history must stay.",
        )
    ]
    assert RaffleSet.objects.filter(pk=raffle_set.pk).exists()


def test_set_delete_removes_its_numbers(admin_client, project, raffle_set):
    url = reverse("admin:raffles_raffleset_delete", args=[raffle_set.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert (RaffleSet.objects.count(), Raffle.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:raffles_raffleset_changelist",
        "admin:projects_project_changelist",
        "admin:buyers_buyer_changelist",
    ],
)
def test_bulk_delete_is_not_offered(admin_client, project, raffle_set, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.context["action_form"] is None


@pytest.mark.parametrize("term", ["gomez", "GÓMEZ", "ana gomez"])
@pytest.mark.parametrize(
    "url_name",
    [
        NUMBERS,
        "admin:raffles_payment_changelist",
        "admin:raffles_raffleevent_changelist",
    ],
)
def test_changelists_find_a_buyer_whatever_the_accents(
    admin_client, organizer, project, raffle_set, buyer, url_name, term
):
    sell(project, buyer, "07", state="paid")
    luis = BuyerFactory(owner=organizer, first_name="Luis", last_name="Gomes")
    sell(project, luis, "08", "paid")

    response = admin_client.get(reverse(url_name), {"q": term})

    model = response.context["cl"].model
    assert sorted(row.pk for row in response.context["cl"].result_list) == sorted(
        model.objects.filter(buyer=buyer).values_list("pk", flat=True)
    )
    assert model.objects.filter(buyer=buyer).exists() is True


@pytest.mark.parametrize(
    ("language", "sales"),
    [("en", "1 reserved, 1 paid of 100"), ("es", "1 reservado, 1 pagado de 100")],
)
def test_set_change_page_agrees_sales_with_their_counts(
    admin_client, project, raffle_set, buyer, settings, language, sales
):
    sell(project, buyer, "10")
    sell(project, buyer, "11", state="paid")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = admin_client.get(
        reverse("admin:raffles_raffleset_change", args=[raffle_set.pk])
    )

    assert f'<div class="readonly">{sales}</div>' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "quantity"), [("en", "10,000"), ("es", "10\N{NO-BREAK SPACE}000")]
)
def test_set_sales_write_the_quantity_as_the_language_does(
    admin_client, project, settings, language, quantity
):
    big = RaffleSetFactory(project=project, name="Online", quantity=10_000)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = admin_client.get(
        reverse("admin:raffles_raffleset_change", args=[big.pk])
    )

    assert f" {quantity}</div>" in response.content.decode()
