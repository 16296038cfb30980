import re
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.services import (
    record_payment,
    refund_number,
    release_number,
    sell_numbers,
)
from raffles.tests.factories import RaffleSetFactory
from raffles.tests.helpers import history_cells, shown_time

pytestmark = pytest.mark.django_db

CHRISTMAS = "Rifa Navideña 🎄"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def project_data(**changes):
    data = {
        "name": CHRISTMAS,
        "description": "Premios: una bicicleta 🚲 y una canasta.",
        "currency": "ARS",
        "draw_date": "2027-12-24",
    }
    return {**data, **changes}


@pytest.fixture
def project(organizer):
    return ProjectFactory(owner=organizer, name=CHRISTMAS)


def sell(project, numbers, state="reserved", method=""):
    buyer = BuyerFactory(owner=project.owner)
    return sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=project.owner,
        state=state,
        method=method,
    )


# Isolation: every page, three ways.

PAGES = [
    "/",
    "/projects/",
    "/projects/new/",
    "/projects/1/",
    "/projects/1/edit/",
    "/projects/1/delete/",
]
PROJECT_PAGES = [url for url in PAGES if url.startswith("/projects/1/")]


@pytest.mark.parametrize("url", PAGES)
def test_page_answers_its_owner(organizer_client, project, url):
    assert organizer_client.get(url).status_code == 200


@pytest.mark.parametrize("url", PROJECT_PAGES)
def test_project_page_is_404_for_another_organizer(
    client, project, other_organizer, url
):
    client.force_login(other_organizer)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PROJECT_PAGES[1:])
def test_project_action_is_404_for_another_organizer(
    client, project, other_organizer, url
):
    client.force_login(other_organizer)

    response = client.post(url, project_data(name="Taken over"))

    assert response.status_code == 404
    project.refresh_from_db()
    assert project.name == CHRISTMAS


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_page_sends_anonymous_to_login(client, project, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert Project.objects.count() == 1


def test_lists_show_only_own_projects(client, project, other_organizer):
    ProjectFactory(owner=other_organizer, name="Other raffle")
    client.force_login(other_organizer)

    dashboard = client.get("/")
    listing = client.get("/projects/")

    assert [p.name for p in dashboard.context["projects"]] == ["Other raffle"]
    assert [p.name for p in listing.context["projects"]] == ["Other raffle"]
    assert CHRISTMAS not in dashboard.content.decode()
    assert CHRISTMAS not in listing.content.decode()


# Dashboard and list


def test_dashboard_shows_sales_progress(organizer_client, project):
    RaffleSetFactory(project=project, quantity=100, unit_price=Decimal("10.00"))
    sell(project, "1-3", state="paid", method="cash")
    reserved = sell(project, "10-11")
    record_payment(
        raffle=reserved[0], amount="4.00", method="card", actor=project.owner
    )

    response = organizer_client.get("/")

    [shown] = response.context["projects"]
    assert shown.set_count == 1
    assert shown.totals == {
        "quantity": 100,
        "available_count": 95,
        "reserved_count": 2,
        "paid_count": 3,
        "sold_count": 5,
        "percent_sold": 5.0,
        "collected": Decimal("34.00"),
        "outstanding": Decimal("16.00"),
    }
    html = response.content.decode()
    assert "5 of 100 numbers sold (5.0%)" in html
    assert f"34.00 {project.currency}" in html
    assert f"16.00 {project.currency}" in html


@pytest.mark.parametrize(
    ("language", "sets", "sentence"),
    [
        ("en", "0 sets", "Draw on Dec. 24, 2027."),
        ("es", "0 series", "Sorteo el 24 de diciembre de 2027."),
    ],
)
def test_dashboard_names_the_draw_date_in_one_sentence(
    organizer_client, organizer, settings, language, sets, sentence
):
    ProjectFactory(owner=organizer, draw_date=date(2027, 12, 24))
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = " ".join(organizer_client.get("/").content.decode().split())

    assert f'<p class="muted"> {sets} · {sentence} </p>' in html


def test_dashboard_offers_selling_once_a_project_has_numbers(
    organizer_client, organizer, project
):
    ProjectFactory(owner=organizer, name="No sets yet")
    RaffleSetFactory(project=project)

    html = organizer_client.get("/").content.decode()

    assert html.count('href="/projects/1/sell/"') == 1
    assert html.count('href="/projects/1/mark-paid/"') == 1
    assert 'href="/projects/2/sell/"' not in html


def test_dashboard_invites_a_first_project(organizer_client):
    response = organizer_client.get("/")

    assert response.context["projects"] == []
    assert "Create your first project" in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_dashboard_query_count_is_constant(
    organizer_client, organizer, django_assert_num_queries, count
):
    for _ in range(count):
        raffle_set = RaffleSetFactory(project__owner=organizer, quantity=50)
        sell(raffle_set.project, "1-2", state="paid", method="cash")

    # Session, user, projects, their sets (which keep their own totals).
    with django_assert_num_queries(4):
        response = organizer_client.get("/")

    assert len(response.context["projects"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_project_list_query_count_is_constant(
    organizer_client, organizer, django_assert_num_queries, count
):
    for _ in range(count):
        raffle_set = RaffleSetFactory(project__owner=organizer, quantity=20)
        sell(raffle_set.project, "1")

    # Session, user, count, page of projects, their sets (with their totals).
    with django_assert_num_queries(5):
        response = organizer_client.get("/projects/")

    assert len(response.context["projects"]) == min(count, 25)


def test_project_list_pages_by_25_newest_first(organizer_client, organizer):
    for number in range(1, 28):
        ProjectFactory(owner=organizer, name=f"Raffle {number}")

    first = organizer_client.get("/projects/")
    second = organizer_client.get("/projects/?page=2")

    assert [p.ref for p in first.context["projects"]] == list(range(27, 2, -1))
    assert [p.ref for p in second.context["projects"]] == [2, 1]
    assert 'href="?page=2"' in first.content.decode()


# Create


def test_new_project_page_proposes_default_currency(organizer_client, settings):
    response = organizer_client.get("/projects/new/")

    assert response.status_code == 200
    assert response.context["form"]["currency"].value() == settings.DEFAULT_CURRENCY


def test_new_project_keeps_accents_and_emoji(organizer_client, organizer):
    response = organizer_client.post("/projects/new/", project_data())

    project = Project.objects.get(owner=organizer)
    assert response.status_code == 302
    assert response["Location"] == "/projects/1/"
    assert messages_of(response) == [f"Created project “{CHRISTMAS}”."]
    assert project.name == CHRISTMAS
    assert project.name.encode() == CHRISTMAS.encode()
    assert project.description == "Premios: una bicicleta 🚲 y una canasta."
    assert project.currency == "ARS"
    assert project.draw_date == date(2027, 12, 24)
    page = organizer_client.get("/projects/1/")
    assert f"<h1>{CHRISTMAS}</h1>".encode() in page.content


def test_new_project_numbers_refs_per_organizer(
    organizer_client, other_organizer, organizer
):
    ProjectFactory(owner=other_organizer)

    organizer_client.post("/projects/new/", project_data())

    assert Project.objects.get(owner=organizer).ref == 1


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": ""}, {"name": ["This field is required."]}),
        ({"name": "   "}, {"name": ["This field is required."]}),
        (
            {"name": "x" * 300},
            {"name": ["Ensure this value has at most 120 characters (it has 300)."]},
        ),
        (
            {"currency": "U1"},
            {
                "currency": [
                    "“U1” is not an ISO 4217 currency code such as USD, EUR or ARS."
                ]
            },
        ),
        (
            {"currency": "xyz"},
            {
                "currency": [
                    "“XYZ” is not an ISO 4217 currency code such as USD, EUR or ARS."
                ]
            },
        ),
        (
            {"currency": "EURO"},
            {"currency": ["Ensure this value has at most 3 characters (it has 4)."]},
        ),
        ({"draw_date": "24/13/2027"}, {"draw_date": ["Enter a valid date."]}),
    ],
)
def test_new_project_refuses_bad_input(organizer_client, changes, errors):
    response = organizer_client.post("/projects/new/", project_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Project.objects.count() == 0


def test_new_project_refuses_a_name_taken_in_another_case(organizer_client, project):
    response = organizer_client.post(
        "/projects/new/", project_data(name="RIFA NAVIDEÑA 🎄")
    )

    assert response.context["form"].errors == {
        "name": ["You already have a project named “RIFA NAVIDEÑA 🎄”."]
    }
    assert Project.objects.count() == 1


def test_new_project_allows_a_name_another_organizer_uses(
    organizer_client, other_organizer
):
    ProjectFactory(owner=other_organizer, name=CHRISTMAS)

    response = organizer_client.post("/projects/new/", project_data())

    assert response.status_code == 302
    assert Project.objects.filter(name=CHRISTMAS).count() == 2


# Edit


def test_edit_project_page_shows_current_values(organizer_client, project):
    response = organizer_client.get("/projects/1/edit/")

    form = response.context["form"]
    assert form["name"].value() == CHRISTMAS
    assert form["currency"].value() == project.currency


def test_edit_project_saves(organizer_client, project):
    response = organizer_client.post(
        "/projects/1/edit/",
        project_data(name="Rifa de Reyes 👑", currency="cop", draw_date=""),
    )

    project.refresh_from_db()
    assert response["Location"] == "/projects/1/"
    assert messages_of(response) == ["Saved project “Rifa de Reyes 👑”."]
    assert project.name == "Rifa de Reyes 👑"
    assert project.currency == "COP"
    assert project.draw_date is None


def test_edit_project_refuses_a_taken_name(organizer_client, organizer, project):
    ProjectFactory(owner=organizer, name="Spring fair")

    response = organizer_client.post(
        "/projects/1/edit/", project_data(name="spring FAIR")
    )

    assert response.context["form"].errors == {
        "name": ["You already have a project named “spring FAIR”."]
    }
    assert response.context["project"].name == CHRISTMAS
    project.refresh_from_db()
    assert project.name == CHRISTMAS


def test_edit_project_refuses_a_long_name(organizer_client, project):
    response = organizer_client.post("/projects/1/edit/", project_data(name="x" * 300))

    assert response.context["form"].errors == {
        "name": ["Ensure this value has at most 120 characters (it has 300)."]
    }
    project.refresh_from_db()
    assert project.name == CHRISTMAS


# Delete


def test_delete_project_asks_first(organizer_client, project):
    RaffleSetFactory(project=project, quantity=100)

    response = organizer_client.get("/projects/1/delete/")

    assert response.status_code == 200
    assert "This deletes the project and everything in it." in (
        response.content.decode()
    )
    assert Project.objects.count() == 1


def test_delete_project_says_how_much_history_goes_with_it(organizer_client, project):
    RaffleSetFactory(project=project, quantity=2000)
    for raffle in sell(project, "5, 6"):
        record_payment(raffle=raffle, amount="1.00", method="cash", actor=project.owner)
        release_number(raffle=raffle, actor=project.owner)

    response = organizer_client.get("/projects/1/delete/")

    items = [
        " ".join(item.split("</li>")[0].split())
        for item in response.content.decode().split("<li>")[1:]
    ]
    assert response.context["along"] == {
        "sets": 1,
        "numbers": 2000,
        "payments": 2,
        "events": 6,
        "prizes": 0,
        "draws": 0,
    }
    assert items[-6:] == [
        "1 set",
        "2,000 numbers",
        "2 payments, from the history of released or refunded numbers",
        "6 history events",
        "0 prizes",
        "0 draws, with their verification pages",
    ]


def test_delete_project_deletes_on_post(organizer_client, project):
    RaffleSetFactory(project=project, quantity=100)
    released = sell(project, "5")[0]
    release_number(raffle=released, actor=project.owner)

    response = organizer_client.post("/projects/1/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    assert messages_of(response) == [f"Deleted project “{CHRISTMAS}”."]
    assert Project.objects.count() == 0
    assert organizer_client.get("/projects/1/").status_code == 404


def test_delete_project_refuses_with_sold_numbers(organizer_client, project):
    RaffleSetFactory(project=project, quantity=100)
    sell(project, "5", state="paid", method="cash")

    response = organizer_client.post("/projects/1/delete/")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Project “{CHRISTMAS}” has reserved or paid numbers; release or refund "
        "them before deleting it."
    ]
    assert Project.objects.count() == 1


def test_deleted_project_ref_is_not_reused(organizer_client, project):
    organizer_client.post("/projects/1/delete/")

    organizer_client.post("/projects/new/", project_data())

    assert list(Project.objects.values_list("ref", flat=True)) == [2]


# Detail


def test_project_detail_shows_totals_by_set_and_method(organizer_client, project):
    online = RaffleSetFactory(
        project=project, name="Online", quantity=100, unit_price=Decimal("5.00")
    )
    paper = RaffleSetFactory(
        project=project,
        name="Booklet A",
        first_number=100,
        quantity=50,
        unit_price=Decimal("10.00"),
    )
    sell(project, "1-4", state="paid", method="cash")
    sell(project, "100-101", state="paid", method="bank_transfer")
    [partly] = sell(project, "120")
    record_payment(raffle=partly, amount="3.50", method="cash", actor=project.owner)
    sell(project, "7")

    response = organizer_client.get("/projects/1/")

    sets = {s.name: s for s in response.context["sets"]}
    assert [s.name for s in response.context["sets"]] == ["Online", "Booklet A"]
    assert (
        sets["Online"].paid_count,
        sets["Online"].reserved_count,
        sets["Online"].available_count,
        sets["Online"].collected,
        sets["Online"].outstanding,
    ) == (4, 1, 95, Decimal("20.00"), Decimal("5.00"))
    assert (
        sets["Booklet A"].paid_count,
        sets["Booklet A"].reserved_count,
        sets["Booklet A"].available_count,
        sets["Booklet A"].collected,
        sets["Booklet A"].outstanding,
    ) == (2, 1, 47, Decimal("23.50"), Decimal("6.50"))
    totals = response.context["totals"]
    assert (totals["sold_count"], totals["available_count"]) == (8, 142)
    assert (totals["collected"], totals["outstanding"]) == (
        Decimal("43.50"),
        Decimal("11.50"),
    )
    methods = [
        (row["label"], row["count"], row["total"])
        for row in response.context["methods"]
    ]
    assert methods == [
        ("bank transfer", 2, Decimal("20.00")),
        ("cash", 5, Decimal("23.50")),
    ]
    assert response.context["methods_total"] == Decimal("43.50")
    html = response.content.decode()
    for link in (
        f'href="/projects/1/sets/{online.ref}/"',
        f'href="/projects/1/sets/{paper.ref}/"',
        'href="/projects/1/sell/"',
        'href="/projects/1/draw-list/"',
        'href="/buyers/"',
        'href="/projects/1/sets/new/"',
    ):
        assert link in html


def test_project_detail_invites_a_first_set(organizer_client, project):
    response = organizer_client.get("/projects/1/")

    assert response.context["sets"] == []
    assert "Add the first set" in response.content.decode()


@pytest.mark.parametrize("sets", [1, 8])
def test_project_detail_query_count_is_constant(
    organizer_client, project, django_assert_num_queries, sets
):
    for index in range(sets):
        RaffleSetFactory(project=project, first_number=index * 100, quantity=100)
        sell(
            project, f"{index * 100 + 1}-{index * 100 + 3}", state="paid", method="cash"
        )
        release_number(
            raffle=sell(project, f"{index * 100 + 9}")[0], actor=project.owner
        )
        prize = draws.create_prize(project=project, name=f"Prize {index}")
        draws.draw_random(prize=prize, actor=project.owner)
        draws.create_prize(project=project, name=f"Undrawn {index}")

    # Session, user, project, sets with their totals (which also say
    # whether a number is sold: no Delete link), payments by method, latest
    # activity, prizes with their winners.
    with django_assert_num_queries(7):
        response = organizer_client.get("/projects/1/")

    assert len(response.context["sets"]) == sets
    assert len(response.context["activity"]) == min(sets * 5, 10)
    assert len(response.context["prizes"]) == sets * 2


def test_project_detail_lists_prizes_with_their_winners(organizer_client, project):
    RaffleSetFactory(project=project, quantity=100)
    buyer = BuyerFactory(owner=project.owner, first_name="Ana", last_name="Peña")
    sell_numbers(
        project=project,
        buyer=buyer,
        numbers="7",
        actor=project.owner,
        state="paid",
        method="cash",
    )
    sell_numbers(project=project, buyer=buyer, numbers="8", actor=project.owner)
    draws.set_draws_include_reserved(project=project, include_reserved=True)
    for name in ("Bicycle", "Hamper", "Voucher"):
        draws.create_prize(project=project, name=name)
    draws.draw_manual(
        prize=project.prizes.get(position=3), actor=project.owner, number="7"
    )
    draws.draw_manual(
        prize=project.prizes.get(position=1), actor=project.owner, number="8"
    )

    response = organizer_client.get("/projects/1/")

    html = response.content.decode()
    table = html.split('id="prize-winners"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert cells == [
        "Position Prize Winner",
        "1 Bicycle 08 — Ana Peña reserved",
        "2 Hamper not drawn yet",
        "3 Voucher 07 — Ana Peña",
    ]
    assert 'href="/projects/1/prizes/">Bicycle</a>' in html
    assert html.count('<a href="/projects/1/draws/">') == 3


def test_project_detail_invites_a_first_prize(organizer_client, project):
    response = organizer_client.get("/projects/1/")

    html = " ".join(response.content.decode().split())
    assert 'No prizes yet. <a href="/projects/1/prizes/">Add a prize</a>' in html


def test_project_detail_shows_latest_activity_with_who_and_when(
    organizer_client, organizer, project, settings
):
    settings.TIME_ZONE = "America/Bogota"
    RaffleSetFactory(project=project, quantity=100, unit_price=Decimal("10.00"))
    buyer = BuyerFactory(owner=organizer, first_name="Luis", last_name="Peña")
    [reserved] = sell_numbers(
        project=project, buyer=buyer, numbers="7", actor=organizer
    )
    record_payment(raffle=reserved, amount="4.00", method="cash", actor=organizer)
    release_number(raffle=reserved, actor=organizer, reason="Changed his mind")

    response = organizer_client.get("/projects/1/")

    activity = response.context["activity"]
    assert [(e.kind, e.raffle.label, e.buyer, e.actor) for e in activity] == [
        ("release", "07", buyer, organizer),
        ("payment", "07", buyer, organizer),
        ("reserve", "07", buyer, organizer),
    ]
    html = response.content.decode()
    local = timezone.localtime(activity[0].at, ZoneInfo("America/Bogota"))
    assert f'<time datetime="{local.isoformat()}">' in html
    assert history_cells(response, "when") == [shown_time(e.at) for e in activity]
    assert history_cells(response, "by") == ["organizer"] * 3
    assert "Changed his mind" in html
    assert f"4.00 {project.currency}" in html
    assert 'href="/projects/1/numbers/07/"' in html
    assert f'href="/buyers/{buyer.ref}/"' in html
    assert 'href="/projects/1/activity/"' in html


def test_project_detail_without_activity_says_so(organizer_client, project):
    response = organizer_client.get("/projects/1/")

    assert response.context["activity"] == []
    assert "No sales, payments or releases yet." in response.content.decode()


def test_progress_bar_shows_paid_and_reserved_shares(organizer_client, project):
    RaffleSetFactory(project=project, quantity=200)
    sell(project, "0-49", state="paid", method="cash")
    sell(project, "50-59")

    response = organizer_client.get("/projects/1/")

    html = response.content.decode()
    assert 'aria-label="50 paid, 10 reserved, 140 available"' in html
    assert '<rect class="bar-reserved" width="300" height="10" />' in html
    assert '<rect class="bar-paid" width="250" height="10" />' in html


def test_delete_project_page_shows_the_problem_instead_of_the_button(
    organizer_client, project
):
    RaffleSetFactory(project=project, quantity=100)
    for raffle in sell(project, "5, 6", state="paid", method="cash"):
        refund_number(raffle=raffle, actor=project.owner, reason="Error")
    sell(project, "7-16", state="paid", method="cash")

    response = organizer_client.get("/projects/1/delete/")

    page = response.content.decode()
    assert response.context["problem"] == (
        f"Project “{CHRISTMAS}” has reserved or paid numbers; release or refund "
        "them before deleting it."
    )
    assert response.context["along"] is None
    assert f"Project “{CHRISTMAS}” cannot be deleted" in page
    assert "payments, from the history" not in page
    assert "Delete project</button>" not in page


@pytest.mark.parametrize(("state", "shown"), [(None, True), ("reserved", False)])
def test_project_page_shows_delete_only_when_the_project_can_go(
    organizer_client, project, state, shown
):
    RaffleSetFactory(project=project, quantity=100)
    if state:
        sell(project, "5", state=state)

    response = organizer_client.get("/projects/1/")

    assert ('href="/projects/1/delete/"' in response.content.decode()) is shown
