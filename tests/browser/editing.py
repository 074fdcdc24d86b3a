"""Editor helpers shared by the browser journeys that build workflows by drag and drop.

Pieces and steps are dragged from the palette with HTML5 drag and drop; connections are a real
mouse drag from the upstream's output handle to the downstream's input handle.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


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


def run_from_list(page: Page, domino_open: object, name: str, workflow_id: str) -> None:
    """Starts a run from the workflows list; ends on the run page's graph."""
    domino_open("/workflows")  # type: ignore[operator]
    row = page.get_by_role("row", name=re.compile(name))
    row.get_by_role("button", name="Run").click()
    page.get_by_role("dialog").get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(rf"/domino/ui/workflows/{workflow_id}/runs/[^/]+$"), timeout=30_000)
    page.get_by_role("button", name="Graph", exact=True).click()
