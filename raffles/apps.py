from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RafflesConfig(AppConfig):
    name = "raffles"
    verbose_name = _("Raffles")
