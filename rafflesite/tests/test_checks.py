"""The site's system checks: no public or weak SECRET_KEY in production."""

import subprocess
import sys

import pytest
from django.core.checks import run_checks

from rafflesite.checks import check_secret_key

from .production import ROOT, SECRET, WITHOUT_DOTENV, clean_env


@pytest.mark.parametrize(
    ("key", "check"),
    [
        ("insecure-development-key-set-SECRET_KEY-in-production", "rafflesite.E001"),
        ("k3y-of-49-characters-k3y-of-49-characters-k3y-of-", "rafflesite.E002"),
        ("abcd" * 20, "rafflesite.E002"),
    ],
    ids=["development", "short", "repetitive"],
)
def test_secret_key_check_refuses_a_public_or_weak_key(settings, key, check):
    settings.SECRET_KEY = key

    assert [error.id for error in check_secret_key(None)] == [check]


def test_secret_key_check_accepts_a_long_random_key(settings):
    settings.SECRET_KEY = SECRET

    assert check_secret_key(None) == []


def test_secret_key_check_runs_only_for_deployment(settings):
    settings.SECRET_KEY = "short"

    deploy = [message.id for message in run_checks(include_deployment_checks=True)]
    plain = [message.id for message in run_checks()]

    assert "rafflesite.E002" in deploy
    assert "rafflesite.E002" not in plain


def test_check_deploy_fails_without_a_secret_key():
    code = (
        WITHOUT_DOTENV + "from django.core.management import call_command\n"
        "call_command('check', deploy=True)\n"
    )
    env = clean_env(DEBUG="false", ALLOWED_HOSTS="raffles.example.org")

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "(rafflesite.E001) SECRET_KEY is the development key" in result.stderr
