"""Django as production starts it, in a fresh process: for the tests of
settings and checks, which must not see this test process's settings
(conftest.py changes some) nor a .env file a developer may keep."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = secrets.token_urlsafe(50)
# Django started from the environment alone: the .env file is not read.
WITHOUT_DOTENV = (
    "import environ\n"
    "environ.Env.read_env = lambda *args, **kwargs: None\n"
    "import django\n"
    "django.setup()\n"
)


def clean_env(**values):
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "rafflesite.settings",
        **values,
    }


def run_python(code, env, cwd=ROOT):
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def production_settings(*names, **env):
    """The settings `names` as production builds them from its environment:
    DEBUG off, a random SECRET_KEY, plus `env`."""
    code = (
        WITHOUT_DOTENV + "import json\n"
        "from django.conf import settings\n"
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, "
        "default=str))\n"
    )
    values = {"DEBUG": "false", "SECRET_KEY": SECRET, **env}
    return json.loads(run_python(code, clean_env(**values)))
