import logging

from django.core.management.base import BaseCommand

from projects.demo import PASSWORD, USERNAME, load_demo


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

    def handle(self, *args, if_empty=False, **options):
        # The services log every write; the summary below says it all.
        logging.disable(logging.INFO)
        try:
            result = load_demo(if_empty=if_empty)
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
