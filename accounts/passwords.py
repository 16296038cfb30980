"""Django's password validators, in the words of our own catalog.

Django's Spanish catalog speaks Spain's Spanish; these subclasses check
exactly what Django checks and only say it in our own messages, so every
page and API answer reads in our voice. AUTH_PASSWORD_VALIDATORS names
them.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# What the similarity check calls each attribute of the organizer.
ATTRIBUTE_NAMES = {
    "username": gettext_lazy("user name"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("email address"),
}


class UserAttributeSimilarityValidator(
    password_validation.UserAttributeSimilarityValidator
):
    def validate(self, password, user=None):
        # One attribute at a time, to name the one the password resembles.
        for attribute in self.user_attributes:
            check = password_validation.UserAttributeSimilarityValidator(
                (attribute,), self.max_similarity
            )
            try:
                check.validate(password, user)
            except ValidationError as error:
                name = ATTRIBUTE_NAMES.get(attribute, attribute)
                raise ValidationError(
                    self.get_error_message(),
                    code=error.code,
                    params={"verbose_name": name},
                ) from error

    def get_error_message(self):
        return _("The password is too similar to your %(verbose_name)s.")

    def get_help_text(self):
        return _("It must not resemble your user name, name or email address.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "It must have at least %(min_length)d character.",
            "It must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common ones.")

    def get_help_text(self):
        return _("It must not be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password has only digits.")

    def get_help_text(self):
        return _("It must not be only digits.")
