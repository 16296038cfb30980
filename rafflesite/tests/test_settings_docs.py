"""Every setting read from the environment is documented."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""env(?:\.\w+)?\(\s*"([A-Z_]+)"|environ\.get\("([A-Z_]+)\"""")
SOURCES = ["rafflesite/settings.py", "gunicorn.conf.py"]


def variables():
    names = set()
    for source in SOURCES:
        for match in READ.finditer((ROOT / source).read_text()):
            names.add(match.group(1) or match.group(2))
    return sorted(names)


def test_settings_are_found():
    assert {"DATABASE_URL", "SECRET_KEY", "RAFFLES_MAX_SET_SIZE", "BIND"} <= set(
        variables()
    )


@pytest.mark.parametrize("name", variables())
def test_setting_is_in_the_readme_table(name):
    table = (ROOT / "README.md").read_text().split("## Settings", 1)[1]

    assert f"`{name}`" in table


@pytest.mark.parametrize("name", variables())
def test_setting_is_in_env_example(name):
    example = (ROOT / ".env.example").read_text()

    assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name


def test_allowed_hosts_default_is_the_readmes():
    # The default as the settings module declares it: the test process's
    # own ALLOWED_HOSTS gains "testserver" from Django's test setup.
    from rafflesite.settings import env

    table = (ROOT / "README.md").read_text().split("## Settings", 1)[1]
    documented = re.search(r"\| `ALLOWED_HOSTS` \| `([^`]+)` \|", table).group(1)

    assert env.scheme["ALLOWED_HOSTS"] == (list, ["localhost", "127.0.0.1", "[::1]"])
    assert ",".join(env.scheme["ALLOWED_HOSTS"][1]) == documented


def test_passwords_are_hashed_with_bcrypt_first():
    # The settings module's own list: conftest swaps in a fast hasher.
    from django.contrib.auth.hashers import BCryptSHA256PasswordHasher

    from rafflesite import settings as production

    hasher = production.PASSWORD_HASHERS[0]

    assert hasher == "django.contrib.auth.hashers.BCryptSHA256PasswordHasher"
    assert BCryptSHA256PasswordHasher()._load_library().__name__ == "bcrypt"
