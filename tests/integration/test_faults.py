"""Faults on the real stack: the API server killed during a repository install."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_domino_plugin.services.repositories import INTERRUPTED
from tests.integration.conftest import RunningStack
from tests.integration.helpers import wait_for
from tests.unit.repositories.helpers import DOMINO_REPO, copy_repo, set_config


@pytest.fixture
def silent_index() -> Iterator[str]:
    """A package index that accepts connections and never answers: pip waits on it for minutes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/simple/"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


def _root(stack: RunningStack) -> Path:
    configured = stack.stack.extra_env.get("AIRFLOW__DOMINO__REPOSITORIES_PATH")
    return Path(configured) if configured else stack.stack.home / "domino" / "repositories"


def test_api_server_killed_during_an_install_fails_the_job_and_leaves_nothing(
    airflow_stack: RunningStack, tmp_path: Path, silent_index: str
) -> None:
    name = f"interrupted_{uuid.uuid4().hex[:8]}"
    repo = copy_repo(DOMINO_REPO, tmp_path / name)
    set_config(repo, "REPOSITORY_NAME", name)
    # A requirement set no other install has (its virtualenv is new) whose index never answers.
    (repo / "dependencies" / "requirements_slugify.txt").write_text(f"--index-url {silent_index}\npython-slugify>=8\n")
    with airflow_stack.client("admin") as admin:
        started = admin.post("/repositories/installs", json={"source_type": "local", "source_url": str(repo)})
        assert started.status_code == 202, started.text
        job_id = started.json()["id"]
        wait_for(
            "the install to reach pip",
            lambda: "Installing packages" in admin.get(f"/repositories/installs/{job_id}").json()["step"],
            timeout=120,
            interval=0.2,
        )
    # What the install had put on disk so far: its checkout in staging, or already its version folder.
    root = _root(airflow_stack)
    assert list(root.glob(".staging-*")) or (root / name / "0.1.0").is_dir()

    airflow_stack.stack.kill("api-server")
    airflow_stack.stack.restart("api-server")

    with airflow_stack.client("admin") as admin:
        job = admin.get(f"/repositories/installs/{job_id}").json()
        listed = {j["id"]: j for j in admin.get("/repositories/installs", params={"limit": 100}).json()["items"]}
        repositories = admin.get("/repositories", params={"limit": 100}).json()["items"]
    assert job["state"] == "failed", job
    assert job["error"] == INTERRUPTED
    assert job["finished_at"] is not None
    assert job["log"][-1]["message"] == INTERRUPTED
    assert listed[job_id]["state"] == "failed"
    assert not [r for r in repositories if r["name"] == name]
    assert not (_root(airflow_stack) / name).exists()
    assert not list(_root(airflow_stack).glob(".staging-*"))


def test_an_install_after_a_restart_runs_normally(airflow_stack: RunningStack, tmp_path: Path) -> None:
    """The recovery leaves live jobs alone: an install started by the restarted server finishes."""
    from tests.integration.helpers import install_repository

    name = f"after_restart_{uuid.uuid4().hex[:8]}"
    repo = copy_repo(DOMINO_REPO, tmp_path / name)
    set_config(repo, "REPOSITORY_NAME", name)
    with airflow_stack.client("admin") as admin:
        job = install_repository(admin, repo)
        assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
        assert admin.delete(f"/repositories/{job['repository_id']}").status_code == 204
