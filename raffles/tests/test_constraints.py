"""The database itself refuses rows that break the rules.

Each test writes a bad row past the services, with .create() or .update(),
and expects the database to refuse it.
"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.models import Payment, Raffle, RaffleEvent, RaffleSet
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory
from rafflesite.lib.text import name_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name="Rifa")


@pytest.fixture
def raffle_set(project):
    return RaffleSetFactory(project=project, name="Booklets", quantity=100)


@pytest.fixture
def buyer(organizer):
    return BuyerFactory(owner=organizer)


def numbers(project, value):
    return Raffle.objects.filter(project=project, number=value)


@pytest.fixture
def reserved(project, raffle_set, buyer):
    sell_numbers(project=project, buyer=buyer, numbers="10", actor=project.owner)
    return numbers(project, 10)


@pytest.fixture
def paid(project, raffle_set, buyer):
    sell_numbers(
        project=project, buyer=buyer, numbers="20", actor=project.owner, state="paid"
    )
    return numbers(project, 20)


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_number_unique_per_project(project, raffle_set):
    other_set = RaffleSetFactory(project=project, first_number=100, quantity=1)

    refused(
        lambda: Raffle.objects.create(project=project, raffle_set=other_set, number=5)
    )

    assert numbers(project, 5).count() == 1


def test_same_number_in_two_projects_is_fine(project, raffle_set, organizer):
    other = RaffleSetFactory(project=ProjectFactory(owner=organizer), quantity=100)

    assert Raffle.objects.filter(number=5).count() == 2
    assert other.raffles.filter(number=5).count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"buyer": "buyer"},
        {"price": Decimal("2.00")},
        {"amount_paid": Decimal("1.00")},
        {"paid_at": "now"},
        {"state": "sold"},
    ],
)
def test_available_number_carries_nothing(project, raffle_set, buyer, changes):
    values = {
        key: {"buyer": buyer, "now": timezone.now()}.get(value, value)
        for key, value in changes.items()
    }

    refused(lambda: numbers(project, 1).update(**values))

    assert numbers(project, 1).values_list("state", "buyer").get() == (
        "available",
        None,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"buyer": None},
        {"price": None},
        {"amount_paid": Decimal("2.00")},
        {"amount_paid": Decimal("2.50")},
        {"amount_paid": Decimal("-1.00")},
        {"price": Decimal("-1.00"), "amount_paid": Decimal("-2.00")},
        {"paid_at": "now"},
    ],
)
def test_reserved_number_rules(reserved, changes):
    values = {
        key: timezone.now() if value == "now" else value
        for key, value in changes.items()
    }

    refused(lambda: reserved.update(**values))

    assert reserved.values_list("state", "amount_paid").get() == (
        "reserved",
        Decimal("0.00"),
    )


def test_reserved_number_needs_a_buyer_even_when_made_so_directly(project, raffle_set):
    refused(lambda: numbers(project, 2).update(state="reserved", price=Decimal("2")))

    assert numbers(project, 2).get().state == "available"


@pytest.mark.parametrize(
    "changes",
    [
        {"amount_paid": Decimal("1.00")},
        {"amount_paid": Decimal("3.00")},
        {"price": Decimal("5.00")},
        {"paid_at": None},
        {"buyer": None},
    ],
)
def test_paid_number_amount_equals_price(paid, changes):
    refused(lambda: paid.update(**changes))

    assert paid.values_list("state", "amount_paid", "price").get() == (
        "paid",
        Decimal("2.00"),
        Decimal("2.00"),
    )


def test_paid_number_without_buyer_is_refused_at_creation(project, raffle_set):
    refused(
        lambda: Raffle.objects.create(
            project=project,
            raffle_set=raffle_set,
            number=500,
            state="paid",
            price=Decimal("2.00"),
            amount_paid=Decimal("2.00"),
            paid_at=timezone.now(),
        )
    )


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-2.00")])
def test_payment_amount_positive(reserved, buyer, amount):
    raffle = reserved.get()

    refused(
        lambda: Payment.objects.create(
            raffle=raffle,
            buyer=buyer,
            amount=amount,
            method="cash",
            paid_at=timezone.now(),
            recorded_by=raffle.project.owner,
        )
    )

    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"unit_price": Decimal("-0.01")},
        {"quantity": 0},
        {"padding": 0},
        {"padding": 11},
        {"name": ""},
        {"kind": "raffle"},
        {"kind": ""},
    ],
)
def test_raffle_set_rules(raffle_set, changes):
    refused(lambda: RaffleSet.objects.filter(pk=raffle_set.pk).update(**changes))

    raffle_set.refresh_from_db()
    assert (
        raffle_set.unit_price,
        raffle_set.quantity,
        raffle_set.padding,
        raffle_set.name,
        raffle_set.kind,
    ) == (Decimal("2.00"), 100, 2, "Booklets", "paper")


# Not "CASH": MariaDB compares with the column's case-insensitive collation.
@pytest.mark.parametrize("method", ["cheque", "bank"])
def test_number_method_is_one_of_the_choices(paid, method):
    refused(lambda: paid.update(method=method))

    assert paid.get().method == "cash"


def test_number_method_may_be_blank(reserved):
    reserved.update(method="")

    assert reserved.get().method == ""


@pytest.mark.parametrize("method", ["cheque", ""])
def test_payment_method_is_one_of_the_choices(paid, method):
    payments = Payment.objects.filter(raffle=paid.get())

    refused(lambda: payments.update(method=method))

    assert list(payments.values_list("method", flat=True)) == ["cash"]


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "gift"},
        {"kind": ""},
        {"from_state": "sold"},
        {"to_state": ""},
    ],
)
def test_history_event_kind_and_states_are_known(reserved, changes):
    raffle = reserved.get()
    values = {"kind": "reserve", "from_state": "available", "to_state": "reserved"}

    refused(
        lambda: RaffleEvent.objects.create(
            raffle=raffle,
            project=raffle.project,
            actor=raffle.project.owner,
            buyer=raffle.buyer,
            **{**values, **changes},
        )
    )

    assert RaffleEvent.objects.filter(raffle=raffle).count() == 1


def test_project_needs_a_name(project):
    refused(lambda: Project.objects.filter(pk=project.pk).update(name=""))

    project.refresh_from_db()
    assert project.name == "Rifa"


def test_project_ref_unique_per_organizer(project, organizer):
    refused(
        lambda: Project.objects.create(
            owner=organizer, ref=project.ref, name="Other", name_key=name_key("Other")
        )
    )


def test_project_name_unique_per_organizer_in_any_case(project, organizer):
    refused(
        lambda: Project.objects.create(
            owner=organizer, ref=99, name="RIFA", name_key=name_key("RIFA")
        )
    )


def test_project_refs_and_names_are_free_across_organizers(project, other_organizer):
    other = Project.objects.create(
        owner=other_organizer, ref=project.ref, name="Rifa", name_key=name_key("Rifa")
    )

    assert (other.ref, other.name) == (project.ref, project.name)


def test_raffle_set_ref_unique_per_project(project, raffle_set):
    refused(
        lambda: RaffleSet.objects.create(
            project=project,
            ref=raffle_set.ref,
            name="Other",
            name_key=name_key("Other"),
            unit_price=1,
            quantity=1,
            padding=1,
        )
    )


def test_raffle_set_name_unique_per_project(project, raffle_set):
    refused(
        lambda: RaffleSet.objects.create(
            project=project,
            ref=99,
            name="booklets",
            name_key=name_key("booklets"),
            unit_price=1,
            quantity=1,
            padding=1,
        )
    )


def test_buyer_ref_unique_per_organizer(buyer, organizer):
    refused(
        lambda: Buyer.objects.create(
            owner=organizer, ref=buyer.ref, first_name="Luis", phone="+573000000001"
        )
    )


@pytest.mark.parametrize("changes", [{"email": "", "phone": ""}, {"first_name": ""}])
def test_buyer_needs_a_name_and_a_contact(buyer, changes):
    before = (buyer.first_name, buyer.email)

    refused(lambda: Buyer.objects.filter(pk=buyer.pk).update(**changes))

    buyer.refresh_from_db()
    assert (buyer.first_name, buyer.email) == before


def test_history_event_cannot_be_edited(reserved):
    event = RaffleEvent.objects.get(raffle=reserved.get())
    event.reason = "rewritten"

    with pytest.raises(ValueError, match="History events are immutable."):
        event.save()

    assert RaffleEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.parametrize(
    "write",
    [
        lambda events: events.update(reason="rewritten"),
        lambda events: events.delete(),
        lambda events: events.get().delete(),
        lambda events: RaffleEvent.objects.bulk_update(
            [events.get()], fields=["reason"]
        ),
    ],
)
def test_history_events_cannot_be_changed_through_querysets(reserved, write):
    raffle = reserved.get()
    before = list(raffle.events.values_list("pk", "kind", "reason"))

    with (
        pytest.raises(ValueError, match="History events are immutable."),
        transaction.atomic(),
    ):
        write(raffle.events.all())

    assert list(raffle.events.values_list("pk", "kind", "reason")) == before


def test_history_events_go_with_their_whole_project(project, reserved):
    project.delete()

    assert RaffleEvent.objects.count() == 0
