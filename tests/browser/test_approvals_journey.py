"""Approval steps in the GUI: answered from "Waiting for you" (with a form value) and the run page's task panel;
added from the editor's palette, saved, run and answered."""

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
from tests.integration.helpers import wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
ADD = {**REPO, "name": "AddPiece"}
RUN_TIMEOUT = 180_000


def _document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": "gui_approval",
        "name": "GUI approval",
        "tasks": [
            {"id": "sum", "label": "Sum", "piece": ADD, "inputs": {"a": 2, "b": 3}},
            {
                "id": "sign_off",
                "approval": {
                    "title": "Publish the total?",
                    "body": "The total is **{{ total }}**.",
                    "fields": {"extra": {"type": "integer", "default": 0, "title": "Extra amount"}},
                },
                "inputs": {"total": {"$upstream": {"task": "sum", "output": "total"}}},
                "depends_on": ["sum"],
            },
            {
                "id": "publish",
                "label": "Publish",
                "piece": ADD,
                "inputs": {
                    "a": {"$upstream": {"task": "sign_off", "output": "extra"}},
                    "b": {"$upstream": {"task": "sum", "output": "total"}},
                },
                "depends_on": ["sign_off"],
            },
        ],
    }


def _waiting(admin: httpx.Client, run_id: str) -> None:
    def ready() -> bool | None:
        items = admin.get(f"/workflows/gui_approval/runs/{run_id}/approvals").json()["items"]
        return True if any(s["can_respond"] for s in items) else None

    wait_for(f"approval of {run_id}", ready, timeout=120, interval=0.5)


def test_answer_approvals_from_waiting_for_you_and_from_the_run_page(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    deploy(admin, airflow_api, _document(), unpause=True)

    # 1. "Waiting for you": the step with its upstream value, a form field, Approve.
    run_id = trigger(admin, "gui_approval")
    _waiting(admin, run_id)
    domino.open("/workflows")
    page.get_by_role("link", name="Waiting for you").click()
    expect(page).to_have_url(re.compile(r"/domino/ui/approvals$"))
    card = page.get_by_role("article", name="Publish the total?")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.locator("strong", has_text="5")).to_be_visible()
    expect(card).to_contain_text("GUI approval")
    card.get_by_label("Extra amount").fill("10")
    domino.screenshot("approval-waiting-for-you")
    card.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible(timeout=30_000)

    # The run goes on; downstream received the entered value (10 + 5).
    graph = open_run(page, domino.open, "gui_approval", run_id)
    expect_state(graph, "publish", "success", RUN_TIMEOUT)
    run_node(graph, "sign_off").click()
    answered = page.get_by_role("article", name="Publish the total?")
    expect(answered).to_contain_text("Answered")
    expect(answered).to_contain_text("Approve by admin")
    assert admin.get(f"/workflows/gui_approval/runs/{run_id}/tasks/publish/outputs").json() == {
        "outputs": {"total": 15}
    }

    # 2. The run page's task panel: Reject, and the downstream task is skipped.
    run_id = trigger(admin, "gui_approval")
    _waiting(admin, run_id)
    graph = open_run(page, domino.open, "gui_approval", run_id)
    run_node(graph, "sign_off").click()
    step = page.get_by_role("article", name="Publish the total?")
    expect(step.get_by_role("button", name="Reject")).to_be_visible(timeout=30_000)
    step.get_by_role("button", name="Reject").click()
    expect(step).to_contain_text("Reject by admin", timeout=30_000)
    expect_state(graph, "publish", "skipped", RUN_TIMEOUT)
    domino.screenshot("approval-rejected-in-run-page")


def test_add_an_approval_step_from_the_palette_save_run_and_answer_it(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    """Palette → "Approval": title, Markdown message with an upstream value, a form field, who may respond."""
    page = domino.open("/workflows/new")  # type: ignore[assignment]
    settings = page.get_by_test_id("settings-panel")
    settings.get_by_label("Name").fill("Palette approval")
    settings.get_by_label("Workflow id").fill("palette_approval")

    drag_from_palette(page, "palette-piece-AddPiece", 120, 70)
    expect(node(page, "add")).to_be_visible()
    drag_from_palette(page, "palette-step-approval", 390, 70)
    expect(node(page, "approval").get_by_test_id("node-kind")).to_have_text("Approval")
    drag_from_palette(page, "palette-piece-AddPiece", 120, 230)
    expect(node(page, "add_2")).to_be_visible()

    panel = select(page, "add")
    panel.get_by_role("textbox", name="a", exact=True).fill("2")
    panel.get_by_role("textbox", name="b", exact=True).fill("3")

    connect(page, "add", "approval")
    panel = select(page, "approval")
    step = panel.get_by_test_id("approval-fields")
    step.get_by_role("textbox", name="Title").fill("Ship the total?")
    step.get_by_role("textbox", name="Message (Markdown)").fill("The total is **{{ total }}**.")
    expect(step).to_contain_text("Values shown: {{ total }}")
    # The body's value is an input of the step, bound like a piece input.
    panel.get_by_label("Source of total", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for total").select_option(label="add → total (integer)")
    step.get_by_role("button", name="Add field").click()
    name = step.get_by_role("textbox", name="Name of field field_1")
    name.fill("extra")
    name.press("Enter")
    step.get_by_label("Type of field extra").select_option("integer")
    step.get_by_role("textbox", name="Label of field extra").fill("Extra amount")
    step.get_by_role("textbox", name="Default of field extra").fill("0")
    # Respondents are the auth manager's user ids (FAB: a number); the help text shows yours.
    admin_id = admin.get("/info").raise_for_status().json()["user"]["id"]
    expect(step).to_contain_text(f"your id: {admin_id}")
    step.get_by_role("textbox", name="Who may respond").fill(admin_id)
    expect(step.get_by_test_id("step-outputs")).to_contain_text("approved, responded_by, responded_at, extra")
    expect(node(page, "approval")).to_contain_text("Ship the total?")

    # Downstream binds the response: the entered extra amount plus the total.
    connect(page, "approval", "add_2")
    panel = select(page, "add_2")
    panel.get_by_label("Source of a", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for a").select_option(label="approval → extra (integer)")
    panel.get_by_label("Source of b", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for b").select_option(label="add → total (integer)")
    expect_valid(page)
    domino.screenshot("approval-step-editor")
    save(page, "An approval step")

    tasks = {t["id"]: t for t in admin.get("/workflows/palette_approval").json()["document"]["tasks"]}
    assert tasks["approval"]["approval"] == {
        "kind": "approval",
        "title": "Ship the total?",
        "body": "The total is **{{ total }}**.",
        "fields": {"extra": {"type": "integer", "title": "Extra amount", "default": 0}},
        "respondents": [admin_id],
    }
    assert tasks["approval"]["inputs"] == {"total": {"$upstream": {"task": "add", "output": "total"}}}
    wait_for_dag(airflow_api, "palette_approval")

    run_id = trigger(admin, "palette_approval")
    graph = open_run(page, domino.open, "palette_approval", run_id)
    run_node(graph, "approval").click()
    answer = page.get_by_role("article", name="Ship the total?")
    expect(answer.get_by_role("button", name="Approve")).to_be_visible(timeout=RUN_TIMEOUT)
    expect(answer.locator("strong", has_text="5")).to_be_visible()
    answer.get_by_role("button", name="Approve").click()
    expect(answer).to_contain_text("Approve by admin", timeout=30_000)
    expect_state(graph, "add_2", "success", RUN_TIMEOUT)
    assert admin.get(f"/workflows/palette_approval/runs/{run_id}/tasks/add_2/outputs").json() == {
        "outputs": {"total": 5}
    }
    domino.screenshot("approval-step-answered")
