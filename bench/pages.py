"""Server time of pages and the draw list CSV, inside this process."""

import time
import tracemalloc

from django.db import connection
from django.test import Client

ROUNDS = 20


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def page_times(user, url, rounds=ROUNDS):
    """p50 and p95 in ms of GET url through Django, and its query count."""
    client = Client()
    client.force_login(user)
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95), len(queries)


def csv_download(user, url):
    """Seconds and bytes of the whole CSV, then its peak Python memory."""
    client = Client()
    client.force_login(user)
    start = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    response = client.get(url)
    for _chunk in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, size, peak, response.streaming
