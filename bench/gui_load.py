"""Editor load and panning with large workflows, in headless Debian Chromium on a real stack.

    .venv/bin/python bench/gui_load.py [--sizes 500,2000] [--url http://localhost:8080 --login admin:admin]

For each size, a stored workflow of that many tasks (a layered graph) is opened in the editor:
prints time to first node rendered, time until the canvas answers a click (selects a node and
shows its panel), frame times while panning by a mouse drag from an empty spot of the pane, and
while dragging one node. Asserts nothing. Goals (issue 12):
500 nodes interactive ≤ 1.0 s and panning p95 ≤ 20 ms a frame; 2,000 nodes interactive ≤ 2.5 s.
Figures depend on the machine's load: compare runs made under the same load (the load average
is printed with them). ``--url`` measures a stack that is already running (``make run``; its
piece repository is installed if missing) instead of starting one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, install_repository  # noqa: E402
from tools.localstack import Stack, User, free_port, running  # noqa: E402


@contextlib.contextmanager
def _stack(url: str | None, login: str) -> Iterator[tuple[str, str]]:
    """(url, token) of the given running stack, or of one started for the benchmark."""
    user, _, password = login.partition(":")
    if url:
        yield url.rstrip("/"), _token(url.rstrip("/"), user, password)
        return
    with tempfile.TemporaryDirectory() as home:
        stack = Stack(home=Path(home), port=free_port(), users=[User(user, password, "admin")])
        with running(stack):
            yield stack.url, stack.token(user, password)


def _token(url: str, user: str, password: str) -> str:
    response = httpx.post(f"{url}/auth/token", json={"username": user, "password": password}, timeout=60)
    response.raise_for_status()
    return str(response.json()["access_token"])


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


# A point of the pane with no node or edge under it, so that a drag from it pans (the middle of a
# 500-node graph is often a node: earlier figures measured dragging node t82, not panning).
EMPTY_SPOT = """
([left, top, width, height]) => {
  for (let y = top + 20; y < top + height - 20; y += 7)
    for (let x = left + 20; x < left + width / 2; x += 7) {
      const el = document.elementFromPoint(x, y);
      if (el && el.classList.contains("react-flow__pane")) return [x, y];
    }
  return null;
}
"""

NODE_IN_VIEW = """
([left, top, width, height]) => {
  for (const el of document.querySelectorAll(".react-flow__node:not(.selected)")) {
    const r = el.getBoundingClientRect();
    if (r.left > left + 10 && r.top > top + 10 && r.right < left + width - 10 && r.bottom < top + height - 10)
      return [r.left + 8, r.top + 8];
  }
  return null;
}
"""

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
    parser.add_argument("--url", help="a running stack's URL (default: start one)")
    parser.add_argument("--login", default="admin:admin", help="user:password of an admin (default admin:admin)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with _stack(args.url, args.login) as (url, token), sync_playwright() as playwright:
        domino = httpx.Client(base_url=f"{url}/domino/api/v1", headers={"Authorization": f"Bearer {token}"},
                              timeout=600)  # fmt: skip
        pieces = domino.get("/pieces", params={"limit": 1000}).json()["items"]
        if not any(p["repository"] == PIECE["repository"] and p["name"] == PIECE["name"] for p in pieces):
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
        print(f"load average {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        columns = ["nodes".rjust(6), "first node (s)", "interactive (s)", "pan frame p50/p95/max (ms)".rjust(27)]
        print("  ".join([*columns, "node drag p50/p95/max (ms)".rjust(27)]))
        for size in [int(s) for s in args.sizes.split(",")]:
            domino.delete(f"/workflows/big_{size}")  # from an earlier run on the same stack
            domino.post("/workflows", json={"document": document(size)}).raise_for_status()
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.add_cookies([{"name": "_token", "value": token, "url": url}])
            page = context.new_page()
            started = time.monotonic()
            page.goto(f"{url}/domino/ui/workflows/big_{size}/edit")
            page.locator(".react-flow__node").first.wait_for(timeout=120_000)
            first_node = time.monotonic() - started
            page.locator(".react-flow__node").first.click()
            page.locator(".react-flow__node.selected").first.wait_for(timeout=60_000)
            interactive = time.monotonic() - started
            pane = page.locator(".react-flow__pane").bounding_box()
            assert pane is not None
            box = [pane["x"], pane["y"], pane["width"], pane["height"]]
            node = page.evaluate(NODE_IN_VIEW, box)
            drag = _drag(page, node[0], node[1], steps=15) if node else "no node in view"
            spot = page.evaluate(EMPTY_SPOT, box)
            assert spot is not None, "no empty spot of the pane to pan from"
            pan = _drag(page, spot[0], spot[1], steps=60)
            print(f"{size:>6}  {first_node:>14.2f}  {interactive:>15.2f}  {pan:>27}  {drag:>27}")
            context.close()
        browser.close()


def _drag(page: Any, x: float, y: float, steps: int) -> str:
    """Frame times (p50 / p95 / max, ms) while the mouse drags from (x, y)."""
    page.evaluate("() => { window.__frames = (" + FRAME_PROBE + ")(); }")
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x + step * 8, y + step * 4)
    page.mouse.up()
    deltas = page.evaluate("(window.__stopFrames(), window.__frames)")
    deltas = sorted(d for d in deltas[1:] if d > 0) or [0.0]
    p95 = deltas[max(0, round(0.95 * len(deltas)) - 1)]
    return f"{statistics.median(deltas):.1f} / {p95:.1f} / {deltas[-1]:.1f}"


if __name__ == "__main__":
    main()
