"""Helpers shared by the browser journeys: the setup they repeat, and the editor's drag and drop.

Setup that is not what a journey is about goes through the REST API: ``deploy`` saves a workflow
and waits for its DAG (tests/integration/helpers.py), :func:`trigger` starts a run, :func:`open_run`
opens the run page's graph (starting a run from the workflows list is test_runs_journey's subject).

Pieces and steps are dragged from the palette with HTML5 drag and drop; connections are a real
mouse drag from the upstream's output handle to the downstream's input handle.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.integration.helpers import deploy, wait_for_dag

__all__ = ["deploy", "wait_for_dag"]  # the API setup the journeys share with the integration tests


def trigger(admin: httpx.Client, workflow_id: str, params: dict[str, Any] | None = None) -> str:
    """Starts a run through the API; returns its run id."""
    response = admin.post(f"/workflows/{workflow_id}/runs", json={"params": params or {}})
    assert response.status_code == 201, response.text
    return str(response.json()["run_id"])


def open_run(page: Page, domino_open: object, workflow_id: str, run_id: str) -> Locator:
    """Opens the run page, switches it to the graph and returns the graph."""
    domino_open(f"/workflows/{workflow_id}/runs/{run_id}")  # type: ignore[operator]
    page.get_by_role("button", name="Graph", exact=True).click()
    return page.get_by_label("Task graph of this run")


def run_node(graph: Locator, task_id: str) -> Locator:
    """A task's node in the run page's graph."""
    return graph.locator(f".react-flow__node[data-id='{task_id}']")


def expect_state(graph: Locator, task_id: str, state: str, timeout: float = 180_000) -> None:
    """Waits until the task's node in the run page's graph shows ``state``."""
    expect(run_node(graph, task_id).locator("[data-state]")).to_have_attribute("data-state", state, timeout=timeout)


def drag_from_palette(page: Page, test_id: str, x: float, y: float) -> None:
    """Drags the palette entry ``test_id`` (``palette-piece-AddPiece``, ``palette-step-approval``) onto the canvas."""
    canvas = page.get_by_test_id("editor-canvas")
    page.get_by_test_id(test_id).first.drag_to(canvas, target_position={"x": x, "y": y})


def node(page: Page, task_id: str) -> Locator:
    return page.get_by_test_id("editor-canvas").locator(f".react-flow__node[data-id='{task_id}']")


def _center(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def connect(page: Page, source: str, target: str, *, bind: bool = False) -> None:
    """A real drag from the upstream's output handle to the downstream's input handle; then the binding offer."""
    # Selecting a task may pan its node into view past the others: fit all nodes in before dragging.
    # The details panel is folded first so that every handle lies on the visible canvas.
    hide = page.get_by_role("button", name="Hide details")
    if hide.is_visible():
        hide.click()
    page.get_by_role("button", name="Fit view", exact=True).click()
    page.wait_for_timeout(800)  # the fit is animated: let the nodes settle before taking their positions
    edges = page.locator(".react-flow__edge").count()
    start = _center(node(page, source).locator(".react-flow__handle.source"))
    end = _center(node(page, target).locator(".react-flow__handle.target"))
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(end[0] - 30, end[1] - 15, steps=10)
    page.mouse.move(*end, steps=5)
    page.mouse.up()
    expect(page.locator(".react-flow__edge")).to_have_count(edges + 1)
    offer = page.get_by_test_id("bind-offer")
    if offer.is_visible():
        offer.get_by_role("button", name="Bind" if bind else "Not now").click()
        expect(offer).to_be_hidden()


def select(page: Page, task_id: str) -> Locator:
    """Clicks the task's node and returns the opened task panel."""
    node(page, task_id).click()
    show = page.get_by_role("button", name="Show details")
    if show.is_visible():
        show.click()
    panel = page.get_by_test_id("task-panel")
    expect(panel.get_by_role("textbox", name="Task id")).to_have_value(task_id)
    return panel


def expect_valid(page: Page) -> None:
    expect(page.get_by_text("Valid", exact=True)).to_be_visible(timeout=30_000)


def save(page: Page, message: str) -> None:
    page.get_by_role("button", name=re.compile(r"^(Create|Save)…$")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("What changed?").fill(message)
    dialog.get_by_role("button", name=re.compile(r"^(Create|Save)$")).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Revision 1", exact=True)).to_be_visible()
