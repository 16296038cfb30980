"""The Spanish catalog: complete, compiled, and up to date with the code.

When one of these fails, run `make messages`, translate what it lists in
locale/es/LC_MESSAGES/django.po, run `make messages` again and commit the
.po and the .mo (see the Makefile).
"""

import ast
import gettext
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOG = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES"
SKIPPED_FOLDERS = (".git", ".venv", "static", "staticfiles", "screenshots", "bench")


def read_po(path):
    """The entries of a .po file (blank-line separated), obsolete ones left out.

    Each entry is a dict with "flags" (a set), "msgctxt", "msgid",
    "msgid_plural" and "msgstr" (a list: one string, or one per plural form).
    """
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "msgctxt": None, "msgid_plural": None}
        strings = {}
        keyword = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith('"'):
                strings[keyword] += ast.literal_eval(line)
            elif not line.startswith("#"):
                keyword, text = line.split(" ", 1)
                strings[keyword] = ast.literal_eval(text)
        if "msgid" in strings:
            entry.update(strings)
            entry["msgstr"] = [v for k, v in strings.items() if k.startswith("msgstr")]
            entries.append(entry)
    return entries


def catalog_key(entry):
    if entry["msgctxt"] is None:
        return entry["msgid"]
    return f"{entry['msgctxt']}\x04{entry['msgid']}"


def test_spanish_catalog_translates_every_message():
    entries = read_po(CATALOG / "django.po")

    unfinished = [
        catalog_key(entry)
        for entry in entries
        if entry["msgid"] and ("fuzzy" in entry["flags"] or not all(entry["msgstr"]))
    ]

    assert len(entries) > 300
    assert unfinished == []


def test_spanish_catalog_is_compiled_from_the_po():
    expected = {}
    for entry in read_po(CATALOG / "django.po")[1:]:
        key = catalog_key(entry)
        if entry["msgid_plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            expected.update({(key, n): s for n, s in enumerate(entry["msgstr"])})

    with (CATALOG / "django.mo").open("rb") as mo:
        # Every entry and only those; msgfmt rewrites the header (entry "").
        compiled = gettext.GNUTranslations(mo)._catalog
    del compiled[""]

    assert compiled == expected


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="needs GNU gettext (apt-get install gettext)",
)
def test_spanish_catalog_holds_every_marked_string(tmp_path, settings, monkeypatch):
    # makemessages reads the current folder and updates the catalog of
    # LOCALE_PATHS: both point into a copy, so the real catalog stays as is.
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(*SKIPPED_FOLDERS))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command(
        "makemessages",
        locale=["es"],
        ignore_patterns=["*/tests/*", "node_modules"],
        verbosity=0,
    )

    before = {catalog_key(e) for e in read_po(CATALOG / "django.po")}
    after = {
        catalog_key(e) for e in read_po(copy / CATALOG.relative_to(base) / "django.po")
    }
    assert sorted(after - before) == []
