"""The kubernetes runner's pod, run for real: its main container's exact command and environment in a
repository-style image (Python, pydantic and the pieces' code at IMAGE_REPOSITORY_DIR, no SDK)
under Docker, with the SDK where the init container's emptyDir would be.

No cluster exists here, so the init container's copy runs on the host (the same command) and
Docker plays the kubelet: the emptyDir, the downward-API request file and the XCom folder become
bind mounts at the paths the pod spec names.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk.runtime import IMAGE_REPOSITORY_DIR, SECRETS_ENV_VAR
from docker.types import Mount

import docker
from airflow_domino_plugin.execution.runners.injection import INJECTED_SDK_DIR, init_copy_command
from airflow_domino_plugin.operators.kubernetes_pod import REQUEST_ANNOTATION, REQUEST_DIR
from tests.docker_fixtures import docker_engine, pydantic_image, python_base_image  # noqa: F401
from tests.unit.execution.test_kubernetes_runner import CANARY, base_container, built_pod, make_operator, make_run
from tools import docker_engine as engine_tools

FIXTURE_REPO = Path(__file__).resolve().parents[1] / "fixtures" / "domino_style_repo"
IMAGE = "airflow-domino/test-kubernetes-style:fixture"


@pytest.fixture
def repository_image(docker_engine: docker.DockerClient, pydantic_image: str) -> str:  # noqa: F811
    """What a Domino repository publishes: its code in the image, pydantic, no SDK."""
    files: dict[str, Any] = {
        f"repo/{path.relative_to(FIXTURE_REPO).as_posix()}": path
        for path in FIXTURE_REPO.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    dockerfile = f"FROM {pydantic_image}\nCOPY repo {IMAGE_REPOSITORY_DIR}\n"
    return engine_tools.build_image(docker_engine, IMAGE, dockerfile, files)


@pytest.fixture
def pod_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in {
        "KUBERNETES_NAMESPACE": "domino-pieces",
        "KUBERNETES_RUNTIME_IMAGE": "registry.example.com/airflow-domino:3.3.2-domino-0.1.0",
        "STORAGE_URL": f"file://{tmp_path / 'results'}",
    }.items():
        monkeypatch.setenv(f"AIRFLOW__DOMINO__{name}", value)
    monkeypatch.setenv("AIRFLOW_CONN_KUBERNETES_DEFAULT", json.dumps({"conn_type": "kubernetes"}))


@pytest.mark.usefixtures("pod_config")
def test_pod_main_container_runs_in_an_image_without_the_sdk(
    docker_engine: docker.DockerClient,  # noqa: F811
    repository_image: str,
    tmp_path: Path,
) -> None:
    op = make_operator()
    run = make_run(op)
    pod = built_pod(op, run)
    base = base_container(pod)
    (init,) = pod["spec"]["initContainers"]
    # The init container's own command, by a Python that has the SDK (the plugin image's role).
    sdk = tmp_path / "emptydir"
    sdk.mkdir()
    assert init["command"] == init_copy_command()
    script = init["command"][2].replace(repr(INJECTED_SDK_DIR), repr(str(sdk)))
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, timeout=60)
    request_dir, xcom = tmp_path / "request", tmp_path / "xcom"
    request_dir.mkdir()
    xcom.mkdir()
    (request_dir / "request.json").write_text(pod["metadata"]["annotations"][REQUEST_ANNOTATION])
    env: dict[str, str] = {}
    for item in base["env"]:
        if "value" in item:
            env[item["name"]] = item["value"].replace("$$", "$")  # what the kubelet does with the escape
        else:  # the try's Secret, as Kubernetes would resolve the secretKeyRef
            assert item["valueFrom"]["secretKeyRef"]["key"] == SECRETS_ENV_VAR
            env[item["name"]] = json.dumps({"GREETING_API_TOKEN": CANARY})
    mounts = {m["name"]: m["mountPath"] for m in base["volumeMounts"]}
    output = docker_engine.containers.run(
        repository_image,
        command=[*base["command"], *base["args"]],
        entrypoint=[],
        environment=env,
        mounts=[
            Mount(mounts["domino-sdk"], str(sdk), type="bind", read_only=True),
            Mount(REQUEST_DIR, str(request_dir), type="bind", read_only=True),
            Mount(mounts["xcom"], str(xcom), type="bind", read_only=False),
        ],
        network_mode="none",
        remove=True,
        stdout=True,
        stderr=True,
    ).decode()
    assert CANARY not in output
    result = json.loads((xcom / "return.json").read_text())
    assert result["outputs"] == {"greeting": "Hello, Ada!", "token_length": len(CANARY)}, output
    assert base64.b64encode(CANARY.encode()).decode() not in json.dumps(pod)
