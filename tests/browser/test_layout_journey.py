"""Every Domino page without a console error; the editor and workflows list at 1024x700; a drawn edge binds inputs.

The ``page`` fixture already fails a test on any console error or uncaught page error; the tour
also checks after each page, so a failure names the page that logged it.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Domino
from tests.browser.editing import deploy
from tests.integration.helpers import wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
TOUR_ID = "page_tour"
BIND_ID = "edge_binding_journey"
SMALL = {"width": 1024, "height": 700}


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> None:
    deploy(admin, airflow_api, document, message="Saved by the layout journey", exist_ok=True)


def _tour_document() -> dict[str, Any]:
    tasks = [{"id": "first", "label": "First sum", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1, "b": 2}}]
    for i in range(2, 8):
        tasks.append(
            {
                "id": f"step_{i}",
                "label": f"Step {i}",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$upstream": {"task": tasks[-1]["id"], "output": "total"}}, "b": i},
                "depends_on": [tasks[-1]["id"]],
            }
        )
    return {"schema_version": 1, "id": TOUR_ID, "name": "Page tour", "schedule": None, "tasks": tasks}


def _finished_run(admin: httpx.Client) -> str:
    runs = admin.get(f"/workflows/{TOUR_ID}/runs", params={"state": "success", "limit": 1}).json()
    if runs.get("items"):
        return str(runs["items"][0]["run_id"])
    response = admin.post(f"/workflows/{TOUR_ID}/runs", json={"params": {}})
    assert response.status_code == 201, response.text
    run_id = response.json()["run_id"]

    def ended() -> dict | None:
        body = admin.get(f"/workflows/{TOUR_ID}/runs/{run_id}").raise_for_status().json()
        return body if body["state"] in ("success", "failed") else None

    assert wait_for(f"run {run_id}", ended, timeout=300, interval=0.5)["state"] == "success"
    return str(run_id)


def _settle(page: Page, console_errors: list[str], where: str) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert console_errors == [], f"{where}: {console_errors}"


def _in_viewport(locator: Locator, viewport: dict[str, int]) -> None:
    """Visible and wholly inside the window: not cut off at an edge, not scrolled out sideways."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0, box
    assert box["x"] + box["width"] <= viewport["width"] + 0.5, box
    assert box["width"] > 0
    assert box["height"] > 0


def test_every_page_logs_no_error(
    fixture_repository: dict,
    admin: httpx.Client,
    airflow_api: httpx.Client,
    domino: Domino,
    page: Page,
    console_errors: list[str],
) -> None:
    _save(admin, airflow_api, _tour_document())
    run_id = _finished_run(admin)
    piece_id = next(p["id"] for p in admin.get("/pieces").json()["items"] if p["name"] == "AddPiece")

    domino.open("/overview")
    expect(page.get_by_role("heading", name=re.compile("Overview"))).to_be_visible()
    _settle(page, console_errors, "overview")

    domino.open("/workflows")
    expect(page.get_by_role("row", name=re.compile("Page tour"))).to_be_visible()
    _settle(page, console_errors, "workflows")

    domino.open(f"/workflows/{TOUR_ID}/edit")
    expect(page.locator(".react-flow__node")).to_have_count(7)
    page.locator(".react-flow__node[data-id='step_3']").click()
    expect(page.get_by_test_id("task-panel")).to_be_visible()
    _settle(page, console_errors, "editor")

    domino.open(f"/workflows/{TOUR_ID}/runs")
    expect(page.get_by_role("table", name="Runs")).to_be_visible()
    _settle(page, console_errors, "runs")

    domino.open(f"/workflows/{TOUR_ID}/runs/{run_id}")
    graph = page.get_by_label("Task graph of this run")
    expect(page.get_by_role("table", name="Tasks").get_by_role("row")).to_have_count(8)
    page.get_by_role("table", name="Tasks").get_by_role("button", name="Step 4").click()
    expect(page.get_by_role("heading", level=3, name="Step 4")).to_be_visible()
    _settle(page, console_errors, "run page")
    _run_graph_is_readable(page, graph)

    domino.open(f"/workflows/{TOUR_ID}/runs/{run_id}/report")
    expect(page.get_by_role("heading", name=re.compile("Run report"))).to_be_visible()
    _settle(page, console_errors, "report")

    domino.open("/pieces")
    expect(page.get_by_text("AddPiece").first).to_be_visible()
    _settle(page, console_errors, "pieces")

    domino.open(f"/pieces/{piece_id}")
    expect(page.get_by_role("heading", name=re.compile("AddPiece"))).to_be_visible()
    _settle(page, console_errors, "piece doc")

    domino.open("/secrets")
    expect(page.get_by_role("heading", name=re.compile("Secrets"))).to_be_visible()
    _settle(page, console_errors, "secrets")


def _run_graph_is_readable(page: Page, graph: Locator) -> None:
    """Seven tasks: the graph fits its box and its labels are at least 11 px on screen (else it offers a list)."""
    nodes = graph.locator(".react-flow__node")
    if nodes.count() == 0:
        # The graph was too wide to read at fit: the list view shows every task instead.
        expect(page.get_by_role("list", name="Tasks in order")).to_be_visible()
        expect(page.get_by_role("list", name="Tasks in order").get_by_role("listitem")).to_have_count(7)
        return
    expect(nodes).to_have_count(7)
    box = graph.bounding_box()
    assert box is not None
    for i in range(7):
        node = nodes.nth(i).bounding_box()
        assert node is not None
        assert box["x"] - 1 <= node["x"], (node, box)
        assert node["x"] + node["width"] <= box["x"] + box["width"] + 1, (node, box)
    size = page.evaluate(
        """el => {
            const text = el.querySelector('.react-flow__node [data-state] p, .react-flow__node [data-state] span');
            const m = new DOMMatrix(getComputedStyle(el.querySelector('.react-flow__viewport')).transform);
            return parseFloat(getComputedStyle(text).fontSize) * m.a;
        }""",
        graph.element_handle(),
    )
    assert size >= 11, f"run graph text is {size:.1f} px on screen"


def test_editor_and_workflows_list_at_1024(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    _save(admin, airflow_api, _tour_document())
    page.set_viewport_size(SMALL)

    domino.open("/workflows")
    row = page.get_by_role("row", name=re.compile("Page tour"))
    expect(row).to_be_visible()
    _in_viewport(row.get_by_role("button", name="Run", exact=True), SMALL)
    _in_viewport(row.get_by_role("link", name="Edit", exact=True), SMALL)
    _in_viewport(row.get_by_role("button", name="More actions for Page tour"), SMALL)
    _in_viewport(page.get_by_role("link", name="New workflow"), SMALL)
    domino.screenshot("workflows-list-1024x700")

    domino.open(f"/workflows/{TOUR_ID}/edit")
    expect(page.locator(".react-flow__node")).to_have_count(7)
    tools = page.get_by_role("navigation", name="Editor tools")
    buttons = tools.get_by_role("button")
    assert buttons.count() >= 8
    for i in range(buttons.count()):
        _in_viewport(buttons.nth(i), SMALL)
    # The palette starts folded at this width; both side panels fold and unfold with one click.
    palette = page.get_by_role("complementary", name="Pieces")
    expect(palette.get_by_label("Search pieces")).to_be_hidden()
    page.get_by_role("button", name="Show pieces").click()
    expect(palette.get_by_label("Search pieces")).to_be_visible()
    page.get_by_role("button", name="Hide pieces").click()
    expect(palette.get_by_label("Search pieces")).to_be_hidden()
    details = page.get_by_role("complementary", name="Details")
    canvas = page.get_by_test_id("editor-canvas")
    width_with_panel = canvas.bounding_box()["width"]  # type: ignore[index]
    page.get_by_role("button", name="Hide details").click()
    expect(details.get_by_role("tab", name="Settings")).to_be_hidden()
    page.wait_for_timeout(200)
    assert canvas.bounding_box()["width"] > width_with_panel + 250  # type: ignore[index]
    # Selecting a task brings the panel back.
    page.locator(".react-flow__node[data-id='step_2']").click()
    expect(page.get_by_test_id("task-panel")).to_be_visible()
    for control in ("Zoom In", "Zoom Out", "Fit View"):
        _in_viewport(page.get_by_role("button", name=control, exact=True), SMALL)

    # Opened fitted: every node on the canvas, none under the minimap (hidden here by default).
    page.get_by_role("button", name="Fit view", exact=True).click()
    page.wait_for_timeout(400)
    area = canvas.bounding_box()
    assert area is not None
    minimap = page.locator(".react-flow__minimap")
    assert minimap.count() == 0
    nodes = page.locator(".react-flow__node")
    for i in range(nodes.count()):
        box = nodes.nth(i).bounding_box()
        assert box is not None
        assert area["x"] <= box["x"], (box, area)
        assert box["x"] + box["width"] <= area["x"] + area["width"] + 1, (box, area)
    # Edges have arrowheads; handles are 14 px across at zoom 1 (layout size, before the canvas zoom).
    expect(page.locator(".react-flow__edge path[marker-end]").first).to_be_attached()
    handle = page.locator(".react-flow__node[data-id='step_2'] .react-flow__handle.source")
    size = handle.evaluate("el => [el.offsetWidth, el.offsetHeight]")
    assert min(size) >= 14, size
    page.get_by_role("button", name="Show the overview map").click()
    expect(minimap).to_be_visible()
    page.get_by_role("button", name="Hide the overview map").click()
    domino.screenshot("editor-1024x700")


def _bind_document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": BIND_ID,
        "name": "Edge binding journey",
        "schedule": None,
        "tasks": [
            {"id": "source_sum", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1, "b": 2}},
            {"id": "target_sum", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 5, "b": 3}},
        ],
        "ui": {"nodes": {"source_sum": {"x": 0, "y": 0}, "target_sum": {"x": 360, "y": 160}}},
    }


def _center(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_drawing_an_edge_binds_inputs(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client, domino: Domino, page: Page
) -> None:
    _save(admin, airflow_api, _bind_document())
    domino.open(f"/workflows/{BIND_ID}/edit")
    source = page.locator(".react-flow__node[data-id='source_sum']")
    target = page.locator(".react-flow__node[data-id='target_sum']")
    expect(target).to_be_visible()

    # Clear the downstream's required input `a` in its form: the problem says what to do, in words.
    target.click()
    panel = page.get_by_test_id("task-panel")
    panel.get_by_role("textbox", name="a", exact=True).fill("")
    expect(page.get_by_test_id("problem-count")).to_be_visible(timeout=15_000)
    page.get_by_test_id("problem-count").click()
    problems = page.get_by_test_id("problems-list")
    expect(problems).to_contain_text("needs a value")
    expect(problems).to_contain_text("bind it to an output of an upstream task")
    expect(problems).not_to_contain_text("$upstream")

    # A real drag from the upstream's output handle to the downstream's input handle.
    start = _center(source.locator(".react-flow__handle.source"))
    end = _center(target.locator(".react-flow__handle.target"))
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(end[0] - 40, end[1] - 20, steps=10)
    page.mouse.move(*end, steps=5)
    page.mouse.up()
    expect(page.locator(".react-flow__edge")).to_have_count(1)

    offer = page.get_by_test_id("bind-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("source_sum")
    expect(offer.locator("li")).to_have_count(1)
    expect(offer.locator("li")).to_contain_text("a")
    expect(offer.locator("li")).to_contain_text("total (integer)")
    offer.get_by_role("button", name="Bind").click()
    expect(offer).to_be_hidden()

    target.click()
    panel = page.get_by_test_id("task-panel")
    expect(panel.get_by_label("Source of a", exact=True)).to_have_value("upstream")
    expect(page.get_by_text("Valid", exact=True)).to_be_visible(timeout=15_000)

    page.get_by_role("button", name="Save…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("What changed?").fill("Bound by drawing the edge")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    saved = admin.get(f"/workflows/{BIND_ID}").json()["document"]
    down = next(t for t in saved["tasks"] if t["id"] == "target_sum")
    assert down["depends_on"] == ["source_sum"]
    assert down["inputs"]["a"] == {"$upstream": {"task": "source_sum", "output": "total"}}
    assert down["inputs"]["b"] == 3
