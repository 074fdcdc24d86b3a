"""Scale-out on the CeleryExecutor: two workers as two machines, each with its own repositories_path.

Workflows run concurrently and spread over both workers; each worker fetches the repository
version's snapshot from results storage once; a worker killed mid-run has its tasks retried on
the other with correct results. bench/celery_scale.py runs the full 20 workflows x 10 tasks.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.integration.helpers import FIXTURE_REPO, dag, install_repository, wait_for, xcom
from tests.stack import RunningStack
from tools.celerystack import PIECES, chain_workflow, kill_machine, repositories_path
from tools.localstack import Stack

WORKFLOWS, TASKS = 4, 5  # the full 20 x 10 is bench/celery_scale.py (several minutes on 2 cores)


@pytest.fixture(scope="module")
def installed(celery_stack: RunningStack) -> dict[str, Any]:
    with celery_stack.client("admin") as admin:
        job = install_repository(admin, FIXTURE_REPO)
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    return job


def _trigger(airflow: httpx.Client, dag_id: str) -> str:
    airflow.patch(f"/dags/{dag_id}", json={"is_paused": False}).raise_for_status()
    run = airflow.post(f"/dags/{dag_id}/dagRuns", json={"logical_date": None})
    assert run.status_code == 200, run.text
    return str(run.json()["dag_run_id"])


def _run_state(airflow: httpx.Client, dag_id: str, run_id: str) -> str:
    return str(airflow.get(f"/dags/{dag_id}/dagRuns/{run_id}").json()["state"])


def _task_instances(airflow: httpx.Client, dag_id: str, run_id: str) -> list[dict[str, Any]]:
    return list(airflow.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances").json()["task_instances"])


def _fetches(stack: Stack, worker: str) -> list[str]:
    journal = repositories_path(stack, worker) / "_snapshots.log"
    lines = journal.read_text().splitlines() if journal.exists() else []
    return [line for line in lines if line.startswith(f"{PIECES['repository']} {PIECES['version']} ")]


def test_workflows_spread_over_both_workers_which_fetch_the_snapshot_once(
    celery_stack: RunningStack, installed: dict[str, Any]
) -> None:
    stack = celery_stack.stack
    # The API server's machine has the installed folder; the workers' machines do not (yet).
    assert (repositories_path(stack, "api") / PIECES["repository"] / PIECES["version"]).is_dir()
    assert not (repositories_path(stack, "worker-a") / PIECES["repository"]).exists()
    with celery_stack.client("admin") as admin, celery_stack.client("admin", prefix="/api/v2") as airflow:
        ids = [f"celery_chain_{index}" for index in range(WORKFLOWS)]
        for index, workflow_id in enumerate(ids):
            saved = admin.post("/workflows", json={"document": chain_workflow(workflow_id, TASKS, 100 * index)})
            assert saved.status_code == 201, saved.text
        for workflow_id in ids:
            wait_for(f"DAG {workflow_id}", lambda w=workflow_id: dag(airflow, w), timeout=90)
        started = time.monotonic()
        runs = {workflow_id: _trigger(airflow, workflow_id) for workflow_id in ids}
        wait_for(
            "every run to end",
            lambda: all(_run_state(airflow, w, r) in ("success", "failed") for w, r in runs.items()),
            timeout=400,
            interval=1,
        )
        elapsed = time.monotonic() - started
        hosts: Counter[str] = Counter()
        for index, (workflow_id, run_id) in enumerate(runs.items()):
            assert _run_state(airflow, workflow_id, run_id) == "success"
            instances = _task_instances(airflow, workflow_id, run_id)
            assert {ti["state"] for ti in instances} == {"success"}
            hosts.update(ti["hostname"] for ti in instances)
            assert xcom(airflow, workflow_id, run_id, f"add_{TASKS - 1}") == {"total": 100 * index + TASKS}
    print(f"{WORKFLOWS} workflows x {TASKS} tasks on 2 Celery workers: {elapsed:.0f}s, tasks per worker {dict(hosts)}")
    assert set(hosts) == {"worker-a", "worker-b"}
    assert sum(hosts.values()) == WORKFLOWS * TASKS
    # Each machine fetched the version once, however many of its tasks needed it at the same time.
    assert len(_fetches(stack, "worker-a")) == 1
    assert len(_fetches(stack, "worker-b")) == 1
    for worker in ("worker-a", "worker-b"):
        fetched = repositories_path(stack, worker) / PIECES["repository"] / PIECES["version"]
        assert (fetched / "pieces" / "AddPiece" / "piece.py").is_file()


def test_a_killed_worker_has_its_tasks_retried_on_the_other(
    celery_stack: RunningStack, installed: dict[str, Any]
) -> None:
    stack = celery_stack.stack
    sleepers = 4
    document: dict[str, Any] = {
        "schema_version": 1,
        "id": "celery_kill",
        "name": "Killed worker",
        "schedule": None,
        "defaults": {"retries": 2, "retry_delay_s": 1},
        "tasks": [
            *(
                {"id": f"sleep_{i}", "piece": {**PIECES, "name": "SleepPiece"}, "inputs": {"seconds": 6 + i}}
                for i in range(sleepers)
            ),
            {
                "id": "total",
                "piece": {**PIECES, "name": "AddPiece"},
                "inputs": {"a": 1, "b": 2},
                "depends_on": [f"sleep_{i}" for i in range(sleepers)],
            },
        ],
    }
    try:
        with celery_stack.client("admin") as admin, celery_stack.client("admin", prefix="/api/v2") as airflow:
            assert admin.post("/workflows", json={"document": document}).status_code == 201
            wait_for("DAG celery_kill", lambda: dag(airflow, "celery_kill"), timeout=90)
            run_id = _trigger(airflow, "celery_kill")

            def running_on_a() -> list[str]:
                return [
                    ti["task_id"]
                    for ti in _task_instances(airflow, "celery_kill", run_id)
                    if ti["state"] == "running" and ti["hostname"] == "worker-a"
                ]

            killed = wait_for("a task running on worker-a", running_on_a, timeout=120, interval=0.5)
            kill_machine(stack, "worker-a")
            wait_for(
                "the run to end",
                lambda: _run_state(airflow, "celery_kill", run_id) in ("success", "failed"),
                timeout=300,
                interval=1,
            )
            assert _run_state(airflow, "celery_kill", run_id) == "success"
            instances = {ti["task_id"]: ti for ti in _task_instances(airflow, "celery_kill", run_id)}
            for task_id in killed:
                assert instances[task_id]["try_number"] >= 2, instances[task_id]
                assert instances[task_id]["hostname"] == "worker-b", instances[task_id]
                seconds = 6 + int(task_id.split("_")[1])
                assert xcom(airflow, "celery_kill", run_id, task_id) == {"slept": seconds}
            assert xcom(airflow, "celery_kill", run_id, "total") == {"total": 3}
            print(f"killed worker-a while it ran {killed}; retried on worker-b")
    finally:
        if "worker-a" not in stack.processes:
            stack.start_component("worker-a")
