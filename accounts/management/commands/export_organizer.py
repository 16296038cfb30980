from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.transfer import export_organizer


class Command(BaseCommand):
    help = (
        "Write one organizer's data (projects, sets, numbers, payments, "
        "history, buyers, prizes and draws) to a JSON file that "
        "import_organizer reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The organizer's user name.")
        parser.add_argument(
            "-o",
            "--output",
            help="File to write (default: standard output).",
        )

    def handle(self, *args, username, output=None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No organizer is named {username}.")
        if output is None:
            export_organizer(user, _Unchanged(self.stdout))
            return
        with open(output, "w", encoding="utf-8") as stream:
            export_organizer(user, stream)
        self.stderr.write(f"Wrote organizer {username} to {output}.")


class _Unchanged:
    """Writes to a command's output as given, without an added line end."""

    def __init__(self, output):
        self.output = output

    def write(self, text):
        self.output.write(text, ending="")
