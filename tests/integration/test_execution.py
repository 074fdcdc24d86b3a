"""Workflows run for real: params, upstream outputs at any depth, secrets, failures, retries, timeouts."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.integration.helpers import dag, run_dag, task_log, wait_for, xcom

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
CANARY = "canary-7f3e9a1c5b"


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> None:
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for(f"DAG {document['id']}", lambda: dag(airflow_api, document["id"]), timeout=30)


def _doc(workflow_id: str, tasks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None, "tasks": tasks, **extra}


def test_upstream_outputs_and_params_flow_between_pieces(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    document = _doc(
        "run_chain",
        [
            {"id": "first", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": {"$param": "x"}, "b": 2}},
            {
                "id": "second",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 10},
                "depends_on": ["first"],
            },
        ],
        params={"x": {"type": "integer", "default": 1}},
    )
    _save(admin, airflow_api, document)
    run = run_dag(airflow_api, "run_chain", conf={"x": 5})
    assert run["state"] == "success", task_log(airflow_api, "run_chain", run["dag_run_id"], "first")
    assert xcom(airflow_api, "run_chain", run["dag_run_id"], "first") == {"total": 7}
    assert xcom(airflow_api, "run_chain", run["dag_run_id"], "second") == {"total": 17}
    log = task_log(airflow_api, "run_chain", run["dag_run_id"], "second")
    assert "piece AddPiece output start" in log
    assert "Adding 7 and 10" in log
    # The default applies when the run does not override it.
    default_run = run_dag(airflow_api, "run_chain")
    assert xcom(airflow_api, "run_chain", default_run["dag_run_id"], "second") == {"total": 13}


def test_failing_piece_fails_with_its_traceback_and_retries(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    document = _doc(
        "run_failing",
        [{"id": "bad", "piece": {**REPO, "name": "FailPiece"}, "inputs": {"message": "boom-4711"},
          "retries": 1, "retry_delay_s": 1}],
    )  # fmt: skip
    _save(admin, airflow_api, document)
    run = run_dag(airflow_api, "run_failing")
    assert run["state"] == "failed"
    ti = airflow_api.get(f"/dags/run_failing/dagRuns/{run['dag_run_id']}/taskInstances/bad").json()
    assert ti["try_number"] == 2, "the task was not retried as configured"
    log = task_log(airflow_api, "run_failing", run["dag_run_id"], "bad", try_number=2)
    assert "Traceback" in log
    assert "boom-4711" in log
    assert log.rindex("Traceback") > log.index("piece FailPiece output start"), "traceback should come last"
    assert "Piece FailPiece failed: the piece raised an exception" in log


def test_timeout_kills_the_piece(fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client) -> None:
    document = _doc(
        "run_timeout",
        [{"id": "slow", "piece": {**REPO, "name": "SleepPiece"}, "inputs": {"seconds": 120}, "timeout_s": 3}],
    )
    _save(admin, airflow_api, document)
    run = run_dag(airflow_api, "run_timeout", timeout=90)
    assert run["state"] == "failed"
    log = task_log(airflow_api, "run_timeout", run["dag_run_id"], "slow")
    assert "timed out after 3s and was killed" in log


def test_outputs_feed_nested_inputs_and_files_pass_between_pieces(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    add = {**REPO, "name": "AddPiece"}
    document = _doc(
        "run_nested",
        [
            {"id": "one", "piece": add, "inputs": {"a": 1, "b": 2}},
            {"id": "two", "piece": add, "inputs": {"a": {"$param": "base"}, "b": 1}},
            {
                "id": "collect",
                "piece": {**REPO, "name": "CollectPiece"},
                "inputs": {
                    "values": [{"$upstream": {"task": "one", "output": "total"}}, 100],
                    "labels": {"two": {"$upstream": {"task": "two", "output": "total"}}, "fixed": 1000},
                },
                "depends_on": ["one", "two"],
            },
            {"id": "write", "piece": {**REPO, "name": "WriteFilePiece"}, "inputs": {"text": "hello from a file"}},
            {
                "id": "read",
                "piece": {**REPO, "name": "ReadFilePiece"},
                "inputs": {"file_path": {"$upstream": {"task": "write", "output": "file_path"}}},
                "depends_on": ["write"],
            },
        ],
        params={"base": {"type": "integer", "default": 10}},
    )
    _save(admin, airflow_api, document)
    run = run_dag(airflow_api, "run_nested", conf={"base": 40})
    assert run["state"] == "success", task_log(airflow_api, "run_nested", run["dag_run_id"], "collect")
    collected = xcom(airflow_api, "run_nested", run["dag_run_id"], "collect")
    assert collected == {"values": [3, 100], "labels": {"two": 41, "fixed": 1000}, "total": 1144}
    assert xcom(airflow_api, "run_nested", run["dag_run_id"], "read") == {"content": "hello from a file"}
    display = xcom(airflow_api, "run_nested", run["dag_run_id"], "write", key="display_result")
    assert display["file_type"] == "txt"
    assert display["uri"].endswith("/write/note.txt")


def test_secret_values_never_leak(fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client) -> None:
    airflow_api.post("/variables", json={"key": "domino_test_token", "value": CANARY}).raise_for_status()
    document = _doc(
        "run_secret",
        [{"id": "greet", "piece": {**REPO, "name": "SecretGreetingPiece"}, "inputs": {"name": "Ada"},
          "secrets": {"GREETING_API_TOKEN": {"variable": "domino_test_token"}}}],
    )  # fmt: skip
    _save(admin, airflow_api, document)
    run = run_dag(airflow_api, "run_secret")
    log = task_log(airflow_api, "run_secret", run["dag_run_id"], "greet")
    assert run["state"] == "success", log
    outputs = xcom(airflow_api, "run_secret", run["dag_run_id"], "greet")
    assert outputs["token_length"] == len(CANARY)
    exposed = {
        "log": log,
        "xcom": json.dumps(outputs),
        "dag": airflow_api.get("/dags/run_secret/details").text,
        "tasks": airflow_api.get("/dags/run_secret/tasks").text,
        "workflow": admin.get("/workflows/run_secret").text,
        "rendered": json.dumps(
            airflow_api.get(f"/dags/run_secret/dagRuns/{run['dag_run_id']}/taskInstances/greet").json()
        ),
    }
    for where, text in exposed.items():
        assert CANARY not in text, f"the secret leaked into {where}"
