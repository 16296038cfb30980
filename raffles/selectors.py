"""Reads of sets and numbers, always through a project of the user."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rafflesite.lib.numbers import compress, is_digits

from .models import Payment, Raffle, RaffleEvent, RaffleSet, State
from .services import resolve_numbers


def raffle_set_for(project, ref):
    """The project's set numbered `ref`, or 404."""
    try:
        return RaffleSet.objects.get(project=project, ref=ref)
    except RaffleSet.DoesNotExist:
        raise Http404(set_not_found(ref)) from None


def set_not_found(ref):
    return _("Set %(ref)s is not in this project.") % {"ref": ref}


def number_not_found(typed):
    return _("Number %(number)s is not in this project.") % {"number": typed}


def raffle_for(project, number):
    """The project's number written as "7" or "007", or 404."""
    raffles = Raffle.objects.filter(project=project, number=typed_number(number))
    raffle = raffles.select_related("raffle_set", "buyer").first()
    if raffle is None:
        raise Http404(number_not_found(number))
    check_spelling(number, raffle.number, raffle.raffle_set.padding)
    raffle.project = project
    return raffle


def number_for(user, project_ref, number):
    """The user's number in their project `project_ref`, or 404.

    One query for what `project_for` then `raffle_for` would read in two:
    the number with its project, set and buyer.
    """
    raffles = Raffle.objects.filter(
        project__owner_id=user.pk,
        project__ref=project_ref,
        number=typed_number(number),
    )
    raffle = raffles.select_related("project", "raffle_set", "buyer").first()
    if raffle is None:
        raise Http404(number_not_found(number))
    check_spelling(number, raffle.number, raffle.raffle_set.padding)
    return raffle


def typed_number(typed):
    """The number meant by "7" or "007" in an address; 404 for anything else."""
    text = str(typed).strip()
    if not is_digits(text):
        raise Http404(number_not_found(text))
    return int(text)


def check_spelling(typed, number, padding):
    """404 when `typed` has more digits than the number shows.

    "7" and "007" name number 7 of a 3-digit set; "0007" names nothing.
    """
    if len(str(typed).strip()) > max(padding, len(str(number))):
        raise Http404(number_not_found(str(typed).strip()))


def history_of(raffle):
    """The number's events, newest first, with who acted and for which buyer."""
    return raffle.events.select_related("actor", "buyer").order_by("-at", "-pk")


def set_totals(project):
    """The project's sets in order, each with its counts by state and money.

    The totals are kept on each set's row (raffles.tallies), so this is one
    query however many numbers the project has sold.
    """
    return list(project.raffle_sets.order_by("first_number"))


def totals_of_projects(projects):
    """The projects, each with `totals` as project_totals gives and `set_count`.

    Two queries whatever the number of projects, for lists and the dashboard.
    """
    projects = list(projects)
    by_project = {project.pk: [] for project in projects}
    sets = RaffleSet.objects.filter(project__in=projects).order_by("first_number")
    for raffle_set in sets:
        by_project[raffle_set.project_id].append(raffle_set)
    for project in projects:
        project.set_count = len(by_project[project.pk])
        project.totals = project_totals(project, by_project[project.pk])
    return projects


def project_totals(project, sets=None):
    """Counts and money of a whole project, summed over its sets."""
    sets = set_totals(project) if sets is None else sets
    keys = ["quantity", "available_count", "reserved_count", "paid_count"]
    totals = {key: sum(getattr(s, key) for s in sets) for key in keys}
    for key in ("collected", "outstanding"):
        totals[key] = sum((getattr(s, key) for s in sets), Decimal("0.00"))
    totals["sold_count"] = totals["reserved_count"] + totals["paid_count"]
    totals["percent_sold"] = (
        round(100 * totals["sold_count"] / totals["quantity"], 1)
        if totals["quantity"]
        else 0
    )
    return totals


def totals_by_method(project):
    """Money collected per payment method (payments still counting)."""
    return list(
        Payment.objects.filter(raffle__project=project, cleared_at__isnull=True)
        .values("method")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("method")
    )


def draw_list(project, raffle_set=None, include_reserved=False):
    """Every eligible number with its buyer, sorted by number."""
    states = [State.PAID, State.RESERVED] if include_reserved else [State.PAID]
    raffles = Raffle.objects.filter(project=project, state__in=states)
    if raffle_set is not None:
        raffles = raffles.filter(raffle_set=raffle_set)
    return raffles.select_related("raffle_set", "buyer").order_by("number")


def draw_list_file_word():
    """The first word of a draw list's file name, in the active language:
    slugified, so a translation cannot bring spaces or accents into it."""
    return slugify(pgettext("file name", "draw-list")) or "draw-list"


def typed_numbers(project, numbers):
    """The project's numbers meant by "7, 12, 100-105", with set and buyer.

    Raises the same ValidationError as the services for a list that cannot
    be read. The rows are read by runs, so a long range is one condition.
    """
    wanted = resolve_numbers(project, numbers)
    runs = Q()
    for first, last in compress(wanted):
        runs |= Q(number__gte=first, number__lte=last)
    return list(
        Raffle.objects.filter(runs, project=project)
        .select_related("raffle_set", "buyer")
        .order_by("number")
    )


def payments_of(raffle):
    """The number's payments in the order they were recorded.

    Each carries its `position` (1 for the first), which names the payment
    in addresses: payments are never deleted, so positions never shift.
    """
    payments = list(raffle.payments.select_related("recorded_by").order_by("pk"))
    for position, payment in enumerate(payments, start=1):
        payment.position = position
    return payments


def payment_for(raffle, position):
    """The number's payment at `position` (see payments_of), or 404."""
    payments = payments_of(raffle)
    if not 1 <= int(position) <= len(payments):
        message = _("Payment %(position)s is not on this number.")
        raise Http404(message % {"position": position})
    return payments[int(position) - 1]


def activity_of(project):
    """The project's history events, newest first, ready to show."""
    return (
        RaffleEvent.objects.filter(project=project)
        .select_related("raffle__raffle_set", "buyer", "actor")
        .order_by("-at", "-pk")
    )


def latest_activity(project, limit=10):
    events = list(activity_of(project)[:limit])
    for event in events:
        event.project = project
    return events
