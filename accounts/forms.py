from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


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
