import logging

from django.core.management.base import BaseCommand, CommandError

from projects.demo import PASSWORD, USERNAME, load_demo, reset_demo


class Command(BaseCommand):
    help = (
        "Load a demo organizer with a scout group's raffle, its buyers, "
        "sales and prizes to draw today. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any organizer exists already.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                f"Delete the demo organizer “{USERNAME}” and all of their data "
                "first, then load the demo afresh. Other organizers are untouched."
            ),
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        # The services log every write; the summary below says it all.
        logging.disable(logging.INFO)
        try:
            if reset:
                try:
                    deleted = reset_demo()
                except ValueError as error:
                    raise CommandError(str(error)) from None
                if deleted:
                    self.stdout.write(f"Deleted the demo organizer “{USERNAME}”.")
            # A reset reloads the demo whatever else the site holds.
            result = load_demo(if_empty=if_empty and not reset)
        finally:
            logging.disable(logging.NOTSET)
        if result is None:
            self.stdout.write(
                "Organizers exist already; the demo was not loaded."
                if if_empty
                else f"The demo organizer “{USERNAME}” exists already; nothing changed."
            )
            return
        project = result["project"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo: organizer {USERNAME} (password {PASSWORD}), "
                f"project {project.ref} “{project.name}” with {result['sets']} "
                f"sets, {result['numbers']:,} numbers, {result['buyers']} buyers, "
                f"{result['reserved']} reserved and {result['paid']} paid, and "
                f"{result['prizes']} prizes to draw today."
            )
        )
