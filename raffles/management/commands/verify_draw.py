"""Re-check a downloaded draw record, without the database.

    python manage.py verify_draw draw-<token>.json [--list draw-<token>-list.txt]

The record is the JSON file of a draw's public verification page. The
command recomputes the list's SHA-256 and the winner by the method of
docs/draws.md and says whether both match the record.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rafflesite.lib import draws as algorithm


class Command(BaseCommand):
    help = "Re-check a downloaded draw record (JSON) without the database."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("record", type=Path, help="the record's JSON file")
        parser.add_argument(
            "--list",
            type=Path,
            dest="list_file",
            help="a separately downloaded list file to use instead of the "
            "record's own copy",
        )

    def handle(self, *args, record, list_file, **options):
        data = _read_record(record)
        labels = data["list"]
        if list_file is not None:
            labels = _read_list(list_file)
        try:
            check = algorithm.Verification(data, labels)
        except (algorithm.DrawDataError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot re-check this record: {error}") from error

        self._say(
            check.list_matches,
            f"List: {check.count} numbers, SHA-256 {check.list_sha256}",
            f"record: {data['eligible_count']} numbers, {data['list_sha256']}",
        )
        self._say(
            check.winner_matches,
            f"Winner ({data['method']}): {check.winner or 'none'}",
            f"record: {data['winner'] or 'none'}",
        )
        if not check.ok:
            raise CommandError("The record does NOT check out.")
        self.stdout.write(self.style.SUCCESS("The record checks out."))

    def _say(self, ok, computed, recorded):
        if ok:
            self.stdout.write(f"{computed} (matches the record)")
        else:
            self.stdout.write(self.style.ERROR(f"{computed} (MISMATCH, {recorded})"))


def _read_record(path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    if not isinstance(data, dict) or data.get("format") != "raffle-draw-record":
        raise CommandError(f"{path} is not a draw record.")
    return data


def _read_list(path):
    try:
        return algorithm.read_list(path.read_bytes())
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read the list {path}: {error}") from error
