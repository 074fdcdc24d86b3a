"""Scale-out on the CeleryExecutor: N workflows x M tasks at once on two workers laid out as two machines.

    .venv/bin/python bench/celery_scale.py [--workflows 20] [--tasks 10] [--concurrency 3]

The stack is tools/celerystack.py's (PostgreSQL, Redis, two Celery workers with their own
repositories_path, so each fetches the repository snapshot). Baseline measured in the same run:
one workflow of M tasks alone. Prints the wall time of the concurrent batch, tasks per second,
tasks per worker, snapshot fetches per worker, and the batch/baseline ratios; asserts nothing
except that every run succeeded with the right totals (a wrong figure is worse than none).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, dag, install_repository, wait_for, xcom  # noqa: E402
from tools.celerystack import PIECES, chain_workflow, repositories_path, running_celery_stack  # noqa: E402


def _batch(admin: httpx.Client, airflow: httpx.Client, prefix: str, workflows: int, tasks: int) -> dict[str, Any]:
    ids = [f"{prefix}_{index}" for index in range(workflows)]
    for index, workflow_id in enumerate(ids):
        admin.post("/workflows", json={"document": chain_workflow(workflow_id, tasks, 1000 * index)}).raise_for_status()
    for workflow_id in ids:
        wait_for(f"DAG {workflow_id}", lambda w=workflow_id: dag(airflow, w), timeout=180)
        airflow.patch(f"/dags/{workflow_id}", json={"is_paused": False}).raise_for_status()
    started = time.monotonic()
    runs = {}
    for workflow_id in ids:
        response = airflow.post(f"/dags/{workflow_id}/dagRuns", json={"logical_date": None})
        response.raise_for_status()
        runs[workflow_id] = response.json()["dag_run_id"]

    def states() -> dict[str, str]:
        return {w: airflow.get(f"/dags/{w}/dagRuns/{r}").json()["state"] for w, r in runs.items()}

    wait_for("every run to end", lambda: all(s in ("success", "failed") for s in states().values()), 3600, 2)
    elapsed = time.monotonic() - started
    hosts: Counter[str] = Counter()
    for index, (workflow_id, run_id) in enumerate(runs.items()):
        state = airflow.get(f"/dags/{workflow_id}/dagRuns/{run_id}").json()["state"]
        if state != "success":
            raise SystemExit(f"{workflow_id} run {run_id} ended {state}")
        total = xcom(airflow, workflow_id, run_id, f"add_{tasks - 1}")
        if total != {"total": 1000 * index + tasks}:
            raise SystemExit(f"{workflow_id}: wrong result {total}")
        instances = airflow.get(f"/dags/{workflow_id}/dagRuns/{run_id}/taskInstances").json()["task_instances"]
        hosts.update(ti["hostname"] for ti in instances)
    return {"elapsed": elapsed, "hosts": dict(hosts), "tasks": workflows * tasks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workflows", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=3, help="task slots per worker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-celery-") as home:
        setup = time.monotonic()
        with running_celery_stack(Path(home), concurrency=args.concurrency) as stack:
            print(f"Celery stack healthy in {time.monotonic() - setup:.0f}s", flush=True)
            token = stack.token("admin", "admin")
            headers = {"Authorization": f"Bearer {token}"}
            with (
                httpx.Client(base_url=f"{stack.url}/domino/api/v1", headers=headers, timeout=120) as admin,
                httpx.Client(base_url=f"{stack.url}/api/v2", headers=headers, timeout=120) as airflow,
            ):
                job = install_repository(admin, FIXTURE_REPO)
                if job["state"] != "succeeded":
                    raise SystemExit(f"install failed: {job['error']}")
                baseline = _batch(admin, airflow, "bench_alone", 1, args.tasks)
                print(f"baseline: 1 workflow x {args.tasks} tasks alone: {baseline['elapsed']:.1f}s", flush=True)
                batch = _batch(admin, airflow, "bench_batch", args.workflows, args.tasks)
        fetches = {}
        for worker in ("worker-a", "worker-b"):
            journal = repositories_path(stack, worker) / "_snapshots.log"
            lines = journal.read_text().splitlines() if journal.exists() else []
            fetches[worker] = sum(1 for line in lines if line.startswith(f"{PIECES['repository']} "))
    rate = batch["tasks"] / batch["elapsed"]
    base_rate = args.tasks / baseline["elapsed"]
    print(
        f"batch: {args.workflows} workflows x {args.tasks} tasks at once on 2 workers x {args.concurrency} slots: "
        f"{batch['elapsed']:.1f}s, {rate:.2f} tasks/s\n"
        f"  tasks per worker: {batch['hosts']}\n"
        f"  snapshot fetches per worker (baseline included): {fetches}\n"
        f"  vs baseline: {batch['elapsed'] / baseline['elapsed']:.1f}x the wall time for "
        f"{args.workflows}x the work; throughput {rate / base_rate:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
