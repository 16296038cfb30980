from decimal import Decimal

from django.utils import timezone

from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.models import RaffleSet
from raffles.services import create_raffle_set
from rafflesite.db import PreparedRows


def _sets(owner, project_ref):
    # Filter arguments out of the order in which the SQL takes them.
    return (
        RaffleSet.objects.filter(project__ref=project_ref, project__owner_id=owner)
        .values("name", "unit_price", "created_at", "project__name")
        .order_by("first_number")
    )


def test_prepared_rows_match_the_orm_for_each_set_of_values(organizer, other_organizer):
    first = ProjectFactory(owner=organizer, name="Spring fair")
    second = ProjectFactory(owner=organizer, name="Autumn fair")
    theirs = ProjectFactory(owner=other_organizer, name="Their fair")
    for project, price in [(first, "2.50"), (second, "3.00"), (theirs, "9.99")]:
        create_raffle_set(project=project, name="Main", unit_price=price, quantity=5)
    create_raffle_set(
        project=first, name="Paper", unit_price="1.00", first_number=5, quantity=5
    )
    prepared = PreparedRows(_sets)

    for owner, ref in [(organizer, 1), (organizer, 2), (other_organizer, 1)]:
        assert prepared.rows(project_ref=ref, owner=owner.pk) == list(
            _sets(owner.pk, ref)
        )
    assert prepared.rows(owner=other_organizer.pk, project_ref=2) == []


def test_prepared_rows_convert_values_like_the_orm(organizer):
    project = ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")
    create_raffle_set(project=project, name="Main", unit_price="2.50", quantity=5)

    [row] = PreparedRows(_sets).rows(owner=organizer.pk, project_ref=project.ref)

    assert row["unit_price"] == Decimal("2.50")
    assert row["created_at"] == RaffleSet.objects.get().created_at
    assert timezone.is_aware(row["created_at"])
    assert row["project__name"] == Project.objects.get().name
