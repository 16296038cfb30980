"""Reads of buyers, always through their owner."""

import re
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from raffles.models import Raffle, RaffleEvent
from rafflesite.lib.text import fold

from .models import Buyer
from .phones import phone_query

CENT = Decimal("0.01")


def buyer_for(user, ref):
    """The user's buyer numbered `ref`, or 404 (also for someone else's)."""
    try:
        return Buyer.objects.get(owner_id=user.pk, ref=ref)
    except Buyer.DoesNotExist:
        message = _("Buyer %(ref)s is not among your buyers.")
        raise Http404(message % {"ref": ref}) from None


def buyers_of(user):
    return Buyer.objects.filter(owner_id=user.pk)


def search_buyers(user, query):
    """Buyers whose name, email or phone matches `query`."""
    buyers = buyers_of(user)
    query = " ".join(str(query or "").split())
    if not query:
        return buyers
    match = text_match(query)
    phone = phone_query(query)
    digits = re.sub(r"[^0-9]", "", query)
    if phone:
        match |= Q(phone=phone)
    elif len(digits) >= 3:
        match |= Q(phone__contains=digits)
    return buyers.filter(match)


def text_match(query, buyer=""):
    """Buyers whose name or email holds every word of `query`, whatever
    the accents and case: "gomez" and "GÓMEZ" both find "Ana Gómez".

    `buyer`: the path to the buyer from the model filtered ("buyer" for
    numbers, payments, events); empty for buyers themselves.
    """
    words = fold(query).split()
    if not words:
        return Q(pk__in=[])
    field = f"{buyer}__search_text" if buyer else "search_text"
    match = Q()
    for word in words:
        # Both sides are folded; icontains (not contains, which MariaDB
        # runs as LIKE BINARY) keeps MariaDB on its collation.
        match &= Q(**{f"{field}__icontains": word})
    return match


def buyers_with_counts(user, query=""):
    """search_buyers, each buyer annotated with how many numbers they hold."""
    return (
        search_buyers(user, query)
        .annotate(held_count=Count("raffles"))
        .order_by("last_name", "first_name", "ref")
    )


def buyer_holdings(buyer):
    """Every number the buyer holds now, across the organizer's projects."""
    return list(
        Raffle.objects.filter(buyer=buyer)
        .select_related("project", "raffle_set")
        .order_by("-project__ref", "number")
    )


def buyer_totals(buyer):
    """Money paid and still owed by the buyer, one row per currency.

    Projects may use different currencies, so the sums are never mixed.
    """
    rows = (
        Raffle.objects.filter(buyer=buyer)
        .values("project__currency")
        .annotate(
            count=Count("pk"),
            paid=Sum("amount_paid"),
            owed=Sum(F("price") - F("amount_paid")),
        )
        .order_by("project__currency")
    )
    return [
        {
            "currency": row["project__currency"],
            "count": row["count"],
            "paid": _money(row["paid"]),
            "owed": _money(row["owed"]),
        }
        for row in rows
    ]


def _money(value):
    # SQLite's sums drop trailing zeros ("14" for 14.00): give cents back.
    return (value or Decimal("0")).quantize(CENT)


def buyer_history(buyer):
    """The history events naming the buyer, newest first."""
    return list(
        RaffleEvent.objects.filter(buyer=buyer)
        .select_related("project", "raffle__raffle_set", "actor")
        .order_by("-at", "-pk")
    )


def buyers_sharing_contact(user, phone="", email="", exclude_ref=None, limit=5):
    """Other buyers with this phone (as typed or stored) or this email.

    Sharing is allowed (a son buys with his mother's phone): pages show it
    as a hint, never as an error.
    """
    match = Q()
    phone = phone_query(phone) if phone else ""
    if phone:
        match |= Q(phone=phone)
    email = " ".join(str(email or "").split())
    if email:
        match |= Q(email__iexact=email)
    if not match:
        return []
    buyers = buyers_of(user).filter(match)
    if exclude_ref is not None:
        buyers = buyers.exclude(ref=exclude_ref)
    return list(buyers.order_by("last_name", "first_name", "ref")[:limit])


def recent_buyers(user, limit=5):
    """The buyers added last, offered first when selling."""
    return list(buyers_of(user).order_by("-ref")[:limit])
