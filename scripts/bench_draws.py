"""Time draws over large eligible lists and print a table.

    DATABASE_URL=... .venv/bin/python scripts/bench_draws.py [SIZES...]

Builds, in a throwaway project of a throwaway organizer, sets of 100,000
numbers until SIZE numbers are paid, then times a random draw (freezing the
list, hashing it, drawing and storing it in parts), reading the frozen list
back and re-checking the record as the verification page does. Everything
it created is rolled back at the end.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rafflesite.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from buyers.services import create_buyer  # noqa: E402
from projects.services import create_project  # noqa: E402
from raffles import draw_selectors, draws  # noqa: E402
from raffles.models import Raffle  # noqa: E402
from raffles.services import create_raffle_set  # noqa: E402
from rafflesite.lib import draws as algorithm  # noqa: E402

SET_SIZE = 100_000


def paid_project(owner, size):
    """A project whose first `size` numbers are paid.

    The numbers are marked paid in one UPDATE: the sales services would
    take minutes for a million numbers, and selling is not what is timed.
    """
    project = create_project(owner=owner, name=f"Bench {size}")
    buyer = create_buyer(owner=owner, first_name="Bench", email="bench@example.com")
    for first in range(0, size, SET_SIZE):
        create_raffle_set(
            project=project,
            name=f"Block {first}",
            unit_price="1.00",
            first_number=first,
            quantity=min(SET_SIZE, size - first),
            padding=7,
        )
    Raffle.objects.filter(project=project).update(
        state="paid",
        buyer=buyer,
        price=1,
        amount_paid=1,
        method="cash",
        reserved_at=timezone.now(),
        paid_at=timezone.now(),
    )
    return project


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def bench(owner, size):
    project = paid_project(owner, size)
    prize = draws.create_prize(project=project, name="Bench prize")
    draw, drawing = timed(draws.draw_random, prize=prize, actor=owner)
    (labels, reserved), reading = timed(draw_selectors.frozen_list, draw)
    record = draw_selectors.draw_record(draw, labels, reserved)
    check, checking = timed(algorithm.Verification, record, labels)
    assert check.ok
    parts = draw.list_parts.count()
    return size, drawing, reading, checking, parts


HEADER = "{:>10} {:>9} {:>9} {:>10} {:>6}"
ROW = "{:>10,} {:>9.2f} {:>9.2f} {:>10.2f} {:>6}"


def main(sizes):
    print(f"Random draws on {connection.vendor}")
    print(HEADER.format("eligible", "draw (s)", "read (s)", "check (s)", "parts"))
    with transaction.atomic():
        owner = User.objects.create_user(f"bench-{time.time_ns()}")
        for size in sizes:
            print(ROW.format(*bench(owner, size)))
        # Leave nothing behind.
        transaction.set_rollback(True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
