import datetime
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format

from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.models import Payment, Raffle, RaffleEvent, RaffleSet
from raffles.selectors import raffle_for
from raffles.services import NumbersUnavailable
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa")


@pytest.fixture
def thousand(project):
    """A set 000-999 at 2.00."""
    return RaffleSetFactory(project=project, name="Booklets", quantity=1000)


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(owner=organizer, first_name="Ana")


@pytest.fixture
def other_buyer(organizer):
    return BuyerFactory(owner=organizer, first_name="Luis")


def number(project, value):
    return Raffle.objects.select_related("raffle_set").get(
        project=project, number=value
    )


def sell(project, buyer, numbers, state="reserved", **kwargs):
    return services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
        **kwargs,
    )


def events(raffle):
    return list(
        RaffleEvent.objects.filter(raffle=raffle)
        .order_by("pk")
        .values_list("kind", "from_state", "to_state", "buyer", "amount", "reason")
    )


def errors(error_info):
    error = error_info.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def rows(project):
    return list(
        Raffle.objects.filter(project=project)
        .order_by("number")
        .values_list("number", "state", "buyer", "price", "amount_paid")
    )


# Raffle sets


def test_create_raffle_set_generates_available_numbers(project):
    raffle_set = services.create_raffle_set(
        project=project, name=" Paper   booklets ", unit_price="2.5", quantity=100
    )

    assert (raffle_set.ref, raffle_set.name, raffle_set.padding) == (
        1,
        "Paper booklets",
        2,
    )
    assert raffle_set.unit_price == Decimal("2.50")
    assert raffle_set.range_label == "00-99"
    assert list(raffle_set.raffles.values_list("number", flat=True)) == list(range(100))
    assert set(raffle_set.raffles.values_list("state", flat=True)) == {"available"}


def test_create_raffle_set_numbers_refs_per_project(organizer):
    first = ProjectFactory(owner=organizer)
    second = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=first)
    RaffleSetFactory(project=first, first_number=100)

    raffle_set = RaffleSetFactory(project=second)

    assert raffle_set.ref == 1


def test_create_raffle_set_keeps_refs_after_a_delete(project):
    first = RaffleSetFactory(project=project)
    services.delete_raffle_set(raffle_set=first)

    second = RaffleSetFactory(project=project)

    assert second.ref == 2


def test_create_raffle_set_takes_a_wider_padding(project):
    raffle_set = RaffleSetFactory(project=project, quantity=100, padding=4)

    assert number(project, 7).label == "0007"
    assert raffle_set.range_label == "0000-0099"


def test_ranges_n2_overlap_names_the_clashing_range(project):
    services.create_raffle_set(
        project=project, name="A", unit_price=1, first_number=500, quantity=1000
    )

    with pytest.raises(ValidationError) as overlap:
        services.create_raffle_set(
            project=project, name="B", unit_price=1, first_number=1000, quantity=1000
        )

    assert errors(overlap) == {
        "first_number": [
            "Numbers 1000-1999 overlap set “A” (0500-1499): numbers are unique "
            "across a project."
        ]
    }
    assert list(project.raffle_sets.values_list("name", flat=True)) == ["A"]


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"quantity": 0}, {"quantity": ["A set needs at least one number."]}),
        ({"quantity": -5}, {"quantity": ["A set needs at least one number."]}),
        (
            {"quantity": 100_001},
            {"quantity": ["A set can have at most 100,000 numbers."]},
        ),
        (
            {"first_number": -1},
            {"first_number": ["The first number must be 0 or more."]},
        ),
        (
            {"first_number": 999_999_000, "quantity": 1001},
            {"quantity": ["Numbers cannot go past 999,999,999."]},
        ),
        ({"unit_price": "2.225"}, {"unit_price": ["Use at most two decimal places."]}),
        ({"unit_price": "-1"}, {"unit_price": ["The price cannot be negative."]}),
        ({"unit_price": "abc"}, {"unit_price": ["Enter a price such as 2.50."]}),
        ({"unit_price": "NaN"}, {"unit_price": ["Enter a price such as 2.50."]}),
        ({"unit_price": "100000000"}, {"unit_price": ["The price is too large."]}),
        ({"kind": "plastic"}, {"kind": ["Choose virtual or paper."]}),
        ({"padding": 0}, {"padding": ["The padding must be between 1 and 10."]}),
        ({"padding": 11}, {"padding": ["The padding must be between 1 and 10."]}),
        ({"name": "   "}, {"name": ["Give the set a name."]}),
        (
            {"name": "x" * 121},
            {"name": ["Ensure this value has at most 120 characters (it has 121)."]},
        ),
    ],
)
def test_create_raffle_set_refuses_bad_input(project, values, expected):
    arguments = {"name": "A", "unit_price": "2.00", "quantity": 100, **values}

    with pytest.raises(ValidationError) as refused:
        services.create_raffle_set(project=project, **arguments)

    assert errors(refused) == expected
    assert RaffleSet.objects.count() == 0
    assert Raffle.objects.count() == 0


@pytest.mark.parametrize("price", ["2.225", Decimal("2.225"), 2.225, "0.001"])
def test_money_m1_three_decimals_refused(project, price):
    with pytest.raises(ValidationError) as refused:
        services.create_raffle_set(
            project=project, name="A", unit_price=price, quantity=10
        )

    assert errors(refused) == {"unit_price": ["Use at most two decimal places."]}


def test_money_m1_trailing_zeros_are_fine(project):
    raffle_set = services.create_raffle_set(
        project=project, name="A", unit_price="2.2500", quantity=10
    )

    raffle_set.refresh_from_db()
    assert raffle_set.unit_price == Decimal("2.25")


def test_create_raffle_set_refuses_a_name_in_any_case(project, thousand):
    with pytest.raises(ValidationError) as refused:
        services.create_raffle_set(
            project=project,
            name="BOOKLETS",
            unit_price=1,
            first_number=1000,
            quantity=10,
        )

    assert errors(refused) == {
        "name": ["A set named “BOOKLETS” already exists in this project."]
    }


def test_big_sets_n3_create_100000_distinct_numbers(project):
    raffle_set = services.create_raffle_set(
        project=project, name="Big", unit_price="1.00", quantity=100_000
    )

    numbers = Raffle.objects.filter(raffle_set=raffle_set)
    assert numbers.count() == 100_000
    assert numbers.values("number").distinct().count() == 100_000
    assert (
        numbers.order_by("number").first().number,
        numbers.latest("number").number,
    ) == (
        0,
        99_999,
    )
    assert raffle_set.padding == 5


def test_big_sets_n3_are_all_or_nothing(project):
    stray = RaffleSetFactory(project=project, first_number=200_000, quantity=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Raffle._meta.db_table} "
            "(project_id, raffle_set_id, number, state, amount_paid, method, notes) "
            "VALUES (%s, %s, 50000, 'available', 0, '', '')",
            [project.pk, stray.pk],
        )

    with pytest.raises(ValidationError) as refused:
        services.create_raffle_set(
            project=project, name="Big", unit_price="1.00", quantity=100_000
        )

    assert errors(refused) == {
        "first_number": [
            "Some of the numbers 00000-99999 already exist in this project."
        ]
    }
    assert list(RaffleSet.objects.values_list("name", flat=True)) == [stray.name]
    assert sorted(Raffle.objects.values_list("number", flat=True)) == [50_000, 200_000]
    assert Project.objects.get(pk=project.pk).last_set_ref == 1


def test_update_raffle_set_grows_at_the_end(project, thousand, buyer):
    sell(project, buyer, "010")

    services.update_raffle_set(raffle_set=thousand, quantity=1500)

    thousand.refresh_from_db()
    assert (thousand.quantity, thousand.padding, thousand.range_label) == (
        1500,
        3,
        "000-1499",
    )
    assert thousand.raffles.count() == 1500
    assert number(project, 10).state == "reserved"


def test_update_raffle_set_new_price_spares_sold_numbers(project, thousand, buyer):
    sell(project, buyer, "001")

    services.update_raffle_set(raffle_set=thousand, unit_price="3.00")
    sell(project, buyer, "002")

    assert (number(project, 1).price, number(project, 2).price) == (
        Decimal("2.00"),
        Decimal("3.00"),
    )


def test_update_raffle_set_moves_an_unsold_set(project, thousand):
    services.update_raffle_set(raffle_set=thousand, first_number=2000)

    thousand.refresh_from_db()
    assert thousand.range_label == "2000-2999"
    assert list(
        Raffle.objects.filter(project=project).values_list("number", flat=True)
    ) == list(range(2000, 3000))


def test_update_raffle_set_refuses_overlap_when_growing(project, thousand):
    RaffleSetFactory(project=project, name="Online", first_number=1000, quantity=10)

    with pytest.raises(ValidationError) as refused:
        services.update_raffle_set(raffle_set=thousand, quantity=1005)

    assert errors(refused) == {
        "first_number": [
            "Numbers 1000-1004 overlap set “Online” (1000-1009): numbers are unique "
            "across a project."
        ]
    }
    assert Raffle.objects.filter(raffle_set=thousand).count() == 1000


@pytest.fixture
def half_sold(project, thousand, buyer):
    """S5: 000-999 with 000-499 sold."""
    sell(project, buyer, "000-499")
    return thousand


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"quantity": 100},
            {
                "quantity": [
                    "Numbers 100-499 are or were reserved or paid, so they cannot "
                    "be removed: their history must stay."
                ]
            },
        ),
        (
            {"first_number": 5000},
            {
                "first_number": [
                    "Numbers 000-499 are or were reserved or paid, so they cannot "
                    "be removed: their history must stay."
                ]
            },
        ),
        (
            {"quantity": 499, "unit_price": "9.00", "name": "New"},
            {
                "quantity": [
                    "Number 499 is or was reserved or paid, so it cannot be "
                    "removed: its history must stay."
                ]
            },
        ),
    ],
)
def test_editing_s5_refuses_changes_around_sold_numbers(
    project, half_sold, changes, expected
):
    before = rows(project)

    with pytest.raises(ValidationError) as refused:
        services.update_raffle_set(raffle_set=half_sold, **changes)

    assert errors(refused) == expected
    half_sold.refresh_from_db()
    assert (half_sold.name, half_sold.unit_price, half_sold.quantity) == (
        "Booklets",
        Decimal("2.00"),
        1000,
    )
    assert rows(project) == before


def test_editing_s5_refuses_deleting_a_set_with_sold_numbers(project, half_sold):
    with pytest.raises(ValidationError) as refused:
        services.delete_raffle_set(raffle_set=half_sold)

    assert errors(refused) == [
        "Numbers 000-499 are or were reserved or paid, so they cannot be removed: "
        "their history must stay."
    ]
    assert Raffle.objects.filter(raffle_set=half_sold).count() == 1000


def test_delete_raffle_set_removes_numbers_never_sold(project, thousand):
    services.delete_raffle_set(raffle_set=thousand)

    assert (RaffleSet.objects.count(), Raffle.objects.count()) == (0, 0)


@pytest.fixture
def with_history(project, thousand, buyer):
    """000-999 all available again: 040-045 were released, 099 refunded."""
    sell(project, buyer, "040-045")
    sell(project, buyer, "099", state="paid")
    for value in range(40, 46):
        services.release_number(raffle=number(project, value), actor=project.owner)
    services.refund_number(raffle=number(project, 99), actor=project.owner, reason="x")
    return thousand


def history_rows(project):
    return (
        rows(project),
        list(Payment.objects.order_by("pk").values_list("raffle__number", "amount")),
        list(RaffleEvent.objects.order_by("pk").values_list("raffle__number", "kind")),
    )


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"quantity": 50},
            {
                "quantity": [
                    "Number 099 is or was reserved or paid, so it cannot be "
                    "removed: its history must stay."
                ]
            },
        ),
        (
            {"quantity": 42},
            {
                "quantity": [
                    "Numbers 042-045, 099 are or were reserved or paid, so they "
                    "cannot be removed: their history must stay."
                ]
            },
        ),
        (
            {"first_number": 5000},
            {
                "first_number": [
                    "Numbers 040-045, 099 are or were reserved or paid, so they "
                    "cannot be removed: their history must stay."
                ]
            },
        ),
        (
            {"quantity": 99, "padding": 4},
            {
                "quantity": [
                    "Number 099 is or was reserved or paid, so it cannot be "
                    "removed: its history must stay."
                ]
            },
        ),
    ],
)
def test_update_raffle_set_refuses_to_remove_numbers_with_history(
    project, with_history, changes, expected
):
    before = history_rows(project)

    with pytest.raises(ValidationError) as refused:
        services.update_raffle_set(raffle_set=with_history, **changes)

    assert errors(refused) == expected
    assert history_rows(project) == before
    with_history.refresh_from_db()
    assert (with_history.first_number, with_history.quantity) == (0, 1000)


def test_update_raffle_set_shrinks_above_numbers_with_history(project, with_history):
    before = history_rows(project)

    services.update_raffle_set(raffle_set=with_history, quantity=100)

    with_history.refresh_from_db()
    assert (with_history.quantity, with_history.raffles.count()) == (100, 100)
    assert history_rows(project)[1:] == before[1:]


def test_delete_raffle_set_refuses_numbers_with_history(project, with_history):
    before = history_rows(project)

    with pytest.raises(ValidationError) as refused:
        services.delete_raffle_set(raffle_set=with_history)

    assert errors(refused) == [
        "Numbers 040-045, 099 are or were reserved or paid, so they cannot be "
        "removed: their history must stay."
    ]
    assert history_rows(project) == before
    assert RaffleSet.objects.filter(pk=with_history.pk).exists() is True


def test_delete_raffle_set_names_twenty_runs_then_counts(project, thousand, buyer):
    sell(project, buyer, ", ".join(str(value) for value in range(0, 50, 2)))

    with pytest.raises(ValidationError) as refused:
        services.delete_raffle_set(raffle_set=thousand)

    named = ", ".join(f"{value:03}" for value in range(0, 40, 2))
    assert errors(refused) == [
        f"Numbers {named} and 5 more are or were reserved or paid, so they cannot "
        "be removed: their history must stay."
    ]


def test_a_refused_sale_logs_its_numbers_in_short_and_in_english(
    project, thousand, buyer, caplog
):
    sell(project, buyer, "1-500")

    with (
        translation.override("es"),
        caplog.at_level(logging.INFO, logger="raffles.services"),
        pytest.raises(NumbersUnavailable),
    ):
        sell(project, buyer, "1-999")

    assert f"Refused sale of numbers 001-500 in project {project.pk}" in caplog.text
    assert "no longer available" in caplog.text


# Selling


def test_sell_numbers_reserves_for_the_buyer(project, thousand, buyer):
    sold = sell(project, buyer, "7, 12, 100-102")

    assert [raffle.label for raffle in sold] == ["007", "012", "100", "101", "102"]
    raffle = number(project, 7)
    assert (raffle.state, raffle.buyer, raffle.price, raffle.amount_paid) == (
        "reserved",
        buyer,
        Decimal("2.00"),
        Decimal("0.00"),
    )
    assert raffle.reserved_at is not None
    assert raffle.paid_at is None
    assert events(raffle) == [("reserve", "available", "reserved", buyer.pk, None, "")]
    assert Payment.objects.count() == 0


def test_sell_numbers_paid_records_one_payment_each(project, thousand, buyer):
    sell(project, buyer, ["5", "6"], state="paid", method="mobile", reference="MP 1")

    raffle = number(project, 5)
    assert (raffle.state, raffle.amount_paid, raffle.method) == (
        "paid",
        Decimal("2.00"),
        "mobile",
    )
    assert raffle.paid_at is not None
    assert list(
        Payment.objects.order_by("raffle__number").values_list(
            "raffle__number", "amount", "method", "reference", "buyer"
        )
    ) == [
        (5, Decimal("2.00"), "mobile", "MP 1", buyer.pk),
        (6, Decimal("2.00"), "mobile", "MP 1", buyer.pk),
    ]
    assert events(raffle) == [
        ("sell", "available", "paid", buyer.pk, Decimal("2.00"), "")
    ]


def test_sell_numbers_paid_defaults_to_cash(project, thousand, buyer):
    sell(project, buyer, "5", state="paid")

    assert number(project, 5).payments.get().method == "cash"


def test_sell_numbers_free_number_is_paid_at_once(project, buyer):
    RaffleSetFactory(project=project, unit_price="0.00", quantity=10)

    sell(project, buyer, "3")

    raffle = number(project, 3)
    assert (raffle.state, raffle.price, raffle.amount_paid, raffle.method) == (
        "paid",
        Decimal("0.00"),
        Decimal("0.00"),
        "other",
    )
    assert raffle.payments.count() == 0


def test_selling_s2_is_all_or_nothing(project, thousand, buyer, other_buyer):
    sell(project, other_buyer, "043", state="paid")
    before = rows(project)

    with pytest.raises(NumbersUnavailable) as refused:
        sell(project, buyer, "040-045")

    assert refused.value.labels == ["043"]
    assert errors(refused) == {"numbers": ["Number 043 (paid) is no longer available."]}
    assert rows(project) == before
    assert RaffleEvent.objects.filter(buyer=buyer).count() == 0


def test_sell_numbers_lists_every_taken_number(project, thousand, buyer, other_buyer):
    sell(project, other_buyer, "041")
    sell(project, other_buyer, "044", state="paid")

    with pytest.raises(NumbersUnavailable) as refused:
        sell(project, buyer, "040-045")

    assert refused.value.labels == ["041", "044"]
    assert errors(refused) == {
        "numbers": ["Numbers 041 (reserved), 044 (paid) are no longer available."]
    }


def test_sell_numbers_names_taken_numbers_as_runs_then_counts(
    project, thousand, buyer, other_buyer
):
    sell(project, other_buyer, "100-102")
    sell(project, other_buyer, "103-104, 110", state="paid")
    sell(project, other_buyer, ", ".join(str(n) for n in range(200, 300, 2)))

    with pytest.raises(NumbersUnavailable) as refused:
        sell(project, buyer, "000-999")

    evens = ", ".join(f"{n} (reserved)" for n in range(200, 234, 2))
    assert errors(refused) == {
        "numbers": [
            f"Numbers 100-102 (reserved), 103-104 (paid), 110 (paid), {evens} "
            "and 33 more are no longer available."
        ]
    }
    assert len(refused.value.labels) == 56


def test_number_list_counts_the_rest_in_the_active_language():
    labels = {n: f"{n:04}" for n in range(0, 3040, 2)}

    with translation.override("es"):
        text = str(services.NumberList(labels))

    assert text.endswith(", 0038 y 1\xa0500 más")


def shrink_after_resolving(monkeypatch, raffle_set, quantity):
    """Make raffle_set shrink to `quantity` between the service reading the
    typed numbers and locking them, as a concurrent edit could."""
    resolve = services.resolve_labels

    def resolve_then_shrink(project, numbers):
        wanted = resolve(project, numbers)
        services.update_raffle_set(raffle_set=raffle_set, quantity=quantity)
        return wanted

    monkeypatch.setattr(services, "resolve_labels", resolve_then_shrink)


def test_sell_numbers_refuses_numbers_removed_before_the_lock(
    monkeypatch, project, thousand, buyer, other_buyer
):
    sell(project, other_buyer, "003")
    shrink_after_resolving(monkeypatch, thousand, 7)

    with pytest.raises(NumbersUnavailable) as refused:
        sell(project, buyer, "003-009")

    assert refused.value.labels == ["003", "007", "008", "009"]
    assert errors(refused) == {
        "numbers": ["Numbers 003 (reserved), 007-009 are no longer available."]
    }
    assert [row[:2] for row in rows(project) if row[1] != "available"] == [
        (3, "reserved")
    ]
    assert Raffle.objects.filter(project=project).count() == 7


def test_leading_zeros_n1_name_one_number(project, thousand, buyer, other_buyer):
    sell(project, buyer, "007")

    for typed in (7, "7", "007", ["7"]):
        with pytest.raises(NumbersUnavailable) as refused:
            sell(project, other_buyer, typed)
        assert refused.value.labels == ["007"]
    assert number(project, 7).label == "007"
    assert raffle_for(project, "7") == raffle_for(project, "007") == number(project, 7)


def test_leading_zeros_n1_refuse_too_many_digits(project, thousand, buyer):
    with pytest.raises(ValidationError) as refused:
        sell(project, buyer, "0007")

    assert errors(refused) == {
        "numbers": ["Too many digits for this project's numbers: 0007."]
    }
    with pytest.raises(Http404):
        raffle_for(project, "0007")


@pytest.mark.parametrize(
    "numbers, expected",
    [
        ("1000", "Not in any set of this project: 1000."),
        ("998-1001", "Not in any set of this project: 1000-1001."),
        ("1-100000", "Not in any set of this project: 1000-100000."),
        # Labelled as the set labels its numbers, whatever zeros were typed.
        ("0995-01005", "Not in any set of this project: 1000-1005."),
        (
            ", ".join(str(n) for n in range(2000, 2050, 2)),
            "Not in any set of this project: 2000, 2002, 2004, 2006, 2008, 2010, "
            "2012, 2014, 2016, 2018, 2020, 2022, 2024, 2026, 2028, 2030, 2032, "
            "2034, 2036, 2038 and 5 more.",
        ),
        ("seven", "“seven” is not a number or a range like 100-105."),
        ("", "Type at least one number."),
    ],
)
def test_sell_numbers_refuses_unknown_numbers(
    project, thousand, buyer, numbers, expected
):
    with pytest.raises(ValidationError) as refused:
        sell(project, buyer, numbers)

    assert errors(refused) == {"numbers": [expected]}
    assert Raffle.objects.filter(buyer__isnull=False).count() == 0


def test_sell_numbers_refuses_another_organizers_buyer(
    project, thousand, other_organizer
):
    stranger = BuyerFactory(owner=other_organizer)

    with pytest.raises(ValidationError) as refused:
        sell(project, stranger, "1")

    assert errors(refused) == {"buyer": ["Choose one of your buyers."]}


@pytest.mark.parametrize("state", ["available", "sold", ""])
def test_sell_numbers_refuses_other_states(project, thousand, buyer, state):
    with pytest.raises(ValidationError) as refused:
        sell(project, buyer, "1", state=state)

    assert errors(refused) == {"state": ["Choose reserved or paid."]}


def test_sell_numbers_refuses_an_unknown_method(project, thousand, buyer):
    with pytest.raises(ValidationError) as refused:
        sell(project, buyer, "1", state="paid", method="bitcoin")

    assert errors(refused) == {"method": ["Choose a payment method."]}


# Payments


@pytest.fixture
def ten(project):
    """M2: a set 00-09 at 10.00."""
    return RaffleSetFactory(project=project, unit_price="10.00", quantity=10, padding=2)


def pay(project, value, amount, method="cash", paid_at=None):
    return services.record_payment(
        raffle=number(project, value),
        amount=amount,
        method=method,
        actor=project.owner,
        paid_at=paid_at,
    )


def days_ago(days, hour=12):
    """A moment `days` local days back, at `hour` o'clock local time."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def short(moment):
    return date_format(timezone.localdate(moment))


def reserved_on(project, value, moment):
    Raffle.objects.filter(project=project, number=value).update(reserved_at=moment)


def test_record_payment_refuses_a_date_after_today(project, ten, buyer):
    sell(project, buyer, "01")
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        pay(project, 1, "4.00", paid_at=tomorrow)

    today = short(timezone.now())
    assert errors(refused) == {
        "paid_at": [f"A payment of number 01 cannot be dated after today ({today})."]
    }
    assert number(project, 1).payments.count() == 0


def test_record_payment_refuses_a_date_before_the_reservation(project, ten, buyer):
    sell(project, buyer, "01")
    reserved_on(project, 1, days_ago(5, hour=15))

    with pytest.raises(ValidationError) as refused:
        pay(project, 1, "4.00", paid_at=days_ago(6))

    day = short(days_ago(5))
    assert errors(refused) == {
        "paid_at": [
            f"Number 01 was reserved on {day}: date its payment on {day} or later."
        ]
    }
    assert number(project, 1).amount_paid == Decimal("0.00")


def test_payment_dated_the_day_of_the_reservation_counts_from_it(project, ten, buyer):
    sell(project, buyer, "01")
    reserved_on(project, 1, days_ago(5, hour=15))

    payment = pay(project, 1, "10.00", paid_at=days_ago(5, hour=12))

    raffle = number(project, 1)
    assert payment.paid_at == raffle.reserved_at == days_ago(5, hour=15)
    assert raffle.paid_at == raffle.reserved_at


def test_fully_paid_time_is_the_latest_payment_not_the_last_recorded(
    project, ten, buyer
):
    sell(project, buyer, "01")
    reserved_on(project, 1, days_ago(10))
    pay(project, 1, "4.00", paid_at=days_ago(2))

    pay(project, 1, "6.00", paid_at=days_ago(5))

    raffle = number(project, 1)
    assert (raffle.state, raffle.paid_at) == ("paid", days_ago(2))


def test_sale_paid_on_an_earlier_day_took_the_number_that_day(project, ten, buyer):
    sell(project, buyer, "01", state="paid", paid_at=days_ago(3))

    raffle = number(project, 1)
    assert raffle.reserved_at == raffle.paid_at == days_ago(3)
    assert raffle.payments.get().paid_at == days_ago(3)


def test_sale_paid_refuses_a_date_after_today(project, ten, buyer):
    with pytest.raises(ValidationError) as refused:
        sell(project, buyer, "01", state="paid", paid_at=days_ago(-1))

    today = short(timezone.now())
    assert errors(refused) == {
        "paid_at": [f"A payment of number 01 cannot be dated after today ({today})."]
    }
    assert number(project, 1).state == "available"


def test_sale_paid_refuses_a_date_before_the_number_came_back(project, ten, buyer):
    sell(project, buyer, "01")
    services.release_number(raffle=number(project, 1), actor=project.owner)

    with pytest.raises(ValidationError) as refused:
        sell(project, buyer, "01", state="paid", paid_at=days_ago(1))

    today = short(timezone.now())
    assert errors(refused) == {
        "paid_at": [
            f"Number 01 became available again on {today}: date its payment on "
            f"{today} or later."
        ]
    }
    assert number(project, 1).state == "available"


def test_money_m2_partial_payments(project, ten, buyer):
    sell(project, buyer, "01")

    pay(project, 1, "4.00")
    after_first = number(project, 1)
    pay(project, 1, "6.00", method="bank_transfer")
    raffle = number(project, 1)

    assert (after_first.state, after_first.amount_paid) == ("reserved", Decimal("4.00"))
    assert (raffle.state, raffle.amount_paid, raffle.method) == (
        "paid",
        Decimal("10.00"),
        "bank_transfer",
    )
    assert raffle.paid_at == raffle.payments.latest("pk").paid_at
    assert [row[:3] + row[4:5] for row in events(raffle)] == [
        ("reserve", "available", "reserved", None),
        ("payment", "reserved", "reserved", Decimal("4.00")),
        ("payment", "reserved", "paid", Decimal("6.00")),
    ]
    with pytest.raises(ValidationError) as refused:
        pay(project, 1, "0.01")
    assert errors(refused) == [
        "Number 01 is paid: only a reserved number takes payments."
    ]
    assert number(project, 1).payments.count() == 2


def test_record_payment_refuses_more_than_owed(project, ten, buyer):
    sell(project, buyer, "01")
    pay(project, 1, "4.00")

    with pytest.raises(ValidationError) as refused:
        pay(project, 1, "6.01")

    assert errors(refused) == {"amount": ["Only 6.00 USD is still owed on number 01."]}
    assert number(project, 1).amount_paid == Decimal("4.00")


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("0", "Enter an amount greater than 0."),
        ("-1", "Enter an amount greater than 0."),
        ("abc", "Enter an amount greater than 0."),
        ("Infinity", "Enter an amount greater than 0."),
        ("1.005", "Use at most two decimal places."),
    ],
)
def test_record_payment_refuses_bad_amounts(project, ten, buyer, amount, expected):
    sell(project, buyer, "01")

    with pytest.raises(ValidationError) as refused:
        pay(project, 1, amount)

    assert errors(refused) == {"amount": [expected]}
    assert Payment.objects.count() == 0


def test_mark_paid_pays_what_is_owed(project, ten, buyer):
    sell(project, buyer, "02")
    pay(project, 2, "3.50")

    payment = services.mark_paid(
        raffle=number(project, 2), method="card", actor=project.owner
    )

    raffle = number(project, 2)
    assert (payment.amount, payment.method) == (Decimal("6.50"), "card")
    assert (raffle.state, raffle.amount_paid) == ("paid", Decimal("10.00"))


def test_release_number_clears_buyer_and_payments(project, ten, buyer):
    sell(project, buyer, "03")
    pay(project, 3, "4.00")

    services.release_number(
        raffle=number(project, 3), actor=project.owner, reason=" Changed mind "
    )

    raffle = number(project, 3)
    assert (raffle.state, raffle.buyer, raffle.price, raffle.amount_paid) == (
        "available",
        None,
        None,
        Decimal("0.00"),
    )
    assert (raffle.method, raffle.reserved_at, raffle.paid_at) == ("", None, None)
    assert events(raffle)[-1] == (
        "release",
        "reserved",
        "available",
        buyer.pk,
        Decimal("4.00"),
        "Changed mind",
    )
    assert raffle.payments.get().cleared_at is not None


def test_refund_number_makes_a_paid_number_available(project, ten, buyer, other_buyer):
    sell(project, buyer, "04", state="paid")

    services.refund_number(
        raffle=number(project, 4), actor=project.owner, reason="Paid twice"
    )
    sell(project, other_buyer, "04")

    raffle = number(project, 4)
    assert (raffle.state, raffle.buyer, raffle.amount_paid) == (
        "reserved",
        other_buyer,
        Decimal("0.00"),
    )
    assert [row[:4] for row in events(raffle)] == [
        ("sell", "available", "paid", buyer.pk),
        ("refund", "paid", "available", buyer.pk),
        ("reserve", "available", "reserved", other_buyer.pk),
    ]
    assert [(p.buyer, p.cleared_at is not None) for p in raffle.payments.all()] == [
        (buyer, True)
    ]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_refund_number_requires_a_reason(project, ten, buyer, reason):
    sell(project, buyer, "04", state="paid")

    with pytest.raises(ValidationError) as refused:
        services.refund_number(
            raffle=number(project, 4), actor=project.owner, reason=reason
        )

    assert errors(refused) == {"reason": ["Say why the number is refunded."]}
    assert number(project, 4).state == "paid"


def test_release_number_refuses_a_long_reason(project, ten, buyer):
    sell(project, buyer, "04")

    with pytest.raises(ValidationError) as refused:
        services.release_number(
            raffle=number(project, 4), actor=project.owner, reason="x" * 501
        )

    assert errors(refused) == {"reason": ["Keep the reason under 500 characters."]}


def reserve(project, buyer, value):
    sell(project, buyer, f"{value:02}")


def make_paid(project, buyer, value):
    sell(project, buyer, f"{value:02}", state="paid")


MOVES = {
    "record_payment": lambda raffle, actor: services.record_payment(
        raffle=raffle, amount="1.00", method="cash", actor=actor
    ),
    "mark_paid": lambda raffle, actor: services.mark_paid(
        raffle=raffle, method="cash", actor=actor
    ),
    "release_number": lambda raffle, actor: services.release_number(
        raffle=raffle, actor=actor
    ),
    "refund_number": lambda raffle, actor: services.refund_number(
        raffle=raffle, actor=actor, reason="Mistake"
    ),
}


@pytest.mark.parametrize(
    "move, state, rule",
    [
        ("record_payment", "available", "only a reserved number takes payments"),
        ("record_payment", "paid", "only a reserved number takes payments"),
        ("mark_paid", "available", "only a reserved number is marked paid"),
        ("mark_paid", "paid", "only a reserved number is marked paid"),
        ("release_number", "available", "only a reserved number is released"),
        ("release_number", "paid", "only a reserved number is released"),
        ("refund_number", "available", "only a paid number is refunded"),
        ("refund_number", "reserved", "only a paid number is refunded"),
    ],
)
def test_refused_moves_name_the_number_and_its_state(
    project, ten, buyer, move, state, rule
):
    if state == "reserved":
        reserve(project, buyer, 5)
    elif state == "paid":
        make_paid(project, buyer, 5)
    before = rows(project)
    history = RaffleEvent.objects.count()

    with pytest.raises(services.MoveRefused) as refused:
        MOVES[move](number(project, 5), project.owner)

    assert errors(refused) == [f"Number 05 is {state}: {rule}."]
    assert rows(project) == before
    assert RaffleEvent.objects.count() == history


def test_update_number_notes(project, ten):
    services.update_number_notes(raffle=number(project, 1), notes="  Booklet 3 ")

    assert number(project, 1).notes == "Booklet 3"


def test_update_number_notes_refuses_long_notes(project, ten):
    with pytest.raises(ValidationError) as refused:
        services.update_number_notes(raffle=number(project, 1), notes="x" * 501)

    assert errors(refused) == {"notes": ["Keep notes under 500 characters."]}


# Voiding a payment


def test_void_payment_takes_the_money_back_and_keeps_the_row(project, ten, buyer):
    sell(project, buyer, "06")
    pay(project, 6, "3.00", method="card")
    wrong = pay(project, 6, "4.00", method="bank_transfer")

    services.void_payment(payment=wrong, actor=project.owner, reason=" Typo ")

    raffle = number(project, 6)
    wrong.refresh_from_db()
    assert (raffle.state, raffle.amount_paid, raffle.method) == (
        "reserved",
        Decimal("3.00"),
        "card",
    )
    assert wrong.cleared_at is not None
    assert raffle.payments.count() == 2
    assert events(raffle)[-1] == (
        "payment",
        "reserved",
        "reserved",
        buyer.pk,
        Decimal("-4.00"),
        "Typo",
    )
    assert RaffleEvent.objects.filter(raffle=raffle).latest("pk").payment == wrong


def test_void_payment_of_the_only_payment_clears_the_method(project, ten, buyer):
    sell(project, buyer, "06")
    only = pay(project, 6, "3.00", method="card")

    services.void_payment(payment=only, actor=project.owner, reason="Wrong number")

    raffle = number(project, 6)
    assert (raffle.amount_paid, raffle.method) == (Decimal("0.00"), "")
    payment = services.record_payment(
        raffle=raffle, amount="10.00", method="cash", actor=project.owner
    )
    assert payment.raffle.state == "paid"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_void_payment_requires_a_reason(project, ten, buyer, reason):
    sell(project, buyer, "06")
    payment = pay(project, 6, "3.00")

    with pytest.raises(ValidationError) as refused:
        services.void_payment(payment=payment, actor=project.owner, reason=reason)

    assert errors(refused) == {"reason": ["Say why the payment is voided."]}
    assert number(project, 6).amount_paid == Decimal("3.00")


def test_void_payment_refuses_a_paid_number(project, ten, buyer):
    sell(project, buyer, "06", state="paid")
    before = rows(project)

    with pytest.raises(services.MoveRefused) as refused:
        services.void_payment(
            payment=Payment.objects.get(), actor=project.owner, reason="Oops"
        )

    assert errors(refused) == [
        "Cannot void a payment of number 06: it is paid. Refund the number instead."
    ]
    assert rows(project) == before
    assert Payment.objects.get().cleared_at is None


def test_void_payment_refuses_a_payment_already_cleared(project, ten, buyer):
    sell(project, buyer, "06")
    payment = pay(project, 6, "3.00")
    services.void_payment(payment=payment, actor=project.owner, reason="Typo")
    history = RaffleEvent.objects.count()

    with pytest.raises(services.MoveRefused) as refused:
        services.void_payment(payment=payment, actor=project.owner, reason="Again")

    assert errors(refused) == ["This payment of number 06 no longer counts."]
    assert number(project, 6).amount_paid == Decimal("0.00")
    assert RaffleEvent.objects.count() == history


def test_void_payment_refuses_a_payment_cleared_by_a_release(project, ten, buyer):
    sell(project, buyer, "06")
    payment = pay(project, 6, "3.00")
    services.release_number(raffle=number(project, 6), actor=project.owner)

    with pytest.raises(services.MoveRefused) as refused:
        services.void_payment(payment=payment, actor=project.owner, reason="Typo")

    assert errors(refused) == ["This payment of number 06 no longer counts."]


# Marking several numbers paid


def test_mark_numbers_paid_pays_each_what_it_owes(project, ten, buyer, other_buyer):
    sell(project, buyer, "01-02")
    sell(project, other_buyer, "05")
    pay(project, 2, "4.00")

    payments = services.mark_numbers_paid(
        project=project,
        numbers="1, 2, 05",
        method="mobile",
        actor=project.owner,
        reference="Batch 7",
    )

    assert [(p.raffle.number, p.amount, p.method, p.reference) for p in payments] == [
        (1, Decimal("10.00"), "mobile", "Batch 7"),
        (2, Decimal("6.00"), "mobile", "Batch 7"),
        (5, Decimal("10.00"), "mobile", "Batch 7"),
    ]
    assert [row[1:] for row in rows(project) if row[0] in (1, 2, 5)] == [
        ("paid", buyer.pk, Decimal("10.00"), Decimal("10.00")),
        ("paid", buyer.pk, Decimal("10.00"), Decimal("10.00")),
        ("paid", other_buyer.pk, Decimal("10.00"), Decimal("10.00")),
    ]
    assert events(number(project, 5))[-1][:3] == ("payment", "reserved", "paid")


def test_mark_numbers_paid_is_all_or_nothing(project, ten, buyer):
    sell(project, buyer, "01")
    sell(project, buyer, "03", state="paid")
    before = rows(project)
    history = RaffleEvent.objects.count()

    with pytest.raises(services.NotReserved) as refused:
        services.mark_numbers_paid(
            project=project, numbers="1-4", method="cash", actor=project.owner
        )

    assert errors(refused) == {
        "numbers": [
            "Numbers 02 (available), 03 (paid), 04 (available) are not reserved, "
            "so they cannot be marked paid."
        ]
    }
    assert refused.value.labels == ["02", "03", "04"]
    assert rows(project) == before
    assert RaffleEvent.objects.count() == history


def test_mark_numbers_paid_refuses_numbers_removed_before_the_lock(
    monkeypatch, project, ten, buyer
):
    sell(project, buyer, "01")
    shrink_after_resolving(monkeypatch, ten, 5)

    with pytest.raises(NumbersUnavailable) as refused:
        services.mark_numbers_paid(
            project=project, numbers="01, 07", method="cash", actor=project.owner
        )

    assert errors(refused) == {"numbers": ["Number 07 is no longer available."]}
    assert rows(project)[1] == (1, "reserved", buyer.pk, Decimal("10.00"), 0)
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    "numbers, method, expected",
    [
        ("1, x", "cash", {"numbers": ["“x” is not a number or a range like 100-105."]}),
        ("10", "cash", {"numbers": ["Not in any set of this project: 10."]}),
        ("1", "cheque", {"method": ["Choose a payment method."]}),
    ],
)
def test_mark_numbers_paid_refuses_bad_input(
    project, ten, buyer, numbers, method, expected
):
    sell(project, buyer, "01")

    with pytest.raises(ValidationError) as refused:
        services.mark_numbers_paid(
            project=project, numbers=numbers, method=method, actor=project.owner
        )

    assert errors(refused) == expected
    assert number(project, 1).state == "reserved"
