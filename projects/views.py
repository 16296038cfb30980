from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from raffles.draw_selectors import prize_winners
from raffles.models import Method
from raffles.selectors import (
    latest_activity,
    project_totals,
    set_totals,
    totals_by_method,
    totals_of_projects,
)
from rafflesite.forms import ConfirmForm, add_service_error, posted

from . import services
from .forms import ProjectForm
from .selectors import deleted_along, project_for, projects_of


@login_required
def dashboard(request):
    """The organizer's projects, newest first, with how their sales go."""
    projects = totals_of_projects(projects_of(request.user))
    return render(request, "projects/dashboard.html", {"projects": projects})


class ProjectListView(LoginRequiredMixin, ListView):
    template_name = "projects/project_list.html"
    paginate_by = 25

    def get_queryset(self):
        return projects_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = totals_of_projects(context["object_list"])
        return context


class ProjectDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return project_for(self.request.user, self.kwargs["ref"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sets = set_totals(self.object)
        methods = totals_by_method(self.object)
        for row in methods:
            row["label"] = Method(row["method"]).label
        totals = project_totals(self.object, sets)
        context.update(
            sets=sets,
            totals=totals,
            methods=methods,
            methods_total=sum((row["total"] for row in methods), Decimal("0.00")),
            activity=latest_activity(self.object),
            prizes=list(prize_winners(self.object)),
            # What services.deletion_problem() checks, from the sets' tallies
            # (no query: a 1,000,000-number project's page stays as fast).
            can_delete=totals["sold_count"] == 0,
        )
        return context


@login_required
def project_new(request):
    form = ProjectForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            project = services.create_project(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Created project “%(name)s”.") % {"name": project.name}
            )
            return redirect(project)
    return render(request, "projects/project_new.html", {"form": form})


@login_required
def project_edit(request, ref):
    project = project_for(request.user, ref)
    form = ProjectForm(posted(request), initial=ProjectForm.initial_for(project))
    if form.is_bound and form.is_valid():
        try:
            services.update_project(project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            project.refresh_from_db()
        else:
            messages.success(
                request, _("Saved project “%(name)s”.") % {"name": project.name}
            )
            return redirect(project)
    return render(
        request, "projects/project_edit.html", {"form": form, "project": project}
    )


@login_required
def project_delete(request, ref):
    """Ask first; delete on POST only."""
    project = project_for(request.user, ref)
    form = ConfirmForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.delete_project(project=project)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Deleted project “%(name)s”.") % {"name": project.name}
            )
            return redirect("projects:list")
    problem = services.deletion_problem(project)
    context = {
        "form": form,
        "project": project,
        "problem": problem,
        "along": None if problem else deleted_along(project),
    }
    return render(request, "projects/project_delete.html", context)
