"""Runs through the plugin's API: trigger, list, detail, logs, outputs, results, report, cancel, clear, pause."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.helpers import dag, wait_for

# Part of the focused set every supported Airflow release runs (make test-airflow-3.1 / 3.2).
pytestmark = pytest.mark.versions

REPO = {"repository": "domino_style_pieces", "version": "0.1.0"}


def _doc(workflow_id: str, tasks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None, "tasks": tasks, **extra}


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> None:
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for(f"DAG {document['id']}", lambda: dag(airflow_api, document["id"]), timeout=30)


def _trigger(admin: httpx.Client, workflow_id: str, params: dict[str, Any] | None = None, note: str = "") -> dict:
    response = admin.post(f"/workflows/{workflow_id}/runs", json={"params": params or {}, "note": note})
    assert response.status_code == 201, response.text
    return response.json()


def _wait_run(admin: httpx.Client, workflow_id: str, run_id: str, timeout: float = 180) -> dict:
    def ended() -> dict | None:
        body = admin.get(f"/workflows/{workflow_id}/runs/{run_id}").raise_for_status().json()
        return body if body["state"] in ("success", "failed") else None

    return wait_for(f"run {run_id} of {workflow_id}", ended, timeout=timeout, interval=0.5)


@pytest.fixture
def chain(fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client) -> str:
    """A two-task workflow with a run parameter; the API unpauses it so runs start."""
    workflow_id = "api_run_chain"
    if admin.get(f"/workflows/{workflow_id}").status_code != 200:
        _save(
            admin,
            airflow_api,
            _doc(
                workflow_id,
                [
                    {
                        "id": "first",
                        "label": "First sum",
                        "piece": {**REPO, "name": "AddPiece"},
                        "inputs": {"a": {"$param": "x"}, "b": 2},
                    },
                    {
                        "id": "second",
                        "piece": {**REPO, "name": "AddPiece"},
                        "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 10},
                        "depends_on": ["first"],
                    },
                    {
                        "id": "report",
                        "piece": {**REPO, "name": "MarkdownReportPiece"},
                        "inputs": {"title": {"$param": "title"}},
                        "depends_on": ["second"],
                    },
                ],
                params={"x": {"type": "integer", "default": 1}, "title": {"type": "string", "default": "Sums"}},
            ),
        )
        assert admin.post(f"/workflows/{workflow_id}/unpause").json() == {"is_paused": False}
    return workflow_id


def test_trigger_with_override_runs_and_serves_outputs(chain: str, admin: httpx.Client, viewer: httpx.Client) -> None:
    run = _trigger(admin, chain, {"x": 5}, note="from the test")
    assert run["workflow_id"] == chain
    assert run["state"] == "queued"
    assert run["params"] == {"x": 5, "title": "Sums"}
    assert run["note"] == "from the test"
    assert run["run_type"] == "manual"
    assert run["triggered_by"] == "admin"
    current = admin.get(f"/workflows/{chain}").json()["revision"]
    assert run["revision"] == {"id": current["id"], "number": current["number"]}

    done = _wait_run(admin, chain, run["run_id"])
    assert done["state"] == "success", done
    outputs = admin.get(f"/workflows/{chain}/runs/{run['run_id']}/tasks/second/outputs").json()
    assert outputs == {"outputs": {"total": 17}}
    assert viewer.get(f"/workflows/{chain}/runs/{run['run_id']}/tasks/first/outputs").json() == {
        "outputs": {"total": 7}
    }

    # The defaults apply without an override, and the override changed the result.
    default_run = _wait_run(admin, chain, _trigger(admin, chain)["run_id"])
    assert default_run["params"] == {"x": 1, "title": "Sums"}
    second = admin.get(f"/workflows/{chain}/runs/{default_run['run_id']}/tasks/second/outputs").json()
    assert second == {"outputs": {"total": 13}}


def test_invalid_params_are_refused_naming_the_param(chain: str, admin: httpx.Client) -> None:
    response = admin.post(f"/workflows/{chain}/runs", json={"params": {"x": "five", "region": "EU"}})
    assert response.status_code == 422, response.text
    paths = {e["path"] for e in response.json()["errors"]}
    assert paths == {"params.x", "params.region"}
    assert admin.post("/workflows/no_such_workflow/runs", json={}).status_code == 404


def test_list_filter_and_detail(chain: str, admin: httpx.Client) -> None:
    run = _wait_run(admin, chain, _trigger(admin, chain, {"x": 2})["run_id"])
    page = admin.get(f"/workflows/{chain}/runs", params={"limit": 1}).json()
    assert page["total"] >= 1
    assert page["items"][0]["run_id"] == run["run_id"]  # newest first
    ok = admin.get(f"/workflows/{chain}/runs", params={"state": "success", "limit": 100}).json()
    assert all(item["state"] == "success" for item in ok["items"])
    assert run["run_id"] in {item["run_id"] for item in ok["items"]}
    assert admin.get(f"/workflows/{chain}/runs", params={"state": "bogus"}).status_code == 422

    detail = admin.get(f"/workflows/{chain}/runs/{run['run_id']}").json()
    assert [t["task_id"] for t in detail["tasks"]] == ["first", "second", "report"]
    first = detail["tasks"][0]
    assert first["label"] == "First sum"
    assert first["piece"] == {**REPO, "name": "AddPiece"}
    assert first["state"] == "success"
    assert first["try_number"] == 1
    assert first["duration_s"] is not None
    assert [t["has_display_result"] for t in detail["tasks"]] == [False, False, True]
    assert detail["revision"]["number"] >= 1
    assert detail["revision_document"]["id"] == chain
    assert admin.get(f"/workflows/{chain}/runs/nope").status_code == 404


def test_logs_are_incremental_and_keep_piece_delimiters(chain: str, admin: httpx.Client) -> None:
    run = _wait_run(admin, chain, _trigger(admin, chain, {"x": 3})["run_id"])
    url = f"/workflows/{chain}/runs/{run['run_id']}/tasks/second/logs"
    full = admin.get(url).json()
    assert full["complete"] is True
    assert full["try_number"] == 1
    text = "\n".join(full["lines"])
    assert "piece AddPiece output start" in text
    assert "piece AddPiece output end" in text
    assert "Adding 5 and 10" in text
    assert not any(line.lstrip().startswith("{") for line in full["lines"]), "lines must be text, not JSON"
    assert any(" INFO " in line for line in full["lines"])
    assert full["next_offset"] >= len(full["lines"]) > 3
    # From an offset: only what comes after it.
    part = admin.get(url, params={"offset": 2}).json()
    assert part["lines"] == full["lines"][-len(part["lines"]) :]
    assert 0 < len(full["lines"]) - len(part["lines"]) <= 2
    assert part["next_offset"] == full["next_offset"]
    rest = admin.get(url, params={"offset": full["next_offset"]}).json()
    assert rest["lines"] == []
    assert rest["next_offset"] == full["next_offset"]
    assert admin.get(url, params={"try_number": 5}).status_code == 404


def test_display_result_report_and_files(chain: str, admin: httpx.Client) -> None:
    run = _wait_run(admin, chain, _trigger(admin, chain, {"title": "Weekly"})["run_id"])
    base = f"/workflows/{chain}/runs/{run['run_id']}"
    result = admin.get(f"{base}/tasks/report/result")
    assert result.status_code == 200, result.text
    assert result.headers["content-type"].startswith("text/markdown")
    assert result.headers["x-domino-file-type"] == "md"
    assert result.text.startswith("# Weekly")
    info = admin.get(f"{base}/tasks/report/result/info").json()
    assert info["file_type"] == "md"
    assert info["relative_path"] == "report.md"
    assert info["size"] == len(result.content)
    assert info["url"].endswith("/tasks/report/result")
    assert info["url"].startswith("/domino/api/v1/workflows/")
    # The folder the piece wrote into, as it saw it: the GUI maps paths under it to files/.
    outputs = admin.get(f"{base}/tasks/report/outputs").json()["outputs"]
    assert outputs["report_file_path"] == f"{info['results_folder']}/report.md"

    missing = admin.get(f"{base}/tasks/first/result")
    assert missing.status_code == 404
    assert "no display result" in missing.json()["detail"]

    file = admin.get(f"{base}/tasks/report/files/report.md")
    assert file.status_code == 200
    assert file.content == result.content
    assert admin.get(f"{base}/tasks/report/files/nothing.txt").status_code == 404
    for bad in ("..%2F..%2Fsecret", "a/../../b", "%2Fetc%2Fpasswd"):
        assert admin.get(f"{base}/tasks/report/files/{bad}").status_code in (404, 422), bad

    report = admin.get(f"{base}/report").json()
    assert report["run"]["run_id"] == run["run_id"]
    assert [t["task_id"] for t in report["tasks"]] == ["first", "second", "report"]
    assert report["tasks"][1]["outputs"] == {"total": 13}
    assert report["tasks"][0]["display_result"] is None
    assert report["tasks"][2]["display_result"]["file_type"] == "md"
    assert report["tasks"][2]["display_result"]["results_folder"] == info["results_folder"]
    assert admin.get(report["tasks"][2]["display_result"]["url"].removeprefix("/domino/api/v1")).text == result.text


def test_clear_task_reruns_it(chain: str, admin: httpx.Client) -> None:
    run = _wait_run(admin, chain, _trigger(admin, chain)["run_id"])
    base = f"/workflows/{chain}/runs/{run['run_id']}"
    cleared = admin.post(f"{base}/tasks/second/clear", json={"downstream": True})
    assert cleared.status_code == 200, cleared.text
    assert sorted(cleared.json()["cleared"]) == ["report", "second"]

    def rerun() -> dict | None:
        detail = admin.get(base).json()
        second = next(t for t in detail["tasks"] if t["task_id"] == "second")
        return detail if detail["state"] == "success" and second["try_number"] == 2 else None

    detail = wait_for("the cleared task to run again", rerun, timeout=120, interval=0.5)
    first = next(t for t in detail["tasks"] if t["task_id"] == "first")
    assert first["try_number"] == 1
    only = admin.post(f"{base}/tasks/first/clear", json={"downstream": False}).json()
    assert only["cleared"] == ["first"]
    assert admin.post(f"{base}/tasks/nope/clear", json={}).status_code == 404


def test_pause_cancel_and_viewer_refusals(
    fixture_repository: dict, admin: httpx.Client, viewer: httpx.Client, airflow_api: httpx.Client
) -> None:
    workflow_id = "api_run_cancel"
    tasks = [{"id": "t0", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1}}]
    for i in range(1, 8):
        tasks.append(
            {"id": f"t{i}", "piece": {**REPO, "name": "AddPiece"},
             "inputs": {"a": {"$upstream": {"task": f"t{i - 1}", "output": "total"}}, "b": 1},
             "depends_on": [f"t{i - 1}"]}
        )  # fmt: skip
    _save(admin, airflow_api, _doc(workflow_id, tasks))

    # Paused: a triggered run waits in the queue; cancelling it fails it without running anything.
    assert admin.post(f"/workflows/{workflow_id}/pause").json() == {"is_paused": True}
    assert airflow_api.get(f"/dags/{workflow_id}").json()["is_paused"] is True
    queued = _trigger(admin, workflow_id)
    assert admin.get(f"/workflows/{workflow_id}/runs/{queued['run_id']}").json()["state"] == "queued"
    cancelled = admin.post(f"/workflows/{workflow_id}/runs/{queued['run_id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["state"] == "failed"
    again = admin.post(f"/workflows/{workflow_id}/runs/{queued['run_id']}/cancel")
    assert again.status_code == 409

    # Running: cancel stops the unfinished tasks.
    assert admin.post(f"/workflows/{workflow_id}/unpause").json() == {"is_paused": False}
    assert airflow_api.get(f"/dags/{workflow_id}").json()["is_paused"] is False
    run = _trigger(admin, workflow_id)
    base = f"/workflows/{workflow_id}/runs/{run['run_id']}"

    def started() -> dict | None:
        detail = admin.get(base).json()
        return detail if any(t["state"] in ("running", "success") for t in detail["tasks"]) else None

    wait_for("the run to start", started, timeout=120, interval=0.2)
    response = admin.post(f"{base}/cancel")
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "failed"
    detail = admin.get(base).json()
    assert detail["state"] == "failed"
    assert detail["tasks"][-1]["state"] != "success"
    airflow_run = airflow_api.get(f"/dags/{workflow_id}/dagRuns/{run['run_id']}").json()
    assert airflow_run["state"] == "failed"

    # A viewer reads but cannot steer.
    assert viewer.get(base).status_code == 200
    assert viewer.get(f"/workflows/{workflow_id}/runs").status_code == 200
    for path, body in (
        (f"/workflows/{workflow_id}/runs", {"params": {}}),
        (f"{base}/cancel", {}),
        (f"/workflows/{workflow_id}/pause", {}),
        (f"/workflows/{workflow_id}/unpause", {}),
        (f"{base}/tasks/t0/clear", {"downstream": True}),
    ):
        assert viewer.post(path, json=body).status_code == 403, path


def test_each_run_records_its_revision_scheduled_runs_too(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    workflow_id = "api_run_revisions"
    document = _doc(
        workflow_id,
        [{"id": "add", "piece": {**REPO, "name": "AddPiece"}, "inputs": {"a": 1, "b": 1}}],
        schedule="@once",
        start_date="2026-01-01T00:00:00Z",
        catchup=False,
    )
    _save(admin, airflow_api, document)
    admin.post(f"/workflows/{workflow_id}/unpause").raise_for_status()

    def scheduled() -> dict | None:
        items = admin.get(f"/workflows/{workflow_id}/runs").json()["items"]
        return next((r for r in items if r["run_type"] == "scheduled" and r["state"] == "success"), None)

    first = wait_for("the scheduled run", scheduled, timeout=120, interval=0.5)
    assert first["revision"]["number"] == 1
    assert first["triggered_by"] is None

    saved = admin.get(f"/workflows/{workflow_id}").json()
    document["tasks"][0]["inputs"]["b"] = 41
    updated = admin.put(
        f"/workflows/{workflow_id}", json={"document": document, "base_revision_id": saved["revision"]["id"]}
    )
    assert updated.status_code == 200, updated.text
    # Triggered right after the save: the API waits for Airflow to load revision 2.
    run = _trigger(admin, workflow_id)
    assert run["revision"]["number"] == 2
    done = _wait_run(admin, workflow_id, run["run_id"])
    outputs = admin.get(f"/workflows/{workflow_id}/runs/{run['run_id']}/tasks/add/outputs").json()
    assert outputs == {"outputs": {"total": 42}}
    assert done["revision"]["number"] == 2
    old = admin.get(f"/workflows/{workflow_id}/runs/{first['run_id']}").json()
    assert old["revision"]["number"] == 1
    assert old["revision_document"]["tasks"][0]["inputs"]["b"] == 1
