"""Hardening on a real stack (issue 11): who may bind which secret, masking, file reads, probes, hostile input.

Users of each role (tests/stack.py ``USERS``) act through the REST API exactly as a person would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from tests.integration.helpers import FIXTURE_REPO, REPO, dag, install_repository, task_log, wait_for
from tests.stack import RunningStack

SECURITY_REPO = REPO / "tests" / "fixtures" / "security_repo"
PIECES = {"repository": "security_pieces", "version": "0.1.0"}
DECLARED = "domino__security_pieces__CANARY_TOKEN"
CANARY = "canary-7f3a9c51e2-leak"
ADMIN_VARIABLE = "admin_only_canary"
ADMIN_CONNECTION = "admin_only_connection"


@pytest.fixture(scope="session")
def security_repository(airflow_stack: RunningStack, fixture_repository: dict) -> dict:
    """The misbehaving pieces, a declared secret holding the canary, and an admin-only Variable/Connection."""
    with airflow_stack.client("admin") as admin, airflow_stack.client("admin", prefix="/api/v2") as airflow:
        job = install_repository(admin, SECURITY_REPO)
        assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
        assert admin.put("/secrets/security_pieces/CANARY_TOKEN", json={"value": CANARY}).status_code == 204
        airflow.delete(f"/variables/{ADMIN_VARIABLE}")
        airflow.post("/variables", json={"key": ADMIN_VARIABLE, "value": CANARY}).raise_for_status()
        airflow.delete(f"/connections/{ADMIN_CONNECTION}")
        airflow.post(
            "/connections", json={"connection_id": ADMIN_CONNECTION, "conn_type": "http", "password": CANARY}
        ).raise_for_status()
    return job


@pytest.fixture
def editor(airflow_stack: RunningStack) -> Iterator[httpx.Client]:
    with airflow_stack.client("user") as client:
        yield client


@pytest.fixture
def operator(airflow_stack: RunningStack) -> Iterator[httpx.Client]:
    with airflow_stack.client("op") as client:
        yield client


def _echo(workflow_id: str, binding: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": workflow_id,
        "tasks": [{"id": "echo", "piece": {**PIECES, "name": "EchoSecretPiece"}, "secrets": {"CANARY_TOKEN": binding}}],
    }


def _run(client: httpx.Client, airflow_api: httpx.Client, workflow_id: str) -> dict[str, Any]:
    wait_for(f"DAG {workflow_id}", lambda: dag(airflow_api, workflow_id), timeout=60)
    client.post(f"/workflows/{workflow_id}/unpause").raise_for_status()
    run = client.post(f"/workflows/{workflow_id}/runs", json={}).raise_for_status().json()

    def ended() -> dict | None:
        body = client.get(f"/workflows/{workflow_id}/runs/{run['run_id']}").json()
        return body if body["state"] in ("success", "failed") else None

    return wait_for(f"run of {workflow_id}", ended, timeout=240, interval=0.5)


# ---------------------------------------------------------------- 1. secret binding is authorised


@pytest.mark.parametrize(
    "binding",
    [{"variable": ADMIN_VARIABLE}, {"connection": ADMIN_CONNECTION, "field": "password"}],
    ids=["variable", "connection"],
)
def test_editor_cannot_bind_a_secret_they_may_not_read(
    security_repository: dict, editor: httpx.Client, admin: httpx.Client, binding: dict[str, Any]
) -> None:
    kind = "variable" if "variable" in binding else "connection"
    document = _echo(f"steal_{kind}", binding)
    refused = editor.post("/workflows", json={"document": document})
    assert refused.status_code == 403, refused.text
    assert [e["path"] for e in refused.json()["errors"]] == ["tasks[0].secrets.CANARY_TOKEN"]
    assert admin.get(f"/workflows/steal_{kind}").status_code == 404  # nothing saved

    imported = editor.post("/workflows/import", json={"document": document})
    assert imported.status_code == 403, imported.text
    assert imported.json()["errors"][0]["path"] == "tasks[0].secrets.CANARY_TOKEN"
    assert admin.get(f"/workflows/steal_{kind}").status_code == 404

    validated = editor.post("/workflows/validate", json=document).json()
    assert validated["valid"] is False
    assert "tasks[0].secrets.CANARY_TOKEN" in [e["path"] for e in validated["errors"]]

    # An update or a duplicate is a save by the editor too.
    own = _echo(f"own_{kind}", {"variable": DECLARED})
    created = editor.post("/workflows", json={"document": own})
    assert created.status_code == 201, created.text
    stolen = {**own, "tasks": [{**own["tasks"][0], "secrets": {"CANARY_TOKEN": binding}}]}
    update = editor.put(
        f"/workflows/own_{kind}", json={"document": stolen, "base_revision_id": created.json()["revision"]["id"]}
    )
    assert update.status_code == 403, update.text
    assert update.json()["errors"][0]["path"] == "tasks[0].secrets.CANARY_TOKEN"
    by_admin = admin.post("/workflows", json={"document": _echo(f"admin_{kind}", binding)})
    assert by_admin.status_code == 201, by_admin.text
    copy = editor.post(f"/workflows/admin_{kind}/duplicate", json={"id": f"copy_{kind}"})
    assert copy.status_code == 403, copy.text
    assert admin.get(f"/workflows/copy_{kind}").status_code == 404


def test_declared_secrets_and_readable_ones_may_be_bound(
    security_repository: dict, editor: httpx.Client, operator: httpx.Client
) -> None:
    declared = editor.post("/workflows", json={"document": _echo("bind_declared", {"variable": DECLARED})})
    assert declared.status_code == 201, declared.text
    # The op role may read Variables and Connections, so it may bind them.
    for workflow_id, binding in (
        ("op_variable", {"variable": ADMIN_VARIABLE}),
        ("op_connection", {"connection": ADMIN_CONNECTION}),
    ):
        saved = operator.post("/workflows", json={"document": _echo(workflow_id, binding)})
        assert saved.status_code == 201, saved.text
    # A declared secret of *another* repository is not this piece's to use.
    foreign = editor.post(
        "/workflows",
        json={"document": _echo("bind_foreign", {"variable": "domino__domino_style_pieces__GREETING_API_TOKEN"})},
    )
    assert foreign.status_code == 403, foreign.text


# ---------------------------------------------------------------- 2. secret values are masked downstream


def test_a_leaked_secret_is_masked_in_outputs_files_logs_and_results(
    security_repository: dict,
    airflow_stack: RunningStack,
    editor: httpx.Client,
    viewer: httpx.Client,
    airflow_api: httpx.Client,
) -> None:
    assert editor.post("/workflows", json={"document": _echo("leaky", {"variable": DECLARED})}).status_code == 201
    run = _run(editor, airflow_api, "leaky")
    base = f"/workflows/leaky/runs/{run['run_id']}"
    assert run["state"] == "success", task_log(airflow_api, "leaky", run["run_id"], "echo")
    outputs = viewer.get(f"{base}/tasks/echo/outputs").json()["outputs"]
    assert outputs == {"echoed": "token:***", "length": len(CANARY)}

    exposed = {
        "outputs": json.dumps(outputs),
        "report": viewer.get(f"{base}/report").text,
        "logs": viewer.get(f"{base}/tasks/echo/logs").text,
        "display result": viewer.get(f"{base}/tasks/echo/result").text,
        "text file": viewer.get(f"{base}/tasks/echo/files/leak.txt").text,
        "json file": viewer.get(f"{base}/tasks/echo/files/leak.json").text,
        "airflow xcom": airflow_api.get(
            f"/dags/leaky/dagRuns/{run['run_id']}/taskInstances/echo/xcomEntries/return_value"
        ).text,
        "airflow log": task_log(airflow_api, "leaky", run["run_id"], "echo"),
    }
    results = airflow_stack.stack.home / "domino" / "results" / "leaky"
    exposed |= {f"stored {p.name}": p.read_text(errors="replace") for p in results.rglob("*") if p.is_file()}
    assert "Token: ***" in exposed["display result"]
    assert json.loads(exposed["json file"])["token"] == "***"
    for where, text in exposed.items():
        assert CANARY not in text, f"the secret leaked into {where}"


# ---------------------------------------------------------------- 3. pieces read only allowed paths


def test_pieces_cannot_read_files_outside_the_allowed_folders(
    security_repository: dict, airflow_stack: RunningStack, editor: httpx.Client, airflow_api: httpx.Client
) -> None:
    home = airflow_stack.stack.home
    targets = {"passwd": "/etc/passwd", "passwords": str(home / "passwords.json"), "config": str(home / "airflow.cfg")}
    allowed = REPO / "examples" / "data" / "sales.csv"  # in [domino] allowed_input_paths of the test stacks
    tasks = [
        {"id": name, "piece": {**PIECES, "name": "ReadPathPiece"}, "inputs": {"path": path}}
        for name, path in [*targets.items(), ("allowed", str(allowed))]
    ]
    document = {"schema_version": 1, "id": "read_paths", "name": "read_paths", "tasks": tasks}
    assert editor.post("/workflows", json={"document": document}).status_code == 201
    run = _run(editor, airflow_api, "read_paths")
    states = {
        ti["task_id"]: ti["state"]
        for ti in airflow_api.get(f"/dags/read_paths/dagRuns/{run['run_id']}/taskInstances").json()["task_instances"]
    }
    assert states == {"passwd": "failed", "passwords": "failed", "config": "failed", "allowed": "success"}
    log = task_log(airflow_api, "read_paths", run["run_id"], "passwords")
    assert "is outside the folders pieces may read" in log
    assert "allowed_input_paths" in log


# ---------------------------------------------------------------- 4. no probes by read-only users


def test_listing_versions_of_arbitrary_sources_needs_admin(
    fixture_repository: dict, viewer: httpx.Client, admin: httpx.Client
) -> None:
    probes = [
        {"source_type": "local", "source_url": "/etc"},
        {"source_type": "local", "source_url": str(FIXTURE_REPO)},
        {"source_type": "git", "source_url": f"file://{FIXTURE_REPO}"},
        {"source_type": "git", "source_url": "/var/lib"},
        {"source_type": "git", "source_url": "http://127.0.0.1:9/internal.git"},
        {"source_type": "github", "source_url": "someone/not-installed"},
    ]
    for params in probes:
        response = viewer.get("/repositories/versions", params=params)
        assert response.status_code == 403, (params, response.text)
        assert response.json()["errors"][0]["path"] == "source_url"
    listed = admin.get("/repositories/versions", params={"source_type": "local", "source_url": str(FIXTURE_REPO)})
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"versions": ["0.1.0"]}
    transport = admin.get("/repositories/versions", params={"source_type": "git", "source_url": "ext::sh -c id"})
    assert transport.status_code == 422, transport.text


# ---------------------------------------------------------------- 5. hostile input answers 4xx


def _doc(workflow_id: str, **task: Any) -> dict[str, Any]:
    piece = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}
    add = {"id": "add", "piece": piece, "inputs": {"a": 1, "b": 2}, **task}
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "tasks": [add]}


def test_hostile_documents_are_refused_naming_the_field(fixture_repository: dict, admin: httpx.Client) -> None:
    newline_id = admin.post("/workflows", json={"document": _doc("trailing_newline\n")})
    assert newline_id.status_code == 422
    assert [e["path"] for e in newline_id.json()["errors"]] == ["id"]
    newline_task = admin.post("/workflows", json={"document": _doc("newline_task", id="add\n")})
    assert newline_task.status_code == 422
    assert newline_task.json()["errors"][0]["path"] == "tasks[0].id"

    deep: Any = 1
    for _ in range(350):
        deep = {"a": deep}
    nested = admin.post("/workflows", json={"document": _doc("deep_inputs", inputs={"a": deep, "b": 2})})
    assert nested.status_code == 422, nested.text
    assert nested.json()["errors"][0]["path"] == "tasks[0].inputs"
    assert admin.get("/workflows/deep_inputs").status_code == 404

    huge = admin.post("/workflows", json={"document": _doc("huge_retries", retries=2**70)})
    assert huge.status_code == 422
    assert huge.json()["errors"][0]["path"] == "tasks[0].retries"


@pytest.mark.parametrize(
    ("method", "url", "field"),
    [
        ("GET", "/repositories/{big}", "path.repository_id"),
        ("DELETE", "/repositories/{big}", "path.repository_id"),
        ("GET", "/repositories/{big}/upgrade-report?to_version=1", "path.repository_id"),
        ("GET", "/pieces/{big}", "path.piece_id"),
        ("GET", "/pieces?repository_id={big}", "query.repository_id"),
        ("GET", "/pieces?offset={big}", "query.offset"),
        ("GET", "/workflows?offset={big}", "query.offset"),
        ("GET", "/repositories?offset={big}", "query.offset"),
        ("GET", "/repositories/installs?offset={big}", "query.offset"),
        ("GET", "/workflows/x/revisions?offset={big}", "query.offset"),
        ("GET", "/workflows/x/revisions/{big}", "path.revision_id"),
        ("GET", "/workflows/x/revisions/1/diff?against={big}", "query.against"),
        ("GET", "/workflows/x/runs/r/tasks/t/logs?try_number={big}", "query.try_number"),
    ],
)
def test_integers_beyond_64_bits_answer_422(admin: httpx.Client, method: str, url: str, field: str) -> None:
    response = admin.request(method, url.format(big=2**64 + 1))
    assert response.status_code == 422, response.text
    assert field in [e["path"] for e in response.json()["errors"]]


def test_bodies_above_the_limit_answer_413(admin: httpx.Client) -> None:
    body = json.dumps({"document": {"description": "x" * (5 * 1024 * 1024)}})
    response = admin.post("/workflows", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "max_request_bytes" in response.json()["detail"]

    def streamed() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"document": {"description": "'
        for _ in range(50):
            yield b"y" * 100_000
        yield b'"}}'

    response = admin.post("/workflows/validate", content=streamed(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_deleting_a_workflow_while_a_task_runs_answers_409(
    fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    piece = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "SleepPiece"}
    document = {
        "schema_version": 1,
        "id": "delete_while_running",
        "name": "delete while running",
        "tasks": [{"id": "nap", "piece": piece, "inputs": {"seconds": 120}}],
    }
    assert admin.post("/workflows", json={"document": document}).status_code == 201
    wait_for("the DAG", lambda: dag(airflow_api, "delete_while_running"), timeout=60)
    admin.post("/workflows/delete_while_running/unpause").raise_for_status()
    run = admin.post("/workflows/delete_while_running/runs", json={}).raise_for_status().json()
    base = f"/workflows/delete_while_running/runs/{run['run_id']}"

    def running() -> bool:
        tasks = admin.get(base).json()["tasks"]
        return bool(tasks) and tasks[0]["state"] == "running"

    wait_for("the task to run", running, timeout=120, interval=0.5)
    refused = admin.delete("/workflows/delete_while_running")
    assert refused.status_code == 409, refused.text
    assert "cancel" in refused.json()["detail"]
    assert admin.get("/workflows/delete_while_running").status_code == 200  # nothing half-deleted
    admin.post(f"{base}/cancel").raise_for_status()
    wait_for("the task to stop", lambda: not running(), timeout=120, interval=0.5)
    assert wait_for("the delete", lambda: admin.delete("/workflows/delete_while_running").status_code == 204)


def test_the_openapi_error_schema_is_what_is_sent(admin: httpx.Client) -> None:
    spec = admin.get("/openapi.json").raise_for_status().json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    error_schema = {**spec["components"]["schemas"]["ErrorOut"], "components": spec["components"]}
    responses = spec["paths"]["/api/v1/workflows"]["post"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    for response in (
        admin.post("/workflows", json={"document": _doc("Bad Id")}),  # service validation
        admin.post("/workflows", json={"nope": 1}),  # request validation
        admin.get("/pieces/999999"),  # not found
        admin.post("/workflows", content=b"{", headers={"Content-Type": "application/json"}),  # unparsable
    ):
        assert 400 <= response.status_code < 500
        jsonschema.validate(response.json(), error_schema)
