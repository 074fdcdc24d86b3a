"""The docker runner against the subprocess runner on one real local stack: a 10-piece chain with
each runner, measured in the same run, and the first run in a container with a cold vs a warm image.

    .venv/bin/python bench/docker_vs_subprocess.py [--runs 3]

Uses (or starts) a Docker engine through tools/docker_engine.py and builds the fixture
repository's images (Python + pydantic + requirements, no SDK). Three chains of AddPiece:
``subprocess``; ``docker`` with the piece's own container_resources (Domino's default limits,
100 millicores and 128 MiB); ``docker`` with ``resources.cpu = "1"`` per task, which shows the
runner's own overhead without the CPU cap. Wall times come from Airflow's run timestamps.

Cold vs warm image: a one-task workflow whose image is not on the engine but in a local registry
(Debian's docker-registry on 127.0.0.1, ``[domino] docker_registry_conn_id``), flattened into a new
layer so the first run pulls all of it, then again with the image warm. Prints figures; asserts
nothing. Goal (issue 9): docker chain ≤ 1.5 times the subprocess chain.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from airflow_domino_sdk.repository import compile_repository

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, install_repository, run_dag, task_log, wait_for  # noqa: E402
from tools import docker_engine  # noqa: E402
from tools.localstack import Stack, User, free_port, running  # noqa: E402

PIECE = {"repository": "domino_style_pieces", "version": "0.1.0", "name": "AddPiece"}


def chain_document(workflow_id: str, runner: str, resources: dict[str, Any] | None = None) -> dict[str, Any]:
    extra = {"resources": resources} if resources else {}
    tasks = [{"id": "t0", "piece": PIECE, "inputs": {"a": 0, "b": 1}, **extra}]
    for i in range(1, 10):
        tasks.append(
            {"id": f"t{i}", "piece": PIECE, "depends_on": [f"t{i - 1}"], **extra,
             "inputs": {"a": {"$upstream": {"task": f"t{i - 1}", "output": "total"}}, "b": 1}}
        )  # fmt: skip
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None,
            "defaults": {"runner": runner}, "tasks": tasks}  # fmt: skip


def single_document(workflow_id: str) -> dict[str, Any]:
    piece = {**PIECE, "version": "0.9.0"}  # the copy whose image lives in the local registry
    task = {"id": "t0", "piece": piece, "inputs": {"a": 1, "b": 1}, "resources": {"cpu": "1"}}
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None,
            "defaults": {"runner": "docker"}, "tasks": [task]}  # fmt: skip


def wall(run: dict[str, Any]) -> float:
    return (datetime.fromisoformat(run["end_date"]) - datetime.fromisoformat(run["start_date"])).total_seconds()


def cold_image(client: Any, base: str, name: str) -> int:
    """A copy of ``base`` flattened into one new layer (so the engine has none of it), pushed to the
    registry and removed locally: its first run must pull all of it. Returns its size in bytes."""
    helper = client.containers.run(base, ["python", "-c", f"open('/nonce', 'w').write({name!r})"], detach=True)
    helper.wait()
    data = b"".join(helper.export())
    helper.remove()
    path = "/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    repository, tag = name.rsplit(":", 1)
    client.api.import_image_from_data(data, repository=repository, tag=tag, changes=[f"ENV PATH={path}"])
    for event in client.images.push(name, stream=True, decode=True):
        if "error" in event:
            raise RuntimeError(event["error"])
    size = int(client.images.get(name).attrs["Size"])
    client.images.remove(name)
    return size


def timed_or_explained(airflow: httpx.Client, dag_id: str) -> float:
    run = run_dag(airflow, dag_id, timeout=600)
    if run["state"] != "success":
        tasks = airflow.get(f"/dags/{dag_id}/dagRuns/{run['dag_run_id']}/taskInstances").json()["task_instances"]
        logs = {t["task_id"]: task_log(airflow, dag_id, run["dag_run_id"], t["task_id"])[-1500:] for t in tasks}
        raise SystemExit(f"{dag_id} ended {run['state']}: {logs}")
    return wall(run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with (
        docker_engine.ensure_engine() as client,
        tempfile.TemporaryDirectory() as home,
        docker_engine.local_registry(Path(home) / "registry") as registry,
    ):
        docker_engine.ensure_repository_images(client, FIXTURE_REPO)
        # A second version of the fixture repository whose images live in the local registry.
        cold_repo = Path(home) / "cold_repo"
        shutil.copytree(FIXTURE_REPO, cold_repo)
        config = (cold_repo / "config.toml").read_text()
        config = config.replace('VERSION = "0.1.0"', 'VERSION = "0.9.0"')
        config = re.sub(r'REGISTRY_NAME = "[^"]*"', f'REGISTRY_NAME = "{registry}/bench"', config)
        (cold_repo / "config.toml").write_text(config)
        cold_name = compile_repository(cold_repo).dependencies_map["group0"]["source_image"]
        host, port = registry.split(":")
        connection = {"conn_type": "docker", "host": host, "port": int(port), "login": "bench", "password": "bench"}
        stack = Stack(
            home=Path(home) / "airflow",
            port=free_port(),
            users=[User("admin", "admin", "admin")],
            extra_env={
                "DOCKER_HOST": os.environ["DOCKER_HOST"],
                "AIRFLOW__DOMINO__DOCKER_REGISTRY_CONN_ID": "bench_registry",
                "AIRFLOW_CONN_BENCH_REGISTRY": json.dumps(connection),
            },
        )
        with running(stack):
            headers = {"Authorization": f"Bearer {stack.token('admin', 'admin')}"}
            domino = httpx.Client(base_url=f"{stack.url}/domino/api/v1", headers=headers, timeout=60)
            airflow = httpx.Client(base_url=f"{stack.url}/api/v2", headers=headers, timeout=60)
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
            assert install_repository(domino, cold_repo)["state"] == "succeeded"
            chains = {
                "subprocess": chain_document("bench_subprocess", "subprocess"),
                "docker (piece limits: 100m CPU)": chain_document("bench_docker", "docker"),
                'docker (resources.cpu "1")': chain_document("bench_docker_cpu1", "docker", {"cpu": "1"}),
            }
            documents = [*chains.values(), single_document("bench_first_run")]
            for document in documents:
                domino.post("/workflows", json={"document": document}).raise_for_status()
            for document in documents:
                wait_for(document["id"], lambda d=document: airflow.get(f"/dags/{d['id']}").status_code == 200)
            for document in chains.values():  # warm-up: virtualenv, image page cache, DAG parse
                timed_or_explained(airflow, document["id"])
            walls: dict[str, list[float]] = {name: [] for name in chains}
            for _ in range(args.runs):
                for name, document in chains.items():
                    walls[name].append(timed_or_explained(airflow, document["id"]))
            base = statistics.median(walls["subprocess"])
            print(f"10-piece chain, median of {args.runs} runs (after one warm-up run each):", flush=True)
            for name, values in walls.items():
                median = statistics.median(values)
                rounded = [round(v, 2) for v in values]
                print(f"  {name:34s} {median:6.2f}s  ratio {median / base:4.2f}  runs {rounded}", flush=True)

            size = cold_image(client, docker_engine.PYDANTIC_IMAGE, cold_name)
            cold = timed_or_explained(airflow, "bench_first_run")
            warm = [timed_or_explained(airflow, "bench_first_run") for _ in range(args.runs)]
            client.images.remove(cold_name)
        mib = size / 2**20
        print(f"one docker task, cold image (pulled whole from a registry on loopback, {mib:.0f} MiB): {cold:5.2f}s")
        rounded = [round(w, 2) for w in warm]
        print(f"one docker task, warm image: median {statistics.median(warm):5.2f}s  runs {rounded}")


if __name__ == "__main__":
    main()
