import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from buyers.tests.factories import BuyerFactory
from projects import services
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle
from raffles.services import release_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory
from rafflesite.tests.threads import run_together

pytestmark = pytest.mark.django_db


def errors(error_info):
    error = error_info.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def test_create_project_numbers_each_organizer_from_one(organizer, other_organizer):
    first = services.create_project(owner=organizer, name="Rifa")
    second = services.create_project(owner=organizer, name="Rifa 2")

    theirs = services.create_project(owner=other_organizer, name="Rifa")

    assert (first.ref, second.ref, theirs.ref) == (1, 2, 1)


def test_create_project_never_reuses_a_ref(organizer):
    services.create_project(owner=organizer, name="One")
    two = services.create_project(owner=organizer, name="Two")
    services.delete_project(project=two)

    three = services.create_project(owner=organizer, name="Three")

    assert three.ref == 3
    assert sorted(Project.objects.values_list("ref", flat=True)) == [1, 3]


def test_create_project_keeps_its_fields(organizer, settings):
    settings.DEFAULT_CURRENCY = "ARS"

    project = services.create_project(
        owner=organizer,
        name="  Rifa   Día del Padre ",
        description="Premios:\n1. Bici",
        draw_date=datetime.date(2027, 6, 20),
    )

    project.refresh_from_db()
    assert (project.name, project.description, project.currency) == (
        "Rifa Día del Padre",
        "Premios:\n1. Bici",
        "ARS",
    )
    assert project.draw_date == datetime.date(2027, 6, 20)


def test_accents_b1_project_name_round_trips(organizer):
    name = "Rifa Navideña 🎄"

    project = services.create_project(owner=organizer, name=name)

    stored = Project.objects.get(pk=project.pk).name
    assert stored.encode() == name.encode()


def test_create_project_upper_cases_the_currency(organizer):
    project = services.create_project(owner=organizer, name="Rifa", currency="cop")

    assert project.currency == "COP"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("COP", "COP"), ("USD", "USD"), ("EUR", "EUR"), ("usd ", "USD"), (" eur", "EUR")],
)
def test_create_project_takes_iso_4217_currencies(organizer, typed, kept):
    project = services.create_project(owner=organizer, name="Rifa", currency=typed)

    assert Project.objects.get(pk=project.pk).currency == kept


def test_update_project_refuses_an_unknown_currency(organizer):
    project = services.create_project(owner=organizer, name="Rifa", currency="COP")

    with pytest.raises(ValidationError) as refused:
        services.update_project(project=project, currency="XYZ")

    assert refused.value.message_dict == {
        "currency": ["“XYZ” is not an ISO 4217 currency code such as USD, EUR or ARS."]
    }
    assert Project.objects.get(pk=project.pk).currency == "COP"


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"name": ""}, {"name": ["Give the project a name."]}),
        ({"name": "   "}, {"name": ["Give the project a name."]}),
        (
            {"name": "x" * 300},
            {"name": ["Ensure this value has at most 120 characters (it has 300)."]},
        ),
        (
            {"currency": "DOLLARS"},
            {
                "currency": [
                    "“DOLLARS” is not an ISO 4217 currency code such as USD, EUR "
                    "or ARS.",
                    "Ensure this value has at most 3 characters (it has 7).",
                ]
            },
        ),
        (
            {"currency": "U$"},
            {
                "currency": [
                    "“U$” is not an ISO 4217 currency code such as USD, EUR or ARS."
                ]
            },
        ),
        (
            {"currency": "XYZ"},
            {
                "currency": [
                    "“XYZ” is not an ISO 4217 currency code such as USD, EUR or ARS."
                ]
            },
        ),
        (
            {"currency": "abc"},
            {
                "currency": [
                    "“ABC” is not an ISO 4217 currency code such as USD, EUR or ARS."
                ]
            },
        ),
    ],
)
def test_create_project_refuses_bad_input(organizer, values, expected):
    with pytest.raises(ValidationError) as refused:
        services.create_project(owner=organizer, **{"name": "Rifa", **values})

    assert errors(refused) == expected
    assert Project.objects.count() == 0


def test_create_project_keeps_a_120_character_name(organizer):
    project = services.create_project(owner=organizer, name="x" * 120)

    assert len(Project.objects.get(pk=project.pk).name) == 120


def test_create_project_refuses_a_taken_name_in_any_case(organizer):
    services.create_project(owner=organizer, name="Rifa Navideña")

    with pytest.raises(ValidationError) as refused:
        services.create_project(owner=organizer, name="RIFA  NAVIDEÑA")

    assert errors(refused) == {
        "name": ["You already have a project named “RIFA NAVIDEÑA”."]
    }
    organizer.refresh_from_db()
    assert organizer.last_project_ref == 1


def test_create_project_allows_a_name_used_by_someone_else(organizer, other_organizer):
    services.create_project(owner=other_organizer, name="Rifa")

    project = services.create_project(owner=organizer, name="rifa")

    assert project.ref == 1


def test_update_project_renames(organizer):
    project = ProjectFactory(owner=organizer, name="Rifa")

    services.update_project(project=project, name="Rifa 2027", draw_date=None)

    project.refresh_from_db()
    assert (project.name, project.draw_date, project.ref) == ("Rifa 2027", None, 1)


def test_update_project_refuses_a_taken_name(organizer):
    ProjectFactory(owner=organizer, name="Rifa")
    project = ProjectFactory(owner=organizer, name="Bingo")

    with pytest.raises(ValidationError) as refused:
        services.update_project(project=project, name="rifa")

    assert errors(refused) == {"name": ["You already have a project named “rifa”."]}
    assert Project.objects.get(pk=project.pk).name == "Bingo"


def test_update_project_may_change_case_of_its_own_name(organizer):
    project = ProjectFactory(owner=organizer, name="rifa")

    services.update_project(project=project, name="Rifa")

    assert Project.objects.get(pk=project.pk).name == "Rifa"


def test_update_project_refuses_unknown_fields(organizer):
    project = ProjectFactory(owner=organizer)

    with pytest.raises(TypeError, match="Cannot change owner, ref"):
        services.update_project(project=project, owner=None, ref=5)


def test_delete_project_refuses_sold_numbers(organizer):
    project = ProjectFactory(owner=organizer, name="Rifa")
    RaffleSetFactory(project=project)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="01",
        actor=organizer,
    )

    with pytest.raises(ValidationError) as refused:
        services.delete_project(project=project)

    assert errors(refused) == [
        "Project “Rifa” has reserved or paid numbers; release or refund them "
        "before deleting it."
    ]
    assert Raffle.objects.filter(project=project).count() == 100


def test_delete_project_removes_numbers_and_history(organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(project=project, buyer=buyer, numbers="01", actor=organizer)
    release_number(
        raffle=Raffle.objects.get(project=project, number=1), actor=organizer
    )

    services.delete_project(project=project)

    assert (Project.objects.count(), Raffle.objects.count()) == (0, 0)
    assert buyer.events.count() == 0


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_create_project_at_once_by_one_organizer_gives_1_and_2(organizer):
    for round_ in range(10):
        results = run_together(
            partial(services.create_project, owner=organizer, name=f"A {round_}"),
            partial(services.create_project, owner=organizer, name=f"B {round_}"),
        )

        assert sorted(project.ref for project in results) == [
            2 * round_ + 1,
            2 * round_ + 2,
        ]
    assert Project.objects.filter(owner=organizer).count() == 20


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_create_project_at_once_by_two_organizers_gives_1_each(
    organizer, other_organizer
):
    results = run_together(
        partial(services.create_project, owner=organizer, name="Rifa"),
        partial(services.create_project, owner=other_organizer, name="Rifa"),
    )

    assert [(p.owner, p.ref) for p in results] == [(organizer, 1), (other_organizer, 1)]


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_create_project_at_once_with_one_name_keeps_one(organizer):
    results = run_together(
        partial(services.create_project, owner=organizer, name="Rifa"),
        partial(services.create_project, owner=organizer, name="RIFA"),
    )

    created = [r for r in results if isinstance(r, Project)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(created), len(refused)) == (1, 1), results
    assert list(refused[0].message_dict) == ["name"]
    assert Project.objects.filter(owner=organizer).count() == 1
