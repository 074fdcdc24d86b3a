"""Editor load and panning with large workflows, in headless Debian Chromium on a real stack.

    .venv/bin/python bench/gui_load.py [--sizes 500,2000]

For each size, a stored workflow of that many tasks (a layered graph) is opened in the editor:
prints time to first node rendered, time until the canvas answers a click (selects a node and
shows its panel), and frame times while panning by mouse drag. Asserts nothing. Goals (issue 12):
500 nodes interactive ≤ 1.0 s and panning p95 ≤ 20 ms a frame; 2,000 nodes interactive ≤ 2.5 s.
Figures depend on the machine's load: compare runs made under the same load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, install_repository  # noqa: E402
from tools.localstack import Stack, User, free_port, running  # noqa: E402

PIECE = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def document(size: int) -> dict:
    width = 20
    tasks, nodes = [], {}
    for i in range(size):
        layer, column = divmod(i, width)
        task: dict = {"id": f"t{i}", "piece": PIECE, "inputs": {"a": i}}
        if layer:
            task["depends_on"] = [f"t{i - width}"]
        tasks.append(task)
        nodes[f"t{i}"] = {"x": column * 260, "y": layer * 140}
    return {"schema_version": 1, "id": f"big_{size}", "name": f"Big {size}", "schedule": None, "tasks": tasks,
            "ui": {"nodes": nodes, "viewport": {"x": 0, "y": 0, "zoom": 0.5}}}  # fmt: skip


FRAME_PROBE = """
() => new Promise(resolve => {
  const deltas = []; let last = performance.now(); let running = true;
  function tick(now) { deltas.push(now - last); last = now; if (running) requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
  window.__stopFrames = () => { running = false; resolve(deltas); };
})
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,2000")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as home:
        stack = Stack(home=Path(home), port=free_port(), users=[User("admin", "admin", "admin")])
        with running(stack), sync_playwright() as playwright:
            token = stack.token("admin", "admin")
            domino = httpx.Client(base_url=f"{stack.url}/domino/api/v1", headers={"Authorization": f"Bearer {token}"},
                                  timeout=600)  # fmt: skip
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
            print(f"{'nodes':>6}  {'first node (s)':>14}  {'interactive (s)':>15}  {'pan frame p50/p95/max (ms)':>27}")
            for size in [int(s) for s in args.sizes.split(",")]:
                domino.post("/workflows", json={"document": document(size)}).raise_for_status()
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_cookies([{"name": "_token", "value": token, "url": stack.url}])
                page = context.new_page()
                started = time.monotonic()
                page.goto(f"{stack.url}/domino/ui/workflows/big_{size}/edit")
                page.locator(".react-flow__node").first.wait_for(timeout=120_000)
                first_node = time.monotonic() - started
                page.locator(".react-flow__node").first.click()
                page.locator(".react-flow__node.selected").first.wait_for(timeout=60_000)
                interactive = time.monotonic() - started
                pane = page.locator(".react-flow__pane").bounding_box()
                assert pane is not None
                page.evaluate("() => { window.__frames = (" + FRAME_PROBE + ")(); }")
                x, y = pane["x"] + pane["width"] / 2, pane["y"] + pane["height"] / 2
                page.mouse.move(x, y)
                page.mouse.down()
                for step in range(60):
                    page.mouse.move(x - step * 8, y - step * 4)
                page.mouse.up()
                deltas = page.evaluate("(window.__stopFrames(), window.__frames)")
                deltas = sorted(d for d in deltas[1:] if d > 0) or [0.0]
                p95 = deltas[max(0, round(0.95 * len(deltas)) - 1)]
                print(f"{size:>6}  {first_node:>14.2f}  {interactive:>15.2f}  "
                      f"{statistics.median(deltas):>9.1f} / {p95:>5.1f} / {deltas[-1]:>6.1f}")  # fmt: skip
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
