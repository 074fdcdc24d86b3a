"""Node tests on the real stack: one task run on its own as a run of the workflow's node-test DAG.

The node-test DAG exists only once the workflow's first node test asked for it (answered
"preparing" until Airflow has loaded it) and goes when the workflow is deleted. With inputs typed
in (an unsaved edit of the document), with the upstream outputs of a past run pinned (including a
file an upstream task wrote), bad inputs refused naming the field, secrets resolved at run time
(never in the run's conf), and a viewer refused.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.integration.helpers import dag, wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
WORKFLOW = "node_test_chain"
TEST_DAG = f"domino-node-test--{WORKFLOW}"


def _document() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": WORKFLOW,
        "name": "Node test chain",
        "schedule": None,
        "params": {"x": {"type": "integer", "default": 1}},
        "tasks": [
            {"id": "first", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": {"$param": "x"}, "b": 2}},
            {
                "id": "second",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 10},
                "depends_on": ["first"],
            },
            {"id": "write", "piece": {**REPO, "name": "WriteFilePiece"}, "inputs": {"text": "pinned file text"}},
            {
                "id": "read",
                "piece": {**REPO, "name": "ReadFilePiece"},
                "inputs": {"file_path": {"$upstream": {"task": "write", "output": "file_path"}}},
                "depends_on": ["write"],
            },
            {
                "id": "greet",
                "piece": {**REPO, "name": "SecretGreetingPiece"},
                "inputs": {"name": "Ada"},
                "secrets": {"GREETING_API_TOKEN": {"variable": "node_test_greeting_token"}},
            },
            {"id": "report", "piece": {**REPO, "name": "MarkdownReportPiece"}, "inputs": {"title": "Tested"}},
        ],
    }


@pytest.fixture
def workflow(fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client) -> dict[str, Any]:
    """The saved workflow and one finished run of it (to pin)."""
    if admin.get(f"/workflows/{WORKFLOW}").status_code != 200:
        airflow_api.post("/variables", json={"key": "node_test_greeting_token", "value": "s3cr3t-token-value"})
        response = admin.post("/workflows", json={"document": _document()})
        assert response.status_code == 201, response.text
        wait_for("the workflow's DAG", lambda: dag(airflow_api, WORKFLOW), timeout=60)
        assert admin.post(f"/workflows/{WORKFLOW}/unpause").status_code == 200
    runs = admin.get(f"/workflows/{WORKFLOW}/runs", params={"state": "success", "limit": 1}).json()["items"]
    if not runs:
        started = admin.post(f"/workflows/{WORKFLOW}/runs", json={"params": {}})
        assert started.status_code == 201, started.text
        run_id = started.json()["run_id"]

        def ended() -> dict | None:
            body = admin.get(f"/workflows/{WORKFLOW}/runs/{run_id}").json()
            return body if body["state"] in ("success", "failed") else None

        run = wait_for("the run to pin", ended, timeout=240, interval=0.5)
        assert run["state"] == "success", run
        runs = [run]
    return {"document": _document(), "run_id": runs[0]["run_id"]}


def _start(
    client: httpx.Client, body: dict[str, Any], workflow_id: str = WORKFLOW, preparing: list[dict] | None = None
) -> httpx.Response:
    """POST a node test, asking again while the answer is 202 "preparing" (collected in ``preparing``)."""
    deadline = time.monotonic() + 120
    while True:
        response = client.post(f"/workflows/{workflow_id}/node-tests", json=body)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        answer = response.json()
        assert answer["preparing"] is True, answer
        assert answer["dag_id"] == f"domino-node-test--{workflow_id}"
        assert int(response.headers["Retry-After"]) >= 1
        if preparing is not None:
            preparing.append(answer)
        time.sleep(answer["retry_after_s"])


def test_the_first_node_test_makes_the_workflows_test_dag(
    workflow: dict[str, Any], admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    """No node-test DAG until the first node test asks for it; that test waits for it and runs."""
    started = admin.get(f"/workflows/{WORKFLOW}/node-tests").json()["total"]
    if started == 0:  # a fresh stack: nobody has tested this workflow yet
        assert dag(airflow_api, TEST_DAG) is None
    preparing: list[dict] = []
    response = _start(admin, {"task_id": "write"}, preparing=preparing)
    assert response.status_code == 201, response.text
    assert all("Nothing was started" in p["message"] for p in preparing)
    assert dag(airflow_api, TEST_DAG) is not None
    done = _finished(admin, response.json()["run_id"])
    assert done["state"] == "success", done


def _finished(admin: httpx.Client, run_id: str) -> dict[str, Any]:
    def ended() -> dict | None:
        body = admin.get(f"/workflows/{WORKFLOW}/node-tests/{run_id}").raise_for_status().json()
        return body if body["state"] in ("success", "failed") else None

    return wait_for(f"node test {run_id}", ended, timeout=240, interval=0.5)


def _edited(document: dict[str, Any], task_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {**document, "tasks": [{**t, "inputs": inputs} if t["id"] == task_id else t for t in document["tasks"]]}


def test_form_inputs_run_as_a_real_airflow_run_with_readable_outputs_and_log(
    workflow: dict[str, Any], admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    # The editor's unsaved edit: `second` gets typed values instead of its upstream binding.
    document = _edited(workflow["document"], "second", {"a": 100, "b": 1})
    response = _start(admin, {"task_id": "second", "document": document})
    assert response.status_code == 201, response.text
    started = response.json()
    assert started["task_id"] == "second"
    assert started["inputs"] == {"a": 100, "b": 1}
    assert started["triggered_by"] == "admin"

    done = _finished(admin, started["run_id"])
    assert done["state"] == "success", done
    assert done["outputs"] == {"total": 101}
    # A real run of an ordinary DAG: Airflow itself lists it, with the piece's outputs in XCom.
    airflow_run = airflow_api.get(f"/dags/{TEST_DAG}/dagRuns/{started['run_id']}").json()
    assert airflow_run["state"] == "success"
    log = admin.get(f"/workflows/{WORKFLOW}/node-tests/{started['run_id']}/logs").json()
    assert log["complete"] is True
    assert any("Piece AddPiece finished" in line for line in log["lines"]), log["lines"][-10:]
    # The saved workflow and its runs are untouched by the test.
    assert admin.get(f"/workflows/{WORKFLOW}").json()["revision"]["number"] == 1
    listed = admin.get(f"/workflows/{WORKFLOW}/node-tests", params={"task_id": "second"}).json()
    assert started["run_id"] in {t["run_id"] for t in listed["items"]}


def test_pinned_upstream_outputs_of_a_past_run(workflow: dict[str, Any], admin: httpx.Client) -> None:
    pinned = workflow["run_id"]
    first = admin.get(f"/workflows/{WORKFLOW}/runs/{pinned}/tasks/first/outputs").json()["outputs"]
    response = _start(admin, {"task_id": "second", "pinned_run_id": pinned})  # the saved document
    assert response.status_code == 201, response.text
    assert response.json()["inputs"] == {"a": first["total"], "b": 10}
    done = _finished(admin, response.json()["run_id"])
    assert done["state"] == "success", done
    assert done["outputs"] == {"total": first["total"] + 10}
    assert done["pinned_run_id"] == pinned

    # A file the pinned run's upstream task wrote is readable by the tested task.
    read = _finished(admin, _start(admin, {"task_id": "read", "pinned_run_id": pinned}).json()["run_id"])
    assert read["state"] == "success", read
    assert read["outputs"] == {"content": "pinned file text"}


def test_a_display_result_is_served_like_a_run_task_result(workflow: dict[str, Any], admin: httpx.Client) -> None:
    done = _finished(admin, _start(admin, {"task_id": "report"}).json()["run_id"])
    assert done["state"] == "success", done
    assert done["has_display_result"] is True
    info = admin.get(f"/workflows/{WORKFLOW}/node-tests/{done['run_id']}/result/info").json()
    assert info["file_type"] == "md"
    result = admin.get(f"/workflows/{WORKFLOW}/node-tests/{done['run_id']}/result")
    assert result.status_code == 200
    assert "Tested" in result.text


def test_secrets_are_resolved_at_run_time_and_never_in_the_conf(
    workflow: dict[str, Any], admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    done = _finished(admin, _start(admin, {"task_id": "greet"}).json()["run_id"])
    assert done["state"] == "success", done
    assert done["outputs"]["token_length"] == len("s3cr3t-token-value")
    conf = airflow_api.get(f"/dags/{TEST_DAG}/dagRuns/{done['run_id']}").json()["conf"]
    assert conf["secrets"] == {"GREETING_API_TOKEN": {"variable": "node_test_greeting_token"}}
    assert "s3cr3t-token-value" not in str(conf)
    log = admin.get(f"/workflows/{WORKFLOW}/node-tests/{done['run_id']}/logs").json()
    assert "s3cr3t-token-value" not in "\n".join(log["lines"])


def test_bad_inputs_are_refused_naming_the_field(workflow: dict[str, Any], admin: httpx.Client) -> None:
    bad = _start(admin, {"task_id": "second", "document": _edited(workflow["document"], "second", {"a": "many"})})
    assert bad.status_code == 422, bad.text
    errors = bad.json()["errors"]
    assert [e["path"] for e in errors] == ["tasks[1].inputs.a"], errors
    assert "integer" in errors[0]["message"]

    unpinned = _start(admin, {"task_id": "second"})  # bound to `first`, and no run pinned
    assert unpinned.status_code == 422, unpinned.text
    error = unpinned.json()["errors"][0]
    assert error["path"] == "tasks[1].inputs.a"
    assert "pin a past run" in error["message"]

    missing = _start(admin, {"task_id": "second", "document": _edited(workflow["document"], "second", {})})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["path"] == "tasks[1].inputs.a"

    assert _start(admin, {"task_id": "nope"}).json()["errors"][0]["path"] == "task_id"
    assert _start(admin, {"task_id": "second", "pinned_run_id": "no_such_run"}).status_code == 404


def test_a_viewer_may_read_but_not_start_node_tests(workflow: dict[str, Any], viewer: httpx.Client) -> None:
    refused = _start(viewer, {"task_id": "first"})
    assert refused.status_code == 403, refused.text
    assert viewer.get(f"/workflows/{WORKFLOW}/node-tests").status_code == 200


def test_deleting_a_workflow_deletes_its_node_test_dag(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    workflow_id = "node_test_deleted"
    document = {
        "schema_version": 1,
        "id": workflow_id,
        "name": "Deleted after a node test",
        "schedule": None,
        "tasks": [{"id": "add", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1, "b": 2}}],
    }
    assert admin.post("/workflows", json={"document": document}).status_code == 201
    wait_for("the workflow's DAG", lambda: dag(airflow_api, workflow_id), timeout=60)
    started = _start(admin, {"task_id": "add"}, workflow_id=workflow_id)
    assert started.status_code == 201, started.text

    def ended() -> dict | None:
        body = admin.get(f"/workflows/{workflow_id}/node-tests/{started.json()['run_id']}").json()
        return body if body["state"] in ("success", "failed") else None

    assert wait_for("the node test", ended, timeout=240, interval=0.5)["state"] == "success"
    assert admin.delete(f"/workflows/{workflow_id}").status_code == 204
    assert dag(airflow_api, f"domino-node-test--{workflow_id}") is None  # deleted, not only marked stale
    assert dag(airflow_api, workflow_id) is None
    time.sleep(5)  # the re-parse the deletion asked for does not bring it back
    assert dag(airflow_api, f"domino-node-test--{workflow_id}") is None
