"""The production settings plus one minimal JSON view (bench/urls.py)."""

from rafflesite.settings import *  # noqa: F403 -- the same settings, one change

ROOT_URLCONF = "bench.urls"
