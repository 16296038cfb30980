import io
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Sum
from phonenumbers import parse, region_code_for_number

from accounts.models import User
from buyers.models import Buyer
from buyers.phones import normalize_phone
from projects.demo import load_demo
from projects.models import Project
from raffles.models import Payment, Raffle, RaffleEvent

pytestmark = pytest.mark.django_db


def run_demo(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the demo writes, by refs and numbers rather than keys."""
    return {
        "users": list(User.objects.values_list("username", "email")),
        "projects": list(
            Project.objects.values_list("ref", "name", "currency", "draw_date")
        ),
        "buyers": list(
            Buyer.objects.order_by("ref").values_list(
                "ref", "first_name", "last_name", "email", "phone", "notes"
            )
        ),
        "numbers": list(
            Raffle.objects.order_by("number").values_list(
                "number", "state", "buyer__ref", "price", "amount_paid", "method"
            )
        ),
        "payments": [
            (p.raffle.number, p.amount, p.method, p.reference, p.cleared_at is None)
            for p in Payment.objects.select_related("raffle").order_by("pk")
        ],
        "events": list(
            RaffleEvent.objects.order_by("pk").values_list(
                "raffle__number", "kind", "from_state", "to_state", "buyer__ref"
            )
        ),
    }


def test_demo_loads_a_scout_groups_raffle():
    output = run_demo()

    organizer = User.objects.get(username="demo")
    project = Project.objects.get()
    sets = project.raffle_sets.order_by("first_number")
    states = Counter(Raffle.objects.values_list("state", flat=True))
    assert output == (
        "Loaded the demo: organizer demo (password demo-raffles), project 1 "
        "“Rifa Scouts Grupo 15 — Día del Padre” with 2 sets, 1,000 numbers, "
        "150 buyers, 144 reserved and 280 paid.\n"
    )
    assert authenticate(username="demo", password="demo-raffles") == organizer
    assert (project.owner, project.ref, project.currency) == (organizer, 1, "ARS")
    assert [(s.kind, s.unit_price, s.range_label) for s in sets] == [
        ("paper", Decimal("2.00"), "000-499"),
        ("virtual", Decimal("2.50"), "500-999"),
    ]
    assert states == {"available": 576, "reserved": 144, "paid": 280}


def test_demo_buyers_are_varied_and_valid():
    load_demo()

    buyers = list(Buyer.objects.all())
    phones = [buyer.phone for buyer in buyers if buyer.phone]
    shared = [phone for phone, count in Counter(phones).items() if count > 1]
    countries = {region_code_for_number(parse(phone)) for phone in phones}
    assert len(buyers) == 150
    assert all(normalize_phone(phone) == phone for phone in phones)
    assert len(shared) == 12
    assert countries == {"AR", "BR", "CL", "CO", "ES", "MX", "PY", "US", "UY"}
    assert sum("+" in buyer.email for buyer in buyers) == 43
    assert sum(not buyer.email for buyer in buyers) == 24
    assert any(ch in "áéíóúñçãõüë" for buyer in buyers for ch in buyer.full_name)


def test_demo_sales_have_payments_and_history():
    load_demo()

    kinds = Counter(RaffleEvent.objects.values_list("kind", flat=True))
    partly_paid = Raffle.objects.filter(state="reserved", amount_paid__gt=0)
    assert kinds == {
        "reserve": 177,
        "sell": 260,
        "payment": 75,
        "release": 8,
        "refund": 5,
    }
    assert partly_paid.count() == 40
    for raffle in Raffle.objects.exclude(state="available"):
        counting = raffle.payments.filter(cleared_at__isnull=True)
        total = counting.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        assert (total, raffle.buyer_id is not None) == (raffle.amount_paid, True)
    assert Payment.objects.filter(cleared_at__isnull=False).count() == 7


def test_demo_twice_changes_nothing():
    run_demo()
    before = snapshot()

    output = run_demo()

    assert output == "The demo organizer “demo” exists already; nothing changed.\n"
    assert snapshot() == before


def test_demo_is_the_same_on_every_fresh_load():
    load_demo()
    first = snapshot()
    Raffle.objects.all().delete()
    User.objects.all().delete()

    load_demo()

    assert snapshot() == first


def test_demo_if_empty_skips_when_an_organizer_exists(organizer):
    output = run_demo("--if-empty")

    assert output == "Organizers exist already; the demo was not loaded.\n"
    assert list(User.objects.values_list("username", flat=True)) == ["organizer"]
    assert Project.objects.count() == 0


def test_demo_if_empty_loads_on_an_empty_database():
    run_demo("--if-empty")

    assert list(User.objects.values_list("username", flat=True)) == ["demo"]
