"""Workflows list → run with a parameter → nodes turn green live → log and Markdown result → report."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino
from tests.integration.helpers import dag, wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
RUN_TIMEOUT = 180_000


def _document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": "gui_journey",
        "name": "GUI journey",
        "description": "Adds a number, then writes a Markdown report.",
        "schedule": None,
        "tags": ["gui"],
        "params": {
            "x": {"type": "integer", "default": 1, "minimum": 0, "title": "First number"},
            "title": {"type": "string", "default": "Weekly report"},
        },
        "tasks": [
            {
                "id": "add",
                "label": "Add numbers",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$param": "x"}, "b": 2},
            },
            {
                "id": "report",
                "label": "Write report",
                "piece": {**REPO, "name": "MarkdownReportPiece"},
                "inputs": {"title": {"$param": "title"}, "items": ["alpha", "beta"]},
                "depends_on": ["add"],
            },
            {
                "id": "chart",
                "label": "Draw bars",
                "piece": {**REPO, "name": "BarsPiece"},
                "inputs": {"values": [{"$upstream": {"task": "add", "output": "total"}}, 3, 9]},
                "depends_on": ["add"],
            },
        ],
        "ui": {"nodes": {"add": {"x": 0, "y": 0}, "report": {"x": 280, "y": 0}, "chart": {"x": 280, "y": 140}}},
    }


def _save(admin: httpx.Client, airflow_api: httpx.Client) -> None:
    response = admin.post("/workflows", json={"document": _document(), "message": "Saved by the browser test"})
    assert response.status_code in (201, 409), response.text
    wait_for("DAG gui_journey", lambda: dag(airflow_api, "gui_journey"), timeout=60)


def test_run_a_workflow_and_watch_it(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    _save(admin, airflow_api)

    domino.open("/workflows")
    row = page.get_by_role("row", name=re.compile("GUI journey"))
    expect(row).to_be_visible()
    expect(row.get_by_text("gui_journey")).to_be_visible()
    domino.screenshot("workflows-list")

    row.get_by_role("button", name="Run").click()
    dialog = page.get_by_role("dialog")
    number = dialog.get_by_label(re.compile("First number"))
    expect(number).to_have_value("1")
    number.fill("5")
    dialog.get_by_role("button", name="Start run").click()

    # The run page: the graph's nodes change colour as the scheduler moves on, without a reload.
    expect(page).to_have_url(re.compile(r"/domino/ui/workflows/gui_journey/runs/[^/]+$"), timeout=30_000)
    graph = page.get_by_label("Task graph of this run")
    expect(graph.locator(".react-flow__node")).to_have_count(3)
    add_node = graph.locator(".react-flow__node[data-id='add'] [data-state]")
    report_node = graph.locator(".react-flow__node[data-id='report'] [data-state]")
    url_before = page.url
    expect(add_node).to_have_attribute("data-state", "success", timeout=RUN_TIMEOUT)
    expect(report_node).to_have_attribute("data-state", "success", timeout=RUN_TIMEOUT)
    assert page.url == url_before
    expect(page.get_by_role("heading", level=2).locator("[data-state='success']")).to_be_visible(timeout=30_000)

    # The first task's log, with the piece's own output set apart.
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Add numbers").click()
    page.get_by_role("tab", name="Logs").click()
    piece_block = page.locator("[data-log-block='piece']")
    expect(piece_block).to_contain_text("Adding 5 and 2")
    expect(piece_block).to_contain_text("Piece AddPiece output")
    page.get_by_role("tab", name="Outputs").click()
    expect(page.get_by_role("region", name="Outputs of add")).to_contain_text('"total": 7')
    domino.screenshot("run-task-log")

    # The second task's display result: Markdown rendered as HTML.
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Write report").click()
    page.get_by_role("tab", name=re.compile("Result")).click()
    result = page.locator(".domino-display-result[data-kind='markdown']")
    expect(result.get_by_role("heading", name="Weekly report")).to_be_visible()
    expect(result.get_by_role("listitem")).to_have_count(2)
    domino.screenshot("run-markdown-result")

    # The third task's display result: a PNG image, actually decoded by the browser.
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Draw bars").click()
    page.get_by_role("tab", name=re.compile("Result")).click()
    image = page.locator(".domino-display-result[data-kind='image'] img")
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    domino.screenshot("run-image-result")

    # The printable report lists every task's results.
    page.get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name=re.compile("Run report"))).to_be_visible()
    expect(page.get_by_role("heading", name="1. Add numbers")).to_be_visible()
    expect(page.locator(".domino-display-result").get_by_role("heading", name="Weekly report")).to_be_visible()
    domino.screenshot("run-report")

    # The runs list shows the run as successful.
    page.goto(domino.url("/workflows/gui_journey/runs"))
    runs = page.get_by_role("table", name="Runs")
    expect(runs.get_by_text("Success").first).to_be_visible()
    domino.screenshot("runs-list")
