import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import override_settings

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles.draws import set_draws_include_reserved
from raffles.services import refund_number, sell_numbers
from raffles.tests.factories import RaffleSetFactory

PAID_AT = datetime(2025, 5, 1, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PHONE_REGION = "CO"
    cache.clear()


@pytest.fixture
def project(organizer):
    project = ProjectFactory(owner=organizer, name="Rifa Navideña 🎄")
    RaffleSetFactory(project=project, name="Online", quantity=1000)
    RaffleSetFactory(project=project, name="Papel", first_number=1000, quantity=10)
    return project


def paid(project, organizer, buyer, numbers):
    return sell_numbers(
        project=project,
        buyer=buyer,
        numbers=numbers,
        actor=organizer,
        state="paid",
        paid_at=PAID_AT,
    )


@pytest.fixture
def sold(organizer, project):
    ana = BuyerFactory(
        owner=organizer,
        first_name="José",
        last_name="Peña Muñoz",
        phone="+57 300 000 0001",
    )
    luis = BuyerFactory(owner=organizer, first_name="Zoë", last_name="Ørsted")
    paid(project, organizer, ana, "7, 1003")
    paid(project, organizer, luis, "0")
    sell_numbers(project=project, buyer=luis, numbers="8", actor=organizer)
    refunded = paid(project, organizer, luis, "9")[0]
    refund_number(raffle=refunded, actor=organizer, reason="Duplicate")
    return ana, luis


def draw_list(client, project, query=""):
    return client.get(f"/api/projects/{project.ref}/draw-list/{query}")


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_draw_list_has_paid_numbers_only_by_number(organizer_api, project, sold):
    response = draw_list(organizer_api, project)

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert [row["label"] for row in body["results"]] == ["000", "007", "1003"]
    assert body["results"][1] == {
        "number": 7,
        "label": "007",
        "set": 1,
        "set_name": "Online",
        "state": "paid",
        "buyer": 1,
        "buyer_name": "José Peña Muñoz",
        "phone": "+57 *** ****001",
        "paid_at": "2025-05-01T15:30:00Z",
    }


@pytest.mark.parametrize("query", ["", "?include_reserved=true"])
def test_draw_list_follows_a_project_that_lets_reserved_numbers_win(
    organizer_api, project, sold, query
):
    set_draws_include_reserved(project=project, include_reserved=True)

    response = draw_list(organizer_api, project, query)

    rows = [(row["label"], row["state"]) for row in response.json()["results"]]
    assert rows == [
        ("000", "paid"),
        ("007", "paid"),
        ("008", "reserved"),
        ("1003", "paid"),
    ]


def test_draw_list_csv_follows_a_project_that_lets_reserved_numbers_win(
    organizer_api, project, sold
):
    set_draws_include_reserved(project=project, include_reserved=True)

    response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv")

    rows = [(row[0], row[4]) for row in csv_rows(response)[1:]]
    assert rows == [
        ("000", "paid"),
        ("007", "paid"),
        ("008", "reserved"),
        ("1003", "paid"),
    ]


def test_draw_list_may_leave_reserved_numbers_out(organizer_api, project, sold):
    set_draws_include_reserved(project=project, include_reserved=True)

    response = draw_list(organizer_api, project, "?include_reserved=false")

    labels = [row["label"] for row in response.json()["results"]]
    assert labels == ["000", "007", "1003"]


@pytest.mark.parametrize("path", ["draw-list/", "draw-list.csv"])
def test_draw_list_cannot_add_reserved_numbers_the_project_does_not_admit(
    organizer_api, project, sold, path
):
    response = organizer_api.get(
        f"/api/projects/{project.ref}/{path}?include_reserved=true"
    )

    assert response.status_code == 400
    assert response.json()["include_reserved"] == [
        "Only paid numbers can win in this project, so its draw list cannot "
        "include reserved ones."
    ]


def test_draw_list_of_one_set(organizer_api, project, sold):
    response = draw_list(organizer_api, project, "?set=2")

    assert [row["label"] for row in response.json()["results"]] == ["1003"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("?set=9", "set"), ("?set=x", "set"), ("?include_reserved=maybe", None)],
)
def test_draw_list_refuses_bad_query(organizer_api, project, query, field):
    response = draw_list(organizer_api, project, query)

    assert response.status_code == 400
    assert (field or "include_reserved") in response.json()


def test_draw_list_csv_is_spreadsheet_ready(organizer_api, project, sold):
    response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # As the web page names it (raffles.exports.attachment_header).
    assert response["Content-Disposition"] == (
        'attachment; filename="draw-list-rifa-navidena.csv"; '
        "filename*=UTF-8''draw-list%20Rifa%20Navide%C3%B1a%20%F0%9F%8E%84.csv"
    )
    assert csv_rows(response) == [
        ["Number", "Set", "Buyer", "Phone", "State", "Paid at"],
        ["000", "Online", "Zoë Ørsted", "", "paid", "2025-05-01 15:30"],
        [
            "007",
            "Online",
            "José Peña Muñoz",
            "'+57 *** ****001",
            "paid",
            "2025-05-01 15:30",
        ],
        [
            "1003",
            "Papel",
            "José Peña Muñoz",
            "'+57 *** ****001",
            "paid",
            "2025-05-01 15:30",
        ],
    ]


def test_draw_list_csv_times_in_the_site_time_zone(organizer_api, project, sold):
    with override_settings(TIME_ZONE="America/Bogota"):
        response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv")
        rows = csv_rows(response)

    assert rows[1][5] == "2025-05-01 10:30"


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x.example","prize")', "+SUM(1,1)", "-2+3", "@cmd"],
)
def test_draw_list_csv_neutralises_formulas(organizer_api, organizer, project, name):
    # E1: no cell may start with a live formula character.
    buyer = BuyerFactory(owner=organizer, first_name=name, last_name="")
    paid(project, organizer, buyer, "5")

    response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv")

    row = csv_rows(response)[1]
    assert row[2] == "'" + name
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_draw_list_csv_keeps_every_row(organizer_api, organizer, project):
    buyer = BuyerFactory(owner=organizer, first_name="Łukasz", last_name="Żółw")
    paid(project, organizer, buyer, "000-999")

    response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv")

    rows = csv_rows(response)
    assert len(rows) == 1001
    assert (rows[1][0], rows[-1][0]) == ("000", "999")
    assert rows[-1][2] == "Łukasz Żółw"


def test_draw_list_csv_bad_query_is_json_400(organizer_api, project):
    response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv?set=9")

    assert response.status_code == 400
    assert response.json()["set"] == ["No set 9 here."]


@pytest.mark.parametrize("size", [2, 30])
def test_draw_list_queries_do_not_grow(
    organizer_api, organizer, project, django_assert_num_queries, size
):
    buyer = BuyerFactory(owner=organizer)
    paid(project, organizer, buyer, f"0-{size - 1}")

    with django_assert_num_queries(4):
        response = draw_list(organizer_api, project)
    with django_assert_num_queries(3):
        csv_response = organizer_api.get(f"/api/projects/{project.ref}/draw-list.csv")
        rows = csv_rows(csv_response)

    assert response.json()["count"] == size
    assert len(rows) == size + 1
