"""Every page under a project starts with the same breadcrumb trail."""

import re
from html import unescape

import pytest

from buyers.tests.factories import BuyerFactory
from projects.tests.factories import ProjectFactory
from raffles import draws
from raffles.models import Raffle
from raffles.services import record_payment, sell_numbers
from raffles.tests.factories import RaffleSetFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="breadcrumbs" aria-label="Breadcrumbs">(.*?)</nav>', re.S)


@pytest.fixture
def project(organizer):
    """Set 1 (numbers 0-9): 3 paid, 5 reserved with a payment; prize 1 drawn."""
    project = ProjectFactory(owner=organizer, name="Spring fair")
    RaffleSetFactory(project=project, name="Booklet A", quantity=10)
    buyer = BuyerFactory(owner=organizer)
    sell_numbers(
        project=project, buyer=buyer, numbers="3", actor=organizer, state="paid"
    )
    sell_numbers(project=project, buyer=buyer, numbers="5", actor=organizer)
    five = Raffle.objects.get(project=project, number=5)
    record_payment(raffle=five, amount="1", method="cash", actor=organizer)
    bicycle = draws.create_prize(project=project, name="Bicycle")
    draws.create_prize(project=project, name="Basket")
    draws.draw_random(prize=bicycle, actor=organizer)
    return project


def crumbs(response):
    """Each trail on the page as the list of its crumbs' texts."""
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
            for item in re.findall(r"<li\b.*?</li>", nav, re.S)
        ]
        for nav in NAV.findall(response.content.decode())
    ]


def trail_links(response):
    [nav] = NAV.findall(response.content.decode())
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize(
    ("path", "trail"),
    [
        ("", "Projects › Spring fair"),
        ("edit/", "Projects › Spring fair"),
        ("delete/", "Projects › Spring fair"),
        ("sets/new/", "Projects › Spring fair"),
        ("sets/1/", "Projects › Spring fair"),
        ("sets/1/edit/", "Projects › Spring fair › Booklet A"),
        ("sets/1/delete/", "Projects › Spring fair › Booklet A"),
        ("numbers/5/", "Projects › Spring fair › Booklet A"),
        ("numbers/5/release/", "Projects › Spring fair › Booklet A › 5"),
        ("numbers/3/refund/", "Projects › Spring fair › Booklet A › 3"),
        ("numbers/5/payments/1/void/", "Projects › Spring fair › Booklet A › 5"),
        ("sell/", "Projects › Spring fair"),
        ("mark-paid/", "Projects › Spring fair"),
        ("activity/", "Projects › Spring fair"),
        ("draw-list/", "Projects › Spring fair"),
        ("draw-list/?layout=slips", "Projects › Spring fair"),
        ("prizes/", "Projects › Spring fair › Prizes"),
        ("prizes/1/edit/", "Projects › Spring fair › Prizes › Bicycle"),
        ("prizes/2/delete/", "Projects › Spring fair › Prizes › Basket"),
        ("draws/", "Projects › Spring fair › Draws"),
        ("prizes/2/draw/", "Projects › Spring fair › Draws › Basket"),
        ("draws/1/1/", "Projects › Spring fair › Draws › Record"),
    ],
)
def test_project_pages_start_with_the_project_trail(
    organizer_client, project, path, trail
):
    base = f"/projects/{project.ref}/"

    response = organizer_client.get(base + path)

    assert response.status_code == 200
    assert crumbs(response) == [trail.split(" › ")]
    assert trail_links(response)[:2] == ["/projects/", base]


def test_project_page_marks_the_project_as_the_current_page(organizer_client, project):
    response = organizer_client.get(f"/projects/{project.ref}/")

    assert (
        f'<a href="/projects/{project.ref}/"\n aria-current="page">Spring fair</a>'
    ) in re.sub(r"\n\s+", "\n ", response.content.decode())
