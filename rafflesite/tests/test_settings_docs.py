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
