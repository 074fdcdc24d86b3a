"""Workflows as data on the real stack: save -> DAG in seconds, revisions, conflicts, placeholders."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.integration.conftest import RunningStack
from tests.integration.helpers import dag, wait_for

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}


def adder_workflow(workflow_id: str, *, b: int = 2) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": f"Adder {workflow_id}",
        "description": "Adds numbers.",
        "schedule": None,
        "tags": ["test"],
        "params": {"x": {"type": "integer", "default": 1}},
        "defaults": {"retries": 1, "retry_delay_s": 1},
        "tasks": [
            {"id": "first", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": {"$param": "x"}, "b": b}},
            {
                "id": "second",
                "piece": {**REPO, "name": "AddPiece"},
                "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 10},
                "depends_on": ["first"],
                "timeout_s": 120,
            },
        ],
    }


@pytest.fixture
def installed(fixture_repository: dict) -> dict:
    return fixture_repository


def _tasks(airflow_api: httpx.Client, dag_id: str) -> dict[str, dict[str, Any]]:
    return {t["task_id"]: t for t in airflow_api.get(f"/dags/{dag_id}/tasks").json()["tasks"]}


@pytest.mark.versions
def test_saved_workflow_becomes_a_dag_within_seconds(
    installed: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    started = time.monotonic()
    created = admin.post("/workflows", json={"document": adder_workflow("wf_visible"), "message": "first"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["revision"]["number"] == 1
    assert body["document"]["id"] == "wf_visible"

    listed = wait_for("the DAG in /api/v2/dags", lambda: dag(airflow_api, "wf_visible"), timeout=60)
    print(f"save -> visible in {time.monotonic() - started:.1f}s")
    assert "domino" in {t["name"] for t in listed["tags"]}
    assert listed["bundle_name"] == "domino"
    tasks = _tasks(airflow_api, "wf_visible")
    assert set(tasks) == {"first", "second"}
    assert tasks["first"]["downstream_task_ids"] == ["second"]
    assert tasks["second"]["retries"] == 1
    assert tasks["first"]["operator_name"] == "PieceOperator"
    details = airflow_api.get("/dags/wf_visible/details").json()
    assert details["params"]["x"]["value"] == 1
    assert "/domino/ui/workflows/wf_visible" in details["doc_md"]

    summary = wait_for(
        "status valid", lambda: (w := admin.get("/workflows/wf_visible").json())["status"] != "pending" and w
    )
    assert summary["status"] in ("valid", "paused")


@pytest.mark.versions
def test_edit_creates_a_revision_and_updates_the_same_dag(
    installed: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    first = admin.post("/workflows", json={"document": adder_workflow("wf_edit")}).json()
    wait_for("first DAG", lambda: dag(airflow_api, "wf_edit"))
    changed = adder_workflow("wf_edit")
    changed["tasks"].append(
        {"id": "third", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1}, "depends_on": ["second"]}
    )
    saved = admin.put(
        "/workflows/wf_edit",
        json={"document": changed, "base_revision_id": first["revision"]["id"], "message": "add third"},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"]["number"] == 2
    wait_for("the third task", lambda: "third" in _tasks(airflow_api, "wf_edit"), timeout=60)

    revisions = admin.get("/workflows/wf_edit/revisions").json()
    assert [r["number"] for r in revisions["items"]] == [2, 1]
    old = admin.get(f"/workflows/wf_edit/revisions/{first['revision']['id']}").json()
    assert len(old["document"]["tasks"]) == 2
    diff = admin.get(f"/workflows/wf_edit/revisions/{saved.json()['revision']['id']}/diff").json()
    assert diff["changes"]["tasks"]["added"] == ["third"]

    stale = admin.put("/workflows/wf_edit", json={"document": changed, "base_revision_id": first["revision"]["id"]})
    assert stale.status_code == 409
    assert stale.json()["current_revision_id"] == saved.json()["revision"]["id"]


def test_invalid_documents_answer_422_with_every_path(installed: dict, admin: httpx.Client) -> None:
    broken = adder_workflow("wf_invalid")
    broken["tasks"][0]["inputs"]["a"] = "not a number"
    broken["tasks"][1]["inputs"]["a"] = {"$upstream": {"task": "first", "output": "nope"}}
    broken["tasks"][1]["piece"]["version"] = "9.9.9"
    response = admin.post("/workflows", json={"document": broken})
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert "tasks[0].inputs.a" in paths
    assert any(p.startswith("tasks[1].piece") for p in paths)
    assert admin.get("/workflows/wf_invalid").status_code == 404
    checked = admin.post("/workflows/validate", json=broken).json()
    assert checked["valid"] is False
    assert {e["path"] for e in checked["errors"]} == paths


def test_broken_revision_becomes_a_placeholder_and_spares_the_others(
    installed: dict, admin: httpx.Client, airflow_api: httpx.Client, airflow_stack: RunningStack
) -> None:
    admin.post("/workflows", json={"document": adder_workflow("wf_healthy")}).raise_for_status()
    admin.post("/workflows", json={"document": adder_workflow("wf_broken")}).raise_for_status()
    wait_for("both DAGs", lambda: dag(airflow_api, "wf_healthy") and dag(airflow_api, "wf_broken"))
    # A revision that no longer builds (e.g. written by an older plugin version), put in behind the API's back.
    engine = sa.create_engine(airflow_stack.stack.db_url)
    with engine.begin() as connection:
        revision_id = connection.execute(
            sa.text("SELECT current_revision_id FROM domino_workflows WHERE id = 'wf_broken'")
        ).scalar()
        document = copy.deepcopy(adder_workflow("wf_broken"))
        document["tasks"][1]["depends_on"] = ["missing_task"]
        connection.execute(
            sa.text("UPDATE domino_workflow_revisions SET document = :d WHERE id = :i"),
            {"d": __import__("json").dumps(document), "i": revision_id},
        )
    engine.dispose()
    # Any save asks Airflow to re-parse the loader file.
    admin.post("/workflows", json={"document": adder_workflow("wf_trigger_parse")}).raise_for_status()
    wait_for("the placeholder", lambda: set(_tasks(airflow_api, "wf_broken")) == {"build_error"}, timeout=60)
    broken = dag(airflow_api, "wf_broken")
    assert broken is not None
    assert "domino-build-error" in {t["name"] for t in broken["tags"]}
    assert set(_tasks(airflow_api, "wf_healthy")) == {"first", "second"}
    assert wait_for("status", lambda: admin.get("/workflows/wf_broken").json()["status"] == "build_error")


def test_delete_removes_the_dag(installed: dict, admin: httpx.Client, airflow_api: httpx.Client) -> None:
    admin.post("/workflows", json={"document": adder_workflow("wf_deleted")}).raise_for_status()
    wait_for("DAG", lambda: dag(airflow_api, "wf_deleted"))
    assert admin.delete("/workflows/wf_deleted").status_code == 204
    assert admin.get("/workflows/wf_deleted").status_code == 404
    wait_for("DAG gone", lambda: dag(airflow_api, "wf_deleted") is None, timeout=60)


def test_duplicate_export_and_import(installed: dict, admin: httpx.Client) -> None:
    admin.post("/workflows", json={"document": adder_workflow("wf_source")}).raise_for_status()
    copy_ = admin.post("/workflows/wf_source/duplicate", json={"id": "wf_copy"})
    assert copy_.status_code == 201, copy_.text
    assert copy_.json()["name"] == "Adder wf_source (copy)"
    exported = admin.get("/workflows/wf_copy/export")
    assert exported.headers["content-disposition"].endswith('filename="wf_copy.json"')
    document = exported.json()
    document["id"] = "wf_imported"
    assert admin.post("/workflows", json={"document": document}).status_code == 201
    taken = admin.post("/workflows", json={"document": document})
    assert taken.status_code == 409


def test_repository_in_use_cannot_be_deleted(installed: dict, admin: httpx.Client) -> None:
    admin.post("/workflows", json={"document": adder_workflow("wf_uses_repo")})
    response = admin.delete(f"/repositories/{installed['repository_id']}")
    assert response.status_code == 409
    assert "wf_uses_repo" in response.json()["workflows"]
    assert "is used by" in response.json()["detail"]


def test_schema_is_served(admin: httpx.Client) -> None:
    schema = admin.get("/schemas/workflow.json").json()
    assert schema["properties"]["tasks"]["type"] == "array"


def _domino_dag_ids(airflow_api: httpx.Client) -> set[str]:
    """Every DAG tagged domino, page by page: Airflow caps a page at [api] maximum_page_limit (100),
    which a stack passes once every workflow also has its node-test DAG."""
    found: set[str] = set()
    while True:
        page = airflow_api.get("/dags", params={"tags": "domino", "limit": 100, "offset": len(found)}).json()
        found |= {d["dag_id"] for d in page["dags"]}
        if not page["dags"] or len(found) >= page["total_entries"]:
            return found


def test_unreadable_database_at_parse_time_keeps_the_dags(
    installed: dict, admin: httpx.Client, airflow_api: httpx.Client, airflow_stack: RunningStack
) -> None:
    """The DAG processor killed (SIGKILL) mid-work, the workflows table unreadable while it restarts:
    the fresh processor builds from the snapshot and no DAG disappears, then or after the table returns."""
    admin.post("/workflows", json={"document": adder_workflow("wf_survives")}).raise_for_status()
    wait_for("DAG", lambda: dag(airflow_api, "wf_survives"))
    details = airflow_api.get("/dags/wf_survives/details").json()
    file_token = details["file_token"]
    before = _domino_dag_ids(airflow_api)
    engine = sa.create_engine(airflow_stack.stack.db_url)
    restored = False
    try:
        airflow_stack.stack.kill("dag-processor")
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE domino_workflows RENAME TO domino_workflows_away"))
        parsed_at = time.time()
        airflow_stack.stack.restart("dag-processor", wait=False)  # Domino health is degraded meanwhile
        # 409: a parse request is already pending, which serves as well.
        assert airflow_api.put(f"/parseDagFile/{file_token}").status_code in (200, 201, 409)
        log = Path(airflow_stack.stack.home) / "logs" / "dag_processor"
        wait_for(
            "a parse from the snapshot",
            lambda: any(
                "using the snapshot" in p.read_text(errors="replace") and p.stat().st_mtime >= parsed_at
                for p in log.rglob("domino_workflows.py.log")
            ),
            timeout=120,  # includes the restarted processor's start-up
        )
        time.sleep(2)  # let the processor store the parse result
        after = _domino_dag_ids(airflow_api)
        assert before <= after
        assert set(_tasks(airflow_api, "wf_survives")) == {"first", "second"}
        errors = airflow_api.get("/importErrors").json()["import_errors"]
        assert not [e for e in errors if "domino_workflows" in e["filename"]]

        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE domino_workflows_away RENAME TO domino_workflows"))
        restored = True
        # The table is back: a save parses from the database again, and still nothing has vanished.
        admin.post("/workflows", json={"document": adder_workflow("wf_after_outage")}).raise_for_status()
        wait_for("the DAG saved after the outage", lambda: dag(airflow_api, "wf_after_outage"), timeout=90)
        final = _domino_dag_ids(airflow_api)
        assert before | {"wf_after_outage"} <= final
    finally:
        if not restored:
            with engine.begin() as connection:
                connection.execute(sa.text("ALTER TABLE domino_workflows_away RENAME TO domino_workflows"))
        engine.dispose()
        if "dag-processor" not in airflow_stack.stack.processes:
            airflow_stack.stack.restart("dag-processor")
