"""The history of a whole project: every sale, payment, release and refund."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from projects.selectors import project_for

from ..selectors import activity_of

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def activity(request, project_ref):
    project = project_for(request.user, project_ref)
    page = Paginator(activity_of(project), PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.project = project
    context = {"project": project, "page_obj": page, "events": page.object_list}
    return render(request, "raffles/activity_list.html", context)
