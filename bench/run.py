"""`make bench`: measure the product on MariaDB and print one table.

Each row gives the measured figure and a reference measured in the same
run on the same machine. The figures are also written to
bench-results.json. Run it against a database of its own: it drops and
recreates `DATABASE_URL`'s tables (default: MariaDB `raffles_bench`).
"""

import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "mysql://root@127.0.0.1:3306/raffles_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rafflesite.settings")
os.environ.setdefault("RAFFLES_MAX_SET_SIZE", "100000")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Plain http on this machine; in process, Django's test client names the
# host "testserver".
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402 -- settings must be chosen before Django loads


def create_database():
    """Create DATABASE_URL's database when the server does not have it yet."""
    import environ
    import MySQLdb

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if "mysql" not in config["ENGINE"]:
        return
    server = MySQLdb.connect(
        host=config["HOST"] or "127.0.0.1",
        port=int(config["PORT"] or 3306),
        user=config["USER"],
        password=config["PASSWORD"] or "",
    )
    try:
        server.cursor().execute(
            f"CREATE DATABASE IF NOT EXISTS `{config['NAME']}` "
            "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"
        )
    finally:
        server.close()


create_database()
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ROWS = []


def row(name, figure, unit, reference=None, goal=None, met=None):
    ROWS.append(
        {
            "name": name,
            "figure": figure,
            "unit": unit,
            "reference": reference,
            "goal": goal,
            "met": met,
        }
    )


def timed(function, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(share * (len(ordered) - 1)))
    return ordered[index]


def reset_database():
    call_command("flush", interactive=False, verbosity=0)


def organizer(name):
    from accounts.models import User

    user, _ = User.objects.get_or_create(username=name)
    return user


def bench_set_creation():
    from projects.services import create_project
    from raffles.models import Raffle
    from raffles.services import create_raffle_set

    owner = organizer("bench-sets")
    project = create_project(owner=owner, name="Set creation")

    def floor():
        # MariaDB's own fastest path: one INSERT ... SELECT from its sequence
        # engine, into a scratch table shaped like the numbers table.
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_floor")
            cursor.execute(f"CREATE TABLE bench_floor LIKE {Raffle._meta.db_table}")
            cursor.execute(
                "INSERT INTO bench_floor (project_id, raffle_set_id, number, "
                "state, amount_paid, method, notes) SELECT 1, 1, seq, "
                "'available', 0, '', '' FROM seq_0_to_99999"
            )
            cursor.execute("DROP TABLE bench_floor")

    counter = iter(range(1000))

    def product():
        n = next(counter)
        create_raffle_set(
            project=project,
            name=f"Set {n}",
            unit_price="2.00",
            first_number=n * 100_000,
            quantity=100_000,
        )

    floor_times, _ = timed(floor, repeat=3)
    product_times, _ = timed(product, repeat=3)
    best_floor = min(floor_times)
    FLOOR["set"] = best_floor
    best = min(product_times)
    row(
        "create a set of 100,000 numbers",
        round(best, 3),
        "s",
        f"{best_floor:.3f} s INSERT ... SELECT floor",
        "<= 1.5 x floor",
        best <= 1.5 * best_floor,
    )


def bench_million_project():
    from projects.services import create_project
    from raffles.services import create_raffle_set

    owner = organizer("bench-million")
    project = create_project(owner=owner, name="A million numbers")

    def create():
        for n in range(10):
            create_raffle_set(
                project=project,
                name=f"Block {n}",
                unit_price="1.00",
                first_number=n * 100_000,
                quantity=100_000,
            )

    times, _ = timed(create)
    row(
        "create a project of 1,000,000 numbers (10 sets)",
        round(times[0], 2),
        "s",
        f"{10 * FLOOR['set']:.2f} s: 10 x the INSERT ... SELECT floor",
        "<= 1.5 x floor",
        times[0] <= 15 * FLOOR["set"],
    )
    return project


def paid_project(owner, name, size):
    """A project whose `size` numbers are all paid, marked in one UPDATE.

    Selling is not what these rows time; the sales services would take
    minutes for a million numbers.
    """
    from django.utils import timezone

    from buyers.services import create_buyer
    from projects.services import create_project
    from raffles.services import create_raffle_set

    project = create_project(owner=owner, name=name)
    buyer = create_buyer(owner=owner, first_name="Bench", email="bench@example.com")
    for first in range(0, size, 100_000):
        create_raffle_set(
            project=project,
            name=f"Block {first}",
            unit_price="1.00",
            first_number=first,
            quantity=min(100_000, size - first),
        )
    mark_paid(project, buyer, timezone.now())
    return project


def mark_paid(project, buyer, now):
    """Every number of the project paid, in one UPDATE around the services;
    the sets' running totals are then counted again from the numbers."""
    from raffles.models import Raffle
    from raffles.tallies import recount_sets

    Raffle.objects.filter(project=project).update(
        state="paid",
        buyer=buyer,
        price=1,
        amount_paid=1,
        method="cash",
        reserved_at=now,
        paid_at=now,
    )
    recount_sets(project.raffle_sets.all())


PAGE_GOAL_MS = 200
# Reference times measured once a run (bench_set_creation, page_floor).
FLOOR = {}


def page_floor(user):
    """p50 and p95 of /health/: one SELECT 1 through the whole middleware,
    the least any page of the site can cost."""
    from bench.pages import page_times

    if "page" not in FLOOR:
        FLOOR["page"] = page_times(user, "/health/")[:2]
    return FLOOR["page"]


def page_row(name, user, url):
    from bench.pages import page_times

    floor_p50, floor_p95 = page_floor(user)
    p50, p95, queries = page_times(user, url)
    row(
        name,
        f"p50 {p50:.0f} ms / p95 {p95:.0f} ms, {queries} queries",
        "",
        f"/health/ p50 {floor_p50:.1f} ms / p95 {floor_p95:.1f} ms",
        f"p95 < {PAGE_GOAL_MS} ms",
        p95 < PAGE_GOAL_MS,
    )


def bench_pages(million):
    from raffles.models import RaffleSet

    owner = organizer("bench-pages")
    sold = paid_project(owner, "One hundred thousand sold", 100_000)
    grid = RaffleSet.objects.get(project=sold).get_absolute_url()
    page_row("grid page, set of 100,000 numbers (all paid)", owner, grid)
    page_row(
        "grid page, 100,000 paid, filtered by buyer, last block",
        owner,
        f"{grid}?buyer=Bench&page=200",
    )
    page_row(
        "grid page, 100,000 paid, filtered by state, middle block",
        owner,
        f"{grid}?state=paid&page=100",
    )
    page_row(
        "project page, 1,000,000 numbers (10 sets), none sold",
        million.owner,
        million.get_absolute_url(),
    )
    return sold


def bench_csv(sold):
    from bench.pages import csv_download
    from raffles.models import Raffle

    def floor():
        rows = Raffle.objects.filter(project=sold, state="paid").values_list(
            "number", "buyer__first_name", "buyer__phone"
        )
        return sum(1 for _ in rows.iterator(chunk_size=2000))

    floor_times, count = timed(floor)
    url = f"/projects/{sold.ref}/draw-list.csv"
    seconds, size, peak, streaming = csv_download(sold.owner, url)
    row(
        f"draw list CSV, {count:,} paid numbers",
        f"{seconds:.2f} s, peak {peak / 2**20:.1f} MiB",
        "",
        f"{floor_times[0]:.2f} s to read the rows; CSV {size / 2**20:.1f} MiB",
        "streams; peak < CSV size",
        streaming and peak < size,
    )


def bench_draw(million):
    from django.utils import timezone

    from buyers.services import create_buyer
    from raffles import draws
    from raffles.models import Raffle

    buyer = create_buyer(
        owner=million.owner, first_name="Bench", email="bench@example.com"
    )
    mark_paid(million, buyer, timezone.now())

    def floor():
        rows = Raffle.objects.filter(project=million, state="paid")
        return sum(1 for _ in rows.values_list("number").iterator(chunk_size=20_000))

    floor_times, count = timed(floor)
    prize = draws.create_prize(project=million, name="Bench prize")
    times, _ = timed(lambda: draws.draw_random(prize=prize, actor=million.owner))
    row(
        f"random draw over {count:,} eligible numbers",
        round(times[0], 2),
        "s",
        f"{floor_times[0]:.2f} s to read the numbers",
    )


def bench_load(sold):
    from django.test import Client

    from accounts.tokens import RefreshToken
    from bench import load
    from buyers.services import create_buyer
    from projects.services import create_project
    from raffles.services import create_raffle_set

    token = str(RefreshToken.for_user(sold.owner).access_token)
    api = Client(headers={"authorization": f"Bearer {token}"})
    page = api.get(f"/api/projects/{sold.ref}/numbers/?page_size=50&page=3").json()
    sample = page["results"][7]
    label = sample["label"]
    detail = f"/api/projects/{sold.ref}/numbers/{label}/"
    listing = f"/api/projects/{sold.ref}/numbers/?page_size=50&page=3"
    minimal = f"/bench/minimal/{sold.pk}/{sample['number']}/"

    seller = organizer("bench-sales")
    shop = create_project(owner=seller, name="Sales")
    create_raffle_set(project=shop, name="Main", unit_price="2.00", quantity=10_000)
    buyer = create_buyer(owner=seller, first_name="Racer", email="racer@example.com")
    seller_token = str(RefreshToken.for_user(seller).access_token)
    with load.gunicorn() as base:
        # Every worker opens its database connection and loads its code on
        # its first requests: warm each address up before measuring.
        for url, auth in [(minimal, None), (detail, token), (listing, token)]:
            load.wrk(base + url, 50, auth, seconds=2)
        for clients in (10, 50):
            ceiling, ceiling_p99 = load.wrk(base + minimal, clients)
            rate, p99 = load.wrk(base + detail, clients, token)
            row(
                f"API number detail, {clients} clients (wrk)",
                f"{rate:.0f} req/s, p99 {p99:.0f} ms",
                "",
                f"minimal JSON view {ceiling:.0f} req/s, p99 {ceiling_p99:.0f} ms",
                ">= 0.5 x minimal view",
                rate >= 0.5 * ceiling,
            )
            rate, p99 = load.wrk(base + listing, clients, token)
            row(
                f"API page of 50 numbers, {clients} clients (wrk)",
                f"{rate:.0f} req/s, p99 {p99:.0f} ms",
                "",
                f"minimal JSON view {ceiling:.0f} req/s",
            )
        alone, _, _ = load.distinct_sales(
            base, seller_token, shop.ref, buyer.ref, list(range(400, 500)), clients=1
        )
        per_second, sold_count, tried = load.distinct_sales(
            base, seller_token, shop.ref, buyer.ref, list(range(0, 400))
        )
        row(
            "20 clients selling distinct numbers (API)",
            f"{per_second:.0f} sales/s, {sold_count} of {tried} made",
            "",
            f"1 client alone: {alone:.0f} sales/s",
            "all made",
            sold_count == tried,
        )
        good, rounds = load.same_number_rounds(
            base, seller_token, shop.ref, buyer.ref, list(range(5000, 5020))
        )
        row(
            "20 clients racing for the same number (API)",
            f"{good}/{rounds} rounds",
            "",
            "exactly one 201 and nineteen 409 per round",
            "all rounds",
            good == rounds,
        )


def bench_serialization(sold):
    """Issue 4's row: a page of 50 numbers through the API view, in process,
    against a hand-written JSON view over the same rows."""
    from rest_framework.test import APIRequestFactory, force_authenticate

    from bench.api_numbers import PAGE, measure, minimal_view
    from raffles.api.views import NumberViewSet

    factory = APIRequestFactory()
    url = f"/api/projects/{sold.ref}/numbers/?state=paid&page_size={PAGE}"
    view = NumberViewSet.as_view({"get": "list"})

    def api():
        request = factory.get(url)
        force_authenticate(request, sold.owner)
        response = view(request, project_ref=sold.ref)
        response.render()
        return response

    def minimal():
        return minimal_view(factory.get(url), sold, count=True)

    ceiling, measured = measure(minimal), measure(api)
    row(
        f"API page of {PAGE} numbers, in process (median)",
        f"{measured['median']:.2f} ms, {measured['queries']} queries",
        "",
        f"minimal JSON view {ceiling['median']:.2f} ms, {ceiling['queries']} queries",
    )


def bench_everything_else():
    million = bench_million_project()
    sold = bench_pages(million)
    bench_serialization(sold)
    bench_csv(sold)
    bench_draw(million)
    # bench_draw sold every number of the million.
    page_row(
        "project page, 1,000,000 numbers (10 sets), all paid",
        million.owner,
        million.get_absolute_url(),
    )
    bench_load(sold)


BENCHES = [bench_set_creation, bench_everything_else]


def print_table():
    headers = ["benchmark", "figure", "reference (same run)", "goal", "met"]
    lines = [
        [
            r["name"],
            f"{r['figure']} {r['unit']}".strip(),
            r["reference"] or "",
            r["goal"] or "",
            "" if r["met"] is None else ("yes" if r["met"] else "no"),
        ]
        for r in ROWS
    ]
    columns = zip(headers, *lines, strict=True)
    widths = [max(len(str(x)) for x in col) for col in columns]
    fmt = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    print(fmt.format(*headers))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        print(fmt.format(*line))


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    from rafflesite.db import is_mariadb

    if not is_mariadb():
        sys.exit("make bench measures MariaDB: set DATABASE_URL to a MariaDB URL.")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    reset_database()
    for bench in BENCHES:
        start = time.perf_counter()
        bench()
        took = time.perf_counter() - start
        print(f"{bench.__name__}: {took:.0f} s", file=sys.stderr)
    machine = (
        f"{cpu_model()}, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MariaDB "
        f"{'.'.join(map(str, connection.mysql_version))}"
    )
    print(f"Machine: {machine}")
    print_table()
    (ROOT / "bench-results.json").write_text(
        json.dumps({"machine": machine, "rows": ROWS}, indent=2)
    )


if __name__ == "__main__":
    main()
