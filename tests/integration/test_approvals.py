"""Approval and input steps on a real Airflow: the Human-in-the-loop operators wait without a worker slot,
a permitted user answers through the plugin's API (a viewer is refused), a rejection skips downstream,
and the answer (chosen option, entered value) reaches downstream pieces."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.helpers import dag, wait_for, xcom

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}
ADD = {**REPO, "name": "AddPiece"}
REPORT = {**REPO, "name": "MarkdownReportPiece"}


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> None:
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for(f"DAG {document['id']}", lambda: dag(airflow_api, document["id"]), timeout=30)


def _up(task: str, output: str) -> dict[str, Any]:
    return {"$upstream": {"task": task, "output": output}}


def _trigger(admin: httpx.Client, workflow_id: str) -> str:
    response = admin.post(f"/workflows/{workflow_id}/runs", json={"params": {}})
    assert response.status_code == 201, response.text
    return response.json()["run_id"]


def _waiting_state(airflow_api: httpx.Client) -> str:
    """Airflow 3.3+ parks the task in ``awaiting_input``; 3.1/3.2 defer it to the HITL trigger."""
    version = airflow_api.get("/version").json()["version"]
    major, minor = (int(part) for part in version.split(".")[:2])
    return "awaiting_input" if (major, minor) >= (3, 3) else "deferred"


def _wait_until_waiting(admin: httpx.Client, workflow_id: str, run_id: str, task_id: str) -> dict[str, Any]:
    def waiting() -> dict[str, Any] | None:
        steps = admin.get(f"/workflows/{workflow_id}/runs/{run_id}/approvals").raise_for_status().json()["items"]
        return next((s for s in steps if s["task_id"] == task_id and s["can_respond"]), None)

    return wait_for(f"step {task_id} waiting", waiting, timeout=120, interval=0.5)


def _run_ended(airflow_api: httpx.Client, workflow_id: str, run_id: str) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        body = airflow_api.get(f"/dags/{workflow_id}/dagRuns/{run_id}").json()
        return body if body["state"] in ("success", "failed") else None

    return wait_for(f"run {run_id}", ended, timeout=180, interval=0.5)


def _states(admin: httpx.Client, workflow_id: str, run_id: str) -> dict[str, str]:
    detail = admin.get(f"/workflows/{workflow_id}/runs/{run_id}").raise_for_status().json()
    return {t["task_id"]: t["state"] for t in detail["tasks"]}


def test_approval_waits_deferred_is_answered_by_a_permitted_user_and_a_rejection_skips_downstream(
    fixture_repository: dict,
    admin: httpx.Client,
    viewer: httpx.Client,
    airflow_stack: Any,
    airflow_api: httpx.Client,
) -> None:
    editor = airflow_stack.client("user")
    document = {
        "schema_version": 1,
        "id": "approval_flow",
        "name": "Approval flow",
        "tasks": [
            {"id": "sum", "piece": ADD, "inputs": {"a": 2, "b": 3}},
            {
                "id": "sign_off",
                "approval": {
                    "title": "Publish the total?",
                    "body": "The total is **{{ total }}**.",
                    "fields": {"extra": {"type": "integer", "default": 0, "title": "Extra"}},
                },
                "inputs": {"total": _up("sum", "total")},
                "depends_on": ["sum"],
            },
            {
                "id": "publish",
                "piece": ADD,
                "inputs": {"a": _up("sign_off", "extra"), "b": _up("sum", "total")},
                "depends_on": ["sign_off"],
            },
        ],
    }
    _save(admin, airflow_api, document)
    airflow_api.patch("/dags/approval_flow", json={"is_paused": False}).raise_for_status()

    # Approved by a permitted user (role User), with a form value that downstream binds.
    run_id = _trigger(admin, "approval_flow")
    step = _wait_until_waiting(editor, "approval_flow", run_id, "sign_off")
    assert step["title"] == "Publish the total?"
    assert step["body"] == "The total is **5**."
    assert step["options"] == ["Approve", "Reject"]
    ti = airflow_api.get(f"/dags/approval_flow/dagRuns/{run_id}/taskInstances/sign_off").json()
    assert ti["state"] == _waiting_state(airflow_api)  # waiting without a worker slot
    waiting = editor.get("/approvals/waiting").raise_for_status().json()["items"]
    assert [(s["workflow_id"], s["run_id"], s["task_id"]) for s in waiting] == [("approval_flow", run_id, "sign_off")]
    assert viewer.get("/approvals/waiting").raise_for_status().json()["items"] == []  # a viewer may not answer

    url = f"/workflows/approval_flow/runs/{run_id}/tasks/sign_off/response"
    refused = viewer.post(url, json={"chosen_options": ["Approve"]})
    assert refused.status_code == 403, refused.text
    bad = editor.post(url, json={"chosen_options": ["Maybe"], "params_input": {"extra": "x"}})
    assert bad.status_code == 422, bad.text
    assert {e["path"] for e in bad.json()["errors"]} == {"chosen_options[0]", "params_input.extra"}
    answered = editor.post(url, json={"chosen_options": ["Approve"], "params_input": {"extra": 10}})
    assert answered.status_code == 200, answered.text
    assert answered.json()["responded_by"]["name"] == "editor"
    if _waiting_state(airflow_api) == "awaiting_input":
        # Answered seconds after it parked: stored, and held parked until [domino] hitl_resume_delay
        # has passed (an immediate resume races the parked try's exit on Airflow 3.3).
        held = airflow_api.get(f"/dags/approval_flow/dagRuns/{run_id}/taskInstances/sign_off").json()
        assert held["state"] == "awaiting_input", held
    again = editor.post(url, json={"chosen_options": ["Reject"], "params_input": {"extra": 1}})
    assert again.status_code == 409, again.text
    assert _run_ended(airflow_api, "approval_flow", run_id)["state"] == "success"
    assert _states(admin, "approval_flow", run_id) == {"sum": "success", "sign_off": "success", "publish": "success"}
    outputs = xcom(airflow_api, "approval_flow", run_id, "sign_off")
    assert (outputs["chosen"], outputs["approved"], outputs["extra"], outputs["responded_by"]) == (
        "Approve",
        True,
        10,
        "editor",
    )
    assert xcom(airflow_api, "approval_flow", run_id, "publish") == {"total": 15}  # 10 entered + 5
    hitl = airflow_api.get(f"/dags/approval_flow/dagRuns/{run_id}/taskInstances/sign_off/-1/hitlDetails").json()
    assert hitl["chosen_options"] == ["Approve"]  # Airflow's own record of the answer

    # Rejected: the downstream task is skipped.
    run_id = _trigger(admin, "approval_flow")
    _wait_until_waiting(admin, "approval_flow", run_id, "sign_off")
    rejected = admin.post(
        f"/workflows/approval_flow/runs/{run_id}/tasks/sign_off/response",
        json={"chosen_options": ["Reject"], "params_input": {"extra": 0}},
    )
    assert rejected.status_code == 200, rejected.text
    _run_ended(airflow_api, "approval_flow", run_id)
    assert _states(admin, "approval_flow", run_id) == {"sum": "success", "sign_off": "success", "publish": "skipped"}
    assert xcom(airflow_api, "approval_flow", run_id, "sign_off")["chosen"] == "Reject"


def test_input_step_offers_options_and_downstream_receives_the_choice(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    document = {
        "schema_version": 1,
        "id": "choice_flow",
        "name": "Choice flow",
        "tasks": [
            {"id": "pick", "approval": {"kind": "input", "title": "Which size?", "options": ["small", "big"]}},
            {
                "id": "report",
                "piece": REPORT,
                "inputs": {"title": _up("pick", "chosen"), "items": _up("pick", "chosen_options")},
                "depends_on": ["pick"],
            },
        ],
    }
    _save(admin, airflow_api, document)
    airflow_api.patch("/dags/choice_flow", json={"is_paused": False}).raise_for_status()
    run_id = _trigger(admin, "choice_flow")
    step = _wait_until_waiting(admin, "choice_flow", run_id, "pick")
    assert step["options"] == ["small", "big"]
    answered = admin.post(f"/workflows/choice_flow/runs/{run_id}/tasks/pick/response", json={"chosen_options": ["big"]})
    assert answered.status_code == 200, answered.text
    assert _run_ended(airflow_api, "choice_flow", run_id)["state"] == "success"
    report = admin.get(f"/workflows/choice_flow/runs/{run_id}/tasks/report/result")
    assert report.status_code == 200, report.text
    assert report.text.startswith("# big\n\n- big")
