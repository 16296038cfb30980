"""Reads of projects, always through their owner."""

from django.http import Http404
from django.utils.translation import gettext as _

from raffles.models import Draw, Payment, Prize, Raffle, RaffleEvent

from .models import Project


def project_for(user, ref):
    """The user's project numbered `ref`, or 404 (also for someone else's)."""
    try:
        return Project.objects.get(owner_id=user.pk, ref=ref)
    except Project.DoesNotExist:
        message = _("Project %(ref)s is not among your projects.")
        raise Http404(message % {"ref": ref}) from None


def projects_of(user):
    return Project.objects.filter(owner_id=user.pk).order_by("-ref")


def deleted_along(project):
    """How many rows deleting the project deletes with it, by kind.

    The payments and history events counted are those of numbers that were
    released or refunded: a project with reserved or paid numbers cannot be
    deleted (projects.services.delete_project).
    """
    return {
        "sets": project.raffle_sets.count(),
        "numbers": Raffle.objects.filter(project=project).count(),
        "payments": Payment.objects.filter(raffle__project=project).count(),
        "events": RaffleEvent.objects.filter(project=project).count(),
        "prizes": Prize.objects.filter(project=project).count(),
        "draws": Draw.objects.filter(project=project).count(),
    }
