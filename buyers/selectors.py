"""Reads of buyers, always through their owner."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Buyer
from .phones import phone_query


def buyer_for(user, ref):
    """The user's buyer numbered `ref`, or 404 (also for someone else's)."""
    return get_object_or_404(Buyer, owner_id=user.pk, ref=ref)


def buyers_of(user):
    return Buyer.objects.filter(owner_id=user.pk)


def search_buyers(user, query):
    """Buyers whose name, email or phone matches `query`."""
    buyers = buyers_of(user)
    query = " ".join(str(query or "").split())
    if not query:
        return buyers
    names = Q()
    for word in query.split():
        names &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    match = names | Q(email__icontains=query)
    phone = phone_query(query)
    digits = "".join(ch for ch in query if ch.isdigit())
    if phone:
        match |= Q(phone=phone)
    elif len(digits) >= 3:
        match |= Q(phone__contains=digits)
    return buyers.filter(match)
