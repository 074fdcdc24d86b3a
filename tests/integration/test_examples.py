"""The example pieces repository installs through the API and every example workflow runs to success."""

from __future__ import annotations

import json

import httpx

from tests.integration.helpers import REPO, dag, run_dag, task_log, wait_for, xcom
from tools.seed_examples import _absolute_defaults


def test_example_workflows_run_to_success(
    example_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    pieces = admin.get("/pieces", params={"repository_id": example_repository["repository_id"], "limit": 100}).json()
    assert pieces["total"] >= 12
    for path in sorted((REPO / "examples" / "workflows").glob("*.json")):
        document = _absolute_defaults(json.loads(path.read_text()))
        created = admin.post("/workflows", json={"document": document})
        assert created.status_code == 201, created.text
        wait_for(f"DAG {document['id']}", lambda d=document: dag(airflow_api, d["id"]), timeout=30)
        run = run_dag(airflow_api, document["id"], timeout=300)
        states = airflow_api.get(f"/dags/{document['id']}/dagRuns/{run['dag_run_id']}/taskInstances").json()
        failed = [ti["task_id"] for ti in states["task_instances"] if ti["state"] != "success"]
        logs = {t: task_log(airflow_api, document["id"], run["dag_run_id"], t)[-2000:] for t in failed}
        assert run["state"] == "success", logs
    chart = xcom(airflow_api, "sales_report", _last_run(airflow_api, "sales_report"), "chart", key="display_result")
    assert chart["file_type"] == "png"


def _last_run(airflow_api: httpx.Client, dag_id: str) -> str:
    runs = airflow_api.get(f"/dags/{dag_id}/dagRuns", params={"order_by": "-start_date", "limit": 1}).json()
    return str(runs["dag_runs"][0]["dag_run_id"])
