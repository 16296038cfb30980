import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.models import Raffle
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

ADD = "admin:projects_project_add"


def project_data(owner, **values):
    return {
        "owner": owner.pk,
        "name": "Rifa Navideña 🎄",
        "description": "Premios: una bici 🚲",
        "currency": "ars",
        "draw_date": "2027-12-24",
        **values,
    }


def change_data(project, **values):
    return {
        "name": project.name,
        "description": project.description,
        "currency": project.currency,
        "draw_date": "",
        "raffle_sets-TOTAL_FORMS": 0,
        "raffle_sets-INITIAL_FORMS": 0,
        **values,
    }


def test_project_add_numbers_in_the_organizer_space(
    admin_client, organizer, other_organizer
):
    ProjectFactory(owner=other_organizer)

    response = admin_client.post(
        reverse(ADD), project_data(organizer, name="  Rifa   Navideña 🎄 ")
    )

    assert response.status_code == 302
    project = Project.objects.get(owner=organizer)
    assert (project.ref, project.name, project.description, project.currency) == (
        1,
        "Rifa Navideña 🎄",
        "Premios: una bici 🚲",
        "ARS",
    )


def test_project_add_shows_taken_name_next_to_the_field(admin_client, organizer):
    ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")

    response = admin_client.post(
        reverse(ADD), project_data(organizer, name="RIFA NAVIDEÑA 🎄")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["You already have a project named “RIFA NAVIDEÑA 🎄”."]
    }
    assert Project.objects.filter(owner=organizer).count() == 1


def test_project_add_refuses_a_300_character_name(admin_client, organizer):
    response = admin_client.post(reverse(ADD), project_data(organizer, name="x" * 300))

    assert response.context["adminform"].form.errors == {
        "name": ["Ensure this value has at most 120 characters (it has 300)."]
    }
    assert Project.objects.count() == 0


def test_project_change_renames_through_the_service(
    admin_client, organizer, other_organizer
):
    project = ProjectFactory(owner=organizer, name="Rifa")

    response = admin_client.post(
        reverse("admin:projects_project_change", args=[project.pk]),
        change_data(project, name="Rifa 2027", owner=other_organizer.pk),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.owner, project.ref) == ("Rifa 2027", organizer, 1)


def test_project_change_with_errors_saves_nothing(admin_client, organizer):
    project = ProjectFactory(owner=organizer, name="Rifa")
    data = change_data(project, name="Rifa 2027")
    del data["raffle_sets-TOTAL_FORMS"], data["raffle_sets-INITIAL_FORMS"]

    response = admin_client.post(
        reverse("admin:projects_project_change", args=[project.pk]), data
    )

    assert response.status_code == 200
    project.refresh_from_db()
    assert project.name == "Rifa"


def test_project_delete_with_sold_numbers_is_refused(admin_client, organizer):
    project = ProjectFactory(owner=organizer, name="Rifa")
    RaffleSetFactory(project=project)
    sell_numbers(
        project=project,
        buyer=BuyerFactory(owner=organizer),
        numbers="07",
        actor=organizer,
    )

    response = admin_client.post(
        reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}
    )

    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Project “Rifa” has reserved or paid numbers; release or refund them "
        "before deleting it."
    ]
    assert Project.objects.filter(pk=project.pk).exists()


def test_project_delete_removes_its_sets_and_numbers(admin_client, organizer):
    project = ProjectFactory(owner=organizer)
    RaffleSetFactory(project=project)
    url = reverse("admin:projects_project_delete", args=[project.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert dict(page.context["model_count"]) == {
        "projects": 1,
        "numbers": 100,
        "payments": 0,
        "history events": 0,
    }
    assert response.status_code == 302
    assert (Project.objects.count(), Raffle.objects.count()) == (0, 0)
