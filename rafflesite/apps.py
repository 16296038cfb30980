from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package as an app, for its system checks."""

    name = "rafflesite"

    def ready(self):
        from . import checks  # noqa: F401 -- registers the checks
