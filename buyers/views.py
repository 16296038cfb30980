"""Buyer pages: list and search, create, detail with history, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from rafflesite.forms import add_service_error
from rafflesite.lib.numbers import is_digits

from . import selectors, services
from .forms import BuyerForm, BuyerSearchForm
from .receipts import receipt_text, whatsapp_url


class BuyerListView(LoginRequiredMixin, ListView):
    template_name = "buyers/buyer_list.html"
    context_object_name = "buyers"
    paginate_by = 50

    def get_queryset(self):
        self.search = BuyerSearchForm(self.request.GET)
        query = self.search.cleaned_data["q"] if self.search.is_valid() else ""
        return selectors.buyers_with_counts(self.request.user, query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = self.search
        context["query"] = self.search.data.get("q", "")
        return context


class BuyerDetailView(LoginRequiredMixin, DetailView):
    template_name = "buyers/buyer_detail.html"
    context_object_name = "buyer"

    def get_object(self, queryset=None):
        return selectors.buyer_for(self.request.user, self.kwargs["ref"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        buyer = self.object
        holdings = selectors.buyer_holdings(buyer)
        totals = selectors.buyer_totals(buyer)
        context.update(
            holdings=holdings,
            totals=totals,
            events=selectors.buyer_history(buyer),
            sharing=_sharing(self.request.user, buyer),
            whatsapp_url=_whatsapp_url(buyer, holdings, totals),
            can_delete=services.deletion_problem(buyer) is None,
        )
        return context


@login_required
@require_http_methods(["GET", "POST"])
def buyer_create(request):
    form = BuyerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            buyer = services.create_buyer(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Buyer %(name)s added.") % {"name": buyer.full_name}
            )
            _hint_sharing(request, buyer)
            return redirect(buyer)
    return render(request, "buyers/buyer_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def buyer_edit(request, ref):
    buyer = selectors.buyer_for(request.user, ref)
    data = request.POST if request.method == "POST" else None
    form = BuyerForm(data, initial=BuyerForm.initial_for(buyer))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_buyer(buyer=buyer, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            buyer.refresh_from_db()
        else:
            messages.success(
                request, _("Buyer %(name)s saved.") % {"name": buyer.full_name}
            )
            _hint_sharing(request, buyer)
            return redirect(buyer)
    return render(request, "buyers/buyer_form.html", {"form": form, "buyer": buyer})


def _whatsapp_url(buyer, holdings, totals):
    """The receipt as a wa.me link; none for a buyer who holds no number."""
    if not holdings:
        return ""
    return whatsapp_url(buyer.phone, receipt_text(buyer, holdings, totals))


def _sharing(user, buyer):
    return selectors.buyers_sharing_contact(
        user, phone=buyer.phone, email=buyer.email, exclude_ref=buyer.ref
    )


def _hint_sharing(request, buyer):
    """Say so when another buyer uses the same phone or email: never a refusal."""
    sharing = _sharing(request.user, buyer)
    if sharing:
        messages.warning(
            request,
            ngettext(
                "%(others)s also uses this phone or email. That is allowed; "
                "check that it is not the same person twice.",
                "%(others)s also use this phone or email. That is allowed; "
                "check that it is not the same person twice.",
                len(sharing),
            )
            % {"others": ", ".join(other.full_name for other in sharing)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def buyer_delete(request, ref):
    buyer = selectors.buyer_for(request.user, ref)
    if request.method == "POST":
        try:
            services.delete_buyer(buyer=buyer)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(buyer)
        messages.success(
            request, _("Buyer %(name)s deleted.") % {"name": buyer.full_name}
        )
        return redirect("buyers:list")
    context = {"buyer": buyer, "problem": services.deletion_problem(buyer)}
    return render(request, "buyers/buyer_delete.html", context)


# Found at once, enough to pick from while typing.
SEARCH_LIMIT = 10


@require_http_methods(["GET"])
def buyer_search_json(request):
    """Buyers for the pages' scripts, under the web session.

    `q` searches names, phones and emails; `phone` and `email` instead find
    the buyers already using them, for the hint on a new buyer.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Log in first.")}, status=401)
    if "phone" in request.GET or "email" in request.GET:
        exclude = request.GET.get("exclude", "")
        buyers = selectors.buyers_sharing_contact(
            request.user,
            phone=request.GET.get("phone", ""),
            email=request.GET.get("email", ""),
            exclude_ref=int(exclude) if is_digits(exclude) else None,
            limit=SEARCH_LIMIT,
        )
    else:
        query = request.GET.get("q", "")[:200]
        buyers = list(
            selectors.search_buyers(request.user, query).order_by(
                "last_name", "first_name", "ref"
            )[:SEARCH_LIMIT]
        )
    return JsonResponse({"results": [_as_json(buyer) for buyer in buyers]})


def _as_json(buyer):
    return {
        "ref": buyer.ref,
        "name": buyer.full_name,
        "phone": buyer.phone_display,
        "email": buyer.email,
        "url": buyer.get_absolute_url(),
    }
