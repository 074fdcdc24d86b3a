"""Workflows list → run with a parameter → nodes turn green live → log and Markdown result → report."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino
from tests.browser.editing import deploy

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
RUN_TIMEOUT = 180_000
FILES_URL = re.compile(r"/domino/api/v1/workflows/gui_journey/runs/.+/tasks/(report|chart)/files/")


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
                "inputs": {
                    "title": {"$param": "title"},
                    "items": ["alpha", "beta"],
                    "rows": [{"city": "Oslo", "sales": 12}, {"city": "Rome", "sales": 7}],
                    "image_path": {"$upstream": {"task": "chart", "output": "image_path"}},
                },
                "depends_on": ["chart"],
            },
            {
                "id": "chart",
                "label": "Draw bars",
                "piece": {**REPO, "name": "BarsPiece"},
                "inputs": {"values": [{"$upstream": {"task": "add", "output": "total"}}, 3, 9]},
                "depends_on": ["add"],
            },
        ],
        "ui": {"nodes": {"add": {"x": 0, "y": 0}, "chart": {"x": 280, "y": 0}, "report": {"x": 560, "y": 0}}},
    }


def _expect_table_and_images(page: Page, result: Any) -> None:
    table = result.get_by_role("table")
    expect(table.get_by_role("columnheader", name="sales")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("cell", name="Oslo")).to_be_visible()
    for name in ("Copied chart", "Upstream chart"):
        image = result.get_by_role("img", name=name)
        expect(image).to_have_attribute("src", FILES_URL)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())


def test_run_a_workflow_and_watch_it(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    deploy(admin, airflow_api, _document(), message="Saved by the browser test")

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
    # Three tasks in a row would be too small to read fitted into the half-width box: the page
    # starts with the list in dependency order; the graph is one click away (and then remembered).
    expect(page.get_by_role("list", name="Tasks in order").get_by_role("listitem")).to_have_count(3)
    page.get_by_role("button", name="Graph", exact=True).click()
    graph = page.get_by_label("Task graph of this run")
    expect(graph.locator(".react-flow__node")).to_have_count(3)
    add_node = graph.locator(".react-flow__node[data-id='add'] [data-state]")
    report_node = graph.locator(".react-flow__node[data-id='report'] [data-state]")
    url_before = page.url
    expect(add_node).to_have_attribute("data-state", "success", timeout=RUN_TIMEOUT)
    expect(report_node).to_have_attribute("data-state", "success", timeout=RUN_TIMEOUT)
    assert page.url == url_before
    expect(page.get_by_role("heading", level=2).locator("[data-state='success']")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", level=2)).to_contain_text("GUI journey")
    expect(page).to_have_title(re.compile(r"^GUI journey · run of .+ · Success · Domino$"))

    # The deep link loaded afresh fetches its assets from the app root (not …/ui/workflows/assets/,
    # which the browser's preload scanner used to request before the page's script set <base>).
    asset_urls: list[str] = []
    warnings: list[str] = []
    page.on("request", lambda request: asset_urls.append(request.url) if "/assets/" in request.url else None)
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.reload()
    expect(graph.locator(".react-flow__node")).to_have_count(3)
    assert asset_urls, "no asset was requested"
    assert all("/domino/ui/assets/" in url for url in asset_urls), asset_urls
    # Selecting tasks in the graph and the list logs nothing (it used to log "Illegal invocation").
    graph.locator(".react-flow__node[data-id='chart']").click()
    expect(page.get_by_role("heading", level=3, name="Draw bars")).to_be_visible()

    # The first task's log, with the piece's own output set apart.
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Add numbers").click()
    page.get_by_role("tab", name="Logs").click()
    piece_block = page.locator("[data-log-block='piece']")
    expect(piece_block).to_contain_text("Adding 5 and 2")
    expect(piece_block).to_contain_text("Piece AddPiece output")
    domino.screenshot("run-task-log")
    # Outputs read as key/value rows, not raw JSON.
    page.get_by_role("tab", name="Outputs").click()
    outputs = page.get_by_role("table", name="Outputs of add")
    expect(outputs.get_by_role("row", name=re.compile("total"))).to_contain_text("7")
    expect(page.get_by_role("region", name="Outputs of add")).not_to_contain_text('"total"')

    # The report's display result: GitHub Markdown with a table, and both images (one named
    # relative to the report, one by the upstream's server path) served by the files endpoint.
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Write report").click()
    page.get_by_role("tab", name=re.compile("Result")).click()
    result = page.locator(".domino-display-result[data-kind='markdown']")
    expect(result.get_by_role("heading", name="Weekly report")).to_be_visible()
    expect(result.locator("ul > li")).to_have_count(2)
    _expect_table_and_images(page, result)
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
    _expect_table_and_images(page, page.locator(".domino-display-result[data-kind='markdown']"))
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link")).to_have_count(3)
    contents.get_by_role("link", name=re.compile("Write report")).click()
    expect(page.get_by_role("heading", name="3. Write report")).to_be_in_viewport()
    assert "/report" in page.url  # the contents link scrolled; it did not navigate away
    expect(page.get_by_role("table", name="Outputs of add")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Report · GUI journey · run of .+ · Success · Domino$"))
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"run report height: {height} px")
    domino.screenshot("run-report")

    # The runs list shows the run as successful.
    page.goto(domino.url("/workflows/gui_journey/runs"))
    runs = page.get_by_role("table", name="Runs")
    expect(runs.get_by_text("Success").first).to_be_visible()
    domino.screenshot("runs-list")
    assert not [text for text in warnings if "preload" in text], warnings

    # Inside Airflow's shell too: picking tasks on the run page logs nothing at all.
    shell_messages: list[str] = []
    page.on("console", lambda message: shell_messages.append(f"{message.type}: {message.text}"))
    frame = domino.open_in_shell()
    frame.get_by_role("link", name="GUI journey").click()
    frame.get_by_role("table", name="Runs").get_by_role("link").first.click()
    for label in ("Add numbers", "Draw bars", "Write report"):
        frame.get_by_role("table", name="Tasks").get_by_role("button", name=label).click()
        expect(frame.get_by_role("heading", level=3, name=label)).to_be_visible()
    frame.locator(".react-flow__node[data-id='add']").click()
    expect(frame.get_by_role("heading", level=3, name="Add numbers")).to_be_visible()
    page.wait_for_timeout(500)
    assert not [m for m in shell_messages if "Illegal invocation" in m or m.startswith("error")], shell_messages
