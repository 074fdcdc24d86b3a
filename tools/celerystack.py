"""A CeleryExecutor stack on loopback, laid out as several machines would run it.

PostgreSQL (a throwaway database), a Redis broker (the one on 127.0.0.1:6379, or a private
``redis-server`` where none answers), the usual four components and Celery workers, each with
its own ``[domino] repositories_path`` — as separate machines would have — and its own host
name in the task instances. Results storage (the stack's ``storage_url``) is the one folder all
of them share, standing in for shared object storage. Used by tests/integration/test_celery.py
and bench/celery_scale.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from tools.debian import ensure_package
from tools.localstack import REPO, Stack, User, Worker, free_port, running
from tools.postgres import throwaway_database

HOSTNAME_ENV = "DOMINO_WORKER_HOSTNAME"


def worker_hostname() -> str:
    """``[core] hostname_callable`` of the test workers: each reports its own "machine" name."""
    return os.environ.get(HOSTNAME_ENV) or socket.getfqdn()


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_broker(prefer_port: int = 6379) -> Iterator[str]:
    """A Redis URL: the server on ``prefer_port`` if one answers, else a private one stopped afterwards."""
    if _redis_answers(prefer_port):
        yield f"redis://127.0.0.1:{prefer_port}/0"
        return
    port = free_port()
    ensure_package("redis-server", lambda: shutil.which("redis-server") is not None)
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not _redis_answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {port} did not start (exit {process.poll()})")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def repositories_path(stack: Stack, machine: str) -> Path:
    """``[domino] repositories_path`` of one "machine": ``api`` or a worker's name."""
    return stack.home / "machines" / machine / "repositories"


def celery_stack(
    home: Path,
    broker_url: str,
    db_url: str,
    *,
    workers: int = 2,
    concurrency: int = 3,
    users: list[User] | None = None,
) -> Stack:
    queue = f"domino-{uuid.uuid4().hex[:8]}"  # the broker may be shared: these workers take only this stack's tasks
    stack = Stack(
        home=home,
        port=free_port(),
        db_url=db_url,
        auth="simple",
        users=users or [User("admin", "admin", "admin")],
        parallelism=32,
        executor="CeleryExecutor",
    )
    stack.extra_env = {
        "AIRFLOW__DOMINO__REPOSITORIES_PATH": str(repositories_path(stack, "api")),
        "AIRFLOW__CELERY__BROKER_URL": broker_url,
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{db_url}",
        "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tools.celerystack.worker_hostname",
        # A worker that stops heartbeating (its machine died) has its tasks failed, then retried, in ~30 s.
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "16",
        "AIRFLOW__CORE__MAX_ACTIVE_RUNS_PER_DAG": "4",
        "PYTHONPATH": str(REPO),  # for the hostname callable above
    }
    for index in range(workers):
        worker = Worker(name=chr(ord("a") + index))  # component and host name: worker-a, worker-b, …
        worker.env = {
            "AIRFLOW__DOMINO__REPOSITORIES_PATH": str(repositories_path(stack, worker.component)),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            HOSTNAME_ENV: worker.component,
        }
        worker.args = ["--queues", queue, "--concurrency", str(concurrency)]
        stack.workers.append(worker)

    for machine in ["api", *(w.component for w in stack.workers)]:
        repositories_path(stack, machine).mkdir(parents=True, exist_ok=True)
    return stack


@contextlib.contextmanager
def running_celery_stack(
    home: Path, *, workers: int = 2, concurrency: int = 3, users: list[User] | None = None
) -> Iterator[Stack]:
    with redis_broker() as broker, throwaway_database() as db_url:
        stack = celery_stack(home, broker, db_url, workers=workers, concurrency=concurrency, users=users)
        with running(stack, timeout=240) as started:
            yield started


def kill_machine(stack: Stack, worker: str) -> None:
    """SIGKILL a worker (``worker-a``) as if its machine died: its process group and the pieces it runs.

    Piece processes run in their own session (so a timeout can kill their whole tree); they are
    found by the interpreter they run, which lives in that worker's repositories_path.
    """
    stack.kill(worker)
    root = str(repositories_path(stack, worker))
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            command = (proc / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
            if command.startswith(root):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(proc.name), signal.SIGKILL)


PIECES = {"repository": "domino_style_pieces", "version": "0.1.0"}  # tests/fixtures/domino_style_repo


def chain_workflow(workflow_id: str, tasks: int, start: int) -> dict[str, object]:
    """``tasks`` AddPiece tasks in a chain, each adding 1: the last one's total is ``start + tasks``."""
    chain: list[dict[str, object]] = [
        {"id": "add_0", "piece": {**PIECES, "name": "AddPiece"}, "inputs": {"a": start, "b": 1}}
    ]
    for index in range(1, tasks):
        chain.append(
            {
                "id": f"add_{index}",
                "piece": {**PIECES, "name": "AddPiece"},
                "inputs": {"a": {"$upstream": {"task": f"add_{index - 1}", "output": "total"}}, "b": 1},
                "depends_on": [f"add_{index - 1}"],
            }
        )
    return {
        "schema_version": 1,
        "id": workflow_id,
        "name": f"Chain {workflow_id}",
        "schedule": None,
        "defaults": {"retries": 2, "retry_delay_s": 1},
        "tasks": chain,
    }
