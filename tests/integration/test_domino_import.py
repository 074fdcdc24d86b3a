"""Workflows written for the original Domino import through the API and run on the real stack."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.helpers import dag, run_dag, task_log, wait_for, xcom

IMAGE = "ghcr.io/example-org/domino_style_pieces:0.1.0-group0"
FIRST, SECOND, COLLECT = "AddPiece_5d1c0e7a", "AddPiece_9b2f4c11", "CollectPie_3e8a6d02"


def _kw(value: Any = None, upstream: str | None = None, output: str | None = None) -> dict[str, Any]:
    return {
        "fromUpstream": upstream is not None,
        "upstreamTaskId": upstream,
        "upstreamArgument": output,
        "value": value,
    }


def _task(task_id: str, piece: str, inputs: dict[str, Any], dependencies: list[str]) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "piece": {"id": 1, "name": piece, "source_image": IMAGE},
        "piece_input_kwargs": inputs,
        "dependencies": dependencies,
        "container_resources": {
            "requests": {"cpu": 100, "memory": 128},
            "limits": {"cpu": 100, "memory": 128},
            "use_gpu": False,
        },
        "workflow_shared_storage": {"source": "None", "mode": "Read/Write", "provider_options": {}},
    }


def domino_body(name: str) -> dict[str, Any]:
    """Domino's REST API body for a workflow: two chained additions collected into a list."""
    return {
        "workflow": {"name": name, "schedule": "none", "start_date": "2026-12-01", "select_end_date": "never"},
        "tasks": {
            FIRST: _task(FIRST, "AddPiece", {"a": _kw(2), "b": _kw(3)}, []),
            SECOND: _task(SECOND, "AddPiece", {"a": _kw("", FIRST, "total"), "b": _kw(10)}, [FIRST]),
            COLLECT: _task(
                COLLECT,
                "CollectPiece",
                {"values": _kw([_kw(None, FIRST, "total"), _kw(1), _kw(None, SECOND, "total")]), "labels": _kw({})},
                [FIRST, SECOND],
            ),
        },
        "ui_schema": {
            "nodes": {FIRST: {"id": "1_5d1c0e7a", "position": {"x": 0, "y": 0}, "data": {"name": "AddPiece"}}},
            "edges": [],
        },
    }


def test_a_domino_workflow_imports_and_runs(
    fixture_repository: dict, admin: httpx.Client, viewer: httpx.Client, airflow_api: httpx.Client
) -> None:
    # The editor's path: convert without saving (read permission is enough).
    converted = viewer.post("/workflows/import/convert", json={"document": domino_body("domino_converted")})
    assert converted.status_code == 200, converted.text
    assert converted.json()["format"] == "domino-api"
    assert [t["id"] for t in converted.json()["document"]["tasks"]] == ["add", "add_2", "collect"]
    assert admin.get("/workflows/domino_converted").status_code == 404
    assert viewer.post("/workflows/import", json={"document": domino_body("domino_denied")}).status_code == 403

    response = admin.post("/workflows/import", json={"document": domino_body("domino_imported_math")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["id"], body["format"]) == ("domino_imported_math", "domino-api")
    assert body["task_ids"] == {FIRST: "add", SECOND: "add_2", COLLECT: "collect"}
    assert body["revision"]["message"] == "Imported from Domino (domino-api)"
    assert body["document"]["ui"]["nodes"] == {"add": {"x": 0, "y": 0}}
    wait_for("DAG domino_imported_math", lambda: dag(airflow_api, "domino_imported_math"), timeout=30)

    run = run_dag(airflow_api, "domino_imported_math")
    run_id = run["dag_run_id"]
    assert run["state"] == "success", task_log(airflow_api, "domino_imported_math", run_id, "collect")
    assert xcom(airflow_api, "domino_imported_math", run_id, "add_2") == {"total": 15}
    assert xcom(airflow_api, "domino_imported_math", run_id, "collect") == {
        "values": [5, 1, 15],
        "labels": {},
        "total": 21,
    }


def test_an_unmappable_domino_workflow_is_refused_naming_each_node(
    fixture_repository: dict, admin: httpx.Client
) -> None:
    body = domino_body("domino_unmappable")
    body["tasks"][FIRST]["piece"] = {
        "id": 7,
        "name": "TranslatePiece",
        "source_image": "ghcr.io/acme/nlp_pieces:2.0.0-group0",
    }
    body["tasks"][COLLECT]["piece"] = {"id": 8, "name": "ChartPiece"}
    body["tasks"][SECOND]["piece_input_kwargs"]["b"] = _kw(None, "Vanished_0000", "total")
    response = admin.post("/workflows/import", json={"document": body})
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["path"], e["code"]) for e in errors] == [
        (f"tasks.{FIRST}.piece", "domino_unknown_piece"),
        (f"tasks.{SECOND}.piece_input_kwargs.b.upstreamTaskId", "domino_unknown_upstream"),
        (f"tasks.{COLLECT}.piece", "domino_unknown_piece"),
    ]
    assert "`TranslatePiece` (Domino repository nlp_pieces 2.0.0)" in errors[0]["message"]
    assert "3 nodes or fields" in response.json()["detail"]
    assert admin.get("/workflows/domino_unmappable").status_code == 404

    # Mapped but invalid once converted: refused too, located in the Domino document.
    body = domino_body("domino_invalid")
    body["tasks"][SECOND]["piece_input_kwargs"]["a"] = _kw(None, FIRST, "sum")
    response = admin.post("/workflows/import", json={"document": body})
    assert response.status_code == 422, response.text
    assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [
        (f"tasks.{SECOND}.piece_input_kwargs.a", "unknown_output")
    ]
    assert admin.get("/workflows/domino_invalid").status_code == 404
