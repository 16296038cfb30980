from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from raffles.models import Raffle
from rafflesite.admin_tools import (
    ServiceAdmin,
    ServiceForm,
    change_link,
    changelist_link,
)

from . import services
from .models import Buyer
from .phones import phone_help_text, phone_query
from .selectors import text_match


class BuyerForm(ServiceForm):
    # Typed phones may be longer than the stored E.164 form.
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = phone_help_text()

    def save_through_service(self, cleaned_data):
        values = {field: cleaned_data[field] for field in services.FIELDS}
        if self.instance.pk is None:
            return services.create_buyer(owner=cleaned_data["owner"], **values)
        return services.update_buyer(
            buyer=self.instance, **self.changed_values(cleaned_data)
        )


@admin.register(Buyer)
class BuyerAdmin(ServiceAdmin):
    form = BuyerForm
    list_display = [
        "full_name",
        "ref",
        "organizer",
        "email",
        "phone_display",
        "numbers",
        "created_at",
    ]
    list_select_related = ["owner"]
    list_filter = ["created_at"]
    search_fields = ["first_name", "last_name", "email", "owner__username"]
    autocomplete_fields = ["owner"]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        fields = list(services.FIELDS)
        if obj is None:
            return ["owner", *fields]
        return ["owner", "ref", *fields, "numbers", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["owner", "ref", "numbers", "created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        """Also find names and emails whatever the accents ("gomez" finds
        "Gómez") and a phone typed in any format ("011 15 2345-6789")."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return results, duplicates
        results |= queryset.filter(text_match(search_term))
        phone = phone_query(search_term)
        if phone:
            results |= queryset.filter(phone=phone)
        return results, duplicates

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, buyer):
        return buyer.full_name

    @admin.display(description=_("organizer"), ordering="owner__username")
    def organizer(self, buyer):
        return change_link(buyer.owner)

    @admin.display(description=_("phone"), ordering="phone")
    def phone_display(self, buyer):
        return buyer.phone_display

    @admin.display(description=_("numbers"))
    def numbers(self, buyer):
        return changelist_link(Raffle, _("numbers"), buyer__id__exact=buyer.pk)

    def delete_model(self, request, obj):
        services.delete_buyer(buyer=obj)
