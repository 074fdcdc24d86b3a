"""Testing one node from the editor on the real stack: with the inputs typed in its form, and with the
upstream outputs of a past run pinned (reached from a run's task panel, then inputs edited); plus
the editor's Run button saying that unsaved changes are not part of a run."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Domino
from tests.browser.editing import deploy
from tests.integration.helpers import wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
WORKFLOW_ID = "node_test_journey"
RUN_TIMEOUT = 240_000


def _document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": WORKFLOW_ID,
        "name": "Node test journey",
        "schedule": None,
        "params": {"x": {"type": "integer", "default": 1}},
        "tasks": [
            {
                "id": "first",
                "label": "First sum",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$param": "x"}, "b": 2},
            },
            {
                "id": "second",
                "label": "Second sum",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 10},
                "depends_on": ["first"],
            },
        ],
        "ui": {"nodes": {"first": {"x": 0, "y": 0}, "second": {"x": 300, "y": 0}}},
    }


def _saved(admin: httpx.Client, airflow_api: httpx.Client) -> None:
    deploy(admin, airflow_api, _document(), exist_ok=True)
    # No wait for its node-test DAG: the first test from the editor asks Airflow for it.


def _select(page: Page, task_id: str) -> Locator:
    page.locator(f".react-flow__node[data-id='{task_id}']").click()
    panel = page.get_by_test_id("task-panel")
    expect(panel.get_by_role("textbox", name="Task id")).to_have_value(task_id)
    return panel


def _run_test(page: Page) -> Locator:
    page.get_by_role("tab", name="Test").click()
    panel = page.get_by_test_id("node-test-panel")
    panel.get_by_role("button", name="Run test").click()
    result = panel.get_by_test_id("node-test-result")
    expect(result.locator("[data-state='success']")).to_be_visible(timeout=RUN_TIMEOUT)
    return result


def test_a_node_runs_with_the_inputs_in_its_form(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    _saved(admin, airflow_api)
    domino.open(f"/workflows/{WORKFLOW_ID}/edit")

    # `second` takes `first`'s output; for the test, type a value instead (unsaved).
    panel = _select(page, "second")
    panel.get_by_label("Source of a", exact=True).select_option("value")
    panel.get_by_role("textbox", name="a", exact=True).fill("40")
    expect(page.get_by_text("Unsaved changes", exact=True)).to_be_visible()

    # Without a pinned run the test uses the form's values: 40 + 10.
    result = _run_test(page)
    expect(page.get_by_label("Pinned run")).to_have_value("")
    outputs = result.get_by_label("Outputs of the test of second")
    expect(outputs.get_by_role("row", name=re.compile("total"))).to_contain_text("50")
    result.get_by_role("tab", name="Log").click()
    expect(result.locator("[data-log-block='piece']")).to_contain_text("Piece AddPiece output")
    domino.screenshot("node-test-form-inputs")

    # The editor's Run button runs the saved workflow and says the unsaved edit is not part of it.
    page.get_by_role("button", name="Run…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("run-unsaved-notice")).to_contain_text("saved revision 1")
    dialog.get_by_role("button", name="Cancel").click()
    # The workflow itself is still revision 1 with its binding.
    saved = admin.get(f"/workflows/{WORKFLOW_ID}").json()
    assert saved["revision"]["number"] == 1
    assert saved["document"]["tasks"][1]["inputs"]["a"] == {"$upstream": {"task": "first", "output": "total"}}


def test_a_task_of_a_past_run_is_tested_again_with_pinned_upstream_and_edited_inputs(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    _saved(admin, airflow_api)
    admin.post(f"/workflows/{WORKFLOW_ID}/unpause").raise_for_status()
    started = admin.post(f"/workflows/{WORKFLOW_ID}/runs", json={"params": {"x": 4}})
    assert started.status_code == 201, started.text
    run_id = started.json()["run_id"]

    def ended() -> dict | None:
        body = admin.get(f"/workflows/{WORKFLOW_ID}/runs/{run_id}").json()
        return body if body["state"] in ("success", "failed") else None

    assert wait_for("the past run", ended, timeout=240, interval=0.5)["state"] == "success"

    # From the run's task panel to the editor, with that run pinned.
    domino.open(f"/workflows/{WORKFLOW_ID}/runs/{run_id}")
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Second sum").click()
    page.get_by_role("link", name="Test again with edited inputs").click()
    expect(page).to_have_url(re.compile(rf"/workflows/{WORKFLOW_ID}/edit\?test=second&pinned="))
    expect(page.get_by_label("Pinned run")).to_have_value(run_id)

    # `first` gave 6 in that run (4 + 2): the test adds 10 to the pinned value.
    result = _run_test(page)
    outputs = result.get_by_label("Outputs of the test of second")
    expect(outputs.get_by_role("row", name=re.compile("total"))).to_contain_text("16")
    expect(result).to_contain_text(run_id)

    # Edit an input in the form and test again with the same pinned upstream: 6 + 30.
    page.get_by_role("tab", name="Task").click()
    panel = page.get_by_test_id("task-panel")
    panel.get_by_role("textbox", name="b", exact=True).fill("30")
    result = _run_test(page)
    outputs = result.get_by_label("Outputs of the test of second")
    expect(outputs.get_by_role("row", name=re.compile("total"))).to_contain_text("36")
    domino.screenshot("node-test-pinned")
