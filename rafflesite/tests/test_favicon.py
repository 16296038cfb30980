"""The site's icon: linked from every page, and at /favicon.ico too."""

from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

ICON_LINK = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/"])
def test_pages_link_the_icon(client, path):
    response = client.get(path)

    assert ICON_LINK in response.content.decode()


def test_favicon_ico_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (
        302,
        "/static/img/favicon.svg",
    )


def test_favicon_ico_ends_on_the_svg_itself(client):
    response = client.get("/favicon.ico", follow=True)

    body = b"".join(response.streaming_content)
    assert (response.status_code, response["Content-Type"]) == (200, "image/svg+xml")
    assert ElementTree.fromstring(body).tag == "{http://www.w3.org/2000/svg}svg"


def test_icon_is_a_small_svg():
    with open(finders.find("img/favicon.svg"), "rb") as icon:
        body = icon.read()

    assert len(body) < 1000
    assert ElementTree.fromstring(body).get("viewBox") == "0 0 32 32"


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_pages_without_a_request_link_the_icon(template):
    assert ICON_LINK in render_to_string(template)
