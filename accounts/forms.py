from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
                _(
                    "Too many failed logins for this user name. Wait "
                    "%(minutes)s minutes and try again, or reset your password."
                ),
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURES_MINUTES},
            ) from paused


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class RegisterForm(UserCreationForm):
    """A new organizer: a user name, an email and a password typed twice."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("To reach you about your account."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
