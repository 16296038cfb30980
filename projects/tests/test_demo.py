import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Sum
from phonenumbers import parse, region_code_for_number

from accounts.models import User
from buyers.models import Buyer
from buyers.phones import normalize_phone
from projects.demo import load_demo
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.draw_selectors import today
from raffles.models import Draw, Payment, Prize, Raffle, RaffleEvent, local_day
from raffles.tests.factories import RaffleSetFactory

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
        "prizes": list(
            Prize.objects.order_by("position").values_list(
                "position", "name", "lottery", "lottery_date", "unsold_rule"
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
        "150 buyers, 144 reserved and 280 paid, and 3 prizes to draw today.\n"
    )
    assert authenticate(username="demo", password="demo-raffles") == organizer
    assert (project.owner, project.ref, project.currency) == (organizer, 1, "ARS")
    assert [(s.kind, s.unit_price, s.range_label) for s in sets] == [
        ("paper", Decimal("2000.00"), "000-499"),
        ("virtual", Decimal("2500.00"), "500-999"),
    ]
    assert states == {"available": 576, "reserved": 144, "paid": 280}


def test_demo_prizes_wait_for_todays_draw():
    load_demo()

    project = Project.objects.get()
    prizes = list(project.prizes.order_by("position"))
    assert project.draw_date == today()
    assert [(p.position, p.name, p.has_lottery_plan) for p in prizes] == [
        (1, "Bicicleta rodado 26", False),
        (2, "Canasta de productos regionales", True),
        (3, "Vale de compra por 30.000 ARS", False),
    ]
    assert (prizes[1].lottery, prizes[1].unsold_rule) == (
        "Lotería de la Ciudad, primer premio",
        "next",
    )
    assert (prizes[1].lottery_date, prizes[1].plan_days_ahead) == (today(), 7)
    assert draws.lottery_plan_problem(prizes[1]) is None


def test_demo_money_is_in_pesos_at_todays_prices():
    load_demo()

    project = Project.objects.get()
    texts = [project.description] + [
        f"{prize.name} {prize.description}"
        for prize in project.prizes.order_by("position")
    ]
    prices = {s.unit_price for s in project.raffle_sets.all()}
    deposits = set(
        Payment.objects.filter(reference="Seña").values_list("amount", flat=True)
    )
    collected = Raffle.objects.aggregate(total=Sum("amount_paid"))["total"]
    voucher = Decimal(re.search(r"([\d.]+) ARS", texts[3])[1].replace(".", ""))
    assert [t for t in texts if re.search(r"\$|USD|EUR|€|[Dd]ólar", t)] == []
    assert (min(prices), max(prices), deposits) == (
        Decimal("2000.00"),
        Decimal("2500.00"),
        {Decimal("1000.00")},
    )
    assert 10 * max(prices) < voucher < collected


def test_demo_draw_day_runs_from_the_pages(client):
    load_demo()
    client.login(username="demo", password="demo-raffles")
    base = "/projects/1"

    overview = client.get(f"{base}/draws/").content.decode()
    drawn_at_random = client.post(f"{base}/prizes/1/draw/", {"method": "random"})
    lottery_page = client.get(f"{base}/prizes/2/draw/").content.decode()
    by_lottery = client.post(
        f"{base}/prizes/2/draw/",
        {
            "method": "lottery",
            "lottery-result": "4817",
            "lottery-source": "https://loteria.example/resultados/hoy",
        },
    )
    hand = draws.eligible_labels(Prize.objects.get(position=3))[0]
    by_hand = client.post(
        f"{base}/prizes/3/draw/", {"method": "manual", "manual-number": hand}
    )
    results = client.get(f"{base}/draws/").content.decode()
    random_draw, lottery_draw, manual_draw = Draw.objects.order_by("prize__position")
    client.logout()
    verify = " ".join(
        client.get(f"/verify/{random_draw.token}/").content.decode().split()
    )

    assert overview.count("Draw this prize") == 3
    assert "7 days before the lottery of" in " ".join(lottery_page.split())
    assert [r.status_code for r in (drawn_at_random, by_lottery, by_hand)] == [302] * 3
    assert (random_draw.method, lottery_draw.method, manual_draw.method) == (
        "random",
        "lottery",
        "manual",
    )
    assert (lottery_draw.lottery_number, manual_draw.winner_label) == ("817", hand)
    assert lottery_draw.late_count == 0
    paid = Raffle.objects.filter(state="paid").values_list("number", flat=True)
    left = sorted(set(paid) - {int(random_draw.winner_label)})
    assert int(lottery_draw.winner_label) == next(
        (n for n in left if n >= 817), left[0]
    )
    assert f'href="/verify/{random_draw.token}/"' in results
    assert f"Recomputed result: {random_draw.winner_label}. It matches the record." in (
        verify
    )
    assert verify.count('<li class="ok">') == 2


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


def test_demo_sales_came_before_the_lottery_day():
    load_demo()

    days = {
        *(local_day(at) for at in RaffleEvent.objects.values_list("at", flat=True)),
        *(
            local_day(at)
            for at in Raffle.objects.exclude(state="available").values_list(
                "reserved_at", flat=True
            )
        ),
        *(
            local_day(at)
            for at in Payment.objects.values_list("recorded_at", flat=True)
        ),
    }
    # Before today, the lottery's day, even when the load spans midnight.
    assert max(days) < today()


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


def test_demo_reset_starts_the_demo_over_and_leaves_others_alone(organizer):
    load_demo()
    fresh = snapshot()
    fresh["users"] = [("demo", "demo@example.com")]
    demo = User.objects.get(username="demo")
    draws.draw_random(prize=Prize.objects.get(position=1), actor=demo)
    Project.objects.filter(owner=demo).update(name="Changed")
    theirs = RaffleSetFactory(project=ProjectFactory(owner=organizer, name="Theirs"))

    output = run_demo("--reset")

    assert output.splitlines()[0] == "Deleted the demo organizer “demo”."
    assert output.splitlines()[1].startswith("Loaded the demo: organizer demo")
    assert Draw.objects.count() == 0
    assert list(
        Project.objects.filter(owner=organizer).values_list("name", flat=True)
    ) == ["Theirs"]
    assert Raffle.objects.filter(raffle_set=theirs).count() == theirs.quantity
    mine = snapshot()
    mine["users"] = [user for user in mine["users"] if user[0] == "demo"]
    mine["projects"] = [p for p in mine["projects"] if p[1] != "Theirs"]
    mine["numbers"] = list(
        Raffle.objects.filter(project__owner__username="demo")
        .order_by("number")
        .values_list("number", "state", "buyer__ref", "price", "amount_paid", "method")
    )
    assert mine == fresh


def test_demo_reset_leaves_a_real_organizer_named_demo_alone():
    real = User.objects.create_user(
        username="demo", password="x-long-password", email="someone@example.org"
    )
    ProjectFactory(owner=real, name="Real raffle")

    with pytest.raises(CommandError) as error:
        run_demo("--reset")

    assert str(error.value) == (
        "The organizer “demo” is not the demo's (demo@example.com); nothing was "
        "deleted."
    )
    assert list(Project.objects.values_list("name", flat=True)) == ["Real raffle"]


def test_demo_reset_reloads_even_with_if_empty_and_others_present(organizer):
    load_demo()

    output = run_demo("--reset", "--if-empty")

    assert output.splitlines()[1].startswith("Loaded the demo: organizer demo")
    assert Project.objects.filter(owner__username="demo").count() == 1
