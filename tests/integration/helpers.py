"""Small polling helpers for tests against the real stack."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
FIXTURE_REPO = REPO / "tests" / "fixtures" / "domino_style_repo"
BINDING_REPO = REPO / "tests" / "fixtures" / "domino_binding_repo"


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 60.0, interval: float = 0.25) -> T:
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


def deploy(
    admin: httpx.Client,
    airflow_api: httpx.Client,
    document: dict[str, Any],
    *,
    message: str | None = None,
    unpause: bool = False,
    exist_ok: bool = False,
    timeout: float = 120,
) -> None:
    """Saves ``document`` through the API (``exist_ok``: unless its id is saved already) and waits for its DAG."""
    if not exist_ok or admin.get(f"/workflows/{document['id']}").status_code != 200:
        body: dict[str, Any] = {"document": document, **({"message": message} if message else {})}
        response = admin.post("/workflows", json=body)
        assert response.status_code == 201, response.text
    wait_for_dag(airflow_api, document["id"], timeout)
    if unpause:
        airflow_api.patch(f"/dags/{document['id']}", json={"is_paused": False}).raise_for_status()


def install_repository(client: httpx.Client, path: Path, source_type: str = "local", version: str = "") -> dict:
    """Install through the API and wait for the job; returns the finished job."""
    job = client.post(
        "/repositories/installs", json={"source_type": source_type, "source_url": str(path), "version": version}
    )
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]

    def finished() -> dict | None:
        body = client.get(f"/repositories/installs/{job_id}").json()
        return body if body["state"] in ("succeeded", "failed") else None

    return wait_for(f"install job {job_id}", finished, timeout=240, interval=0.5)


def dag(airflow: httpx.Client, dag_id: str) -> dict | None:
    response = airflow.get(f"/dags/{dag_id}")
    return response.json() if response.status_code == 200 else None


def wait_for_dag(airflow: httpx.Client, dag_id: str, timeout: float = 120) -> dict:
    """Waits until the DAG is in Airflow (a workflow saved through the API or the editor); returns it."""
    return wait_for(f"DAG {dag_id}", lambda: dag(airflow, dag_id), timeout=timeout)


def run_dag(airflow: httpx.Client, dag_id: str, conf: dict | None = None, timeout: float = 180) -> dict:
    """Unpause, trigger and wait for the run to end; returns the final run."""
    airflow.patch(f"/dags/{dag_id}", json={"is_paused": False}).raise_for_status()
    run = airflow.post(f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})
    assert run.status_code == 200, run.text
    run_id = run.json()["dag_run_id"]

    def ended() -> dict | None:
        body = airflow.get(f"/dags/{dag_id}/dagRuns/{run_id}").json()
        return body if body["state"] in ("success", "failed") else None

    return wait_for(f"run {run_id} of {dag_id}", ended, timeout=timeout, interval=0.5)


def task_log(airflow: httpx.Client, dag_id: str, run_id: str, task_id: str, try_number: int = 1) -> str:
    response = airflow.get(
        f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
        params={"full_content": True},
        headers={"Accept": "application/json"},
    )
    content = response.json().get("content", [])
    if isinstance(content, str):
        return content
    return "\n".join(str(line.get("event", line)) if isinstance(line, dict) else str(line) for line in content)


def run_report(airflow: httpx.Client, dag_id: str, run_id: str) -> str:
    """What a failed run's assertion should show: each task's state and try, and the log of every failed one."""
    tis = airflow.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances").json().get("task_instances", [])
    lines = [f"{dag_id} {run_id}:"]
    for ti in tis:
        lines.append(f"  {ti['task_id']}: {ti['state']} (try {ti['try_number']}, end {ti.get('end_date')})")
    for ti in tis:
        if ti["state"] not in ("success", "skipped"):
            log = task_log(airflow, dag_id, run_id, ti["task_id"], try_number=max(int(ti["try_number"] or 1), 1))
            lines.append(f"--- log of {ti['task_id']} ---\n{log}")
    return "\n".join(lines)


def xcom(airflow: httpx.Client, dag_id: str, run_id: str, task_id: str, key: str = "return_value") -> Any:
    response = airflow.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/{key}")
    return response.json().get("value") if response.status_code == 200 else None
