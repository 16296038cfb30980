import re

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def normalize_currency(code):
    """A currency code as typed (" usd") written the ISO way ("USD")."""
    return str(code if code is not None else "").strip().upper()


def validate_currency(code):
    """Refuse anything but an ISO 4217 code in capitals, such as "COP".

    The list is ISO 4217's own, as kept by pycountry (from Debian's
    iso-codes): a well-formed code that names no currency ("XYZ") is
    refused too.
    """
    if not (
        isinstance(code, str)
        and re.fullmatch(r"[A-Z]{3}", code)
        and pycountry.currencies.get(alpha_3=code)
    ):
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code such as USD, EUR or ARS."),
            code="currency",
            params={"code": code},
        )


def default_currency():
    return settings.DEFAULT_CURRENCY


class Project(models.Model):
    """One raffle campaign of an organizer, e.g. "Father's Day Raffle 2027"."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="projects",
        verbose_name=_("organizer"),
    )
    ref = models.PositiveIntegerField(_("number"), editable=False)
    name = models.CharField(_("name"), max_length=120)
    # Digest of the case-folded name: see rafflesite.lib.text.name_key.
    name_key = models.CharField(max_length=64, editable=False)
    description = models.TextField(_("description"), blank=True)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default=default_currency,
        validators=[validate_currency],
    )
    draw_date = models.DateField(_("draw date"), null=True, blank=True)
    draws_include_reserved = models.BooleanField(
        _("reserved numbers can win"),
        default=False,
        help_text=_(
            "Draws admit reserved (not fully paid) numbers too; every draw "
            "output marks them."
        ),
    )
    last_set_ref = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["owner", "-ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "ref"], name="project_ref_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["owner", "name_key"], name="project_name_unique_per_owner"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="project_has_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"ref": self.ref})
