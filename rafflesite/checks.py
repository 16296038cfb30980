"""System checks of the site's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SHORTEST_SECRET_KEY = 50
FEWEST_KEY_CHARACTERS = 5
HINT = (
    "Set SECRET_KEY in the environment or in .env to a long random string, "
    "the same on every server (make serve writes one to .env on its first run)."
)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """Production must not sign sessions and API tokens with a key that
    anyone can read in this repository, nor with one that can be guessed."""
    key = str(settings.SECRET_KEY)
    if key == settings.DEVELOPMENT_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the development key, which is public.",
                hint=HINT,
                id="rafflesite.E001",
            )
        ]
    if len(key) < SHORTEST_SECRET_KEY or len(set(key)) < FEWEST_KEY_CHARACTERS:
        return [
            Error(
                f"SECRET_KEY has fewer than {SHORTEST_SECRET_KEY} characters or "
                f"fewer than {FEWEST_KEY_CHARACTERS} different ones.",
                hint=HINT,
                id="rafflesite.E002",
            )
        ]
    return []
