"""Every write on projects."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from rafflesite.db import bump_counter
from rafflesite.lib.text import name_key

from .models import Project, normalize_currency

logger = logging.getLogger(__name__)


def create_project(*, owner, name, description="", currency=None, draw_date=None):
    """Create a project numbered next in its organizer's own space."""
    project = Project(
        owner=owner,
        name=" ".join(str(name).split()),
        description=description or "",
        draw_date=draw_date,
    )
    if currency:
        project.currency = normalize_currency(currency)
    _validate(project)
    with transaction.atomic():
        project.ref = bump_counter(User, owner.pk, "last_project_ref")
        _check_name_free(project)
        _save(project)
    logger.info("Created project %s of organizer %s", project.ref, owner.pk)
    return project


def update_project(*, project, **changes):
    """Change a project's name, description, currency or draw date."""
    allowed = {"name", "description", "currency", "draw_date"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = " ".join(str(changes["name"]).split())
    if changes.get("currency"):
        changes["currency"] = normalize_currency(changes["currency"])
    for field, value in changes.items():
        if value is None and field != "draw_date":
            value = ""
        setattr(project, field, value)
    _validate(project)
    with transaction.atomic():
        _check_name_free(project)
        _save(project, update_fields=[*changes, "name_key", "updated_at"])
    return project


def delete_project(*, project):
    """Delete a project; refused while any of its numbers is reserved or paid.

    The history of numbers released or refunded goes with it, as the whole
    project's record: callers ask first, saying how much goes
    (projects.selectors.deleted_along). A set, by contrast, cannot be
    deleted with numbers that have a history, since its project stays.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        _refuse_deleting(project)
        project.delete()
    logger.info("Deleted project %s of organizer %s", project.ref, project.owner_id)


def deletion_problem(project):
    """Why delete_project() would refuse the project now, or None."""
    try:
        _refuse_deleting(project)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _refuse_deleting(project):
    from raffles.models import Raffle, State

    sold = Raffle.objects.filter(project=project).exclude(state=State.AVAILABLE)
    if sold.exists():
        raise ValidationError(
            _(
                "Project “%(name)s” has reserved or paid numbers; release or "
                "refund them before deleting it."
            )
            % {"name": project.name},
            code="sold",
        )


def _validate(project):
    if not project.name:
        raise ValidationError({"name": _("Give the project a name.")})
    project.name_key = name_key(project.name)
    project.full_clean(
        exclude=["owner", "ref", "name_key"],
        validate_unique=False,
        validate_constraints=False,
    )


def _check_name_free(project):
    clash = Project.objects.filter(owner_id=project.owner_id, name_key=project.name_key)
    if project.pk:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise _name_taken(project)


def _save(project, **kwargs):
    try:
        with transaction.atomic():
            project.save(**kwargs)
    except IntegrityError as error:
        raise _name_taken(project) from error


def _name_taken(project):
    return ValidationError(
        {
            "name": _("You already have a project named “%(name)s”.")
            % {"name": project.name}
        },
        code="unique",
    )
