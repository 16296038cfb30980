"""Every write on buyers."""

import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import User
from rafflesite.db import bump_counter

from .models import Buyer
from .phones import normalize_phone

logger = logging.getLogger(__name__)

FIELDS = ("first_name", "last_name", "email", "phone", "notes")
SEARCHED = {"first_name", "last_name", "email"}


def create_buyer(*, owner, first_name, last_name="", email="", phone="", notes=""):
    """Register a buyer, numbered next in the organizer's own space."""
    buyer = Buyer(owner=owner)
    _assign(
        buyer,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        notes=notes,
    )
    with transaction.atomic():
        buyer.ref = bump_counter(User, owner.pk, "last_buyer_ref")
        buyer.save()
    logger.info("Registered buyer %s of organizer %s", buyer.ref, owner.pk)
    return buyer


def check_new_buyer(*, owner, **values):
    """Raise the errors create_buyer would raise for these values, saving
    nothing: a two-step form can report them at its first step."""
    _assign(Buyer(owner=owner), **values)


def update_buyer(*, buyer, **changes):
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    _assign(buyer, **changes)
    derived = ["search_text"] if SEARCHED & set(changes) else []
    buyer.save(update_fields=[*changes, *derived, "updated_at"])
    return buyer


def delete_buyer(*, buyer):
    """Delete a buyer who never held a number; refused otherwise."""
    try:
        with transaction.atomic():
            buyer.delete()
    except ProtectedError as error:
        raise _on_record(buyer) from error


def deletion_problem(buyer):
    """Why delete_buyer() would refuse the buyer now, or None.

    The rows that protect a buyer from deletion: a number held, a payment
    or a history event (every sale records one).
    """
    if buyer.raffles.exists() or buyer.payments.exists() or buyer.events.exists():
        return " ".join(_on_record(buyer).messages)
    return None


def _on_record(buyer):
    return ValidationError(
        _("%(name)s has numbers or payments on record, so the buyer cannot be deleted.")
        % {"name": buyer.full_name},
        code="protected",
    )


def _assign(buyer, **values):
    for field, value in values.items():
        value = "" if value is None else str(value)
        if field != "notes":
            value = " ".join(value.split())
        setattr(buyer, field, value)
    errors = {}
    for field in values:
        messages = _text_errors(field, getattr(buyer, field))
        if messages:
            errors[field] = messages
    if "phone" in values:
        try:
            buyer.phone = normalize_phone(buyer.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if "email" in values:
        buyer.email = _normalize_email(buyer.email)
    if not buyer.email and not buyer.phone and "phone" not in errors:
        errors["phone"] = [_("Give at least an email or a phone.")]
    try:
        buyer.full_clean(
            exclude=["owner", "ref", "phone", "search_text"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    buyer.refresh_search_text()


def _text_errors(field, value):
    """Refuse control characters, and a first name with nothing visible.

    MariaDB's collation ignores some characters (a zero-width space, a
    control character), so a name made only of them would count as empty
    there and break the "has a first name" constraint.
    """
    if field == "notes":
        return []
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return [_("Remove the control characters.")]
    visible = any(unicodedata.category(ch)[0] in "LNPS" for ch in value)
    if field == "first_name" and value and not visible:
        return [_("Give a name with letters or numbers.")]
    return []


def _normalize_email(email):
    # The domain part is case-insensitive; the local part is kept as typed.
    local, at, domain = email.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else email
