"""The answer to a database that was too busy to finish a request."""

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from .db import is_busy

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again: a deadlock or a
# Galera conflict is over at once, a node rejoining its cluster takes longer.
RETRY_AFTER = 2


def database_busy_response(request, error):
    """A 503 "nothing was changed, try again" for a busy-database error,
    or None for any other error.

    JSON with a `detail` under /api/, the site's page elsewhere. The page
    needs no database: it is rendered without the request's user.
    """
    if not is_busy(error):
        return None
    logger.warning(
        "Database busy on %s %s (%s): answered 503, nothing was changed",
        request.method,
        request.path,
        error,
    )
    detail = _("The database was busy, so nothing was changed. Please try again.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=503)
    else:
        page = loader.get_template("503.html").render({"detail": detail})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseBusyMiddleware:
    """Turns a deadlock, a Galera conflict or a lock timeout raised by a
    view into database_busy_response; DRF views get the same answer from
    rafflesite.api.exception_handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_busy_response(request, exception)
