"""Sub-workflows and data-aware schedules on a real Airflow: TriggerDagRunOperator (deferred) and Assets."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.helpers import dag, run_dag, run_report, task_log, wait_for, xcom

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
ADD = {**REPO, "name": "AddPiece"}


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> dict[str, Any]:
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for(f"DAG {document['id']}", lambda: dag(airflow_api, document["id"]), timeout=30)
    return response.json()


def _doc(workflow_id: str, tasks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None, "tasks": tasks, **extra}


def _up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def _runs(airflow_api: httpx.Client, dag_id: str) -> list[dict[str, Any]]:
    return airflow_api.get(f"/dags/{dag_id}/dagRuns", params={"order_by": "start_date"}).json()["dag_runs"]


def test_sub_workflow_gets_a_parameter_and_returns_its_final_output(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    _save(
        admin,
        airflow_api,
        _doc(
            "sub_child",
            [{"id": "add", "piece": ADD, "inputs": {"a": {"$param": "x"}, "b": 1}}],
            params={"x": {"type": "integer", "default": 0}},
        ),
    )
    _save(
        admin,
        airflow_api,
        _doc(
            "sub_parent",
            [
                {"id": "seed", "piece": ADD, "inputs": {"a": 40, "b": 1}},
                {
                    "id": "run_child",
                    "workflow": {"id": "sub_child", "poll_interval_s": 1},
                    "inputs": {"x": _up("seed", "total")},
                    "depends_on": ["seed"],
                },
                {
                    "id": "after",
                    "piece": ADD,
                    "inputs": {"a": _up("run_child", "add.total"), "b": 100},
                    "depends_on": ["run_child"],
                },
            ],
        ),
    )
    run = run_dag(airflow_api, "sub_parent", timeout=300)
    run_id = run["dag_run_id"]
    assert run["state"] == "success", "\n".join(  # the parent's tasks, and the child's runs and tasks
        [run_report(airflow_api, "sub_parent", run_id)]
        + [run_report(airflow_api, "sub_child", r["dag_run_id"]) for r in _runs(airflow_api, "sub_child")]
    )
    # The child got the parameter (41 = 40 + 1) and returned 42; the parent's downstream bound it.
    assert xcom(airflow_api, "sub_parent", run_id, "run_child") == {"add.total": 42}
    assert xcom(airflow_api, "sub_parent", run_id, "after") == {"total": 142}
    (child,) = _runs(airflow_api, "sub_child")
    assert child["state"] == "success"
    assert child["conf"]["x"] == 41
    assert child["conf"]["__domino_parent"] == {"dag_id": "sub_parent", "run_id": run_id, "task_id": "run_child"}
    # The run pages link parent and child.
    detail = admin.get(f"/workflows/sub_parent/runs/{run_id}").raise_for_status().json()
    tasks = {t["task_id"]: t for t in detail["tasks"]}
    assert tasks["run_child"]["child_run"] == {
        "workflow_id": "sub_child",
        "run_id": child["dag_run_id"],
        "task_id": None,
    }
    child_detail = admin.get(f"/workflows/sub_child/runs/{child['dag_run_id']}").raise_for_status().json()
    assert child_detail["parent_run"] == {"workflow_id": "sub_parent", "run_id": run_id, "task_id": "run_child"}


def test_a_cycle_between_workflows_is_refused_at_save_naming_the_field(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    first = _save(admin, airflow_api, _doc("cycle_a", [{"id": "add", "piece": ADD, "inputs": {"a": 1}}]))
    _save(admin, airflow_api, _doc("cycle_b", [{"id": "call_a", "workflow": {"id": "cycle_a"}}]))
    changed = _doc("cycle_a", [{"id": "call_b", "workflow": {"id": "cycle_b"}}])
    refused = admin.put("/workflows/cycle_a", json={"document": changed, "base_revision_id": first["revision"]["id"]})
    assert refused.status_code == 422, refused.text
    issues = refused.json()["errors"]
    assert [(i["path"], i["code"]) for i in issues] == [("tasks[0].workflow.id", "workflow_cycle")], issues
    assert "`cycle_a` runs `cycle_b`, which runs `cycle_a`" in issues[0]["message"]


def test_workflows_run_on_another_workflows_asset_and_completion(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    _save(
        admin,
        airflow_api,
        _doc("asset_producer", [{"id": "make", "piece": ADD, "inputs": {"a": 1}, "outlets": ["domino_test_sales"]}]),
    )
    _save(
        admin,
        airflow_api,
        _doc(
            "asset_consumer",
            [{"id": "use", "piece": ADD, "inputs": {"a": 2}}],
            schedule_on={"assets": ["domino_test_sales"]},
        ),
    )
    _save(
        admin,
        airflow_api,
        _doc(
            "after_producer",
            [{"id": "use", "piece": ADD, "inputs": {"a": 3}}],
            schedule_on={"workflows": ["asset_producer"]},
        ),
    )
    # The asset is on Airflow's Assets page, with the workflows it schedules.
    assets = airflow_api.get("/assets", params={"name_pattern": "domino_test_sales"}).json()["assets"]
    assert [a["name"] for a in assets] == ["domino_test_sales"]
    run = run_dag(airflow_api, "asset_producer")
    assert run["state"] == "success", task_log(airflow_api, "asset_producer", run["dag_run_id"], "make")
    for consumer in ("asset_consumer", "after_producer"):

        def finished(dag_id: str = consumer) -> dict[str, Any] | None:
            runs = _runs(airflow_api, dag_id)
            return runs[0] if runs and runs[0]["state"] in ("success", "failed") else None

        consumer_run = wait_for(f"an asset-triggered run of {consumer}", finished, timeout=180, interval=1)
        assert consumer_run["run_type"] == "asset_triggered"
        assert consumer_run["state"] == "success"


def test_a_workflow_as_a_task_offers_its_parameters_as_inputs_and_its_final_outputs(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    """What the editor's sub-workflow form shows: GET /workflows/{id}/as-task."""
    _save(
        admin,
        airflow_api,
        _doc(
            "as_task_child",
            [
                {"id": "first", "piece": ADD, "inputs": {"a": {"$param": "x"}, "b": 1}},
                {"id": "last", "piece": ADD, "inputs": {"a": _up("first", "total"), "b": 1}, "depends_on": ["first"]},
            ],
            params={"x": {"type": "integer"}, "note": {"type": "string", "default": ""}},
        ),
    )
    spec = admin.get("/workflows/as_task_child/as-task").raise_for_status().json()
    assert spec["id"] == "as_task_child"
    assert spec["input_schema"]["properties"] == {"x": {"type": "integer"}, "note": {"type": "string"}}
    assert spec["input_schema"]["required"] == ["x"]
    # Only the final task's outputs, named <task>.<output>.
    assert set(spec["output_schema"]["properties"]) == {"last.total"}
    missing = admin.get("/workflows/no_such_workflow/as-task")
    assert missing.status_code == 404, missing.text
