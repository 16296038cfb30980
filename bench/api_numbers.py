"""Benchmark: a page of 50 numbers through the API vs a minimal JSON view.

Run from the project folder:  .venv/bin/python bench/api_numbers.py
It builds a throwaway test database (SQLite by default, or the one named
by DATABASE_URL, prefixed with test_), fills one project with 10,000
numbers, half of them sold, and times each way of listing page 1 of the
paid numbers, in the same run. Prints a table; exits 0.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROUNDS = 300
PAGE = 50


def setup_django():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rafflesite.settings")
    # Plain http on this machine, as bench/run.py: else the full stack
    # would time a redirect to https.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()


def build_world():
    from django.contrib.auth import get_user_model

    from buyers.services import create_buyer
    from projects.services import create_project
    from raffles.services import create_raffle_set, sell_numbers

    organizer = get_user_model().objects.create_user("bench", password="bench-pass")
    project = create_project(owner=organizer, name="Bench raffle")
    create_raffle_set(project=project, name="Main", unit_price="2.50", quantity=10_000)
    for index in range(50):
        buyer = create_buyer(
            owner=organizer, first_name=f"Buyer {index}", email=f"b{index}@example.com"
        )
        first = index * 100
        sell_numbers(
            project=project,
            buyer=buyer,
            numbers=f"{first}-{first + 99}",
            actor=organizer,
            state="paid" if index % 2 == 0 else "reserved",
            method="cash",
        )
    return organizer, project


def minimal_view(request, project, count=False):
    """What a hand-written JSON view over the same rows would do."""
    from django.http import JsonResponse

    from raffles.models import Raffle, RaffleSet

    paid = Raffle.objects.filter(project=project, state="paid")
    total = paid.count() if count else None
    padding = dict(
        RaffleSet.objects.filter(project=project).values_list("pk", "padding")
    )
    rows = list(
        paid.order_by("number").values(
            "number",
            "state",
            "price",
            "amount_paid",
            "raffle_set_id",
            "buyer__ref",
        )[:PAGE]
    )
    for row in rows:
        row["label"] = str(row["number"]).zfill(padding[row.pop("raffle_set_id")])
        row["price"] = str(row["price"])
        row["amount_paid"] = str(row["amount_paid"])
    return JsonResponse({"count": total, "results": rows})


def model_serializer_view(request, project):
    """The API's page through a plain DRF ModelSerializer, for comparison."""
    from rest_framework import serializers
    from rest_framework.response import Response

    from raffles.models import Raffle

    class RaffleModelSerializer(serializers.ModelSerializer):
        label = serializers.CharField()
        set = serializers.IntegerField(source="raffle_set.ref")
        buyer = serializers.IntegerField(source="buyer.ref", allow_null=True)

        class Meta:
            model = Raffle
            fields = [
                "number",
                "label",
                "set",
                "state",
                "buyer",
                "price",
                "amount_paid",
                "method",
                "reserved_at",
                "paid_at",
                "notes",
            ]

    raffles = (
        Raffle.objects.filter(project=project, state="paid")
        .select_related("raffle_set", "buyer")
        .order_by("number")[:PAGE]
    )
    return Response({"results": RaffleModelSerializer(raffles, many=True).data})


def measure(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = call()
    # Time answers, never a redirect or an error.
    assert first.status_code == 200, (call.__name__, first.status_code)
    with CaptureQueriesContext(connection) as queries:
        call()
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "queries": len(queries),
    }


def main():
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.decorators import api_view
    from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

    from raffles.api.views import NumberViewSet

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        organizer, project = build_world()
        factory = APIRequestFactory()
        url = f"/api/projects/{project.ref}/numbers/?state=paid&page_size={PAGE}"
        api_view_function = NumberViewSet.as_view({"get": "list"})
        drf_model_view = api_view(["GET"])(model_serializer_view)
        client = APIClient()
        client.force_authenticate(organizer)

        def api_direct():
            request = factory.get(url)
            force_authenticate(request, organizer)
            response = api_view_function(request, project_ref=project.ref)
            response.render()
            return response

        def drf_model():
            request = factory.get(url)
            force_authenticate(request, organizer)
            response = drf_model_view(request, project)
            response.render()
            return response

        def minimal():
            return minimal_view(factory.get(url), project)

        def minimal_counted():
            return minimal_view(factory.get(url), project, count=True)

        def full_stack():
            return client.get(url)

        rows = [
            ("minimal JSON view", measure(minimal)),
            ("minimal JSON view + page count", measure(minimal_counted)),
            ("API view", measure(api_direct)),
            ("API, full stack (test client)", measure(full_stack)),
            ("DRF ModelSerializer, joined sets", measure(drf_model)),
        ]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print_table(rows, connection.vendor)


def print_table(rows, vendor):
    base = rows[0][1]["median"]
    print(f"{PAGE} paid numbers of 10,000, {vendor}, {ROUNDS} rounds each")
    print()
    header = f"{'way':<32} {'median ms':>9} {'p95 ms':>7} {'x':>5} {'queries':>7}"
    print(header)
    print("-" * len(header))
    for name, row in rows:
        queries = "-" if name.startswith("API, full") else row["queries"]
        print(
            f"{name:<32} {row['median']:>9.2f} {row['p95']:>7.2f} "
            f"{row['median'] / base:>5.1f} {queries:>7}"
        )
    print()
    print("x: median relative to the minimal view. Full stack adds middleware")
    print("and URL routing; its queries are not counted (reset per request).")


if __name__ == "__main__":
    main()
