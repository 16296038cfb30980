"""Admin of sets, numbers, payments and history.

Numbers change state only through actions that call the services, one number
at a time: a refused number is reported and the others go ahead.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from buyers.phones import phone_query
from buyers.selectors import text_match
from rafflesite.admin_tools import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
    ServiceForm,
    change_link,
    changelist_link,
    counted_deletion,
)
from rafflesite.lib.numbers import is_digits

from . import admin_draws, services  # noqa: F401 -- admin_draws registers the prize and draw admin
from .models import Method, Payment, Raffle, RaffleEvent, RaffleSet, State

# One request runs the services once per number; more belongs in a script.
MAX_NUMBERS_PER_ACTION = 500


class RaffleSetForm(ServiceForm):
    padding = forms.IntegerField(
        label=_("Padding width"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_(
            "Digits shown. Empty: the digits of the set's last number when it "
            "is created; an edit keeps it unless given."
        ),
    )

    def save_through_service(self, cleaned_data):
        if self.instance.pk is None:
            return services.create_raffle_set(
                project=cleaned_data["project"],
                name=cleaned_data["name"],
                kind=cleaned_data["kind"],
                unit_price=cleaned_data["unit_price"],
                first_number=cleaned_data["first_number"],
                quantity=cleaned_data["quantity"],
                padding=cleaned_data["padding"],
            )
        return services.update_raffle_set(
            raffle_set=self.instance, **self.changed_values(cleaned_data)
        )


class BuyerNameSearch:
    """Also find the buyer's name or email whatever the accents and case
    ("gomez" finds "Gómez"), as the buyer admin does: search_fields alone
    compare the typed text as it is."""

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results |= queryset.filter(text_match(search_term, buyer="buyer"))
        return results, duplicates


@admin.register(RaffleSet)
class RaffleSetAdmin(ServiceAdmin):
    form = RaffleSetForm
    list_display = [
        "name",
        "ref",
        "project_link",
        "organizer",
        "kind",
        "unit_price",
        "range_label",
        "quantity",
        "numbers",
    ]
    list_select_related = ["project__owner"]
    list_filter = ["kind"]
    search_fields = ["name", "project__name", "project__owner__username"]
    autocomplete_fields = ["project"]
    ordering = ["project_id", "first_number"]
    show_full_result_count = False
    editable_fields = [
        "name",
        "kind",
        "unit_price",
        "first_number",
        "quantity",
        "padding",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["project", *self.editable_fields]
        return [
            "project",
            "ref",
            *self.editable_fields,
            "sales",
            "numbers",
            "organizer",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["project", "ref", "sales", "numbers", "organizer"]

    @admin.display(description=_("project"), ordering="project__name")
    def project_link(self, raffle_set):
        return change_link(raffle_set.project)

    @admin.display(description=_("organizer"), ordering="project__owner__username")
    def organizer(self, raffle_set):
        return change_link(raffle_set.project.owner)

    @admin.display(description=_("range"))
    def range_label(self, raffle_set):
        return raffle_set.range_label

    @admin.display(description=_("numbers"))
    def numbers(self, raffle_set):
        return changelist_link(
            Raffle, _("numbers"), raffle_set__id__exact=raffle_set.pk
        )

    @admin.display(description=_("sales"))
    def sales(self, raffle_set):
        counts = raffle_set.raffles.aggregate(
            reserved=Count("pk", filter=Q(state=State.RESERVED)),
            paid=Count("pk", filter=Q(state=State.PAID)),
        )
        reserved, paid = counts["reserved"], counts["paid"]
        return _("%(reserved)s, %(paid)s of %(quantity)s") % {
            "reserved": ngettext("%(shown)s reserved", "%(shown)s reserved", reserved)
            % {"shown": services.grouped(reserved)},
            "paid": ngettext("%(shown)s paid", "%(shown)s paid", paid)
            % {"shown": services.grouped(paid)},
            "quantity": services.grouped(raffle_set.quantity),
        }

    def delete_model(self, request, obj):
        services.delete_raffle_set(raffle_set=obj)

    def get_deleted_objects(self, objs, request):
        return counted_deletion(
            self, request, objs, Raffle.objects.filter(raffle_set__in=objs)
        )


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "amount",
        "method",
        "paid_at",
        "reference",
        "buyer",
        "recorded_by",
        "cleared_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer", "recorded_by")


class RaffleEventInline(ReadOnlyInline):
    model = RaffleEvent
    fields = [
        "at",
        "kind",
        "from_state",
        "to_state",
        "buyer",
        "amount",
        "reason",
        "actor",
    ]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer", "actor")


class RaffleForm(ServiceForm):
    def save_through_service(self, cleaned_data):
        return services.update_number_notes(
            raffle=self.instance, notes=cleaned_data["notes"]
        )


class MarkPaidForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Payment method"), choices=Method.choices, initial=Method.CASH
    )
    reference = forms.CharField(
        label=_("Reference or note"), max_length=200, required=False
    )


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefundForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in each number's history."),
    )


@admin.register(Raffle)
class RaffleAdmin(BuyerNameSearch, ServiceAdmin):
    form = RaffleForm
    list_display = [
        "number_label",
        "project_link",
        "set_link",
        "state",
        "buyer_link",
        "price",
        "amount_paid",
        "method",
        "paid_at",
        "organizer",
    ]
    list_select_related = ["project__owner", "raffle_set", "buyer"]
    list_filter = ["state", "method", "raffle_set__kind", "paid_at"]
    search_fields = [
        "buyer__first_name",
        "buyer__last_name",
        "buyer__email",
        "project__name",
    ]
    sortable_by = ["number_label", "state", "price", "amount_paid", "paid_at"]
    # A unique pair: no extra sort on the primary key over 100,000 rows.
    ordering = ["project_id", "number"]
    show_full_result_count = False
    fields = [
        "project",
        "raffle_set",
        "label",
        "state",
        "buyer",
        "price",
        "amount_paid",
        "outstanding",
        "method",
        "reserved_at",
        "paid_at",
        "notes",
        "organizer",
    ]
    readonly_fields = [field for field in fields if field != "notes"]
    inlines = [PaymentInline, RaffleEventInline]
    actions = ["mark_paid", "release", "refund"]

    def has_add_permission(self, request):
        # Numbers are made by their set.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        """Also find a number ("42", "042") and a buyer's phone in any format."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if is_digits(term):
            results |= queryset.filter(number=int(term))
        phone = phone_query(term)
        if phone:
            results |= queryset.filter(buyer__phone=phone)
        return results, duplicates

    @admin.display(description=_("number"), ordering="number")
    def number_label(self, raffle):
        return raffle.label

    @admin.display(description=_("project"))
    def project_link(self, raffle):
        return change_link(raffle.project)

    @admin.display(description=_("raffle set"))
    def set_link(self, raffle):
        return change_link(raffle.raffle_set)

    @admin.display(description=_("buyer"))
    def buyer_link(self, raffle):
        return change_link(raffle.buyer)

    @admin.display(description=_("organizer"))
    def organizer(self, raffle):
        return change_link(raffle.project.owner)

    @admin.display(description=_("still owed"))
    def outstanding(self, raffle):
        return raffle.outstanding

    @admin.action(description=_("Mark paid"), permissions=["change"])
    def mark_paid(self, request, queryset):
        return self.run_action(
            request,
            queryset,
            form_class=MarkPaidForm,
            title=_("Mark numbers paid"),
            apply=lambda raffle, data: services.mark_paid(
                raffle=raffle,
                method=data["method"],
                reference=data["reference"],
                actor=request.user,
            ),
            done=lambda count: ngettext(
                "Marked %(count)d number paid: %(labels)s.",
                "Marked %(count)d numbers paid: %(labels)s.",
                count,
            ),
        )

    @admin.action(
        description=_("Release (make available again)"), permissions=["change"]
    )
    def release(self, request, queryset):
        return self.run_action(
            request,
            queryset,
            form_class=ReleaseForm,
            title=_("Release numbers"),
            apply=lambda raffle, data: services.release_number(
                raffle=raffle, reason=data["reason"], actor=request.user
            ),
            done=lambda count: ngettext(
                "Released %(count)d number: %(labels)s.",
                "Released %(count)d numbers: %(labels)s.",
                count,
            ),
        )

    @admin.action(description=_("Refund"), permissions=["change"])
    def refund(self, request, queryset):
        return self.run_action(
            request,
            queryset,
            form_class=RefundForm,
            title=_("Refund numbers"),
            apply=lambda raffle, data: services.refund_number(
                raffle=raffle, reason=data["reason"], actor=request.user
            ),
            done=lambda count: ngettext(
                "Refunded %(count)d number: %(labels)s.",
                "Refunded %(count)d numbers: %(labels)s.",
                count,
            ),
        )

    def run_action(self, request, queryset, *, form_class, title, apply, done):
        """Ask for the action's details, then apply it to each number.

        Each number goes through the service on its own: a refused one is
        reported with the service's message and the others go ahead.
        """
        count = queryset.count()
        if count > MAX_NUMBERS_PER_ACTION:
            self.message_user(
                request,
                _("Select at most %(max)s numbers at a time.")
                % {"max": MAX_NUMBERS_PER_ACTION},
                messages.ERROR,
            )
            return None
        raffles = list(
            queryset.select_related("raffle_set", "project").order_by(
                "project_id", "number"
            )
        )
        form = form_class(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self.confirm_page(request, raffles, form, title)

        applied = []
        for raffle in raffles:
            try:
                apply(raffle, form.cleaned_data)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                applied.append(raffle.label)
        if applied:
            self.message_user(
                request,
                done(len(applied))
                % {"count": len(applied), "labels": ", ".join(applied)},
                messages.SUCCESS,
            )
        return None

    def confirm_page(self, request, raffles, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "raffles": raffles,
            "form": form,
            "action": request.POST["action"],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request, "admin/raffles/raffle/confirm_action.html", context
        )


class ProjectOwnerLinks:
    """Columns shared by payments and history: number, project, organizer."""

    @admin.display(description=_("number"), ordering="raffle__number")
    def number_link(self, obj):
        return change_link(obj.raffle, obj.raffle.label)

    @admin.display(description=_("project"))
    def project_link(self, obj):
        return change_link(obj.raffle.project)

    @admin.display(description=_("organizer"))
    def organizer(self, obj):
        return change_link(obj.raffle.project.owner)

    @admin.display(description=_("buyer"))
    def buyer_link(self, obj):
        return change_link(obj.buyer)


@admin.register(Payment)
class PaymentAdmin(BuyerNameSearch, ProjectOwnerLinks, ReadOnlyAdmin):
    list_display = [
        "__str__",
        "number_link",
        "project_link",
        "organizer",
        "buyer_link",
        "amount",
        "method",
        "paid_at",
        "recorded_by",
        "cleared_at",
    ]
    list_select_related = [
        "raffle__raffle_set",
        "raffle__project__owner",
        "buyer",
        "recorded_by",
    ]
    list_filter = ["method", ("cleared_at", admin.EmptyFieldListFilter), "paid_at"]
    search_fields = [
        "reference",
        "buyer__first_name",
        "buyer__last_name",
        "buyer__email",
        "raffle__project__name",
    ]
    ordering = ["-paid_at", "-pk"]
    show_full_result_count = False


@admin.register(RaffleEvent)
class RaffleEventAdmin(BuyerNameSearch, ProjectOwnerLinks, ReadOnlyAdmin):
    list_display = [
        "at",
        "kind",
        "number_link",
        "project_link",
        "organizer",
        "from_state",
        "to_state",
        "buyer_link",
        "amount",
        "actor",
        "reason",
    ]
    list_select_related = [
        "raffle__raffle_set",
        "raffle__project__owner",
        "buyer",
        "actor",
    ]
    list_filter = ["kind", "from_state", "to_state", "at"]
    search_fields = [
        "reason",
        "buyer__first_name",
        "buyer__last_name",
        "project__name",
        "actor__username",
    ]
    show_full_result_count = False
