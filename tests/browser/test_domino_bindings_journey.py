"""The editor with Domino-style pieces: declared outputs are bindable, a nullable binding warns on its field.

The workflow is saved through the API (the save response carries the warning too), then opened
in the editor: the custom-code task's node lists the outputs its `output_args` declare, a
downstream input offers them typed (an integer input takes the declared integer, refuses the
declared string), and the input bound to an optional output shows the server's warning.
"""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Domino

WORKFLOW_ID = "domino_bindings_editor"
UP_TOTAL = {"$upstream": {"task": "number", "output": "total"}}
REPO = {"repository": "domino_binding_pieces", "version": "0.1.0"}


def _task(task_id: str, piece: str, inputs: dict[str, Any], *deps: str) -> dict[str, Any]:
    return {"id": task_id, "piece": {**REPO, "name": piece}, "inputs": inputs, "depends_on": list(deps)}


DOCUMENT: dict[str, Any] = {
    "schema_version": 1,
    "id": WORKFLOW_ID,
    "name": "Domino bindings in the editor",
    "schedule": None,
    "tasks": [
        _task("number", "SumPiece", {"a": 1}),
        _task(
            "code",
            "KwargsCodePiece",
            {
                "input_args": [{"kwarg_name": "n", "kwarg_value": UP_TOTAL}],
                "output_args": [{"name": "n", "type": "integer"}, {"name": "s", "type": "string"}],
            },
            "number",
        ),
        _task("after", "SumPiece", {"a": 1}, "code"),
        _task("maybe", "MaybeNumberPiece", {}),
        _task("after_maybe", "SumPiece", {"a": {"$upstream": {"task": "maybe", "output": "number"}}}, "maybe"),
    ],
    "ui": {
        "nodes": {
            "number": {"x": 0, "y": 0},
            "code": {"x": 260, "y": 0},
            "after": {"x": 520, "y": 0},
            "maybe": {"x": 0, "y": 200},
            "after_maybe": {"x": 260, "y": 200},
        }
    },
}


def _node(page: Page, task_id: str) -> Locator:
    return page.locator(f".react-flow__node[data-id='{task_id}']")


def _select(page: Page, task_id: str) -> Locator:
    _node(page, task_id).click()
    panel = page.get_by_test_id("task-panel")
    expect(panel.get_by_role("textbox", name="Task id")).to_have_value(task_id)
    return panel


def test_declared_outputs_are_bindable_and_the_nullable_warning_shows_on_the_field(
    domino: Domino, binding_repository: dict, admin: httpx.Client, console_errors: list[str]
) -> None:
    saved = admin.post("/workflows", json={"document": DOCUMENT})
    assert saved.status_code == 201, saved.text
    assert [(w["path"], w["code"]) for w in saved.json()["warnings"]] == [("tasks[4].inputs.a", "nullable_upstream")]

    page: Page = domino.open(f"/workflows/{WORKFLOW_ID}/edit")  # type: ignore[assignment]
    expect(_node(page, "code")).to_be_visible()
    expect(page.get_by_test_id("task-outputs-code")).to_have_text("→ n, s")

    # Nested modes: the argument list is never bound as a whole, each item's value always is.
    panel = _select(page, "code")
    expect(panel.get_by_label("Source of input_args", exact=True).locator("option[value='upstream']")).to_be_disabled()
    expect(panel.get_by_label("Source of kwarg_name", exact=True).locator("option[value='upstream']")).to_be_disabled()
    value_source = panel.get_by_label("Source of kwarg_value", exact=True)
    expect(value_source).to_have_value("upstream")
    expect(value_source.locator("option[value='value']")).to_be_disabled()

    # A declared output feeds a downstream input, typed as declared.
    panel = _select(page, "after")
    panel.get_by_label("Source of a", exact=True).select_option("upstream")
    picker = panel.get_by_label("Upstream output for a")
    expect(picker.locator("option", has_text="code → s (string) — does not fit")).to_be_disabled()
    picker.select_option(label="code → n (integer)")
    expect(picker).to_have_value('["code","n"]')
    expect(page.get_by_text("Unsaved changes", exact=True)).to_be_visible()

    # The nullable binding validates with a warning, shown on the field and the node (not as a problem).
    expect(_node(page, "after_maybe").get_by_test_id("node-warning-badge")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    panel = _select(page, "after_maybe")
    warning = panel.locator("[data-field='a']").get_by_test_id("field-warning")
    expect(warning).to_contain_text("Output number of task maybe (integer or null) may be null")
    expect(panel.locator("[data-field='a']").get_by_test_id("field-error")).to_have_count(0)
    page.get_by_role("tab", name="Problems").click()
    expect(page.get_by_text("No problems found.")).to_be_visible()
    expect(page.get_by_test_id("warnings-list")).to_contain_text("Warnings of task after_maybe")
    domino.screenshot("domino-bindings-editor")
    assert console_errors == []
