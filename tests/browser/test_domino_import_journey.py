"""The editor's Import takes a Domino workflow file: loads the converted workflow, or lists what cannot be mapped."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino
from tests.integration.test_domino_import import COLLECT, FIRST, domino_body

pytestmark = pytest.mark.browser


def _import(page: Page, name: str, document: dict[str, Any]) -> None:
    payload = {"name": name, "mimeType": "application/json", "buffer": json.dumps(document).encode()}
    page.get_by_test_id("import-input").set_input_files(payload)  # type: ignore[arg-type]


def test_the_editor_imports_a_domino_file_and_reports_what_cannot_be_mapped(
    domino: Domino, fixture_repository: dict, console_errors: list[str]
) -> None:
    page: Page = domino.open("/workflows/new")  # type: ignore[assignment]
    expect(page.get_by_test_id("editor-canvas")).to_be_visible(timeout=30_000)

    unmappable = domino_body("domino_gui_bad")
    unmappable["tasks"][FIRST]["piece"] = {"id": 7, "name": "TranslatePiece"}
    unmappable["tasks"][COLLECT]["piece"] = {"id": 8, "name": "ChartPiece"}
    _import(page, "bad.json", unmappable)
    report = page.get_by_role("alertdialog", name="bad.json was not imported")
    expect(report).to_be_visible()
    items = report.get_by_role("list", name="Nodes and fields that cannot be mapped").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(f"tasks.{FIRST}.piece")
    expect(items.nth(0)).to_contain_text("TranslatePiece")
    expect(items.nth(1)).to_contain_text(f"tasks.{COLLECT}.piece")
    report.get_by_text("Close", exact=True).click()
    expect(report).to_be_hidden()
    expect(page.locator(".react-flow__node")).to_have_count(0)  # nothing was loaded
    console_errors.clear()  # the refused conversion answered 422 on purpose

    body = domino_body("domino_gui_import")
    body["tasks"][FIRST]["workflow_shared_storage"]["source"] = "AWS S3"
    _import(page, "domino.json", body)
    left_out = page.get_by_role("dialog", name="Imported domino.json")
    expect(left_out).to_contain_text(f"tasks.{FIRST}.workflow_shared_storage.source")
    left_out.get_by_text("Close", exact=True).click()
    for task_id in ("add", "add_2", "collect"):
        expect(page.locator(f".react-flow__node[data-id='{task_id}']")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Imported domino\.json: the workflow is valid"))).to_be_visible()
