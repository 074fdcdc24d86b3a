"""Drafts on the real stack: an invalid workflow saves as a draft revision that never becomes a DAG.

A draft-only workflow has no DAG and refuses a run (409); a draft saved on top of a deployed
revision leaves the DAG on the deployed one; the next valid save deploys. "No DAG" is observed
after Airflow has parsed a workflow saved later (the DAG processor builds all of them together).
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.integration.helpers import dag, wait_for
from tests.integration.test_workflows import adder_workflow


@pytest.fixture
def installed(fixture_repository: dict) -> dict:
    return fixture_repository


def _broken(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a third task reading an output of a task that does not exist."""
    broken = copy.deepcopy(document)
    broken["tasks"].append(
        {
            "id": "third",
            "piece": dict(document["tasks"][0]["piece"]),
            "inputs": {"a": {"$upstream": {"task": "missing", "output": "total"}}, "b": 1},
        }
    )
    return broken


def _tasks(airflow_api: httpx.Client, dag_id: str) -> set[str]:
    return {t["task_id"] for t in airflow_api.get(f"/dags/{dag_id}/tasks").json()["tasks"]}


def _parsed_after(admin: httpx.Client, airflow_api: httpx.Client, marker_id: str) -> None:
    """Save a valid workflow and wait for its DAG: Airflow has re-parsed everything saved before it."""
    created = admin.post("/workflows", json={"document": adder_workflow(marker_id)})
    assert created.status_code == 201, created.text
    wait_for(f"the DAG {marker_id}", lambda: dag(airflow_api, marker_id), timeout=90)


def test_invalid_document_is_refused_unless_saved_as_draft(installed: dict, admin: httpx.Client) -> None:
    document = _broken(adder_workflow("wf_draft_refused"))
    refused = admin.post("/workflows", json={"document": document})
    assert refused.status_code == 422, refused.text
    assert any(e["path"].startswith("tasks[2]") for e in refused.json()["errors"]), refused.text
    assert admin.get("/workflows/wf_draft_refused").status_code == 404

    # Even a draft needs a usable id: the error names the field.
    no_id = admin.post("/workflows", json={"document": {**document, "id": "Not an id!"}, "draft": True})
    assert no_id.status_code == 422, no_id.text
    assert [e["path"] for e in no_id.json()["errors"]] == ["id"], no_id.text


def test_draft_only_workflow_has_no_dag_and_cannot_run_until_a_valid_save(
    installed: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    document = _broken(adder_workflow("wf_draft_only"))
    saved = admin.post("/workflows", json={"document": document, "message": "half done", "draft": True})
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert body["status"] == "draft"
    assert body["revision"]["draft"] is True
    assert body["revision"]["message"] == "half done"
    assert body["deployed_revision"] is None
    assert body["has_draft"] is True
    assert body["document"] == document  # stored as sent, problems and all
    assert any(w["path"].startswith("tasks[2]") for w in body["warnings"]), body["warnings"]

    listed = admin.get("/workflows", params={"search": "wf_draft_only"}).json()["items"]
    assert [(w["id"], w["status"], w["revision"]["draft"]) for w in listed] == [("wf_draft_only", "draft", True)]
    assert [w["id"] for w in admin.get("/workflows", params={"status": "draft"}).json()["items"]] == ["wf_draft_only"]
    revisions = admin.get("/workflows/wf_draft_only/revisions").json()["items"]
    assert [(r["number"], r["draft"]) for r in revisions] == [(1, True)]

    _parsed_after(admin, airflow_api, "wf_draft_only_marker")
    assert dag(airflow_api, "wf_draft_only") is None
    assert admin.get("/workflows/wf_draft_only").json()["status"] == "draft"

    trigger = admin.post("/workflows/wf_draft_only/runs", json={"params": {}})
    assert trigger.status_code == 409, trigger.text
    assert "only draft revisions" in trigger.json()["detail"]

    # The next valid save deploys it.
    fixed = admin.put(
        "/workflows/wf_draft_only",
        json={"document": adder_workflow("wf_draft_only"), "base_revision_id": body["revision"]["id"]},
    )
    assert fixed.status_code == 200, fixed.text
    fixed_body = fixed.json()
    assert fixed_body["revision"] == {**fixed_body["deployed_revision"], "draft": False}
    assert fixed_body["revision"]["number"] == 2
    assert fixed_body["has_draft"] is False
    wait_for("the DAG of the valid revision", lambda: dag(airflow_api, "wf_draft_only"), timeout=90)
    assert _tasks(airflow_api, "wf_draft_only") == {"first", "second"}


def test_draft_on_top_of_a_deployed_revision_leaves_the_dag_on_it(
    installed: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    valid = adder_workflow("wf_draft_on_top")
    first = admin.post("/workflows", json={"document": valid, "message": "v1"}).json()
    wait_for("the DAG", lambda: dag(airflow_api, "wf_draft_on_top"), timeout=90)

    draft = admin.put(
        "/workflows/wf_draft_on_top",
        json={"document": _broken(valid), "base_revision_id": first["revision"]["id"], "draft": True},
    )
    assert draft.status_code == 200, draft.text
    body = draft.json()
    assert (body["revision"]["number"], body["revision"]["draft"]) == (2, True)
    assert (body["deployed_revision"]["number"], body["deployed_revision"]["draft"]) == (1, False)
    assert body["has_draft"] is True
    assert body["status"] != "draft"  # it has a DAG: the deployed revision's

    # The editor opens the draft; the DAG stays on revision 1 after Airflow re-parsed.
    assert admin.get("/workflows/wf_draft_on_top").json()["document"]["tasks"][2]["id"] == "third"
    listed = admin.get("/workflows", params={"search": "wf_draft_on_top"}).json()["items"][0]
    assert (listed["has_draft"], listed["deployed_revision"]["number"]) == (True, 1)
    _parsed_after(admin, airflow_api, "wf_draft_on_top_marker")
    assert _tasks(airflow_api, "wf_draft_on_top") == {"first", "second"}

    # A run runs the deployed revision, not the draft.
    run = admin.post("/workflows/wf_draft_on_top/runs", json={"params": {}})
    assert run.status_code == 201, run.text
    assert run.json()["revision"]["number"] == 1

    # A valid save on top of the draft deploys again.
    third = copy.deepcopy(valid)
    third["tasks"].append({**copy.deepcopy(valid["tasks"][1]), "id": "third"})
    saved = admin.put(
        "/workflows/wf_draft_on_top", json={"document": third, "base_revision_id": body["revision"]["id"]}
    ).json()
    assert (saved["revision"]["number"], saved["deployed_revision"]["number"], saved["has_draft"]) == (3, 3, False)
    wait_for("the third task", lambda: _tasks(airflow_api, "wf_draft_on_top") == {"first", "second", "third"})
