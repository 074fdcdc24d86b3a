"""The docker runner on the real stack with a real Docker engine (started here if none answers).

Piece images are built once per session the way a repository publishes them: Python, pydantic
and the dependency group's requirements — no SDK, no piece code (both are injected). They are
tagged with exactly the ``source_image`` the install records.

Only the sqlite-simple stack runs these tests (the first selected flavour if that one is not
selected): the runner does not touch Airflow's metadata database or auth manager, so a second
flavour would double their ~4 minutes without testing anything more.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from airflow_domino_sdk.repository import compile_repository
from docker.errors import ContainerError

import docker
from tests.docker_fixtures import docker_engine, pydantic_image, python_base_image  # noqa: F401
from tests.integration.helpers import FIXTURE_REPO, REPO, dag, install_repository, run_dag, task_log, wait_for, xcom
from tests.stack import SELECTED, RunningStack
from tools import docker_engine as engine_tools
from tools.seed_examples import _absolute_defaults

FIXTURE = {"repository": "domino_style_pieces", "version": "0.1.0"}
one_stack = pytest.mark.parametrize(
    "airflow_stack", ["sqlite-simple" if "sqlite-simple" in SELECTED else SELECTED[0]], indirect=True
)
CANARY = "canary-docker-5e1d0b7a93"
LABEL = "airflow-domino.dag"


def _group_images(repo: Path) -> dict[str, dict[str, Any]]:
    return compile_repository(repo).dependencies_map


@pytest.fixture(scope="session")
def piece_images(docker_engine: docker.DockerClient, pydantic_image: str) -> dict[str, str]:  # noqa: F811
    """The fixture repository's images and the examples' no-requirements image: {"Piece,...": image}."""
    engine_tools.ensure_repository_images(docker_engine, FIXTURE_REPO, base=pydantic_image)
    examples = _group_images(REPO / "examples" / "pieces")
    plain = {g for g, spec in examples.items() if not any(spec["dependency"].values())}
    engine_tools.ensure_repository_images(docker_engine, REPO / "examples" / "pieces", plain, base=pydantic_image)
    return {",".join(spec["pieces"]): spec["source_image"] for spec in _group_images(FIXTURE_REPO).values()}


def _doc(workflow_id: str, tasks: list[dict[str, Any]], runner: str, **extra: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": workflow_id,
        "schedule": None,
        "defaults": {"runner": runner},
        "tasks": tasks,
        **extra,
    }


def _save(admin: httpx.Client, airflow_api: httpx.Client, document: dict[str, Any]) -> None:
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for(f"DAG {document['id']}", lambda: dag(airflow_api, document["id"]), timeout=30)


def _outputs(airflow_api: httpx.Client, dag_id: str, run_id: str, tasks: list[str]) -> dict[str, Any]:
    """Every task's XCom (outputs, display result), with this run's own folder replaced by <RUN>."""
    found = {
        task: {
            "outputs": xcom(airflow_api, dag_id, run_id, task),
            "display": xcom(airflow_api, dag_id, run_id, task, key="display_result"),
        }
        for task in tasks
    }
    text = json.dumps(found, sort_keys=True)
    text = re.sub(rf"[^\"]*/{re.escape(dag_id)}/{re.escape(re.sub(r'[^A-Za-z0-9_.+=-]', '_', run_id))}", "<RUN>", text)
    result: dict[str, Any] = json.loads(text)
    return result


def _run_ok(airflow_api: httpx.Client, dag_id: str, tasks: list[str], **kwargs: Any) -> dict[str, Any]:
    run = run_dag(airflow_api, dag_id, timeout=300, **kwargs)
    if run["state"] != "success":
        logs = {t: task_log(airflow_api, dag_id, run["dag_run_id"], t)[-3000:] for t in tasks}
        raise AssertionError(f"{dag_id} ended {run['state']}: {logs}")
    return run


FIXTURE_TASKS: list[dict[str, Any]] = [
    {"id": "first", "piece": {**FIXTURE, "name": "AddPiece"}, "inputs": {"a": {"$param": "x"}, "b": 2}},
    {"id": "second", "piece": {**FIXTURE, "name": "AddPiece"},
     "inputs": {"a": {"$upstream": {"task": "first", "output": "total"}}, "b": 10}, "depends_on": ["first"]},
    {"id": "write", "piece": {**FIXTURE, "name": "WriteFilePiece"}, "inputs": {"text": "written in a container"}},
    {"id": "read", "piece": {**FIXTURE, "name": "ReadFilePiece"},
     "inputs": {"file_path": {"$upstream": {"task": "write", "output": "file_path"}}}, "depends_on": ["write"]},
    {"id": "slug", "piece": {**FIXTURE, "name": "SlugifyPiece"}, "inputs": {"text": "Héllo Wörld in Docker"}},
    {"id": "report", "piece": {**FIXTURE, "name": "MarkdownReportPiece"},
     "inputs": {"title": "From Docker", "items": ["a", "b", "c"]}},
]  # fmt: skip


def test_images_hold_no_sdk(docker_engine: docker.DockerClient, piece_images: dict[str, str]) -> None:  # noqa: F811
    """What the next tests run in is a repository-style image: its Python cannot import our SDK."""
    for image in piece_images.values():
        with pytest.raises(ContainerError):
            docker_engine.containers.run(
                image, ["python", "-c", "import airflow_domino_sdk"], remove=True, network_mode="none"
            )


@one_stack
def test_pieces_run_in_containers_like_in_subprocesses(
    fixture_repository: dict, piece_images: dict[str, str], admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    """Params, upstream outputs, upstream files, a requirements group and a display result, both ways."""
    ids = [t["id"] for t in FIXTURE_TASKS]
    results = {}
    for runner in ("subprocess", "docker"):
        workflow_id = f"docker_chain_{runner}"
        _save(admin, airflow_api, _doc(workflow_id, FIXTURE_TASKS, runner, params={"x": {"type": "integer"}}))
        run = _run_ok(airflow_api, workflow_id, ids, conf={"x": 5})
        results[runner] = _outputs(airflow_api, workflow_id, run["dag_run_id"], ids)
        log = task_log(airflow_api, workflow_id, run["dag_run_id"], "slug")
        assert "piece SlugifyPiece output start" in log
        if runner == "docker":
            slug_image = next(image for group, image in piece_images.items() if "SlugifyPiece" in group)
            assert f"from {slug_image}, network none" in log, log[-2000:]
    assert results["docker"]["second"]["outputs"] == {"total": 17}
    assert results["docker"]["read"]["outputs"] == {"content": "written in a container"}
    assert results["docker"]["report"]["display"]["file_type"] == "md"
    assert results["docker"] == results["subprocess"]


@one_stack
def test_example_workflow_runs_in_containers_and_matches_subprocess(
    piece_images: dict[str, str], example_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    source = _absolute_defaults(json.loads((REPO / "examples" / "workflows" / "fan_out_fan_in.json").read_text()))
    ids = [t["id"] for t in source["tasks"]]
    results = {}
    for runner in ("subprocess", "docker"):
        document = json.loads(json.dumps(source))
        document["id"] = f"fan_out_fan_in_{runner}"
        document.setdefault("defaults", {})["runner"] = runner
        for task in document["tasks"]:
            task["runner"] = runner
        _save(admin, airflow_api, document)
        run = _run_ok(airflow_api, document["id"], ids)
        results[runner] = _outputs(airflow_api, document["id"], run["dag_run_id"], ids)
    assert results["docker"]["report"]["display"], results["docker"]["report"]
    assert results["docker"] == results["subprocess"]


@one_stack
def test_timeout_kills_and_removes_the_container(
    fixture_repository: dict,
    piece_images: dict[str, str],
    docker_engine: docker.DockerClient,  # noqa: F811
    admin: httpx.Client,
    airflow_api: httpx.Client,
) -> None:
    tasks = [{"id": "slow", "piece": {**FIXTURE, "name": "SleepPiece"}, "inputs": {"seconds": 120}, "timeout_s": 3}]
    _save(admin, airflow_api, _doc("docker_timeout", tasks, "docker"))
    since = int(time.time()) - 1
    run = run_dag(airflow_api, "docker_timeout", timeout=120)
    assert run["state"] == "failed"
    log = task_log(airflow_api, "docker_timeout", run["dag_run_id"], "slow")
    assert "timed out after 3s and was killed" in log
    filters = {"label": f"{LABEL}=docker_timeout"}
    assert docker_engine.containers.list(all=True, filters=filters) == [], "the container outlived its task"
    actions = [
        e.get("Action") or e.get("status")
        for e in docker_engine.events(since=since, until=int(time.time()) + 1, decode=True, filters=filters)
    ]
    assert {"kill", "destroy"} <= set(actions), actions


@pytest.fixture
def inspected(docker_engine: docker.DockerClient) -> Iterator[list[dict[str, Any]]]:  # noqa: F811
    """``docker inspect`` of every piece container started while the test runs (taken at start)."""
    seen: list[dict[str, Any]] = []
    events = docker_engine.events(decode=True, filters={"type": "container", "event": "start", "label": LABEL})

    def watch() -> None:
        try:
            for event in events:
                try:
                    seen.append(docker_engine.api.inspect_container(event["id"]))
                except docker.errors.NotFound:
                    seen.append({"missed": event["id"]})
        except Exception:  # the stream closes when the test ends
            return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield seen
    events.close()


@one_stack
def test_secrets_reach_the_piece_only_through_the_private_file(
    fixture_repository: dict,
    piece_images: dict[str, str],
    inspected: list[dict[str, Any]],
    admin: httpx.Client,
    airflow_api: httpx.Client,
) -> None:
    airflow_api.post("/variables", json={"key": "domino_docker_token", "value": CANARY})
    tasks = [{"id": "greet", "piece": {**FIXTURE, "name": "SecretGreetingPiece"}, "inputs": {"name": "Ada"},
              "secrets": {"GREETING_API_TOKEN": {"variable": "domino_docker_token"}}}]  # fmt: skip
    _save(admin, airflow_api, _doc("docker_secret", tasks, "docker"))
    run = _run_ok(airflow_api, "docker_secret", ["greet"])
    outputs = xcom(airflow_api, "docker_secret", run["dag_run_id"], "greet")
    assert outputs["token_length"] == len(CANARY), "the piece did not get the secret"
    wait_for("the container's inspect data", lambda: [i for i in inspected if "Config" in i] or None, timeout=10)
    containers = [i for i in inspected if i.get("Config", {}).get("Labels", {}).get(LABEL) == "docker_secret"]
    assert containers, inspected
    exposed = {
        "docker inspect": json.dumps(containers),
        "log": task_log(airflow_api, "docker_secret", run["dag_run_id"], "greet"),
        "xcom": json.dumps(outputs),
        "workflow": admin.get("/workflows/docker_secret").text,
        "task instance": airflow_api.get(f"/dags/docker_secret/dagRuns/{run['dag_run_id']}/taskInstances/greet").text,
    }
    for route in ("", "/tasks/greet/logs", "/tasks/greet/outputs"):
        response = admin.get(f"/workflows/docker_secret/runs/{run['dag_run_id']}{route}")
        assert response.status_code == 200, (route, response.text)
        exposed[f"API {route or 'run detail'}"] = response.text
    for where, text in exposed.items():
        assert CANARY not in text, f"the secret leaked into {where}"
    config = containers[0]["Config"]
    assert config["Cmd"][:3] == ["python", "-m", "airflow_domino_sdk.runtime"]
    assert not any(e.startswith("DOMINO_PIECE_SECRETS") for e in config["Env"])
    assert containers[0]["HostConfig"]["NetworkMode"] == "none"
    mounts = {m["Destination"]: m["RW"] for m in containers[0]["Mounts"]}
    assert mounts["/opt/domino/runtime/airflow_domino_sdk"] is False
    assert mounts["/home/domino/pieces_repository"] is False


@one_stack
def test_missing_image_and_image_without_pydantic_are_clear_errors(
    airflow_stack: RunningStack,
    python_base_image: str,  # noqa: F811
    docker_engine: docker.DockerClient,  # noqa: F811
    admin: httpx.Client,
    airflow_api: httpx.Client,
    tmp_path: Path,
) -> None:
    # A version no other module installs (the pieces journey installs 0.2.0 of this repository).
    version = f"0.4.{airflow_stack.flavour.startswith('postgres'):d}"
    copy = tmp_path / "repo"
    shutil.copytree(FIXTURE_REPO, copy)
    config = copy / "config.toml"
    config.write_text(config.read_text().replace('VERSION = "0.1.0"', f'VERSION = "{version}"'))
    job = install_repository(admin, copy)
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    image = _group_images(copy)["group0"]["source_image"]
    tasks = [{"id": "add", "piece": {**FIXTURE, "version": version, "name": "AddPiece"}, "inputs": {"a": 1, "b": 2}}]
    dag_id = f"docker_bad_image_{version.replace('.', '_')}"
    _save(admin, airflow_api, _doc(dag_id, tasks, "docker"))
    run = run_dag(airflow_api, dag_id)
    assert run["state"] == "failed"
    log = task_log(airflow_api, dag_id, run["dag_run_id"], "add")
    assert f"Image {image} is not on the Docker engine" in log, log[-2000:]
    assert "domino-pieces build-images" in log
    docker_engine.images.get(python_base_image).tag(image)  # Python, but no pydantic
    try:
        run = run_dag(airflow_api, dag_id)
        assert run["state"] == "failed"
        log = task_log(airflow_api, dag_id, run["dag_run_id"], "add")
        assert "the image's Python has no pydantic" in log, log[-2000:]
    finally:
        docker_engine.images.remove(image)


@one_stack
def test_killing_the_task_stops_its_container(
    fixture_repository: dict,
    piece_images: dict[str, str],
    docker_engine: docker.DockerClient,  # noqa: F811
    admin: httpx.Client,
    airflow_api: httpx.Client,
) -> None:
    """Marking a running task failed makes Airflow kill it; on_kill stops and removes the container."""
    tasks = [{"id": "long", "piece": {**FIXTURE, "name": "SleepPiece"}, "inputs": {"seconds": 300}}]
    _save(admin, airflow_api, _doc("docker_on_kill", tasks, "docker"))
    airflow_api.patch("/dags/docker_on_kill", json={"is_paused": False}).raise_for_status()
    run = airflow_api.post("/dags/docker_on_kill/dagRuns", json={"logical_date": None}).json()
    filters = {"label": f"{LABEL}=docker_on_kill", "status": "running"}
    wait_for("the piece's container", lambda: docker_engine.containers.list(filters=filters) or None, timeout=90)
    started = time.monotonic()
    airflow_api.patch(
        f"/dags/docker_on_kill/dagRuns/{run['dag_run_id']}/taskInstances/long", json={"new_state": "failed"}
    ).raise_for_status()
    gone = {"label": f"{LABEL}=docker_on_kill"}
    wait_for("the container to go", lambda: not docker_engine.containers.list(all=True, filters=gone) or None, 60)
    assert time.monotonic() - started < 60
    log = task_log(airflow_api, "docker_on_kill", run["dag_run_id"], "long")
    assert "Stopping container" in log, log[-2000:]


def test_missing_image_is_pulled_with_the_registry_connection(
    docker_engine: docker.DockerClient,  # noqa: F811
    pydantic_image: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The runner's pull path against Debian's docker-registry, logging in through DockerHook with the
    Airflow Connection named by ``[domino] docker_registry_conn_id``."""
    from airflow.sdk.exceptions import AirflowException

    from airflow_domino_plugin.execution.runners.docker import ensure_image

    with engine_tools.local_registry(tmp_path / "registry") as address:
        host, port = address.split(":")
        image = f"{address}/domino-test/pull-me:1.0.0-group0"
        docker_engine.images.get(pydantic_image).tag(image)
        for event in docker_engine.images.push(image, stream=True, decode=True):
            assert "error" not in event, event
        docker_engine.images.remove(image)
        monkeypatch.setenv("AIRFLOW__DOMINO__DOCKER_REGISTRY_CONN_ID", "domino_test_registry")
        monkeypatch.setenv(
            "AIRFLOW_CONN_DOMINO_TEST_REGISTRY",
            json.dumps({"conn_type": "docker", "host": host, "port": int(port), "login": "ci", "password": "pw"}),
        )
        said: list[str] = []
        try:
            ensure_image(docker_engine, image, said.append)
            assert docker_engine.images.get(image).id == docker_engine.images.get(pydantic_image).id
            assert said == [f"Pulling {image} (registry connection 'domino_test_registry')"]
        finally:
            docker_engine.images.remove(image)
        with pytest.raises(AirflowException, match=r"could not be pulled with the registry connection"):
            ensure_image(docker_engine, f"{address}/domino-test/never-pushed:1", said.append)
