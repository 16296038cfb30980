"""Reads of projects, always through their owner."""

from django.shortcuts import get_object_or_404

from .models import Project


def project_for(user, ref):
    """The user's project numbered `ref`, or 404 (also for someone else's)."""
    return get_object_or_404(Project, owner_id=user.pk, ref=ref)


def projects_of(user):
    return Project.objects.filter(owner_id=user.pk).order_by("-ref")
