"""Log failed logins (web, admin and API), for whoever watches the logs."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from . import throttle

logger = logging.getLogger(__name__)


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials`; only the
    # user name is written, never what was typed as the password.
    logger.warning(
        "Failed login for user name %s from %s",
        str(credentials.get("username", ""))[:150],
        throttle.client_address(request),
    )
