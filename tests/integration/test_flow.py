"""For-each and branches run on a real Airflow: mapped task instances, skipped paths, a join's trigger rule."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.helpers import dag, run_dag, task_log, wait_for, xcom

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> None:
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for(f"DAG {document['id']}", lambda: dag(airflow_api, document["id"]), timeout=30)


def _doc(workflow_id: str, tasks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None, "tasks": tasks, **extra}


def _up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def test_for_each_maps_one_instance_per_item_and_joins_the_results(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    document = _doc(
        "flow_for_each",
        [
            {"id": "numbers", "piece": {**REPO, "name": "CollectPiece"}, "inputs": {"values": [1, 2, 3, 4, 5]}},
            {
                "id": "add_ten",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"b": 10},
                "depends_on": ["numbers"],
                "for_each": {"items": _up("numbers", "values"), "input": "a", "max_parallel": 2},
            },
            {
                "id": "joined",
                "piece": {**REPO, "name": "CollectPiece"},
                "inputs": {"values": _up("add_ten", "total")},
                "depends_on": ["add_ten"],
            },
        ],
    )
    _save(admin, airflow_api, document)
    run = run_dag(airflow_api, "flow_for_each")
    run_id = run["dag_run_id"]
    assert run["state"] == "success", task_log(airflow_api, "flow_for_each", run_id, "joined")
    mapped = airflow_api.get(f"/dags/flow_for_each/dagRuns/{run_id}/taskInstances/add_ten/listMapped").json()
    assert sorted((ti["map_index"], ti["state"]) for ti in mapped["task_instances"]) == [
        (i, "success") for i in range(5)
    ]
    # Downstream receives the list of results, in item order.
    assert xcom(airflow_api, "flow_for_each", run_id, "joined") == {
        "values": [11, 12, 13, 14, 15],
        "labels": {},
        "total": 65,
    }
    detail = admin.get(f"/workflows/flow_for_each/runs/{run_id}").raise_for_status().json()
    tasks = {t["task_id"]: t for t in detail["tasks"]}
    assert list(tasks) == ["numbers", "add_ten", "joined"]  # the items task is not a node of the workflow
    assert tasks["add_ten"]["state"] == "success"
    assert [(m["map_index"], m["state"]) for m in tasks["add_ten"]["map_instances"]] == [
        (i, "success") for i in range(5)
    ]
    assert tasks["joined"]["map_instances"] == []
    # Each instance's log and outputs, by map index.
    base = f"/workflows/flow_for_each/runs/{run_id}/tasks/add_ten"
    assert admin.get(f"{base}/outputs", params={"map_index": 4}).json() == {"outputs": {"total": 15}}
    lines = admin.get(f"{base}/logs", params={"map_index": 2}).raise_for_status().json()["lines"]
    assert any("Adding 3 and 10" in line for line in lines), lines
    assert admin.get(f"{base}/logs", params={"map_index": 5}).status_code == 404


def test_branch_runs_one_path_skips_the_other_and_the_join_runs(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    add = {**REPO, "name": "AddPiece"}
    document = _doc(
        "flow_branch",
        [
            {
                "id": "route",
                "piece": add,
                "inputs": {"a": {"$param": "x"}},
                "branch": {
                    "when": [{"value": _up("route", "total"), "op": "gt", "operand": 3, "then": ["big"]}],
                    "else": ["small"],
                },
            },
            {"id": "big", "piece": add, "inputs": {"a": _up("route", "total"), "b": 100}, "depends_on": ["route"]},
            {"id": "small", "piece": add, "inputs": {"a": _up("route", "total"), "b": 1}, "depends_on": ["route"]},
            {
                "id": "join",
                "piece": add,
                "inputs": {"a": 0},
                "depends_on": ["big", "small"],
                "trigger_rule": "none_failed_min_one_success",
            },
        ],
        params={"x": {"type": "integer", "default": 5}},
    )
    _save(admin, airflow_api, document)
    for x, ran, skipped in ((5, "big", "small"), (2, "small", "big")):
        run = run_dag(airflow_api, "flow_branch", conf={"x": x})
        run_id = run["dag_run_id"]
        assert run["state"] == "success", task_log(airflow_api, "flow_branch", run_id, "route")
        detail = admin.get(f"/workflows/flow_branch/runs/{run_id}").raise_for_status().json()
        states = {t["task_id"]: t["state"] for t in detail["tasks"]}
        assert states == {"route": "success", ran: "success", skipped: "skipped", "join": "success"}
        assert xcom(airflow_api, "flow_branch", run_id, "route") == {"total": x}
        assert "Branch rule when[0]" in task_log(airflow_api, "flow_branch", run_id, "route")
