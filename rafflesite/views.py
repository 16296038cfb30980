"""Site-wide views that belong to no app."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """For load balancers: 200 while the database answers one cheap query,
    503 when it does not. Served over plain http too (SECURE_REDIRECT_EXEMPT).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health check failed: the database did not answer (%s)", error)
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the pages link: send the icon.

    Not permanent: the icon's address changes with its content.
    """
    return redirect(static("img/favicon.svg"))
