"""Every write on organizers' accounts."""

import logging

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import User

logger = logging.getLogger(__name__)


def register_organizer(*, username, email, password):
    """Create an organizer, checked like Django's registration form.

    The username is unique case-insensitively, the email is required and
    valid, and the password passes AUTH_PASSWORD_VALIDATORS.
    """
    user = User(username=str(username or "").strip(), email=_email(email))
    errors = _field_errors(user)
    if user.username and _username_taken(user.username):
        errors.setdefault("username", []).append(_username_taken_message())
    try:
        validate_password(str(password or ""), user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"username": [_username_taken_message()]}) from error
    logger.info("Registered organizer %s", user.pk)
    return user


def _email(email):
    email = str(email or "").strip()
    local, at, domain = email.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else email


def _field_errors(user):
    errors = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        errors = {field: list(msgs) for field, msgs in error.message_dict.items()}
    if not user.email and "email" not in errors:
        errors["email"] = [_("Enter your email address.")]
    return errors


def _username_taken(username):
    return User.objects.filter(username__iexact=username).exists()


def _username_taken_message():
    return _("A user with that username already exists.")


def change_password(*, user, old_password, new_password):
    """Change an organizer's password after checking the current one.

    Every token issued before stops working (see accounts.tokens).
    """
    errors = {}
    if not user.check_password(str(old_password or "")):
        errors["old_password"] = [_("Your current password is not correct.")]
    try:
        validate_password(str(new_password or ""), user)
    except ValidationError as error:
        errors["new_password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    logger.info("Organizer %s changed their password", user.pk)
    return user
