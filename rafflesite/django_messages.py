"""Django's own messages that the organizer meets, said in our words.

Translations under LOCALE_PATHS come before Django's, so listing the
messages here puts them in our catalog (`make messages`), where Spanish
reads in the site's voice ("Ingrese", not Spain's "Introduzca") instead of
Django's, which spells one of them "Introduza". Nothing calls this module:
it only holds the messages for makemessages.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop(
        "Enter a valid username. This value may contain only letters, "
        "numbers, and @/./+/-/_ characters."
    ),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a whole number."),
    gettext_noop(
        "Select a valid choice. %(value)s is not one of the available choices."
    ),
    gettext_noop(
        "Select a valid choice. That choice is not one of the available choices."
    ),
)
