from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buyers.phones import format_phone
from rafflesite.lib.text import fold

SEARCH_TEXT_LENGTH = 500


class Buyer(models.Model):
    """A person who buys numbers; belongs to one organizer, across projects."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="buyers",
        verbose_name=_("organizer"),
    )
    ref = models.PositiveIntegerField(_("number"), editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    # E.164, e.g. +573000000001; see buyers.phones.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Name and email folded (rafflesite.lib.text.fold) so that a search
    # ignores accents and case on every database, not only on MariaDB.
    search_text = models.CharField(
        max_length=SEARCH_TEXT_LENGTH, blank=True, default="", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["owner", "last_name", "first_name", "ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "ref"], name="buyer_ref_unique_per_owner"
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="buyer_has_email_or_phone",
            ),
            models.CheckConstraint(
                condition=~Q(first_name=""), name="buyer_has_first_name"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "phone"], name="buyer_owner_phone"),
            models.Index(fields=["owner", "email"], name="buyer_owner_email"),
            models.Index(
                fields=["owner", "last_name", "first_name"], name="buyer_owner_name"
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("buyers:detail", kwargs={"ref": self.ref})

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def refresh_search_text(self):
        """Write search_text again from the name and email (not saved)."""
        text = fold(f"{self.first_name} {self.last_name} {self.email}")
        # Folding may lengthen exotic text; the email's end is what is lost.
        self.search_text = text[:SEARCH_TEXT_LENGTH]

    @property
    def phone_display(self):
        return format_phone(self.phone)
