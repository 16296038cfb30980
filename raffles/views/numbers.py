"""Selling numbers, the page of one number and the actions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buyers import services as buyer_services
from buyers.forms import BuyerForm
from projects.selectors import project_for
from rafflesite.forms import add_service_error
from rafflesite.lib.numbers import compress
from rafflesite.money import format_amount

from .. import services
from ..forms import MarkPaidForm, NotesForm, PaymentForm, ReasonForm, SaleForm
from ..models import State
from ..selectors import raffle_for
from ..services import MoveRefused

NEW_BUYER_PREFIX = "new"

# Selling


@login_required
@require_http_methods(["GET", "POST"])
def sell(request, project_ref):
    project = project_for(request.user, project_ref)
    data = request.POST if request.method == "POST" else None
    form = SaleForm(data, user=request.user, initial=_sale_initial(request))
    buyer_form = BuyerForm(
        data if _has_new_buyer(data) else None, prefix=NEW_BUYER_PREFIX
    )
    if data is not None and _sale_is_valid(form, buyer_form):
        sale = _sell(request, project, form, buyer_form)
        if sale is not None:
            buyer, raffles = sale
            if buyer_form.is_bound:
                messages.success(
                    request, _("Buyer %(name)s added.") % {"name": buyer.full_name}
                )
            messages.success(request, _sale_message(form, buyer, raffles))
            return redirect(_next_url(request) or buyer.get_absolute_url())
    context = {
        "project": project,
        "form": form,
        "buyer_form": buyer_form,
        "next": _next_url(request),
    }
    return render(request, "raffles/sell_form.html", context)


def _sale_initial(request):
    return {
        "numbers": request.GET.get("numbers", ""),
        "buyer": request.GET.get("buyer", ""),
    }


def _has_new_buyer(data):
    if data is None:
        return False
    names = [f"{NEW_BUYER_PREFIX}-{name}" for name in BuyerForm.base_fields]
    return any(str(data.get(name, "")).strip() for name in names)


def _sale_is_valid(form, buyer_form):
    """Validate both forms; exactly one of "existing buyer" and "new buyer"."""
    valid = form.is_valid()
    chosen = form.cleaned_data.get("buyer") is not None
    if buyer_form.is_bound:
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
            )
    except ValidationError as error:
        add_service_error(failing_form, error)
        return None
    return buyer, raffles


def _sale_message(form, buyer, raffles):
    values = {"numbers": runs_of(raffles), "buyer": buyer.full_name}
    if form.cleaned_data["state"] == State.PAID:
        return _("Sold %(numbers)s, paid, to %(buyer)s.") % values
    return _("Reserved %(numbers)s for %(buyer)s.") % values


def runs_of(raffles):
    """Labels of sold numbers as runs: "007, 040-045"."""
    by_number = {raffle.number: raffle for raffle in raffles}
    parts = []
    for first, last in compress(by_number):
        if first == last:
            parts.append(by_number[first].label)
        else:
            parts.append(f"{by_number[first].label}-{by_number[last].label}")
    return ", ".join(parts)


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


# One number


@login_required
@require_http_methods(["GET"])
def number_detail(request, project_ref, number):
    return _render_number(request, _raffle(request, project_ref, number))


@login_required
@require_POST
def number_payment(request, project_ref, number):
    raffle = _raffle(request, project_ref, number)
    form = PaymentForm(request.POST)
    if form.is_valid() and _attempt(request, form, _pay, request, raffle, form):
        return redirect(raffle)
    return _render_number(request, raffle, payment_form=form)


@login_required
@require_POST
def number_mark_paid(request, project_ref, number):
    raffle = _raffle(request, project_ref, number)
    form = MarkPaidForm(request.POST)
    if form.is_valid() and _attempt(request, form, _mark_paid, request, raffle, form):
        return redirect(raffle)
    return _render_number(request, raffle, mark_paid_form=form)


@login_required
@require_POST
def number_notes(request, project_ref, number):
    raffle = _raffle(request, project_ref, number)
    form = NotesForm(request.POST)
    if form.is_valid() and _attempt(request, form, _save_notes, raffle, form):
        return redirect(raffle)
    return _render_number(request, raffle, notes_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def number_release(request, project_ref, number):
    raffle = _raffle(request, project_ref, number)
    if raffle.state != State.RESERVED:
        return _not_now(
            request,
            raffle,
            _("Number %(label)s is %(state)s: only a reserved number is released."),
        )
    return _confirm(request, raffle, _release, "release")


@login_required
@require_http_methods(["GET", "POST"])
def number_refund(request, project_ref, number):
    raffle = _raffle(request, project_ref, number)
    if raffle.state != State.PAID:
        return _not_now(
            request,
            raffle,
            _("Number %(label)s is %(state)s: only a paid number is refunded."),
        )
    return _confirm(request, raffle, _refund, "refund")


def _raffle(request, project_ref, number):
    project = project_for(request.user, project_ref)
    return raffle_for(project, number)


def _render_number(request, raffle, **forms):
    context = {
        "project": raffle.project,
        "raffle": raffle,
        "payments": raffle.payments.select_related("recorded_by").order_by(
            "paid_at", "pk"
        ),
        "events": raffle.events.select_related("buyer", "actor").order_by("-at", "-pk"),
        "payment_form": PaymentForm(initial={"amount": raffle.outstanding}),
        "mark_paid_form": MarkPaidForm(),
        "notes_form": NotesForm(initial={"notes": raffle.notes}),
        **forms,
    }
    return render(request, "raffles/number_detail.html", context)


def _not_now(request, raffle, message):
    state = raffle.get_state_display()
    messages.error(request, message % {"label": raffle.label, "state": state})
    return redirect(raffle)


def _confirm(request, raffle, action, verb):
    """The confirmation step of a release or refund, then the action itself."""
    data = request.POST if request.method == "POST" else None
    form = ReasonForm(data, reason_required=verb == "refund")
    confirmed = request.method == "POST" and form.is_valid()
    if confirmed and _attempt(request, form, action, request, raffle, form):
        return redirect(raffle)
    context = {"project": raffle.project, "raffle": raffle, "form": form, "verb": verb}
    return render(request, "raffles/number_confirm.html", context)


def _attempt(request, form, action, *args):
    """Run `action(*args)`, a service call that returns its success message.

    Returns False when the service's errors belong on `form`; a move the
    number's state no longer allows (someone else acted first) is flashed.
    """
    try:
        message = action(*args)
    except MoveRefused as error:
        messages.error(request, " ".join(error.messages))
        return True
    except ValidationError as error:
        add_service_error(form, error)
        return False
    messages.success(request, message)
    return True


def _pay(request, raffle, form):
    data = form.cleaned_data
    payment = services.record_payment(
        raffle=raffle,
        amount=data["amount"],
        method=data["method"],
        actor=request.user,
        paid_at=form.paid_at(),
        reference=data["reference"],
    )
    paid = payment.raffle
    values = {
        "amount": format_amount(payment.amount),
        "currency": raffle.project.currency,
        "label": paid.label,
        "owed": format_amount(paid.outstanding),
    }
    if paid.state == State.PAID:
        return (
            _("Payment of %(amount)s %(currency)s recorded; number %(label)s is paid.")
            % values
        )
    return (
        _(
            "Payment of %(amount)s %(currency)s recorded for number %(label)s; "
            "%(owed)s %(currency)s still owed."
        )
        % values
    )


def _mark_paid(request, raffle, form):
    payment = services.mark_paid(
        raffle=raffle,
        method=form.cleaned_data["method"],
        reference=form.cleaned_data["reference"],
        actor=request.user,
    )
    return _("Number %(label)s marked paid (%(amount)s %(currency)s, %(method)s).") % {
        "label": raffle.label,
        "amount": format_amount(payment.amount),
        "currency": raffle.project.currency,
        "method": payment.get_method_display(),
    }


def _save_notes(raffle, form):
    services.update_number_notes(raffle=raffle, notes=form.cleaned_data["notes"])
    return _("Notes of number %(label)s saved.") % {"label": raffle.label}


def _release(request, raffle, form):
    services.release_number(
        raffle=raffle, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _("Number %(label)s released: it is available again.") % {
        "label": raffle.label
    }


def _refund(request, raffle, form):
    amount = format_amount(raffle.amount_paid)
    services.refund_number(
        raffle=raffle, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _(
        "Number %(label)s refunded (%(amount)s %(currency)s): it is available again."
    ) % {"label": raffle.label, "amount": amount, "currency": raffle.project.currency}
