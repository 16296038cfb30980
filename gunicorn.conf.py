"""Gunicorn settings for `make serve` and production (see docs/deploy.md).

Every value can be changed from the environment, or from the .env file
next to this one as the Django settings read it, without editing this file.
"""

import multiprocessing
import os
from pathlib import Path

import environ

environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)

# Where to listen. Behind a proxy on the same host keep 127.0.0.1.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# https served by gunicorn itself, with this certificate (the full chain)
# and its key; `make serve` makes a self-signed pair for localhost. Leave
# both unset behind a proxy that terminates TLS (BEHIND_PROXY=true).
certfile = os.environ.get("TLS_CERTFILE") or None
keyfile = os.environ.get("TLS_KEYFILE") or None

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

# Logs: gunicorn's own lines (start, stop, a worker killed after `timeout`)
# and one line a request go to stdout like the app's, one JSON object a
# line (LOG_FORMAT=plain for people), masked by the same formatters
# (rafflesite/log.py). GUNICORN_ACCESSLOG=off leaves the requests out.
LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
FORMAT = os.environ.get("LOG_FORMAT", "json")
accesslog = None if os.environ.get("GUNICORN_ACCESSLOG", "-") == "off" else "-"
errorlog = "-"
# The access line's message; the JSON line adds remote, status, bytes and
# duration_us as fields of their own.
access_log_format = "%(m)s %(U)s %(s)s"
FORMATTERS = {
    "json": ("rafflesite.log.JsonFormatter", "rafflesite.log.AccessJsonFormatter"),
    "plain": ("rafflesite.log.PlainFormatter", "rafflesite.log.PlainFormatter"),
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": FORMATTERS[FORMAT][0]},
        "access": {"()": FORMATTERS[FORMAT][1]},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
        },
    },
    "loggers": {
        "gunicorn.error": {
            "level": LEVEL,
            "handlers": ["console"],
            "propagate": False,
        },
        "gunicorn.access": {
            "level": "INFO" if accesslog else "WARNING",
            "handlers": ["access"] if accesslog else [],
            "propagate": False,
        },
    },
    "root": {"level": LEVEL, "handlers": ["console"]},
}

# No control socket: gunicorn 27 puts it at one path per user, so a second
# server on the same host (another port, `make bench`) would take it over.
control_socket_disable = True
