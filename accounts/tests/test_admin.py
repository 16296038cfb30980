import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_admin_sends_anonymous_visitor_to_login(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_admin_sends_non_staff_organizer_to_login(organizer_client):
    response = organizer_client.get(reverse("admin:raffles_raffle_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_login_refuses_non_staff_organizer(client, organizer):
    response = client.post(
        reverse("admin:login"),
        {"username": "organizer", "password": "raffle-pass-123"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter the correct username and password for a staff account. "
        "Note that both fields may be case-sensitive."
    ]


def test_admin_opens_for_staff(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_user_changelist_counts_projects_and_buyers(admin_client, organizer):
    ProjectFactory(owner=organizer)
    ProjectFactory(owner=organizer)
    BuyerFactory(owner=organizer)

    response = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"q": "organizer"}
    )

    (user,) = response.context["cl"].result_list
    assert (user.project_count, user.buyer_count) == (2, 1)
    assert (
        f'href="/admin/projects/project/?owner__id__exact={organizer.pk}">2</a>'
        in response.content.decode()
    )


def test_user_change_page_shows_refs_read_only(admin_client, organizer):
    ProjectFactory(owner=organizer)

    response = admin_client.get(
        reverse("admin:accounts_user_change", args=[organizer.pk])
    )

    html = " ".join(response.content.decode().split())
    assert "last_project_ref" not in response.context["adminform"].form.fields
    assert '<label>Last project ref:</label> <div class="readonly">1</div>' in html


def deactivation_data(user):
    joined = user.date_joined
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        # is_active left out: an unticked box.
    }


def test_deactivated_organizer_session_stops_working(
    admin_client, organizer, organizer_client
):
    before = organizer_client.get(reverse("admin:index"))

    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[organizer.pk]),
        deactivation_data(organizer),
    )
    after = organizer_client.get(reverse("admin:index"))

    assert response.status_code == 302
    organizer.refresh_from_db()
    assert organizer.is_active is False
    assert before.wsgi_request.user == organizer
    assert after.wsgi_request.user.is_authenticated is False


def test_deactivated_staff_session_loses_the_admin(admin_client, client):
    staff = UserFactory(username="clerk", is_staff=True, is_superuser=True)
    client.force_login(staff)
    before = client.get(reverse("admin:index"))

    admin_client.post(
        reverse("admin:accounts_user_change", args=[staff.pk]),
        {**deactivation_data(staff), "is_staff": "on", "is_superuser": "on"},
    )
    after = client.get(reverse("admin:index"))

    assert before.status_code == 200
    assert after.status_code == 302
    assert after["Location"] == "/admin/login/?next=/admin/"
