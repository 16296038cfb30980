"""Every route under /api/, walked from the URL configuration.

A new route is tested here the moment it is added: the owner reaches it,
another organizer gets a 404 (or, on a route naming no object, never sees
nor changes the owner's data) and an anonymous caller gets a 401. Routes
public by design are listed in PUBLIC.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tokens import RefreshToken
from buyers.models import Buyer
from buyers.tests.factories import BuyerFactory
from projects.models import Project
from projects.tests.factories import ProjectFactory
from raffles.draws import create_prize
from raffles.models import Payment, Raffle, RaffleEvent, RaffleSet
from raffles.services import sell_numbers
from raffles.tests.factories import RaffleSetFactory

PUBLIC = {"register", "token", "token_refresh", "logout", "schema", "docs", "not_found"}
METHODS = ("get", "post", "put", "patch", "delete")
SECRET = "Secretina"

# A body that would change something on any endpoint if ownership leaked.
PAYLOAD = {
    "name": "Taken over",
    "description": "Taken over",
    "first_name": "Taken over",
    "notes": "Taken over",
    "buyer": 2,
    "numbers": "8",
    "state": "paid",
    "amount": "1.00",
    "method": "cash",
    "reason": "Taken over",
    "unit_price": "9.00",
    "quantity": 5,
    "old_password": "raffle-pass-123",
    "new_password": "taken-over-456",
}


def api_routes():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    return [
        (route, pattern)
        for route, pattern in walk(get_resolver().url_patterns, "")
        if route.startswith("api/")
    ]


def methods_of(pattern):
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:
        # DRF adds "head" to a viewset's actions once it served a GET.
        return sorted(method for method in actions if method in METHODS)
    view = callback.view_class
    return [method for method in METHODS if hasattr(view, method)]


def cases(public):
    return [
        pytest.param(route, method, id=f"{method.upper()} /{route}")
        for route, pattern in api_routes()
        if (pattern.name in PUBLIC) == public
        for method in methods_of(pattern)
    ]


PRIVATE_CASES = cases(public=False)
PUBLIC_CASES = cases(public=True)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The docs page links static files; tests run without collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    cache.clear()


@pytest.fixture
def world(db):
    """The owner's things numbered 2, beside the stranger's own number 1.

    A lookup by ref that forgot the owner would find the stranger's
    project 1 or buyer 1 instead of a 404; refs 2 exist only for the owner.
    """
    owner = UserFactory(username="owner")
    stranger = UserFactory(username="stranger")
    ProjectFactory(owner=stranger, name="Stranger's raffle")
    BuyerFactory(owner=stranger, first_name="Stranger")
    ProjectFactory(owner=owner, name="Warm-up")
    project = ProjectFactory(owner=owner, name=f"{SECRET}'s raffle")
    RaffleSetFactory(project=project, name=f"{SECRET} set", quantity=1000)
    BuyerFactory(owner=owner, first_name="Warm-up")
    buyer = BuyerFactory(owner=owner, first_name=SECRET)
    sell_numbers(project=project, buyer=buyer, numbers="7", actor=owner)
    sell_numbers(project=project, buyer=buyer, numbers="9", actor=owner, state="paid")
    create_prize(project=project, name=f"{SECRET} bicycle")
    return {"owner": owner, "stranger": stranger, "project": project, "buyer": buyer}


def sample_kwargs(world):
    # One value per URL keyword, naming the owner's objects.
    return {
        "project_ref": world["project"].ref,
        "set_ref": 1,
        "number": "007",
        "buyer_ref": world["buyer"].ref,
        "position": 1,
    }


def url_for(route, world):
    if route.endswith("$"):
        # The catch-all JSON 404 of unknown addresses.
        return "/api/no-such-thing/"
    values = sample_kwargs(world)

    def fill(match):
        name = match.group(1)
        assert name in values, f"Give sample_kwargs a value for <{name}>"
        return str(values[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


def client_for(user):
    client = APIClient()
    if user is not None:
        token = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def call(client, method, url):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, PAYLOAD, format="json")


def owner_state(world):
    """Everything of the owner's that a refused call must leave as it was."""
    owner = world["owner"]
    return (
        list(Project.objects.filter(owner=owner).values().order_by("pk")),
        list(RaffleSet.objects.filter(project__owner=owner).values().order_by("pk")),
        list(Raffle.objects.filter(project__owner=owner).values().order_by("pk")),
        list(Buyer.objects.filter(owner=owner).values().order_by("pk")),
        Payment.objects.filter(raffle__project__owner=owner).count(),
        RaffleEvent.objects.filter(project__owner=owner).count(),
        User.objects.get(pk=owner.pk).password,
    )


def test_walker_finds_the_spec_addresses():
    routes = {route for route, _pattern in api_routes()}

    assert {
        "api/auth/register/",
        "api/auth/token/",
        "api/auth/token/refresh/",
        "api/auth/logout/",
        "api/projects/",
        "api/projects/<int:project_ref>/",
        "api/projects/<int:project_ref>/sets/",
        "api/projects/<int:project_ref>/sets/<int:set_ref>/",
        "api/projects/<int:project_ref>/numbers/",
        "api/projects/<int:project_ref>/numbers/<str:number>/",
        "api/projects/<int:project_ref>/numbers/<str:number>/payments/",
        "api/projects/<int:project_ref>/numbers/<str:number>/release/",
        "api/projects/<int:project_ref>/numbers/<str:number>/refund/",
        "api/projects/<int:project_ref>/sales/",
        "api/projects/<int:project_ref>/draw-list/",
        "api/projects/<int:project_ref>/draw-list.csv",
        "api/buyers/",
        "api/buyers/<int:buyer_ref>/",
        "api/buyers/<int:buyer_ref>/history/",
        "api/projects/<int:project_ref>/prizes/",
        "api/projects/<int:project_ref>/prizes/<int:position>/",
        "api/projects/<int:project_ref>/prizes/<int:position>/draw/",
        "api/projects/<int:project_ref>/draws/",
        "api/schema/",
        "api/docs/",
    } <= routes


@pytest.mark.parametrize(("route", "method"), PRIVATE_CASES)
def test_route_refuses_anonymous_callers(world, route, method):
    before = owner_state(world)

    response = call(client_for(None), method, url_for(route, world))

    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert owner_state(world) == before


@pytest.mark.parametrize(("route", "method"), PRIVATE_CASES)
def test_route_hides_the_owners_things_from_another_organizer(world, route, method):
    before = owner_state(world)
    names_an_object = "<" in route

    response = call(client_for(world["stranger"]), method, url_for(route, world))

    if names_an_object:
        assert response.status_code == 404
        assert response.json()["detail"]
    else:
        assert response.status_code < 500
        assert SECRET not in response.content.decode()
    assert owner_state(world) == before


@pytest.mark.parametrize(("route", "method"), PRIVATE_CASES)
def test_route_serves_the_owner(world, route, method):
    response = call(client_for(world["owner"]), method, url_for(route, world))

    assert response.status_code not in (401, 403, 404, 405)
    assert response.status_code < 500


@pytest.mark.parametrize(("route", "method"), PUBLIC_CASES)
def test_public_route_needs_no_token(world, route, method):
    response = call(client_for(None), method, url_for(route, world))

    assert response.status_code not in (401, 403, 405)
    assert response.status_code < 500


@pytest.mark.parametrize(
    "url", ["/api/nothing/", "/api/projects/-1/", "/api/projects/1/sets/x/"]
)
def test_unknown_api_address_is_a_json_404(world, url):
    response = client_for(world["owner"]).get(url)

    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at this address."}
