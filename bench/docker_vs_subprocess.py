"""The docker runner against the subprocess runner on one real local stack: a 10-piece chain with
each runner, measured in the same run, and the first run in a container with a cold vs a warm image.

    .venv/bin/python bench/docker_vs_subprocess.py [--runs 3]

Uses (or starts) a Docker engine through tools/docker_engine.py and builds the fixture
repository's images (Python + pydantic + requirements, no SDK). Three chains of AddPiece:
``subprocess``; ``docker`` with the piece's own container_resources (Domino's default limits,
100 millicores and 128 MiB); ``docker`` with ``resources.cpu = "1"`` per task, which shows the
runner's own overhead without the CPU cap. Wall times come from Airflow's run timestamps.

Cold vs warm image: a one-task workflow run right after its image was removed and re-loaded into
the engine (``docker save`` / ``docker load``: fresh layers, never run — what a node sees after a
pull), then again with the image warm. Prints figures; asserts nothing. Goal (issue 9): docker
chain ≤ 1.5 times the subprocess chain.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.integration.helpers import FIXTURE_REPO, install_repository, run_dag, wait_for  # noqa: E402
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
    task = {"id": "t0", "piece": PIECE, "inputs": {"a": 1, "b": 1}, "resources": {"cpu": "1"}}
    return {"schema_version": 1, "id": workflow_id, "name": workflow_id, "schedule": None,
            "defaults": {"runner": "docker"}, "tasks": [task]}  # fmt: skip


def wall(run: dict[str, Any]) -> float:
    return (datetime.fromisoformat(run["end_date"]) - datetime.fromisoformat(run["start_date"])).total_seconds()


def timed_run(airflow: httpx.Client, dag_id: str) -> float:
    run = run_dag(airflow, dag_id, timeout=600)
    assert run["state"] == "success", f"{dag_id} ended {run['state']}"
    return wall(run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with docker_engine.ensure_engine() as client, tempfile.TemporaryDirectory() as home:
        images = docker_engine.ensure_repository_images(client, FIXTURE_REPO)
        image = images["group0"]
        stack = Stack(
            home=Path(home),
            port=free_port(),
            users=[User("admin", "admin", "admin")],
            extra_env={"DOCKER_HOST": os.environ["DOCKER_HOST"]},
        )
        with running(stack):
            headers = {"Authorization": f"Bearer {stack.token('admin', 'admin')}"}
            domino = httpx.Client(base_url=f"{stack.url}/domino/api/v1", headers=headers, timeout=60)
            airflow = httpx.Client(base_url=f"{stack.url}/api/v2", headers=headers, timeout=60)
            assert install_repository(domino, FIXTURE_REPO)["state"] == "succeeded"
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
                timed_run(airflow, document["id"])
            walls: dict[str, list[float]] = {name: [] for name in chains}
            for _ in range(args.runs):
                for name, document in chains.items():
                    walls[name].append(timed_run(airflow, document["id"]))

            # Cold vs warm image: re-load the image so its layers are fresh and it has never run.
            archive = io.BytesIO()
            for chunk in client.images.get(image).save(named=True):
                archive.write(chunk)
            client.images.remove(image, force=True)
            loaded = time.monotonic()
            client.images.load(archive.getvalue())
            load_s = time.monotonic() - loaded
            cold = timed_run(airflow, "bench_first_run")
            warm = [timed_run(airflow, "bench_first_run") for _ in range(args.runs)]

        base = statistics.median(walls["subprocess"])
        print(f"10-piece chain, median of {args.runs} runs (after one warm-up run each):")
        for name, values in walls.items():
            median = statistics.median(values)
            print(f"  {name:34s} {median:6.2f}s  ratio {median / base:4.2f}  runs {[round(v, 2) for v in values]}")
        print(f"one docker task, cold image (loaded {load_s:.1f}s before, never run): {cold:5.2f}s")
        print(
            f"one docker task, warm image: median {statistics.median(warm):5.2f}s  runs {[round(w, 2) for w in warm]}"
        )


if __name__ == "__main__":
    main()
