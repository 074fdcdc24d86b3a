"""The editor journey: build a workflow by drag and drop, bind values, save two revisions.

Drives the real editor (React Flow canvas, palette, schema form) against the real stack with
the fixture repository's AddPiece installed, and checks that what the GUI shows comes from the
server: the saved revisions, their diff, and a validation error on the field that caused it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Domino

WORKFLOW_ID = "editor_journey"


def _drag_piece(page: Page, name: str, x: int, y: int) -> None:
    canvas = page.get_by_test_id("editor-canvas")
    page.get_by_test_id(f"palette-piece-{name}").first.drag_to(canvas, target_position={"x": x, "y": y})


def _node(page: Page, task_id: str) -> Locator:
    return page.locator(f".react-flow__node[data-id='{task_id}']")


def _connect(page: Page, source: str, target: str) -> None:
    start = _node(page, source).locator(".react-flow__handle.source").bounding_box()
    end = _node(page, target).locator(".react-flow__handle.target").bounding_box()
    assert start is not None
    assert end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def _select(page: Page, task_id: str) -> Locator:
    _node(page, task_id).click()
    panel = page.get_by_test_id("task-panel")
    expect(panel.get_by_role("textbox", name="Task id")).to_have_value(task_id)
    return panel


def _save(page: Page, message: str, revision: int) -> None:
    page.get_by_role("button", name=re.compile(r"^(Create|Save)…$")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("What changed?").fill(message)
    dialog.get_by_role("button", name=re.compile(r"^(Create|Save)$")).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(f"Revision {revision}", exact=True)).to_be_visible()
    expect(page.get_by_text("Unsaved changes", exact=True)).to_be_hidden()


def test_build_save_and_revise_a_workflow(domino: Domino, fixture_repository: dict, console_errors: list[str]) -> None:
    page: Page = domino.open("/workflows/new")  # type: ignore[assignment]
    expect(page.get_by_role("heading", name="New workflow")).to_be_visible()

    settings = page.get_by_test_id("settings-panel")
    settings.get_by_label("Name").fill("Editor journey")
    settings.get_by_label("Workflow id").fill(WORKFLOW_ID)

    # Two pieces from the palette, by HTML5 drag and drop; ids come from the piece name.
    _drag_piece(page, "AddPiece", 130, 120)
    expect(_node(page, "add")).to_be_visible()
    _drag_piece(page, "AddPiece", 420, 330)
    expect(_node(page, "add_2")).to_be_visible()

    # A literal value.
    panel = _select(page, "add")
    panel.get_by_role("textbox", name="a", exact=True).fill("2")

    # Connecting adds the dependency; the reverse connection would be a cycle and is refused.
    _connect(page, "add", "add_2")
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    _connect(page, "add_2", "add")
    expect(page.get_by_test_id("editor-notice").filter(has_text="cycle")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(1)

    # Auto-layout (dagre, loaded on demand) puts the dependency left of its dependent.
    page.get_by_role("button", name="Auto-layout").click()
    expect(page.get_by_text("Unsaved changes", exact=True)).to_be_visible()
    page.wait_for_timeout(500)
    first, second = _node(page, "add").bounding_box(), _node(page, "add_2").bounding_box()
    assert first is not None
    assert second is not None
    assert first["x"] + first["width"] < second["x"], (first, second)

    # An upstream output and a (new) run parameter, each offered because its type fits.
    panel = _select(page, "add_2")
    panel.get_by_label("Source of a", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for a").select_option(label="add → total (integer)")
    panel.get_by_label("Source of b", exact=True).select_option("param")
    panel.get_by_label("Run parameter for b").select_option(label="+ New integer parameter “b”")
    expect(panel.get_by_label("Run parameter for b")).to_have_value("b")

    expect(page.get_by_text("Valid", exact=True)).to_be_visible(timeout=15_000)
    _save(page, "First version", 1)
    expect(page).to_have_url(re.compile(rf"/domino/ui/workflows/{WORKFLOW_ID}/edit$"))

    page.get_by_role("button", name="History").click()
    drawer = page.get_by_role("dialog", name="Revision history")
    expect(drawer.get_by_test_id("revision-list").get_by_text("First version")).to_be_visible()
    drawer.get_by_role("button", name="Close history").click()

    # Second revision: change the literal and save again; the history shows what changed.
    panel = _select(page, "add")
    panel.get_by_role("textbox", name="a", exact=True).fill("5")
    expect(page.get_by_text("Unsaved changes", exact=True)).to_be_visible()
    _save(page, "Start from five", 2)
    page.get_by_role("button", name="History").click()
    drawer = page.get_by_role("dialog", name="Revision history")
    expect(drawer.get_by_test_id("revision-list").get_by_text("Start from five")).to_be_visible()
    diff = drawer.get_by_test_id("revision-diff")
    expect(diff.get_by_text("inputs.a")).to_be_visible()
    expect(diff.get_by_text("5", exact=True)).to_be_visible()
    drawer.get_by_role("button", name="Close history").click()

    # A validation error: make the parameter a string, which cannot feed the integer input `b`.
    page.get_by_role("tab", name="Settings").click()
    settings.get_by_label("Type of parameter b").select_option("string")
    expect(page.get_by_test_id("problem-count")).to_be_visible(timeout=15_000)
    expect(_node(page, "add_2").get_by_test_id("node-error-badge")).to_be_visible()
    panel = _select(page, "add_2")
    field_error = panel.locator("[data-field='b']").get_by_test_id("field-error")
    # The server quotes names as Markdown code: shown as code, not as raw backticks.
    expect(field_error).to_contain_text("Parameter b")
    expect(field_error).to_contain_text("cannot feed input b")
    expect(field_error.locator("code").first).to_have_text("b")

    domino.screenshot("editor-journey")
    assert console_errors == []
