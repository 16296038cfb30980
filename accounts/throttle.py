"""Count failed logins per user name and address in the shared cache.

After LOGIN_FAILURES_ALLOWED failures within LOGIN_FAILURES_MINUTES, the
login forms refuse to check the password until the window has passed.
The cache is the database by default, so every app server sees the count.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def key_for(username, address):
    raw = f"{(username or '').strip().casefold()}|{address or ''}"
    return "login-failures:" + hashlib.sha256(raw.encode()).hexdigest()


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def blocked(key):
    return cache.get(key, 0) >= settings.LOGIN_FAILURES_ALLOWED


def record_failure(key):
    window = settings.LOGIN_FAILURES_MINUTES * 60
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def clear(key):
    cache.delete(key)
