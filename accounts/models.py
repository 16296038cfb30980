from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An organizer: owns projects and buyers, numbered in their own space."""

    # Last refs handed out; refs are never reused, even after a delete.
    last_project_ref = models.PositiveIntegerField(default=0, editable=False)
    last_buyer_ref = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
