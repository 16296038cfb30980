"""Gunicorn settings for `make serve` and production (see docs/deploy.md).

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

# Where to listen. Behind a proxy on the same host keep 127.0.0.1.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Synchronous workers: the app spends its time in MariaDB, not in Python.
# (2 x cores) + 1 keeps the cores busy while some workers wait on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer is killed and logged (a 1,000,000-number CSV
# or draw takes seconds, not minutes).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# Keep-alive for a proxy or load balancer in front.
keepalive = 5
# Restart each worker after this many requests, spread out, so that a slow
# memory growth never adds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# Trust X-Forwarded-* from these proxy addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr; the app's own log lines are JSON (settings.LOGGING).
# One JSON line per request; GUNICORN_ACCESSLOG=off to leave them out.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
if accesslog == "off":
    accesslog = None
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "request": "%(m)s %(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s}'
)
