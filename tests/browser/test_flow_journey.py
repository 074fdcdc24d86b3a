"""Control flow in the editor and the run page: a for-each and a branch built by drag and drop.

The fixture repository's CollectPiece and AddPiece are dragged from the palette (HTML5 drag and
drop) and connected with a real mouse drag between handles. The for-each, the branch rules and
the join's trigger rule are set in the task settings' Control flow section; the server's
validation message lands on the field that caused it. After saving, the real scheduler runs the
workflow: the run page shows the for-each task's five instances (each with its own log and
outputs) and the path the branch did not take as skipped.
"""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino
from tests.browser.editing import connect as _connect
from tests.browser.editing import drag_from_palette
from tests.browser.editing import expect_valid as _valid
from tests.browser.editing import node as _node
from tests.browser.editing import select as _select

WORKFLOW_ID = "flow_journey"
RUN_TIMEOUT = 240_000


def _drag_piece(page: Page, name: str, x: float, y: float) -> None:
    drag_from_palette(page, f"palette-piece-{name}", x, y)


def test_build_run_and_watch_a_for_each_and_a_branch(
    fixture_repository: dict, admin: httpx.Client, domino: Domino, page: Page
) -> None:
    page = domino.open("/workflows/new")  # type: ignore[assignment]
    expect(page.get_by_role("heading", name="New workflow")).to_be_visible()
    settings = page.get_by_test_id("settings-panel")
    settings.get_by_label("Name").fill("Flow journey")
    settings.get_by_label("Workflow id").fill(WORKFLOW_ID)

    # Six pieces from the palette, two columns by three rows (the canvas is narrow beside the panels):
    # collect → add (per item) → collect_2 (branch) → add_2 | add_3 → add_4 (the join).
    for name, x, y, task_id in (
        ("CollectPiece", 20, 40, "collect"),
        ("AddPiece", 290, 40, "add"),
        ("CollectPiece", 20, 190, "collect_2"),
        ("AddPiece", 290, 190, "add_2"),
        ("AddPiece", 290, 340, "add_3"),
        ("AddPiece", 20, 340, "add_4"),
    ):
        _drag_piece(page, name, x + 100, y + 30)
        expect(_node(page, task_id)).to_be_visible()

    # The list: five numbers typed into `values` of the first task.
    panel = _select(page, "collect")
    for n in range(1, 6):
        panel.get_by_role("button", name="Add item to values").click()
        panel.get_by_role("textbox", name=f"values #{n}", exact=True).fill(str(n))

    # Before it has an upstream list, `add` cannot run per item, and says why.
    panel = _select(page, "add")
    for_each = panel.get_by_role("checkbox", name="Run once per item of a list (for each)")
    expect(for_each).to_be_disabled()
    expect(panel.get_by_test_id("for-each-fields")).to_contain_text("No upstream task has a list output")

    _connect(page, "collect", "add")
    panel = _select(page, "add")
    # Chakra's checkbox: its drawn box covers the input, so a click on the label ticks it, as a person would.
    panel.get_by_text("Run once per item of a list (for each)").click()
    expect(for_each).to_be_checked()
    # Only list outputs whose items fit an input are offered: `values` (integers), not `labels` or `total`.
    lists = panel.get_by_label("List to run over")
    expect(lists.locator("option")).to_have_text(["collect → values (array of integer)"])
    expect(panel.get_by_label("Input that receives each item")).to_have_value("a")
    panel.get_by_label("Input that receives each item").select_option("a")
    panel.get_by_label("At most this many at once").fill("2")
    panel.get_by_role("textbox", name="b", exact=True).fill("10")
    expect(panel.get_by_test_id("for-each-item-input")).to_contain_text("Each item of collect → values")
    expect(_node(page, "add").get_by_test_id("node-flow-for_each")).to_be_visible()

    # Downstream of the for-each, `add`'s output is a list: it feeds CollectPiece's `values`.
    _connect(page, "add", "collect_2")
    panel = _select(page, "collect_2")
    panel.get_by_label("Source of values", exact=True).select_option("upstream")
    panel.get_by_label("Upstream output for values").select_option(label="add → total (array of integer)")

    # The two paths, each binding the branch task's total; then the join after both.
    _connect(page, "collect_2", "add_2", bind=True)
    _connect(page, "collect_2", "add_3", bind=True)
    _connect(page, "add_2", "add_4")
    _connect(page, "add_3", "add_4")
    panel = _select(page, "add_4")
    panel.get_by_role("textbox", name="a", exact=True).fill("0")
    expect(panel.get_by_test_id("control-flow")).to_contain_text("This task waits for several tasks")
    join_rule = "None failed and at least one succeeded (a join after a branch)"
    panel.get_by_label("Runs when").select_option(label=join_rule)
    expect(_node(page, "add_4").get_by_test_id("node-flow-trigger")).to_be_visible()

    # The branch: if the sum of the mapped results is over 50, run add_2, otherwise add_3.
    panel = _select(page, "collect_2")
    panel.get_by_text("Choose which downstream tasks run (branch)").click()
    expect(panel.get_by_role("checkbox", name="Choose which downstream tasks run (branch)")).to_be_checked()
    rule = panel.get_by_role("group", name="Rule 1")
    rule.get_by_label("Rule 1 value").select_option(label="this task (collect_2) → total (integer)")
    rule.get_by_label("Rule 1 comparison").select_option(label="is greater than")
    # A list cannot be compared with "greater than": the server's message shows on the rule.
    rule.get_by_label("Rule 1 operand").fill("[1, 2]")
    expect(rule.get_by_test_id("flow-error")).to_contain_text("compares with a number or a string", timeout=20_000)
    expect(_node(page, "collect_2").get_by_test_id("node-error-badge")).to_be_visible()
    rule.get_by_label("Rule 1 operand").fill("50")
    expect(rule.get_by_test_id("flow-error")).to_have_count(0, timeout=20_000)
    runs = rule.get_by_role("group", name="Rule 1 runs")
    expect(runs.get_by_role("checkbox", name="add_2")).to_be_checked()
    expect(runs.get_by_role("checkbox", name="add_3")).not_to_be_checked()
    otherwise = panel.get_by_role("group", name="Otherwise runs")
    expect(otherwise.get_by_role("checkbox", name="add_3")).to_be_checked()
    # On the canvas: a branch badge and each edge labelled with its rule.
    expect(_node(page, "collect_2").get_by_test_id("node-flow-branch")).to_be_visible()
    expect(page.locator(".react-flow__edge-text", has_text="if total > 50")).to_be_visible()
    expect(page.locator(".react-flow__edge-text", has_text=re.compile(r"^else$"))).to_be_visible()
    _valid(page)
    domino.screenshot("flow-journey-editor")

    page.get_by_role("button", name=re.compile(r"^(Create|Save)…$")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("What changed?").fill("For-each and branch")
    dialog.get_by_role("button", name=re.compile(r"^(Create|Save)$")).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Revision 1", exact=True)).to_be_visible()

    # What was saved is what the form said, in the document's own terms.
    tasks = {t["id"]: t for t in admin.get(f"/workflows/{WORKFLOW_ID}").json()["document"]["tasks"]}
    assert tasks["add"]["for_each"] == {
        "items": {"$upstream": {"task": "collect", "output": "values"}},
        "input": "a",
        "max_parallel": 2,
    }
    assert "a" not in tasks["add"]["inputs"]
    assert tasks["collect_2"]["branch"] == {
        "when": [
            {
                "value": {"$upstream": {"task": "collect_2", "output": "total"}},
                "op": "gt",
                "operand": 50,
                "then": ["add_2"],
            }
        ],
        "else": ["add_3"],
    }
    assert tasks["add_4"]["trigger_rule"] == "none_failed_min_one_success"

    # Run it from the workflows list.
    domino.open("/workflows")
    row = page.get_by_role("row", name=re.compile("Flow journey"))
    row.get_by_role("button", name="Run").click()
    page.get_by_role("dialog").get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(rf"/domino/ui/workflows/{WORKFLOW_ID}/runs/[^/]+$"), timeout=30_000)
    page.get_by_role("button", name="Graph", exact=True).click()
    graph = page.get_by_label("Task graph of this run")
    state = lambda task_id: graph.locator(f".react-flow__node[data-id='{task_id}'] [data-state]")  # noqa: E731
    expect(state("add_4")).to_have_attribute("data-state", "success", timeout=RUN_TIMEOUT)
    expect(state("add_2")).to_have_attribute("data-state", "success")
    # The path the branch did not take is skipped, its edge dashed.
    expect(state("add_3")).to_have_attribute("data-state", "skipped")
    expect(graph.locator(".react-flow__edge.run-edge-skipped")).to_have_count(1)
    expect(graph.locator(".react-flow__edge-text", has_text="if total > 50")).to_be_visible()
    expect(state("add")).to_contain_text("5 instances")

    # The for-each task: five instances, each with its own log and outputs.
    graph.locator(".react-flow__node[data-id='add']").click()
    instances = page.get_by_role("group", name="Instances")
    expect(instances.get_by_role("button")).to_have_count(5)
    expect(page.get_by_test_id("instances-summary")).to_contain_text("5 instances: 5 success")
    instances.get_by_role("button", name="Instance 2: Success").click()
    page.get_by_role("tab", name="Logs").click()
    expect(page.locator("[data-log-block='piece']")).to_contain_text("Adding 3 and 10", timeout=30_000)
    instances.get_by_role("button", name="Instance 4: Success").click()
    expect(page.locator("[data-log-block='piece']")).to_contain_text("Adding 5 and 10", timeout=30_000)
    page.get_by_role("tab", name="Outputs").click()
    outputs = page.get_by_role("table", name="Outputs of add")
    expect(outputs.get_by_role("row", name=re.compile("total"))).to_contain_text("15")

    # The skipped task says so.
    graph.locator(".react-flow__node[data-id='add_3']").click()
    expect(page.locator("section[aria-labelledby='task-panel-title']")).to_contain_text("Skipped")
    page.get_by_role("tab", name="Logs").click()
    expect(page.get_by_test_id("no-log")).to_have_text("No log: this task did not run.")
    domino.screenshot("flow-journey-run")
