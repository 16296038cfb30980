from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from . import throttle
from .models import User


class ThrottledLoginMixin:
    """Refuse to check passwords after too many failures (accounts.throttle)."""

    def clean(self):
        username = self.data.get("username")
        if not (username and self.data.get("password")):
            # A field is missing: no password is checked, nothing counts.
            return super().clean()
        try:
            with throttle.counted_login(self.request, username, ValidationError):
                return super().clean()
        except throttle.LoginPaused as paused:
            raise ValidationError(
                ngettext_lazy(
                    "Too many failed logins for this user name. Wait "
                    "%(minutes)s minute and try again. If you forgot your "
                    "password, ask the site's administrator to set a new one.",
                    "Too many failed logins for this user name. Wait "
                    "%(minutes)s minutes and try again. If you forgot your "
                    "password, ask the site's administrator to set a new one.",
                    "minutes",
                ),
                code="throttled",
                params={"minutes": paused.minutes},
            ) from paused


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    # Our own words: Django's Spanish catalog speaks Spain's Spanish.
    error_messages = {
        "invalid_login": _(
            "The user name and password do not match an account. Both tell "
            "upper and lower case apart."
        ),
        "inactive": _(
            "This account is deactivated. Ask the site's administrator about it."
        ),
    }


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class PasswordTwiceMixin(SetPasswordMixin):
    """A password typed twice, in the words of our own catalog."""

    error_messages = {"password_mismatch": _("The two passwords do not match.")}

    @staticmethod
    def password_fields(label1, label2):
        first, second = SetPasswordMixin.create_password_fields(label1, label2)
        second.help_text = _("Type the same password again, to check it.")
        return first, second


class RegisterForm(PasswordTwiceMixin, forms.Form):
    """A new organizer: a user name, an email and a password typed twice.

    The form only collects; accounts.services.register_organizer checks and
    normalises, as for the API.
    """

    username = User._meta.get_field("username").formfield(
        help_text=_("Up to 150 characters: letters, digits and @ . + - _ only.")
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("To reach you about your account."),
    )
    password1, password2 = PasswordTwiceMixin.password_fields(
        _("Password"), _("Password confirmation")
    )

    def clean(self):
        self.validate_passwords()
        return super().clean()


class PasswordForm(PasswordTwiceMixin, forms.Form):
    """The current password and a new one typed twice; checked by
    accounts.services.change_password, as for the API."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "autofocus": True}
        ),
    )
    new_password1, new_password2 = PasswordTwiceMixin.password_fields(
        _("New password"), _("New password confirmation")
    )

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        return super().clean()
