from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from raffles.models import Payment, Raffle, RaffleEvent, RaffleSet
from rafflesite.admin_tools import (
    ReadOnlyInline,
    ServiceAdmin,
    ServiceForm,
    change_link,
    changelist_link,
    counted_deletion,
)

from . import services
from .models import Project


class ProjectForm(ServiceForm):
    def save_through_service(self, cleaned_data):
        if self.instance.pk is None:
            return services.create_project(
                owner=cleaned_data["owner"],
                name=cleaned_data["name"],
                description=cleaned_data["description"],
                currency=cleaned_data["currency"],
                draw_date=cleaned_data["draw_date"],
            )
        return services.update_project(
            project=self.instance, **self.changed_values(cleaned_data)
        )


class RaffleSetInline(ReadOnlyInline):
    model = RaffleSet
    fields = ["ref", "name", "kind", "unit_price", "range_label", "quantity"]
    readonly_fields = fields
    ordering = ["first_number"]


def set_count():
    return Subquery(
        RaffleSet.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    form = ProjectForm
    list_display = [
        "name",
        "ref",
        "organizer",
        "currency",
        "draw_date",
        "sets",
        "numbers",
        "created_at",
    ]
    list_select_related = ["owner"]
    list_filter = ["currency", "draw_date", "created_at"]
    search_fields = ["name", "description", "owner__username", "owner__email"]
    autocomplete_fields = ["owner"]
    inlines = [RaffleSetInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(set_count=set_count())

    def get_fields(self, request, obj=None):
        fields = ["name", "description", "currency", "draw_date"]
        if obj is None:
            return ["owner", *fields]
        return ["owner", "ref", *fields, "numbers", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["owner", "ref", "numbers", "created_at", "updated_at"]

    def get_inlines(self, request, obj):
        # Sets are created on their own page, through their service.
        return self.inlines if obj is not None else []

    @admin.display(description=_("organizer"), ordering="owner__username")
    def organizer(self, project):
        return change_link(project.owner)

    @admin.display(description=_("sets"), ordering="set_count")
    def sets(self, project):
        count = getattr(project, "set_count", None) or 0
        return changelist_link(RaffleSet, count, project__id__exact=project.pk)

    @admin.display(description=_("numbers"))
    def numbers(self, project):
        return changelist_link(Raffle, _("numbers"), project__id__exact=project.pk)

    def delete_model(self, request, obj):
        services.delete_project(project=obj)

    def get_deleted_objects(self, objs, request):
        return counted_deletion(
            self,
            request,
            objs,
            Raffle.objects.filter(project__in=objs),
            Payment.objects.filter(raffle__project__in=objs),
            RaffleEvent.objects.filter(project__in=objs),
        )
