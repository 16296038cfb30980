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

import django  # noqa: E402 -- settings must be chosen before Django loads

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
    row("create a project of 1,000,000 numbers (10 sets)", round(times[0], 2), "s")
    return project


BENCHES = [bench_set_creation, bench_million_project]


def print_table():
    headers = ["benchmark", "figure", "reference (same run)", "goal", "met"]
    lines = [
        [
            r["name"],
            f"{r['figure']} {r['unit']}",
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


def main():
    if connection.vendor != "mysql":
        sys.exit("make bench measures MariaDB: set DATABASE_URL to a MariaDB URL.")
    call_command("migrate", verbosity=0)
    reset_database()
    for bench in BENCHES:
        bench()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, MariaDB {connection.mysql_version}"
    )
    print(f"Machine: {machine}")
    print_table()
    (ROOT / "bench-results.json").write_text(
        json.dumps({"machine": machine, "rows": ROWS}, indent=2)
    )


if __name__ == "__main__":
    main()
