from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from buyers.models import Buyer
from projects.models import Project
from rafflesite.admin_tools import changelist_link

from .forms import AdminLoginForm
from .models import User


def count_of(model):
    """How many rows of `model` an organizer owns, as a subquery."""
    return Subquery(
        model.objects.filter(owner=OuterRef("pk"))
        .order_by()
        .values("owner")
        .annotate(count=Count("pk"))
        .values("count")
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "projects",
        "buyers",
        "last_login",
    ]
    readonly_fields = ["last_project_ref", "last_buyer_ref", "projects", "buyers"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Raffles"),
            {
                "fields": [
                    "projects",
                    "buyers",
                    "last_project_ref",
                    "last_buyer_ref",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(project_count=count_of(Project), buyer_count=count_of(Buyer))
        )

    @admin.display(description=_("projects"), ordering="project_count")
    def projects(self, user):
        return changelist_link(
            Project, user.project_count or 0, owner__id__exact=user.pk
        )

    @admin.display(description=_("buyers"), ordering="buyer_count")
    def buyers(self, user):
        return changelist_link(Buyer, user.buyer_count or 0, owner__id__exact=user.pk)


# The admin's login counts failures like the site's (accounts.throttle).
admin.site.login_form = AdminLoginForm
