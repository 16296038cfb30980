"""The interactive API docs render, styled, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_api_docs_render_styled_with_no_csp_violation(page):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    page.goto("/api/docs/")

    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    sizing = page.evaluate("getComputedStyle(document.body).boxSizing")
    screenshot(page, "api-docs", full_page=False)
    assert refused == []
    assert (background, sizing) == ("rgb(250, 250, 250)", "border-box")
