import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import services
from raffles.tests.factories import RaffleSetFactory
from raffles.tests.helpers import history_cells, shown_time

pytestmark = pytest.mark.django_db

URL = "/projects/1/activity/"


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer, name="Spring fair")
    RaffleSetFactory(project=project, name="Main", quantity=1000)
    return project


def sell(project, numbers, state="reserved"):
    buyer = BuyerFactory(owner=project.owner)
    return services.sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
    )


def test_activity_lists_every_event_newest_first(organizer_client, project):
    [first] = sell(project, "5")
    sell(project, "6", state="paid")
    services.release_number(raffle=first, actor=project.owner, reason="No show")

    response = organizer_client.get(URL)

    events = response.context["events"]
    assert [(e.kind, e.raffle.label, e.reason) for e in events] == [
        ("release", "005", "No show"),
        ("sell", "006", ""),
        ("reserve", "005", ""),
    ]
    html = response.content.decode()
    assert 'href="/projects/1/numbers/005/"' in html
    assert "No show" in html


def test_activity_shows_who_acted_and_when(organizer_client, project, settings):
    settings.TIME_ZONE = "America/Bogota"
    [first] = sell(project, "5")
    services.release_number(raffle=first, actor=project.owner, reason="No show")

    response = organizer_client.get(URL)

    events = response.context["events"]
    assert history_cells(response, "when") == [shown_time(e.at) for e in events]
    assert history_cells(response, "by") == ["organizer", "organizer"]


def test_activity_pages_by_fifty(organizer_client, project):
    for number in range(55):
        sell(project, str(number))

    first = organizer_client.get(URL)
    second = organizer_client.get(URL, {"page": 2})

    assert [e.raffle.number for e in first.context["events"]] == list(range(54, 4, -1))
    assert [e.raffle.number for e in second.context["events"]] == [4, 3, 2, 1, 0]
    assert 'href="?page=2"' in first.content.decode()


def test_activity_of_a_new_project_says_so(organizer_client, project):
    response = organizer_client.get(URL)

    assert "Nothing has been sold in this project yet." in response.content.decode()


@pytest.mark.parametrize("size", [2, 40])
def test_activity_query_count_is_constant(
    organizer_client, project, django_assert_num_queries, size
):
    for number in range(size):
        sell(project, str(number), state="paid")

    # Session, user, project, count, page of events with numbers and buyers.
    with django_assert_num_queries(5):
        response = organizer_client.get(URL)

    assert len(response.context["events"]) == size


# Isolation


def test_activity_is_shown_to_its_owner(organizer_client, project):
    assert organizer_client.get(URL).status_code == 200


def test_activity_of_their_own_project_shows_only_theirs(
    client, project, other_organizer
):
    sell(project, "1")
    ProjectFactory(owner=other_organizer)
    client.force_login(other_organizer)

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["events"]) == []


def test_activity_of_someone_elses_project_is_not_found(
    client, project, other_organizer
):
    client.force_login(other_organizer)

    assert client.get(URL).status_code == 404


def test_activity_sends_anonymous_visitors_to_log_in(client, project):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
