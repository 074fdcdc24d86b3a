"""Editor load and panning with large workflows, in headless Debian Chromium on a real stack.

    .venv/bin/python bench/gui_load.py [--sizes 500,2000] [--url http://localhost:8080 --login admin:admin]

For each size, a stored workflow of that many tasks (a layered graph) is opened in the editor:
prints time to first node rendered, time until the canvas answers a click (selects a node and
shows its panel), frame times while panning by a mouse drag from an empty spot of the pane, and
while dragging one node, and where the open went (medians, ms after navigation start: the app's entry
evaluated, the editor's first render committed; the rest is the canvas drawing its nodes and the
click). Asserts nothing. Goals (issue 12):
500 nodes interactive ≤ 1.0 s and panning p95 ≤ 20 ms a frame; 2,000 nodes interactive ≤ 2.5 s.
Figures depend on the machine's load: compare runs made under the same load (the load average
is printed with them).

How it opens the editor, and why: each size is saved, then the benchmark waits until Airflow has
loaded the saved DAG (its DAG processor parses a 500-task DAG on the same cores as the browser: an
open during that parse measured the parse, 1.2-1.3 s instead of 0.9-1.0 s at 500 nodes), and the
browser is warmed once with an unmeasured open in a throwaway context (the first page of a freshly
launched Chromium costs ~100 ms more). Each size is then opened ``--rounds``
times, each in a fresh browser context (no HTTP cache, no cookies but the login): the median is
printed, with the slowest and the first measured open in brackets. Panning and node dragging are
measured on the last open. ``--url`` measures a stack that is already running (``make run``; its
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


def _wait_until_loaded(airflow: httpx.Client, dag_id: str, settle_s: float) -> None:
    """Until Airflow has the saved workflow's DAG, then ``settle_s`` more (its follow-up parses)."""
    deadline = time.monotonic() + 300
    while airflow.get(f"/dags/{dag_id}").status_code != 200:
        if time.monotonic() > deadline:
            raise SystemExit(f"Airflow did not load {dag_id} within 300 s")
        time.sleep(0.5)
    time.sleep(settle_s)


# Where an open spends its time: the app's User Timing marks (main.tsx, Editor.tsx), ms after navigation start.
PHASES = """
() => Object.fromEntries(["domino:entry-evaluated", "domino:editor-committed"].map(
  name => [name, performance.getEntriesByName(name)[0]?.startTime ?? NaN]))
"""


def _open(browser: Any, url: str, token: str, path: str) -> tuple[Any, Any, float, float]:
    """Open ``path`` in a fresh context: (context, page, first node s, interactive s)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "_token", "value": token, "url": url}])
    page = context.new_page()
    started = time.monotonic()
    page.goto(f"{url}{path}")
    page.locator(".react-flow__node").first.wait_for(timeout=120_000)
    first_node = time.monotonic() - started
    page.locator(".react-flow__node").first.click()
    page.locator(".react-flow__node.selected").first.wait_for(timeout=60_000)
    return context, page, first_node, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--rounds", type=int, default=3, help="opens per size; the median is printed (default 3)")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait after Airflow loaded the DAG")
    parser.add_argument("--url", help="a running stack's URL (default: start one)")
    parser.add_argument("--login", default="admin:admin", help="user:password of an admin (default admin:admin)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with _stack(args.url, args.login) as (url, token), sync_playwright() as playwright:
        headers = {"Authorization": f"Bearer {token}"}
        domino = httpx.Client(base_url=f"{url}/domino/api/v1", headers=headers, timeout=600)
        airflow = httpx.Client(base_url=f"{url}/api/v2", headers=headers, timeout=60)
        pieces = domino.get("/pieces", params={"limit": 1000}).json()["items"]
        if not any(p["repository"] == PIECE["repository"] and p["name"] == PIECE["name"] for p in pieces):
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        columns = ["nodes".rjust(6), "first node (s)".rjust(20), "interactive (s)".rjust(20)]
        columns += ["pan frame p50/p95/max (ms)".rjust(27), "node drag p50/p95/max (ms)".rjust(27)]
        columns += ["entry / editor (ms)".rjust(20)]
        warmed = False
        for size in [int(s) for s in args.sizes.split(",")]:
            domino.delete(f"/workflows/big_{size}")  # from an earlier run on the same stack
            domino.post("/workflows", json={"document": document(size)}).raise_for_status()
            _wait_until_loaded(airflow, f"big_{size}", args.settle)
            path = f"/domino/ui/workflows/big_{size}/edit"
            if not warmed:
                _open(browser, url, token, path)[0].close()
                warmed = True
                print(f"load average {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
                print("  ".join(columns))
            firsts, interactives, phases = [], [], []
            for round_ in range(args.rounds):
                context, page, first_node, interactive = _open(browser, url, token, path)
                firsts.append(first_node)
                interactives.append(interactive)
                phases.append(page.evaluate(PHASES))
                if round_ < args.rounds - 1:
                    context.close()
            pane = page.locator(".react-flow__pane").bounding_box()
            assert pane is not None
            box = [pane["x"], pane["y"], pane["width"], pane["height"]]
            node = page.evaluate(NODE_IN_VIEW, box)
            drag = _drag(page, node[0], node[1], steps=15) if node else "no node in view"
            spot = page.evaluate(EMPTY_SPOT, box)
            assert spot is not None, "no empty spot of the pane to pan from"
            pan = _drag(page, spot[0], spot[1], steps=60)
            entry = statistics.median(p["domino:entry-evaluated"] for p in phases)
            editor = statistics.median(p["domino:editor-committed"] for p in phases)
            where = f"{entry:.0f} / {editor:.0f}"
            print(f"{size:>6}  {_spread(firsts):>20}  {_spread(interactives):>20}  {pan:>27}  {drag:>27}  {where:>20}")
            context.close()
        browser.close()


def _spread(values: list[float]) -> str:
    """``median (max; first)`` of the opens, in seconds."""
    return f"{statistics.median(values):.2f} ({max(values):.2f}; {values[0]:.2f})"


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
