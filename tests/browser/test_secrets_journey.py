"""Set a secret in the Secrets page: a write-only password field, then "Set"."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino

VALUE = "browser-secret-4d1c"


def test_set_a_secret(fixture_repository: dict, admin: httpx.Client, domino: Domino, page: Page) -> None:
    domino.open("/secrets")
    # Other repositories the session installed may declare the same name: take the fixture's row.
    repository = "domino_style_pieces"
    variable = f"domino__{repository}__GREETING_API_TOKEN"
    row = page.locator("[data-secret='GREETING_API_TOKEN']").filter(has_text=variable)
    expect(row).to_be_visible()
    row.get_by_role("button", name="Set GREETING_API_TOKEN").or_(
        row.get_by_role("button", name="Replace GREETING_API_TOKEN")
    ).click()
    dialog = page.get_by_role("dialog")
    field = dialog.get_by_label("Value")
    expect(field).to_have_attribute("type", "password")
    field.fill(VALUE)
    dialog.get_by_role("button", name="Save secret").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="GREETING_API_TOKEN saved")).to_be_visible()
    expect(row.get_by_text("Set", exact=True)).to_be_visible()
    assert VALUE not in page.content()
    secrets = admin.get("/secrets").json()["items"]
    assert any(s["name"] == "GREETING_API_TOKEN" and s["repository"] == repository and s["is_set"] for s in secrets)
    domino.screenshot("secrets-set")
