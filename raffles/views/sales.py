"""Selling numbers and marking several paid: type or pick, review, confirm."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from buyers import services as buyer_services
from buyers.forms import BuyerForm
from buyers.selectors import (
    buyers_of,
    buyers_sharing_contact,
    recent_buyers,
    search_buyers,
)
from projects.selectors import project_for
from rafflesite.forms import add_service_error
from rafflesite.lib.numbers import is_digits, label_runs
from rafflesite.money import format_money

from .. import services
from ..forms import PAID_AT, MarkManyPaidForm, SaleForm
from ..models import Method, State
from ..selectors import typed_numbers
from ..services import NotReserved, NumberList, NumbersUnavailable

NEW_BUYER_PREFIX = "new"
# Buyers offered at once: found by a search, or added last.
CANDIDATES = 10
RECENT = 5


@dataclass
class Selection:
    """Numbers read from what was typed, as a page shows them."""

    raffles: list = field(default_factory=list)
    error: str = ""

    @property
    def labels(self):
        return runs_of(self.raffles)

    @property
    def count(self):
        return len(self.raffles)

    @property
    def total(self):
        return sum((r.raffle_set.unit_price for r in self.raffles), Decimal("0.00"))

    @property
    def owed(self):
        return sum((r.outstanding for r in self.raffles), Decimal("0.00"))

    def not_in(self, state):
        return [raffle for raffle in self.raffles if raffle.state != state]

    def by_buyer(self):
        """Rows of (buyer, labels, count, owed), for paying several at once."""
        groups = {}
        for raffle in self.raffles:
            groups.setdefault(raffle.buyer, []).append(raffle)
        return [
            {
                "buyer": buyer,
                "labels": runs_of(raffles),
                "count": len(raffles),
                "owed": sum((r.outstanding for r in raffles), Decimal("0.00")),
            }
            for buyer, raffles in groups.items()
        ]


def selection_of(project, text):
    """The Selection typed as `text`; empty for no text, with `error` if unread."""
    if not str(text or "").strip():
        return Selection()
    try:
        return Selection(raffles=typed_numbers(project, text))
    except ValidationError as error:
        return Selection(error=" ".join(error.messages))


def runs_of(raffles):
    """Labels of numbers as runs: "007, 040-045"."""
    return label_runs({raffle.number: raffle.label for raffle in raffles})


def typed_in(project, query):
    """Numbers given in a query string, once or as many `numbers` values.

    Numbers ticked one by one in the grid come back as runs ("007-009").
    """
    typed = ", ".join(value for value in query.getlist("numbers") if value.strip())
    selection = selection_of(project, typed)
    return (selection.labels if selection.raffles else typed), selection


# Selling


@login_required
@require_http_methods(["GET", "POST"])
def sell(request, project_ref):
    """Step one: numbers, buyer and payment. Step two: review and confirm.

    A POST with `pick` brings numbers ticked in the grid, one with `find`
    searches buyers and one with `edit` goes back to step one; none reports
    errors. Any other POST is checked and reviewed, and one with `confirm`
    sells.
    """
    project = project_for(request.user, project_ref)
    data = request.POST
    if request.method == "GET" or {"pick", "find", "edit"} & set(data):
        return _sale_page(request, project, *_sale_forms_to_fill(request, project))
    form = SaleForm(data, user=request.user)
    buyer_form = BuyerForm(
        data if _has_new_buyer(data) else None, prefix=NEW_BUYER_PREFIX
    )
    valid = _sale_is_valid(form, buyer_form, request.user)
    # The numbers are checked whatever else is wrong, so one submit names
    # every problem.
    selection = None
    if "numbers" in form.cleaned_data:
        selection = selection_of(project, form.cleaned_data["numbers"])
        taken = selection.not_in(State.AVAILABLE)
        if selection.error:
            form.add_error("numbers", selection.error)
        elif taken:
            add_service_error(form, NumbersUnavailable(taken))
    if not valid or form.errors:
        return _sale_page(request, project, form, buyer_form, selection)
    if "confirm" in data:
        sale = _sell(request, project, form, buyer_form)
        if sale is not None:
            return _sold(request, form, buyer_form, *sale)
        return _sale_page(request, project, form, buyer_form)
    return _review_page(request, project, form, buyer_form, selection)


def _sale_forms_to_fill(request, project):
    """Unbound forms holding what was typed so far, so no error shows yet."""
    data = request.GET if request.method == "GET" else request.POST
    if request.method == "GET" or "pick" in data:
        typed, selection = typed_in(project, data)
        values = {
            "numbers": typed,
            "buyer": data.get("buyer", ""),
            "buyer_q": data.get("buyer_q", ""),
        }
        form = SaleForm(user=request.user, initial=values)
        return form, _new_buyer_form(), selection
    values = {name: request.POST.get(name) for name in SaleForm.base_fields}
    values = {name: value for name, value in values.items() if value is not None}
    new = {
        name: request.POST.get(f"{NEW_BUYER_PREFIX}-{name}", "")
        for name in BuyerForm.base_fields
    }
    return (
        SaleForm(user=request.user, initial=values),
        _new_buyer_form(initial=new),
        None,
    )


def _new_buyer_form(**kwargs):
    return BuyerForm(prefix=NEW_BUYER_PREFIX, **kwargs)


def _has_new_buyer(data):
    names = [f"{NEW_BUYER_PREFIX}-{name}" for name in BuyerForm.base_fields]
    return any(str(data.get(name, "")).strip() for name in names)


def _sale_is_valid(form, buyer_form, owner):
    """Validate both forms; exactly one of "existing buyer" and "new buyer".

    A new buyer is checked against the buyer rules too (a contact, a phone
    that reads), so the review never shows a buyer the sale would refuse.
    """
    valid = form.is_valid()
    chosen = form.cleaned_data.get("buyer") is not None
    if buyer_form.is_bound:
        if buyer_form.is_valid():
            try:
                buyer_services.check_new_buyer(owner=owner, **buyer_form.cleaned_data)
            except ValidationError as error:
                add_service_error(buyer_form, error)
        valid = buyer_form.is_valid() and valid
        if chosen:
            form.add_error(
                "buyer",
                _("Choose an existing buyer or fill in a new one, not both."),
            )
            valid = False
    elif not chosen and "buyer" not in form.errors:
        form.add_error(
            "buyer", _("Choose a buyer, or fill in the new buyer's details below.")
        )
        valid = False
    return valid


def _sale_page(request, project, form, buyer_form, selection=None):
    """Step one, with the buyers to choose from and an echo of the numbers."""
    query = _value(form, "buyer_q").strip()
    chosen = _chosen_buyer(request, form)
    if query:
        candidates = list(
            search_buyers(request.user, query).order_by(
                "last_name", "first_name", "ref"
            )[:CANDIDATES]
        )
    else:
        candidates = recent_buyers(request.user, RECENT)
    if chosen is not None and chosen not in candidates:
        candidates.insert(0, chosen)
    if selection is None:
        selection = selection_of(project, _value(form, "numbers"))
    taken = selection.not_in(State.AVAILABLE)
    context = {
        "project": project,
        "form": form,
        "buyer_form": buyer_form,
        "candidates": candidates,
        "chosen": chosen,
        "query": query,
        "searched": bool(query),
        "new_open": chosen is None or _has_new_buyer(request.POST),
        "selection": selection,
        "taken": taken,
        "taken_list": NumberList.of(taken),
        "next": _next_url(request),
    }
    return render(request, "raffles/sell_form.html", context)


def _value(form, name):
    value = form[name].value()
    return "" if value is None else str(value)


def _chosen_buyer(request, form):
    if form.is_bound and form.is_valid():
        return form.cleaned_data["buyer"]
    ref = _value(form, "buyer")
    if not is_digits(ref):
        return None
    return buyers_of(request.user).filter(ref=int(ref)).first()


def _review_page(request, project, form, buyer_form, selection):
    buyer = form.cleaned_data["buyer"]
    new_buyer = sharing = None
    if buyer is None:
        new = buyer_form.cleaned_data
        new_buyer = {
            "name": f"{new['first_name']} {new['last_name']}".strip(),
            "contact": new["phone"] or new["email"],
        }
        sharing = buyers_sharing_contact(
            request.user, phone=new["phone"], email=new["email"]
        )
    context = {
        "project": project,
        "form": form,
        "buyer_form": buyer_form,
        "buyer": buyer,
        "new_buyer": new_buyer,
        "sharing": sharing,
        "selection": selection,
        "paid": form.cleaned_data["state"] == State.PAID,
        "method": Method(form.cleaned_data["method"]).label,
        "paid_on": form.cleaned_data["paid_on"] or timezone.localdate(),
        "next": _next_url(request),
    }
    return render(request, "raffles/sell_review.html", context)


def _sell(request, project, form, buyer_form):
    """Create the new buyer (if any) and sell, in one transaction.

    When the sale is refused the new buyer is rolled back with it, so a
    failed attempt leaves no buyer behind.
    """
    data = form.cleaned_data
    buyer = data["buyer"]
    failing_form = buyer_form
    try:
        with transaction.atomic():
            if buyer is None:
                buyer = buyer_services.create_buyer(
                    owner=request.user, **buyer_form.cleaned_data
                )
            failing_form = form
            raffles = services.sell_numbers(
                project=project,
                buyer=buyer,
                numbers=data["numbers"],
                actor=request.user,
                state=data["state"],
                method=data["method"],
                reference=data["reference"],
                paid_at=form.paid_at() if data["state"] == State.PAID else None,
            )
    except ValidationError as error:
        add_service_error(failing_form, error, PAID_AT)
        return None
    return buyer, raffles


def _sold(request, form, buyer_form, buyer, raffles):
    if buyer_form.is_bound:
        messages.success(
            request, _("Buyer %(name)s added.") % {"name": buyer.full_name}
        )
    values = {"numbers": runs_of(raffles), "buyer": buyer.full_name}
    if form.cleaned_data["state"] == State.PAID:
        message = _("Sold %(numbers)s, paid, to %(buyer)s.") % values
    else:
        message = _("Reserved %(numbers)s for %(buyer)s.") % values
    messages.success(request, message)
    return redirect(_next_url(request) or buyer.get_absolute_url())


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


# Marking several numbers paid


@login_required
@require_http_methods(["GET", "POST"])
def mark_paid_many(request, project_ref):
    """Numbers, then what each owes and to whom, then one confirmation.

    The numbers previewed travel in `reviewed`: a POST marks them paid only
    when they are still the numbers typed, otherwise it previews again. A
    POST with `pick` brings numbers ticked in the grid.
    """
    project = project_for(request.user, project_ref)
    if request.method == "GET" or "pick" in request.POST:
        data = request.GET if request.method == "GET" else request.POST
        typed, selection = typed_in(project, data)
        form = MarkManyPaidForm(initial={"numbers": typed})
        return _mark_paid_page(request, project, form, selection)
    form = MarkManyPaidForm(request.POST)
    if not form.is_valid():
        return _mark_paid_page(request, project, form, Selection())
    selection = selection_of(project, form.cleaned_data["numbers"])
    refused = selection.not_in(State.RESERVED)
    if selection.error:
        form.add_error("numbers", selection.error)
    elif refused:
        add_service_error(form, NotReserved(refused))
    elif form.cleaned_data["reviewed"] == selection.labels:
        return _mark_paid(request, project, form, selection)
    return _mark_paid_page(request, project, form, selection)


def _mark_paid_page(request, project, form, selection):
    # Reviewable: the page shows what each number owes, and the template
    # sends these numbers back as `reviewed`.
    refused = selection.not_in(State.RESERVED)
    reviewable = bool(selection.raffles) and not refused
    context = {
        "project": project,
        "form": form,
        "selection": selection,
        "refused": refused,
        "refused_list": NumberList.of(refused),
        "reviewable": reviewable,
        "next": _next_url(request),
    }
    return render(request, "raffles/mark_paid_form.html", context)


def _mark_paid(request, project, form, selection):
    data = form.cleaned_data
    try:
        payments = services.mark_numbers_paid(
            project=project,
            numbers=data["numbers"],
            method=data["method"],
            actor=request.user,
            reference=data["reference"],
            paid_at=form.paid_at(),
        )
    except ValidationError as error:
        add_service_error(form, error, PAID_AT)
        return _mark_paid_page(request, project, form, selection)
    total = sum((payment.amount for payment in payments), Decimal("0.00"))
    messages.success(
        request,
        ngettext(
            "Marked %(numbers)s paid: %(count)s number, %(total)s.",
            "Marked %(numbers)s paid: %(count)s numbers, %(total)s.",
            len(payments),
        )
        % {
            "numbers": selection.labels,
            "count": len(payments),
            "total": format_money(total, project.currency),
        },
    )
    return redirect(_next_url(request) or project.get_absolute_url())
