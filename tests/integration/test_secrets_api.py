"""Secrets declared by pieces: listed, set (write-only), used by a run, never shown, deleted."""

from __future__ import annotations

import json

import httpx

from tests.integration.helpers import dag, task_log, wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
VARIABLE = "domino__domino_style_pieces__GREETING_API_TOKEN"
CANARY = "canary-secret-4d2b8e61a9"


def _secret(admin: httpx.Client) -> dict:
    items = admin.get("/secrets").raise_for_status().json()["items"]
    return next(s for s in items if s["repository"] == "domino_style_pieces" and s["name"] == "GREETING_API_TOKEN")


def test_secret_lifecycle_and_no_leak(
    fixture_repository: dict, admin: httpx.Client, viewer: httpx.Client, airflow_api: httpx.Client
) -> None:
    # Start from "not set" whatever ran before on this stack (the browser journey sets it too).
    assert admin.delete("/secrets/domino_style_pieces/GREETING_API_TOKEN").status_code == 204
    listed = admin.get("/secrets").json()
    assert listed["total"] == len(listed["items"]) >= 1
    secret = _secret(admin)
    assert secret == {
        "repository": "domino_style_pieces",
        "name": "GREETING_API_TOKEN",
        "pieces": ["SecretGreetingPiece"],
        "description": "Token for the (pretend) greeting service.",
        "required": True,
        "variable": VARIABLE,
        "is_set": False,
    }

    # Only secret managers: a viewer may neither list nor set.
    assert viewer.get("/secrets").status_code == 403
    assert viewer.put("/secrets/domino_style_pieces/GREETING_API_TOKEN", json={"value": "x"}).status_code == 403
    assert viewer.delete("/secrets/domino_style_pieces/GREETING_API_TOKEN").status_code == 403

    assert admin.put("/secrets/domino_style_pieces/NOPE", json={"value": "x"}).status_code == 404
    assert admin.put("/secrets/domino_style_pieces/GREETING_API_TOKEN", json={"value": ""}).status_code == 422
    response = admin.put("/secrets/domino_style_pieces/GREETING_API_TOKEN", json={"value": CANARY})
    assert response.status_code == 204, response.text
    assert _secret(admin)["is_set"] is True
    variable = airflow_api.get(f"/variables/{VARIABLE}").json()
    assert "GREETING_API_TOKEN" in variable["description"]
    # Stored through Airflow's own variable route as the user: Airflow wrote the audit row, value masked.
    events = airflow_api.get("/eventLogs", params={"limit": 100, "order_by": "-when"}).json()["event_logs"]
    stored = [e for e in events if e["event"] in ("post_variable", "patch_variable") and VARIABLE in (e["extra"] or "")]
    assert stored, events[:5]
    assert stored[0]["owner"] == "admin"
    assert json.loads(stored[0]["extra"])["value"] == "***"

    document = {
        "schema_version": 1, "id": "api_secret_run", "name": "api_secret_run", "schedule": None,
        "tasks": [{"id": "greet", "piece": {**REPO, "name": "SecretGreetingPiece"}, "inputs": {"name": "Ada"},
                   "secrets": {"GREETING_API_TOKEN": {"variable": VARIABLE}}}],
    }  # fmt: skip
    assert admin.post("/workflows", json={"document": document}).status_code == 201
    wait_for("the DAG", lambda: dag(airflow_api, "api_secret_run"), timeout=30)
    admin.post("/workflows/api_secret_run/unpause").raise_for_status()
    run = admin.post("/workflows/api_secret_run/runs", json={}).raise_for_status().json()
    base = f"/workflows/api_secret_run/runs/{run['run_id']}"

    def ended() -> dict | None:
        body = admin.get(base).json()
        return body if body["state"] in ("success", "failed") else None

    detail = wait_for("the run", ended, timeout=180, interval=0.5)
    airflow_log = task_log(airflow_api, "api_secret_run", run["run_id"], "greet")
    assert detail["state"] == "success", airflow_log
    outputs = admin.get(f"{base}/tasks/greet/outputs").json()
    assert outputs["outputs"]["token_length"] == len(CANARY)

    exposed = {
        "secrets list": admin.get("/secrets").text,
        "run detail": admin.get(base).text,
        "run list": admin.get("/workflows/api_secret_run/runs").text,
        "report": admin.get(f"{base}/report").text,
        "logs": admin.get(f"{base}/tasks/greet/logs").text,
        "outputs": json.dumps(outputs),
        "workflow": admin.get("/workflows/api_secret_run").text,
        "airflow log": airflow_log,
        "airflow xcom": airflow_api.get(
            f"/dags/api_secret_run/dagRuns/{run['run_id']}/taskInstances/greet/xcomEntries"
        ).text,
        "airflow dag": airflow_api.get("/dags/api_secret_run/details").text,
        "airflow ti": airflow_api.get(f"/dags/api_secret_run/dagRuns/{run['run_id']}/taskInstances/greet").text,
        "airflow audit log": airflow_api.get("/eventLogs", params={"limit": 100}).text,
    }
    for where, text in exposed.items():
        assert CANARY not in text, f"the secret leaked into {where}"

    assert admin.delete("/secrets/domino_style_pieces/GREETING_API_TOKEN").status_code == 204
    assert _secret(admin)["is_set"] is False
    assert airflow_api.get(f"/variables/{VARIABLE}").status_code == 404
    assert admin.delete("/secrets/domino_style_pieces/GREETING_API_TOKEN").status_code == 204
    assert admin.delete("/secrets/nobody/NOTHING").status_code == 404
