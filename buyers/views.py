"""Buyer pages: list and search, create, detail with history, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from rafflesite.forms import add_service_error

from . import selectors, services
from .forms import BuyerForm, BuyerSearchForm


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
        context["holdings"] = selectors.buyer_holdings(self.object)
        context["totals"] = selectors.buyer_totals(self.object)
        context["events"] = selectors.buyer_history(self.object)
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
            return redirect(buyer)
    return render(request, "buyers/buyer_form.html", {"form": form, "buyer": buyer})


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
    return render(request, "buyers/buyer_delete.html", {"buyer": buyer})
