import ast
import builtins
import inspect
import re
import textwrap
from html.parser import HTMLParser

import pytest
import yaml
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from rafflesite.api import CONFLICTS
from rafflesite.tests.test_api_routes import PUBLIC, api_routes, methods_of

APPS = ("accounts", "buyers", "projects", "raffles", "rafflesite")


@pytest.fixture
def local_static(settings):
    # The docs page links static files; tests run without collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(scope="module")
def schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)
    return generated


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def openapi_path(route):
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_schema_is_served_as_openapi_3(db):
    response = APIClient().get("/api/schema/")

    document = yaml.safe_load(response.content)
    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Raffle manager API"


def test_schema_describes_every_api_route(schema):
    routes = {
        (openapi_path(route), method)
        for route, pattern in api_routes()
        if pattern.name not in ("schema", "docs", "not_found")
        for method in methods_of(pattern)
    }

    documented = {(path, method) for path, method, _op in operations(schema)}
    assert routes == documented


def test_every_operation_documents_its_errors(schema):
    private = {
        openapi_path(route)
        for route, pattern in api_routes()
        if pattern.name not in PUBLIC
    }
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        where = f"{method.upper()} {path}"
        if path in private:
            assert "401" in codes, where
            assert operation["security"] == [{"jwt": []}], where
        if "{" in path:
            assert "404" in codes, where
        if method in ("post", "put", "patch", "delete"):
            assert "400" in codes, where
        assert any(code.startswith("2") for code in codes), where


def test_every_operation_that_can_answer_409_documents_it(schema):
    conflicting = {
        (openapi_path(route), method)
        for route, pattern in api_routes()
        for method, handler, view in handlers(pattern)
        if can_conflict(handler, view)
    }

    documented = {
        (path, method)
        for path, method, operation in operations(schema)
        if "409" in operation["responses"]
    }
    assert conflicting == documented
    assert conflicting >= {
        ("/api/projects/{project_ref}/sales/", "post"),
        ("/api/projects/{project_ref}/prizes/{position}/draw/", "post"),
    }


def handlers(pattern):
    """(HTTP method, the view's function that answers it, the view class)."""
    callback = pattern.callback
    view = getattr(callback, "cls", None) or callback.view_class
    actions = getattr(callback, "actions", None) or {}
    for method in methods_of(pattern):
        yield method, getattr(view, actions.get(method, method)), view


def can_conflict(function, view, seen=None):
    """Whether `function`, or the app's code it calls, can lead to a 409.

    That is: it names HTTP_409_CONFLICT, or raises one of the CONFLICTS
    that the API's exception handler answers with a 409. Calls are
    followed by name through the modules of the app, `self.` through the
    view class.
    """
    seen = set() if seen is None else seen
    if function in seen:
        return False
    seen.add(function)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "HTTP_409_CONFLICT":
            return True
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            named = resolve(raised, function, view)
            if isinstance(named, type) and issubclass(named, CONFLICTS):
                return True
        if isinstance(node, ast.Call):
            called = resolve(node.func, function, view)
            if (
                inspect.isfunction(called)
                and called.__module__.split(".")[0] in APPS
                and can_conflict(called, view, seen)
            ):
                return True
    return False


def resolve(node, function, view):
    """What a name such as `draws.draw_prize` or `self.get_raffle` stands for."""
    if isinstance(node, ast.Name):
        if node.id in function.__globals__:
            return function.__globals__[node.id]
        return getattr(builtins, node.id, None)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "self":
            return inspect.getattr_static(view, node.attr, None)
        owner = resolve(node.value, function, view)
        return getattr(owner, node.attr, None) if inspect.ismodule(owner) else None
    return None


def test_draw_documents_its_409(schema):
    draw = schema["paths"]["/api/projects/{project_ref}/prizes/{position}/draw/"]
    responses = draw["post"]["responses"]

    assert sorted(responses) == ["201", "400", "401", "404", "409", "503"]
    conflict = responses["409"]["content"]["application/json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def served(django_db_blocker):
    """The schema as /api/schema/ serves it."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def generated_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted((path, method) for path, method, _op in operations(schema))


ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
THROTTLED = {("/api/auth/register/", "post"), ("/api/auth/token/", "post")}


@pytest.mark.parametrize(("path", "method"), generated_operations())
def test_operation_documents_a_busy_database(served, path, method):
    busy = served["paths"][path][method]["responses"]["503"]

    assert busy["content"] == ERROR
    assert busy["headers"] == {"Retry-After": RETRY_AFTER}


@pytest.mark.parametrize(("path", "method"), generated_operations())
def test_operation_documents_429_only_where_throttled(served, path, method):
    responses = served["paths"][path][method]["responses"]

    if (path, method) in THROTTLED:
        assert responses["429"]["content"] == ERROR
        assert responses["429"]["headers"] == {"Retry-After": RETRY_AFTER}
    else:
        assert "429" not in responses


def test_throttled_operations_are_the_login_and_register_ones():
    throttled = {
        (openapi_path(route), method)
        for route, pattern in api_routes()
        for method, _handler, view in handlers(pattern)
        if view().get_throttles()
    }

    assert throttled == THROTTLED


def test_errors_are_described_with_detail(schema):
    components = schema["components"]["schemas"]

    assert components["Error"]["required"] == ["detail"]
    assert components["FieldErrors"]["required"] == ["detail"]
    assert components["Conflict"]["required"] == ["detail", "unavailable"]


def test_sale_documents_the_409(schema):
    sale = schema["paths"]["/api/projects/{project_ref}/sales/"]["post"]

    assert sorted(sale["responses"]) == ["201", "400", "401", "404", "409", "503"]
    conflict = sale["responses"]["409"]["content"]["application/json"]["schema"]
    assert conflict == {"$ref": "#/components/schemas/Conflict"}


def test_csv_is_documented_as_text_csv(schema):
    csv = schema["paths"]["/api/projects/{project_ref}/draw-list.csv"]["get"]

    assert list(csv["responses"]["200"]["content"]) == ["text/csv"]


def test_money_is_a_decimal_string_in_the_schema(schema):
    unit_price = schema["components"]["schemas"]["RaffleSet"]["properties"][
        "unit_price"
    ]

    assert unit_price["type"] == "string"
    assert unit_price["format"] == "decimal"


def test_number_filters_are_documented(schema):
    numbers = schema["paths"]["/api/projects/{project_ref}/numbers/"]["get"]

    names = {p["name"] for p in numbers["parameters"] if p["in"] == "query"}
    assert names == {
        "state",
        "set",
        "buyer",
        "number_min",
        "number_max",
        "method",
        "paid_from",
        "paid_to",
        "page",
        "page_size",
    }


def test_no_answer_shows_an_internal_id(schema):
    for name, component in schema["components"]["schemas"].items():
        assert "id" not in component.get("properties", {}), name
        assert "pk" not in component.get("properties", {}), name


def test_docs_page_uses_only_local_static_files(db, local_static):
    response = APIClient().get("/api/docs/")

    html = response.content.decode()
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert response.status_code == 200
    assert len(links) >= 4
    for link in links:
        assert link.startswith("/"), link
        assert not link.startswith("//"), link
    assert "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def test_docs_script_is_served_locally(db, local_static):
    html = APIClient().get("/api/docs/").content.decode()
    script = re.search(r'src="(/api/docs/\?script=[^"]*)"', html).group(1)

    response = APIClient().get(script)

    assert response.status_code == 200
    assert "/api/schema/" in response.content.decode()


def test_resolver_has_a_single_api_namespace():
    namespaces = [
        p.namespace for p in get_resolver().url_patterns if hasattr(p, "namespace")
    ]

    assert namespaces.count("api") == 1


class BlockedByCSP(HTMLParser):
    """What a policy without 'unsafe-inline' refuses to run or apply.

    `blocked` lists each <style> element, style attribute, event handler
    attribute, <script> without src and javascript: address; `loaded`
    lists every script and style sheet the page fetches.
    """

    def __init__(self):
        super().__init__()
        self.blocked = []
        self.loaded = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style":
            self.blocked.append("<style>")
        if tag == "script":
            if "src" in attrs:
                self.loaded.append(attrs["src"])
            else:
                self.blocked.append("<script>")
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.loaded.append(attrs["href"])
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}={value}>")


def test_docs_page_has_nothing_the_csp_blocks(db, local_static):
    response = APIClient().get("/api/docs/")
    parser = BlockedByCSP()

    parser.feed(response.content.decode())

    assert response.status_code == 200
    assert parser.blocked == []
    assert "/static/css/api-docs.css" in parser.loaded
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_docs_page_loads_its_scripts_and_styles_from_this_site(db, local_static):
    parser = BlockedByCSP()
    parser.feed(APIClient().get("/api/docs/").content.decode())

    answers = {url: APIClient().get(url) for url in parser.loaded}

    assert len(answers) == 5
    for url, answer in answers.items():
        assert url.startswith("/") and not url.startswith("//"), url
        assert answer.status_code == 200, url
    assert b"background: #fafafa" in b"".join(
        answers["/static/css/api-docs.css"].streaming_content
    )


def test_429_of_the_token_endpoint_says_how_long_a_login_pause_lasts(served):
    responses = served["paths"]["/api/auth/token/"]["post"]["responses"]

    assert responses["429"]["description"] == (
        "Too many requests from this address (over 20/min), or too many failed "
        "logins for this user name, which pause it at this address for 15 "
        "minutes (LOGIN_FAILURES_MINUTES). Retry-After gives the seconds to wait."
    )


def test_429_of_register_names_the_rate(served):
    responses = served["paths"]["/api/auth/register/"]["post"]["responses"]

    assert responses["429"]["description"] == (
        "Too many requests from this address (over 20/min). Retry-After gives "
        "the seconds to wait."
    )
