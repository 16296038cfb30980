"""Admin of prizes and draws.

Prizes are written through raffles.draws, like on the prize pages; draws
are records and can only be looked at. raffles/admin.py registers these by
importing this module.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import draws
from .models import Draw, Prize, RaffleSet, WithdrawnPlan

# The admin form's own "order" field stands for the position.
PRIZE_FIELDS = [field for field in draws.PRIZE_FIELDS if field != "position"]


class PrizeAdminForm(forms.ModelForm):
    # Not the model's field: positions are handed out by the service,
    # which moves the other prizes of the project out of the way.
    order = forms.IntegerField(
        label=_("position"),
        min_value=1,
        required=False,
        help_text=_("Empty: after the last prize."),
    )

    class Meta:
        model = Prize
        fields = ("project", *PRIZE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position
            self.fields["raffle_sets"].queryset = RaffleSet.objects.filter(
                project_id=self.instance.project_id
            )

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project") or getattr(self.instance, "project", None)
        if project is None or self.errors:
            return cleaned
        try:
            draws.check_prize(
                project=project,
                prize=self.instance if self.instance.pk else None,
                **self.service_arguments(),
            )
        except ValidationError as error:
            for field, messages in _by_field(error).items():
                self.add_error("order" if field == "position" else field, messages)
        return cleaned

    def service_arguments(self):
        values = {field: self.cleaned_data.get(field) for field in PRIZE_FIELDS}
        values["position"] = self.cleaned_data.get("order")
        values["raffle_sets"] = list(values["raffle_sets"] or [])
        return values


def _by_field(error):
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {None: error.messages}


class WithdrawnPlanInline(admin.TabularInline):
    """Plans withdrawn with a reason (raffles.draws.withdraw_plan): a record."""

    model = WithdrawnPlan
    fields = (
        "lottery",
        "lottery_date",
        "unsold_rule",
        "stated_at",
        "reason",
        "withdrawn_by",
        "withdrawn_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Prize)
class PrizeAdmin(admin.ModelAdmin):
    form = PrizeAdminForm
    inlines = [WithdrawnPlanInline]
    list_display = ("name", "position", "project", "owner", "drawn")
    list_select_related = ("project__owner",)
    list_filter = (("project__owner", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "project__name", "project__owner__username")
    ordering = ("project", "position")
    filter_horizontal = ("raffle_sets",)
    readonly_fields = ("lottery_stated_at", "draws_link")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(draw_count=Count("draws"))

    def get_inlines(self, request, obj):
        # Only a prize with withdrawn plans shows (read-only) the list.
        if obj is not None and obj.withdrawn_plans.exists():
            return self.inlines
        return []

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "project") if obj else fields

    @admin.display(description=_("organizer"), ordering="project__owner__username")
    def owner(self, prize):
        return prize.project.owner

    @admin.display(description=_("drawn"), boolean=True)
    def drawn(self, prize):
        return prize.draw_count > 0

    @admin.display(description=_("draws"))
    def draws_link(self, prize):
        url = reverse("admin:raffles_draw_changelist")
        return format_html(
            '<a href="{}?prize__id__exact={}">{}</a>', url, prize.pk, _("Draws")
        )

    def save_model(self, request, obj, form, change):
        values = form.service_arguments()
        if change:
            saved = draws.update_prize(prize=obj, **values)
        else:
            saved = draws.create_prize(project=obj.project, **values)
        obj.pk = saved.pk
        obj.position = saved.position

    def save_related(self, request, form, formsets, change):
        # The service saved the sets; the admin's own m2m save would redo it.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        # A drawn prize, or one whose lottery plan is final, stays.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or draws.deletion_problem(obj) is None)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting goes one prize at a time, through the service.
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        draws.delete_prize(prize=obj)


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    """Draws are records: readable here, written only by the draw services."""

    list_display = (
        "prize_name",
        "sequence",
        "project",
        "owner",
        "method",
        "winner_label",
        "current",
        "drawn_at",
        "drawn_by",
    )
    list_select_related = ("project__owner", "drawn_by")
    list_filter = ("method", ("project__owner", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "prize_name",
        "winner_label",
        "winner_name",
        "project__name",
        "project__owner__username",
    )
    date_hierarchy = "drawn_at"
    exclude = ("token",)
    readonly_fields = ("verification_page",)

    @admin.display(description=_("organizer"), ordering="project__owner__username")
    def owner(self, draw):
        return draw.project.owner

    @admin.display(description=_("standing"), boolean=True)
    def current(self, draw):
        return draw.is_current

    @admin.display(description=_("public verification page"))
    def verification_page(self, draw):
        url = reverse("verify:draw", args=[draw.token])
        return format_html('<a href="{}">{}</a>', url, url)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WithdrawnPlan)
class WithdrawnPlanAdmin(admin.ModelAdmin):
    """Withdrawn lottery plans are records, written only by
    raffles.draws.withdraw_plan (the prize's draw page and the API)."""

    list_display = (
        "lottery",
        "lottery_date",
        "prize",
        "project",
        "owner",
        "withdrawn_at",
        "withdrawn_by",
    )
    list_select_related = ("prize", "project__owner", "withdrawn_by")
    list_filter = (("project__owner", admin.RelatedOnlyFieldListFilter),)
    search_fields = (
        "lottery",
        "reason",
        "prize__name",
        "project__name",
        "project__owner__username",
    )
    date_hierarchy = "withdrawn_at"

    @admin.display(description=_("organizer"), ordering="project__owner__username")
    def owner(self, plan):
        return plan.project.owner

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
