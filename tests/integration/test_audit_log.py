"""What a user does through the plugin shows in Airflow's audit log, with the acting user.

Run actions go through Airflow's own REST routes as the user, so Airflow writes their rows (with
its own route's event names and fields); what the plugin does itself (a re-parse request) is
written by the plugin with ``"source": "domino"``. Read back through Airflow's own REST API
(``/api/v2/eventLogs``), as an auditor would.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.integration.helpers import dag, wait_for

# The audit log is Airflow's table: every supported release runs this (make test-airflow-3.1 / 3.2).
pytestmark = pytest.mark.versions

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
WORKFLOW = "audit_trail"


def _events(airflow_api: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = airflow_api.get("/eventLogs", params={"dag_id": WORKFLOW, "limit": 100, **filters})
    assert response.status_code == 200, response.text
    return response.json()["event_logs"]


def _one(airflow_api: httpx.Client, event: str, **filters: str) -> dict[str, Any]:
    found = wait_for(f"audit event {event}", lambda: _events(airflow_api, event=event, **filters), timeout=10)
    assert all(e["owner"] == "admin" for e in found), found
    return found[-1]


def test_actions_are_audit_logged_with_the_user(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    document = {
        "schema_version": 1,
        "id": WORKFLOW,
        "name": WORKFLOW,
        "schedule": None,
        "tasks": [{"id": "add", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1, "b": 2}}],
    }
    assert admin.post("/workflows", json={"document": document}).status_code == 201
    wait_for(f"DAG {WORKFLOW}", lambda: dag(airflow_api, WORKFLOW), timeout=30)
    reparse = _one(airflow_api, "reparse_dag_file")
    assert json.loads(reparse["extra"])["source"] == "domino"

    # Paused (new DAGs are): the run stays queued, so it can be cancelled.
    queued = admin.post(f"/workflows/{WORKFLOW}/runs", json={"params": {}}).raise_for_status().json()
    triggered = _one(airflow_api, "trigger_dag_run")  # Airflow's route: the run id is made after its row
    assert json.loads(triggered["extra"])["method"] == "POST"
    assert admin.post(f"/workflows/{WORKFLOW}/runs/{queued['run_id']}/cancel").status_code == 200
    cancelled = _one(airflow_api, "patch_dag_run", run_id=queued["run_id"])
    assert json.loads(cancelled["extra"])["state"] == "failed"

    assert admin.post(f"/workflows/{WORKFLOW}/unpause").json() == {"is_paused": False}
    assert json.loads(_one(airflow_api, "patch_dag")["extra"])["is_paused"] is False

    run = admin.post(f"/workflows/{WORKFLOW}/runs", json={"params": {}}).raise_for_status().json()

    def ended() -> dict | None:
        body = admin.get(f"/workflows/{WORKFLOW}/runs/{run['run_id']}").raise_for_status().json()
        return body if body["state"] in ("success", "failed") else None

    wait_for("the run", ended, timeout=180, interval=0.5)
    assert admin.post(f"/workflows/{WORKFLOW}/runs/{run['run_id']}/tasks/add/clear").status_code == 200
    cleared = _one(airflow_api, "post_clear_task_instances", run_id=run["run_id"])
    assert json.loads(cleared["extra"])["task_ids"] == ["add"]
    assert json.loads(cleared["extra"])["dry_run"] is False

    def run_ended_again() -> bool:
        body = admin.get(f"/workflows/{WORKFLOW}/runs/{run['run_id']}").raise_for_status().json()
        return body["state"] in ("success", "failed")

    wait_for("the cleared run", run_ended_again, timeout=180, interval=0.5)
    # Deleting writes a delete_dag row too, but /api/v2/eventLogs shows rows of readable (existing)
    # DAGs only, so it cannot be read back here once the DAG is gone.
    assert admin.delete(f"/workflows/{WORKFLOW}").status_code == 204
