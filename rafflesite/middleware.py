"""The site's own answers to a busy database and to a page's empty 405."""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
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


class MethodNotAllowedMiddleware:
    """Turns the empty 405 of a page that only takes POST (a bookmarked or
    reloaded action, /accounts/logout/ typed in) into the site's error page,
    with a link to the page the action belongs to. The status and its Allow
    header stay; the API answers 405 in JSON on its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.path_info.startswith("/api/")
            or getattr(response, "streaming", False)
            or response.content
        ):
            return response
        above = page_above(request.path_info)
        # Under a script prefix (/raffles/...), links keep it.
        prefix = request.path.removesuffix(request.path_info)
        context = {"back_url": prefix + above if above else None}
        page = render(request, "405.html", context, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


def page_above(path):
    """The nearest address above `path` (a path_info, without the script
    prefix) that is a page, or None for none but the home page:
    /projects/1/numbers/7/payments/ gives the number's page,
    /projects/1/prizes/2/move/ the prizes."""
    parts = [part for part in path.split("/") if part]
    while len(parts) > 1:
        parts.pop()
        candidate = "/" + "/".join(parts) + "/"
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return None
