import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.transfer import import_organizer


class Command(BaseCommand):
    help = (
        "Create an organizer and all their data from a file written by "
        "export_organizer, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file export_organizer wrote.")
        parser.add_argument(
            "--username",
            help="Import under this user name instead of the exported one.",
        )

    def handle(self, *args, file, username=None, **options):
        try:
            with open(file, encoding="utf-8") as stream:
                document = json.load(stream)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            user = import_organizer(document, username=username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        projects = user.projects.count()
        buyers = user.buyers.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported organizer {user.username}: {projects} projects, "
                f"{buyers} buyers."
            )
        )
