"""Domino-layout pieces run as their authors meant: key/value argument lists, declared outputs, optional outputs.

One workflow, one run (the stack is shared and runs are the slow part): its healthy branch
shows bound key/value arguments and declared outputs flowing downstream; its broken branches
show the clear task errors for a declared output that was not produced and for a null that
reaches an input which does not accept null.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.helpers import dag, run_dag, task_log, wait_for, xcom

REPO = {"repository": "domino_binding_pieces", "version": "0.1.0"}
WORKFLOW_ID = "domino_bindings"


def up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def _task(task_id: str, piece: str, inputs: dict[str, Any], *deps: str) -> dict[str, Any]:
    return {"id": task_id, "piece": {**REPO, "name": piece}, "inputs": inputs, "depends_on": list(deps)}


def kwargs_code(task_id: str, declared: list[dict[str, str]], *deps: str) -> dict[str, Any]:
    return _task(
        task_id,
        "KwargsCodePiece",
        {
            "input_args": [
                {"kwarg_name": "n", "kwarg_value": up("number", "total")},
                {"kwarg_name": "s", "kwarg_value": up("number", "label")},
            ],
            "prefix": "> ",
            "output_args": declared,
        },
        *deps,
    )


DOCUMENT: dict[str, Any] = {
    "schema_version": 1,
    "id": WORKFLOW_ID,
    "name": "Domino bindings",
    "schedule": None,
    "tasks": [
        _task("number", "SumPiece", {"a": 2, "b": 3, "label": "five"}),
        kwargs_code("code", [{"name": "n", "type": "integer"}, {"name": "s", "type": "string"}], "number"),
        _task("after", "SumPiece", {"a": up("code", "n"), "b": 10, "label": up("code", "s")}, "code"),
        kwargs_code("ghost_code", [{"name": "n", "type": "integer"}, {"name": "ghost", "type": "integer"}], "number"),
        _task("after_ghost", "SumPiece", {"a": up("ghost_code", "ghost")}, "ghost_code"),
        _task("maybe", "MaybeNumberPiece", {"value": 7}),
        _task("after_maybe", "SumPiece", {"a": up("maybe", "number")}, "maybe"),
        _task("nothing", "MaybeNumberPiece", {"give": False}),
        _task("after_nothing", "SumPiece", {"a": up("nothing", "number"), "b": 1}, "nothing"),
    ],
}


@pytest.fixture(scope="module")
def bindings_run(binding_repository: dict, airflow_stack: Any) -> dict[str, Any]:
    """Validate, save and run the workflow once; later tests read the run."""
    with airflow_stack.client("admin") as admin, airflow_stack.client("admin", prefix="/api/v2") as airflow_api:
        validated = admin.post("/workflows/validate", json=DOCUMENT)
        assert validated.status_code == 200, validated.text
        saved = admin.post("/workflows", json={"document": DOCUMENT})
        assert saved.status_code == 201, saved.text
        wait_for(f"DAG {WORKFLOW_ID}", lambda: dag(airflow_api, WORKFLOW_ID), timeout=60)
        run = run_dag(airflow_api, WORKFLOW_ID, timeout=240)
        tis = airflow_api.get(f"/dags/{WORKFLOW_ID}/dagRuns/{run['dag_run_id']}/taskInstances").json()
        states = {ti["task_id"]: ti["state"] for ti in tis["task_instances"]}
        return {"validated": validated.json(), "saved": saved.json(), "run": run, "states": states}


def test_nullable_binding_saves_with_a_warning_naming_the_field(bindings_run: dict[str, Any]) -> None:
    validated = bindings_run["validated"]
    assert validated["valid"] is True, validated["errors"]
    assert validated["errors"] == []
    expected = {
        ("tasks[6].inputs.a", "/tasks/6/inputs/a", "nullable_upstream"),
        ("tasks[8].inputs.a", "/tasks/8/inputs/a", "nullable_upstream"),
    }
    assert {(w["path"], w["pointer"], w["code"]) for w in validated["warnings"]} == expected
    message = next(w["message"] for w in validated["warnings"] if w["path"] == "tasks[6].inputs.a")
    assert "Output `number` of task `maybe` (integer or null) may be null" in message
    assert {(w["path"], w["code"]) for w in bindings_run["saved"]["warnings"]} == {(p, c) for p, _, c in expected}


def test_key_value_arguments_and_declared_outputs_flow_downstream(
    bindings_run: dict[str, Any], airflow_api: httpx.Client
) -> None:
    run_id, states = bindings_run["run"]["dag_run_id"], bindings_run["states"]
    assert states["code"] == "success", task_log(airflow_api, WORKFLOW_ID, run_id, "code")
    assert xcom(airflow_api, WORKFLOW_ID, run_id, "code") == {"n": 5, "s": "> five"}
    assert states["after"] == "success", task_log(airflow_api, WORKFLOW_ID, run_id, "after")
    assert xcom(airflow_api, WORKFLOW_ID, run_id, "after") == {"total": 15, "label": "> five"}


def test_a_declared_output_that_is_not_produced_fails_its_task(
    bindings_run: dict[str, Any], airflow_api: httpx.Client
) -> None:
    run_id, states = bindings_run["run"]["dag_run_id"], bindings_run["states"]
    assert bindings_run["run"]["state"] == "failed"
    assert states["ghost_code"] == "failed"
    assert states["after_ghost"] == "upstream_failed"
    log = task_log(airflow_api, WORKFLOW_ID, run_id, "ghost_code")
    assert "Piece KwargsCodePiece failed" in log
    assert "output `ghost` (declared in input `output_args` as integer) was not produced" in log


def test_a_null_reaching_a_required_input_fails_that_task(
    bindings_run: dict[str, Any], airflow_api: httpx.Client
) -> None:
    run_id, states = bindings_run["run"]["dag_run_id"], bindings_run["states"]
    assert states["after_maybe"] == "success"
    assert xcom(airflow_api, WORKFLOW_ID, run_id, "after_maybe") == {"total": 7, "label": ""}
    assert states["nothing"] == "success"
    assert xcom(airflow_api, WORKFLOW_ID, run_id, "nothing") == {"number": None}
    assert states["after_nothing"] == "failed"
    log = task_log(airflow_api, WORKFLOW_ID, run_id, "after_nothing")
    assert (
        "Input `a` of task 'after_nothing' expects integer and does not accept null, but upstream task "
        "'nothing' produced null for its output 'number'"
    ) in log
    assert "piece SumPiece output start" not in log  # refused before the piece ran
