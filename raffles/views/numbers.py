"""The page of one number and the actions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rafflesite.forms import add_service_error
from rafflesite.lib.numbers import is_digits
from rafflesite.money import format_money

from .. import draws, services
from ..forms import PAID_AT, MarkPaidForm, NotesForm, PaymentForm, ReasonForm
from ..models import State
from ..selectors import history_of, number_for, payment_for, payments_of
from ..services import MoveRefused

# The query parameter naming a voided payment to record again, and the id
# of the payment form on the number's page.
CORRECT = "correct"
PAYMENT_FORM_ID = "record-payment"

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
        return _not_now(request, raffle, services.RELEASE_REFUSED)
    return _confirm(request, raffle, _release, "release")


@login_required
@require_http_methods(["GET", "POST"])
def number_refund(request, project_ref, number):
    raffle = _raffle(request, project_ref, number)
    if raffle.state != State.PAID:
        return _not_now(request, raffle, services.REFUND_REFUSED)
    return _confirm(request, raffle, _refund, "refund")


@login_required
@require_http_methods(["GET", "POST"])
def payment_void(request, project_ref, number, position):
    """Ask for a reason, then take back a payment recorded by mistake."""
    return _void_page(request, project_ref, number, position, correcting=False)


@login_required
@require_http_methods(["GET", "POST"])
def payment_correct(request, project_ref, number, position):
    """Void a wrong payment, then offer the payment form filled in with it.

    History is never edited: the wrong payment stays, voided with the
    reason, and the right one is a new payment.
    """
    return _void_page(request, project_ref, number, position, correcting=True)


def _void_page(request, project_ref, number, position, correcting):
    raffle = _raffle(request, project_ref, number)
    payment = payment_for(raffle, position)
    # A paid number never goes back to reserved (its one way out is a
    # refund, to available): its payments are corrected by refunding it and
    # selling it again.
    if payment.cleared_at is not None or raffle.state != State.RESERVED:
        return _not_now(
            request,
            raffle,
            _(
                "Only a payment that still counts on a reserved number can be "
                "voided; number %(label)s is %(state)s. A paid number is "
                "corrected with a refund."
            ),
        )
    data = request.POST if request.method == "POST" else None
    form = ReasonForm(data, reason_required=True)
    confirmed = form.is_bound and form.is_valid()
    if confirmed and _attempt(request, form, _void, request, payment, form):
        if correcting:
            return redirect(_correction_url(raffle, position))
        return redirect(raffle)
    context = {
        "project": raffle.project,
        "raffle": raffle,
        "payment": payment,
        "form": form,
        "correcting": correcting,
    }
    return render(request, "raffles/payment_void.html", context)


def _correction_url(raffle, position):
    query = urlencode({CORRECT: position})
    return f"{raffle.get_absolute_url()}?{query}#{PAYMENT_FORM_ID}"


def _raffle(request, project_ref, number):
    return number_for(request.user, project_ref, number)


def _render_number(request, raffle, **forms):
    payments = payments_of(raffle)
    corrected = _corrected(request, raffle, payments)
    context = {
        "project": raffle.project,
        "raffle": raffle,
        "payments": payments,
        "events": history_of(raffle),
        "payment_form": PaymentForm(initial=_payment_initial(raffle, corrected)),
        "corrected": corrected,
        "mark_paid_form": MarkPaidForm(),
        "notes_form": NotesForm(initial={"notes": raffle.notes}),
        "leave_problem": _leave_problem(raffle),
        **forms,
    }
    return render(request, "raffles/number_detail.html", context)


def _corrected(request, raffle, payments):
    """The voided payment named by ?correct=<position>, to be recorded again.

    None unless the number is reserved and that payment no longer counts.
    """
    position = request.GET.get(CORRECT, "")
    if raffle.state != State.RESERVED or not is_digits(position):
        return None
    for payment in payments:
        if payment.position == int(position) and payment.cleared_at is not None:
            return payment
    return None


def _payment_initial(raffle, corrected):
    if corrected is None:
        return {"amount": raffle.outstanding}
    return {
        "amount": corrected.amount,
        "method": corrected.method,
        "paid_on": timezone.localdate(corrected.paid_at),
        "reference": corrected.reference,
    }


def _not_now(request, raffle, message):
    state = raffle.get_state_display()
    messages.error(request, str(message) % {"label": raffle.label, "state": state})
    return redirect(raffle)


def _confirm(request, raffle, action, verb):
    """The confirmation step of a release or refund, then the action itself."""
    data = request.POST if request.method == "POST" else None
    form = ReasonForm(data, reason_required=verb == "refund")
    confirmed = request.method == "POST" and form.is_valid()
    if confirmed and _attempt(request, form, action, request, raffle, form):
        return redirect(raffle)
    context = {
        "project": raffle.project,
        "raffle": raffle,
        "form": form,
        "verb": verb,
        "leave_problem": _leave_problem(raffle),
    }
    return render(request, "raffles/number_confirm.html", context)


def _leave_problem(raffle):
    """Why a sold number cannot be released or refunded today, or None."""
    if raffle.state == State.AVAILABLE:
        return None
    return draws.leave_problem(raffle)


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
        add_service_error(form, error, PAID_AT)
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
    currency = raffle.project.currency
    values = {
        "amount": format_money(payment.amount, currency),
        "label": paid.label,
        "owed": format_money(paid.outstanding, currency),
    }
    if paid.state == State.PAID:
        return _("Payment of %(amount)s recorded; number %(label)s is paid.") % values
    return (
        _("Payment of %(amount)s recorded for number %(label)s; %(owed)s still owed.")
        % values
    )


def _mark_paid(request, raffle, form):
    payment = services.mark_paid(
        raffle=raffle,
        method=form.cleaned_data["method"],
        reference=form.cleaned_data["reference"],
        actor=request.user,
    )
    return _("Number %(label)s marked paid (%(amount)s, %(method)s).") % {
        "label": raffle.label,
        "amount": format_money(payment.amount, raffle.project.currency),
        "method": payment.get_method_display(),
    }


def _save_notes(raffle, form):
    services.update_number_notes(raffle=raffle, notes=form.cleaned_data["notes"])
    return _("Notes of number %(label)s saved.") % {"label": raffle.label}


def _release(request, raffle, form):
    event = services.release_number(
        raffle=raffle, actor=request.user, reason=form.cleaned_data["reason"]
    ).event
    if not event.amount:
        return _("Number %(label)s released: it is available again.") % {
            "label": raffle.label
        }
    return _(
        "Number %(label)s released: it is available again. Give %(buyer)s "
        "back the %(amount)s paid for it."
    ) % {
        "label": raffle.label,
        "amount": format_money(event.amount, raffle.project.currency),
        "buyer": event.buyer.full_name,
    }


def _refund(request, raffle, form):
    event = services.refund_number(
        raffle=raffle, actor=request.user, reason=form.cleaned_data["reason"]
    ).event
    return _("Number %(label)s refunded (%(amount)s): it is available again.") % {
        "label": raffle.label,
        "amount": format_money(event.amount or 0, raffle.project.currency),
    }


def _void(request, payment, form):
    services.void_payment(
        payment=payment, actor=request.user, reason=form.cleaned_data["reason"]
    )
    raffle = payment.raffle
    raffle.refresh_from_db(fields=["amount_paid", "price"])
    currency = raffle.project.currency
    values = {
        "amount": format_money(payment.amount, currency),
        "label": raffle.label,
        "owed": format_money(raffle.outstanding, currency),
    }
    return (
        _("Payment of %(amount)s on number %(label)s voided; %(owed)s still owed.")
        % values
    )
