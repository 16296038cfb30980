"""Load from other processes: wrk against gunicorn, and concurrent sales.

The server is started as `make serve` does (gunicorn.conf.py, DEBUG off)
with bench.settings, which adds one minimal JSON view as the ceiling, but
over plain http: wrk and the clients measure the app, not TLS. It listens
on 127.0.0.1 only and is stopped at the end.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SECONDS = 6


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn():
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        # Plain http, whatever certificate `make serve` wrote to .env.
        "TLS_CERTFILE": "",
        "TLS_KEYFILE": "",
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESSLOG": "off",
        # No worker restarts in the middle of a measurement (production
        # restarts each after about 2,000 requests: gunicorn.conf.py).
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rafflesite.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def wait_until_up(base):
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=10)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def wrk(url, clients, token=None, seconds=WRK_SECONDS):
    """Requests per second and p99 latency (ms) of wrk on one address."""
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{min(clients, 2)}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--latency",
    ]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses\n{output}")
    return rate, float(p99.group(1)) * scale


def post_sale(base, token, project_ref, buyer_ref, number):
    request = urllib.request.Request(
        f"{base}/api/projects/{project_ref}/sales/",
        data=json.dumps({"buyer": buyer_ref, "numbers": str(number)}).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def distinct_sales(base, token, project_ref, buyer_ref, numbers, clients=20):
    """Each client sells its own numbers one by one; sales per second."""
    share = len(numbers) // clients
    statuses = []
    barrier = threading.Barrier(clients + 1)

    def client(mine):
        barrier.wait()
        for number in mine:
            statuses.append(post_sale(base, token, project_ref, buyer_ref, number))

    threads = [
        threading.Thread(target=client, args=(numbers[i * share : (i + 1) * share],))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    sold = statuses.count(201)
    return sold / seconds, sold, len(statuses)


def same_number_rounds(base, token, project_ref, buyer_ref, numbers, clients=20):
    """Clients race for one number per round; rounds with exactly one sale."""
    good = 0
    for number in numbers:
        statuses = []
        barrier = threading.Barrier(clients)

        def client(number=number, barrier=barrier, statuses=statuses):
            barrier.wait()
            statuses.append(post_sale(base, token, project_ref, buyer_ref, number))

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if statuses.count(201) == 1 and statuses.count(409) == clients - 1:
            good += 1
    return good, len(numbers)
