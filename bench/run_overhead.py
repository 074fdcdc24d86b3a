"""Execution overhead on a real local stack: a 10-task chain of trivial pieces against 10 trivial
``@task`` functions, measured in the same run, plus first-task latency right after start-up.

    .venv/bin/python bench/run_overhead.py [--runs 3]

Prints wall times (run start -> end, from Airflow's own timestamps) and their ratio; asserts
nothing. Goal (issue 5): chain of pieces ≤ 1.5 times the @task chain.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, install_repository, run_dag, wait_for  # noqa: E402
from tools.localstack import Stack, User, free_port, running  # noqa: E402

STATIC_DAG = textwrap.dedent(
    """
    from airflow.sdk import dag, task

    @dag(dag_id="bench_tasks", schedule=None, tags=["bench"])
    def bench_tasks():
        @task
        def add(a: int, b: int = 1) -> dict:
            return {"total": a + b}

        previous = add(0)
        for _ in range(9):
            previous = add(previous["total"])

    bench_tasks()
    """
)

PIECE = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}


def chain_document() -> dict:
    tasks = [{"id": "t0", "piece": PIECE, "inputs": {"a": 0, "b": 1}}]
    for i in range(1, 10):
        tasks.append(
            {"id": f"t{i}", "piece": PIECE, "depends_on": [f"t{i - 1}"],
             "inputs": {"a": {"$upstream": {"task": f"t{i - 1}", "output": "total"}}, "b": 1}}
        )  # fmt: skip
    return {"schema_version": 1, "id": "bench_pieces", "name": "bench_pieces", "schedule": None, "tasks": tasks}


def wall(run: dict) -> float:
    start = datetime.fromisoformat(run["start_date"])
    end = datetime.fromisoformat(run["end_date"])
    return (end - start).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        stack = Stack(home=Path(home), port=free_port(), users=[User("admin", "admin", "admin")])
        (Path(home) / "dags").mkdir(parents=True, exist_ok=True)
        (Path(home) / "dags" / "bench_tasks.py").write_text(STATIC_DAG)
        with running(stack):
            healthy_at = time.monotonic()
            headers = {"Authorization": f"Bearer {stack.token('admin', 'admin')}"}
            domino = httpx.Client(base_url=f"{stack.url}/domino/api/v1", headers=headers, timeout=60)
            airflow = httpx.Client(base_url=f"{stack.url}/api/v2", headers=headers, timeout=60)
            wait_for("bench_tasks DAG", lambda: airflow.get("/dags/bench_tasks").status_code == 200, timeout=120)
            first = run_dag(airflow, "bench_tasks")
            first_latency = time.monotonic() - healthy_at
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
            domino.post("/workflows", json={"document": chain_document()}).raise_for_status()
            wait_for("bench_pieces DAG", lambda: airflow.get("/dags/bench_pieces").status_code == 200)
            tasks, pieces = [], []
            for _ in range(args.runs):
                run = run_dag(airflow, "bench_tasks")
                assert run["state"] == "success"
                tasks.append(wall(run))
                run = run_dag(airflow, "bench_pieces")
                assert run["state"] == "success"
                pieces.append(wall(run))
            print(f"first @task run finished {first_latency:.1f}s after the stack was healthy "
                  f"(its own wall {wall(first):.1f}s)")  # fmt: skip
            print(f"10 x @task chain   median {statistics.median(tasks):6.2f}s  runs {[round(t, 2) for t in tasks]}")
            print(f"10 x piece chain   median {statistics.median(pieces):6.2f}s  runs {[round(t, 2) for t in pieces]}")
            print(f"ratio pieces/@task {statistics.median(pieces) / statistics.median(tasks):.2f}")


if __name__ == "__main__":
    main()
