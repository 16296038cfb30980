"""Count failed logins per user name and address in the shared cache.

The log-in page, the admin's and the API's token endpoint all count here:
after LOGIN_FAILURES_ALLOWED failures, that user name is paused at that
address for LOGIN_FAILURES_MINUTES, whatever the password. The cache is
the database by default, so every app server sees the count.
"""

import hashlib
import math
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle


class LoginPaused(Exception):
    """Too many failed logins for this user name at this address."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def minutes(self):
        """The pause left in whole minutes, rounded up: never 0."""
        return max(1, math.ceil(self.seconds / 60))


@contextmanager
def counted_login(request, username, failure):
    """Check a password in the block, unless this user name is paused.

    Raises LoginPaused before the block while paused. The block raising
    `failure` (wrong credentials) counts one failure; the block ending
    normally (logged in) clears the count.
    """
    key = key_for(username, client_address(request))
    seconds = pause_left(key)
    if seconds:
        raise LoginPaused(seconds)
    try:
        yield
    except failure:
        record_failure(key)
        raise
    clear(key)


def key_for(username, address):
    raw = f"{(username or '').strip().casefold()}|{address or ''}"
    return "login-failures:" + hashlib.sha256(raw.encode()).hexdigest()


def client_address(request):
    """The caller's address, as the API's rate limits see it.

    REMOTE_ADDR, unless BEHIND_PROXY: then the address the proxy appended
    to X-Forwarded-For (REST_FRAMEWORK's NUM_PROXIES), never one a client
    wrote there itself.
    """
    return BaseThrottle().get_ident(request) if request is not None else ""


def pause_left(key):
    """Seconds until the user name may try again at this address, or 0."""
    until = cache.get(_pause_key(key))
    return max(0, math.ceil(until - time.time())) if until else 0


def record_failure(key):
    window = settings.LOGIN_FAILURES_MINUTES * 60
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
            # The database cache's incr() sets its default timeout again.
            cache.touch(key, window)
        except ValueError:
            cache.set(key, 1, timeout=window)
            count = 1
    if count >= settings.LOGIN_FAILURES_ALLOWED:
        cache.set(_pause_key(key), time.time() + window, timeout=window)
        cache.delete(key)


def clear(key):
    cache.delete(key)


def _pause_key(key):
    return key + ":paused"
