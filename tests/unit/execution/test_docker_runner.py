"""The docker runner's container definition without an engine: mounts, limits, GPUs, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin.execution.runners.docker import (
    DockerRunSpec,
    container_kwargs,
    container_name,
    parse_extra_mounts,
    resource_limits,
)
from airflow_domino_plugin.operators.piece import DockerPieceOperator, piece_operator_class

DEFAULTS = {"requests": {"cpu": 100, "memory": 128}, "limits": {"cpu": 250, "memory": 256}, "use_gpu": False}


def _spec(**overrides: object) -> DockerRunSpec:
    fields: dict[str, object] = {
        "image": "example-org/pieces:1.0.0-group0",
        "name": "domino-task-abc-try1",
        "sdk_dir": Path("/venv/site-packages/airflow_domino_sdk"),
        "repository_dir": Path("/repos/pieces/1.0.0"),
        "private_dir": Path("/tmp/domino-docker-x"),
        "results_path": Path("/results/dag/run/task"),
        "run_folder": Path("/results/dag/run"),
        "network_mode": "none",
        "limits": {},
        "extra_mounts": [],
        "labels": {"airflow-domino.dag": "dag"},
        "user": "1000:1000",
    }
    fields.update(overrides)
    return DockerRunSpec(**fields)  # type: ignore[arg-type]


def test_gpu_request_renders_as_a_device_request() -> None:
    limits = resource_limits({"gpu": 2}, DEFAULTS)
    kwargs = container_kwargs(_spec(limits=limits))
    (request,) = kwargs["device_requests"]
    assert request["Count"] == 2
    assert request["Capabilities"] == [["gpu"]]
    # A piece that declares use_gpu gets one without a task setting.
    piece_gpu = container_kwargs(_spec(limits=resource_limits({}, {**DEFAULTS, "use_gpu": True})))
    assert piece_gpu["device_requests"][0]["Count"] == 1
    assert "device_requests" not in container_kwargs(_spec(limits=resource_limits({}, DEFAULTS)))


def test_cpu_and_memory_limits_from_the_task_over_the_piece() -> None:
    assert resource_limits({}, DEFAULTS) == {"nano_cpus": 250_000_000, "mem_limit": 256 * 2**20}
    assert resource_limits({"cpu": "1500m", "memory": "1Gi"}, DEFAULTS) == {
        "nano_cpus": 1_500_000_000,
        "mem_limit": 2**30,
    }
    assert resource_limits({"cpu": 2}, {})["nano_cpus"] == 2_000_000_000
    kwargs = container_kwargs(_spec(limits=resource_limits({"memory": "512Mi"}, {})))
    assert kwargs["mem_limit"] == kwargs["memswap_limit"] == 512 * 2**20  # no swap beyond the limit


def test_mounts_are_read_only_except_the_task_folder_and_the_private_folder() -> None:
    kwargs = container_kwargs(_spec(extra_mounts=parse_extra_mounts("/data:/data, /scratch:/work:rw")))
    mounts = {m["Target"]: (m["Source"], m["ReadOnly"]) for m in kwargs["mounts"]}
    assert mounts == {
        "/opt/domino/runtime/airflow_domino_sdk": ("/venv/site-packages/airflow_domino_sdk", True),
        "/home/domino/pieces_repository": ("/repos/pieces/1.0.0", True),
        "/domino/run": ("/tmp/domino-docker-x", False),
        "/results/dag/run": ("/results/dag/run", True),
        "/results/dag/run/task": ("/results/dag/run/task", False),
        "/data": ("/data", True),
        "/work": ("/scratch", False),
    }
    assert kwargs["network_mode"] == "none"
    assert kwargs["environment"]["PYTHONPATH"] == "/opt/domino/runtime"
    assert kwargs["command"] == [
        "python", "-m", "airflow_domino_sdk.runtime",
        "--request", "/domino/run/request.json", "--result", "/domino/run/result.json",
    ]  # fmt: skip
    assert kwargs["entrypoint"] == []  # the image's entrypoint must not wrap the runtime


def test_container_definition_carries_no_input_or_secret() -> None:
    """Inputs and secrets live only in the request file: nothing of them in what the engine stores."""
    text = json.dumps(container_kwargs(_spec()), default=str)
    for word in ("inputs", "secrets", "DOMINO_PIECE_SECRETS"):
        assert word not in text


@pytest.mark.parametrize(
    "value", ["relative:/x", "/a:/b:rx", "/a", "/a:/b:ro:extra", "/a:b"], ids=["relative", "mode", "one", "four", "tgt"]
)
def test_bad_extra_mounts_name_the_option_and_the_item(value: str) -> None:
    with pytest.raises(AirflowException, match=r"docker_extra_mounts item 2 .*expected /host/path:/container/path"):
        parse_extra_mounts(f"/ok:/ok,{value}")


def test_container_names_are_per_try_and_valid() -> None:
    context = {"dag_id": "wf", "run_id": "manual__2026-01-01T00:00:00+00:00", "task_id": "Read Data!", "try_number": 2}
    name = container_name(context)
    assert name.startswith("domino-read-data-")
    assert name.endswith("-try2")
    assert container_name({**context, "try_number": 3}) != name
    assert container_name({**context, "run_id": "other"}) != name


def test_docker_tasks_get_the_docker_operator() -> None:
    assert piece_operator_class("docker") is DockerPieceOperator


def test_allowed_input_folders_are_mounted_read_only_once(tmp_path: Path) -> None:
    from airflow_domino_plugin.execution.runners.docker import _readable_paths

    data = tmp_path / "data"
    data.mkdir()
    paths = _readable_paths({"allowed_paths": [str(data), str(tmp_path / "missing"), "/"]})
    assert paths == [data.resolve()]
    kwargs = container_kwargs(
        _spec(readable_paths=[*paths, Path("/results/dag/run")], extra_mounts=[(str(data), str(data), True)])
    )
    targets = [m["Target"] for m in kwargs["mounts"]]
    assert len(targets) == len(set(targets))
    assert {"Target": str(data.resolve()), "Source": str(data.resolve()), "Type": "bind", "ReadOnly": True} in kwargs[
        "mounts"
    ]
