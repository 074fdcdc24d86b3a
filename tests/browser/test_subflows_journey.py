"""A sub-workflow's run page links parent and child; the schedule form offers "after workflow" with a preview."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino
from tests.browser.editing import (
    connect,
    deploy,
    drag_from_palette,
    expect_state,
    expect_valid,
    node,
    open_run,
    run_node,
    save,
    select,
    trigger,
    wait_for_dag,
)
from tests.integration.helpers import run_dag

ADD = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}
RUN_TIMEOUT = 300_000


def _child() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": "journey_child",
        "name": "Journey child",
        "params": {"x": {"type": "integer", "default": 0}},
        "tasks": [{"id": "add", "piece": ADD, "inputs": {"a": {"$param": "x"}, "b": 1}}],
    }


def test_run_page_links_parent_and_child_and_schedule_form_previews(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    child = _child()
    parent = {
        "schema_version": 1,
        "id": "journey_parent",
        "name": "Journey parent",
        "tasks": [
            {"id": "seed", "piece": ADD, "inputs": {"a": 1, "b": 1}},
            {
                "id": "run_child",
                "workflow": {"id": "journey_child", "poll_interval_s": 1},
                "inputs": {"x": {"$upstream": {"task": "seed", "output": "total"}}},
                "depends_on": ["seed"],
            },
        ],
    }
    deploy(admin, airflow_api, child, exist_ok=True)
    deploy(admin, airflow_api, parent)
    run = run_dag(airflow_api, "journey_parent", timeout=600)
    assert run["state"] == "success"

    domino.open(f"/workflows/journey_parent/runs/{run['dag_run_id']}")
    child_link = page.get_by_test_id("child-run-link")
    expect(child_link).to_contain_text("journey_child")
    child_link.click()
    expect(page).to_have_url(re.compile(r"/domino/ui/workflows/journey_child/runs/[^/]+$"))
    parent_link = page.get_by_test_id("parent-run-link")
    expect(parent_link).to_contain_text(f"journey_parent · {run['dag_run_id']}")
    expect(page.get_by_test_id("run-links")).to_contain_text("Started by task run_child of")
    domino.screenshot("sub-workflow-child-run")

    # The schedule form: "After workflow…" lists the other workflows and says what triggers what.
    domino.open("/workflows/journey_child/edit")
    page.get_by_role("tab", name="Settings").click()
    settings = page.get_by_test_id("settings-panel")
    settings.get_by_role("combobox", name="Schedule", exact=True).select_option(label="After workflow…")
    schedule = settings.get_by_test_id("data-schedule")
    expect(schedule.get_by_test_id("schedule-on-preview")).to_have_text("Pick at least one workflow or asset.")
    schedule.get_by_text("Journey parent").click()
    expect(schedule.get_by_test_id("schedule-on-preview")).to_have_text("Runs when journey_parent has completed.")
    schedule.get_by_label("Asset name or URI").fill("s3://bucket/sales.csv")
    schedule.get_by_role("button", name="Add asset").click()
    expect(schedule.get_by_test_id("schedule-on-preview")).to_have_text(
        "Runs once journey_parent has completed and asset s3://bucket/sales.csv has been updated since its last run."
    )
    domino.screenshot("schedule-after-workflow")


def test_build_a_sub_workflow_node_by_drag_and_drop_and_run_it(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    """Palette → "Sub-workflow" step → pick a saved workflow, bind its parameter, bind its output downstream."""
    deploy(admin, airflow_api, _child(), exist_ok=True)
    page = domino.open("/workflows/new")  # type: ignore[assignment]
    settings = page.get_by_test_id("settings-panel")
    settings.get_by_label("Name").fill("Sub-workflow journey")
    settings.get_by_label("Workflow id").fill("subflow_journey")

    drag_from_palette(page, "palette-piece-AddPiece", 120, 70)
    expect(node(page, "add")).to_be_visible()
    drag_from_palette(page, "palette-step-workflow", 390, 70)
    expect(node(page, "run_workflow")).to_be_visible()
    expect(node(page, "run_workflow").get_by_test_id("node-kind")).to_have_text("Sub-workflow")
    drag_from_palette(page, "palette-piece-AddPiece", 120, 230)
    expect(node(page, "add_2")).to_be_visible()

    panel = select(page, "add")
    panel.get_by_role("textbox", name="a", exact=True).fill("20")
    panel.get_by_role("textbox", name="b", exact=True).fill("1")

    # The sub-workflow: a saved workflow picked from a list; its run parameter becomes an input.
    connect(page, "add", "run_workflow")
    panel = select(page, "run_workflow")
    panel.get_by_label("Workflow to run").select_option(label="Journey child (journey_child)")
    outputs = panel.get_by_test_id("step-outputs")
    expect(outputs).to_contain_text("Its run parameters are the inputs below (x).")
    expect(outputs).to_contain_text("Tasks after this one can use its outputs: add.total.")
    panel.get_by_label("Source of x", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for x").select_option(label="add → total (integer)")
    expect(node(page, "run_workflow")).to_contain_text("Run journey_child")

    # Downstream, the child's final output is bound like any upstream output.
    connect(page, "run_workflow", "add_2")
    panel = select(page, "add_2")
    panel.get_by_label("Source of a", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for a").select_option(label="run_workflow → add.total (integer)")
    panel.get_by_role("textbox", name="b", exact=True).fill("100")
    expect_valid(page)
    domino.screenshot("sub-workflow-editor")
    save(page, "A sub-workflow")

    tasks = {t["id"]: t for t in admin.get("/workflows/subflow_journey").json()["document"]["tasks"]}
    assert tasks["run_workflow"]["workflow"] == {"id": "journey_child"}
    assert tasks["run_workflow"]["inputs"] == {"x": {"$upstream": {"task": "add", "output": "total"}}}
    assert "piece" not in tasks["run_workflow"]
    assert tasks["add_2"]["inputs"]["a"] == {"$upstream": {"task": "run_workflow", "output": "add.total"}}
    wait_for_dag(airflow_api, "subflow_journey")
    airflow_api.patch("/dags/journey_child", json={"is_paused": False}).raise_for_status()

    run_id = trigger(admin, "subflow_journey")
    graph = open_run(page, domino.open, "subflow_journey", run_id)
    expect_state(graph, "add_2", "success", RUN_TIMEOUT)
    expect_state(graph, "run_workflow", "success", 5_000)
    # 20 + 1 = 21 goes to the child (21 + 1 = 22), whose output comes back: 22 + 100.
    outputs_of = admin.get(f"/workflows/subflow_journey/runs/{run_id}/tasks/add_2/outputs").json()
    assert outputs_of == {"outputs": {"total": 122}}
    run_node(graph, "run_workflow").click()
    expect(page.get_by_test_id("child-run-link")).to_contain_text("journey_child")
    domino.screenshot("sub-workflow-run")
