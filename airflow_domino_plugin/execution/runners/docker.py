"""The ``docker`` runner: one container per task, in the piece's dependency-group image.

The container needs only Python and pydantic (plus the pieces' requirements): the SDK runtime and
the repository version's code are bind-mounted read-only (see :mod:`.injection`), so a
repository's published images run unmodified. What goes in and out:

- inputs and secrets: a request file (0600, in a 0700 folder) mounted at ``/domino/run``; never
  the container's environment or command line, so ``docker inspect`` shows no secret;
- files: this run's results folder is mounted read-only at its own path (upstream files given as
  inputs are valid paths inside the container) and this task's folder read-write on top of it;
  remote storage gets a scratch folder uploaded afterwards, as with the subprocess runner. The
  folders of ``[domino] allowed_input_paths`` are mounted read-only at their own paths too, and
  ``[domino] docker_extra_mounts`` adds any other bind mount;
- output: the container's stdout/stderr streamed into the task log line by line; the runtime's
  result file comes back through the mounted folder, so XCom has the same shape as locally.

The engine must share the worker's file system (a local socket, or an engine on the same host).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin import config
from airflow_domino_plugin.execution.pieces import LocatedPiece
from airflow_domino_plugin.execution.runners.injection import (
    IMAGE_REPOSITORY_DIR,
    INJECTED_SDK_DIR,
    RUNTIME_MODULE,
    SDK_PACKAGE,
    runtime_env,
)
from airflow_domino_plugin.execution.runners.outcome import RunOutcome, read_result
from airflow_domino_plugin.execution.runners.quantities import cpu_millicores, memory_bytes

__all__ = [
    "DockerRunSpec",
    "container_kwargs",
    "container_name",
    "parse_extra_mounts",
    "resource_limits",
    "run",
]

RUN_DIR = "/domino/run"
REQUEST_FILE = f"{RUN_DIR}/request.json"
RESULT_FILE = f"{RUN_DIR}/result.json"
LABEL_PREFIX = "airflow-domino."


@dataclass
class DockerRunSpec:
    """Everything a container needs; :func:`container_kwargs` turns it into ``containers.create`` kwargs."""

    image: str
    name: str
    sdk_dir: Path
    repository_dir: Path
    private_dir: Path
    results_path: Path
    run_folder: Path | None
    network_mode: str
    limits: dict[str, Any]
    extra_mounts: list[tuple[str, str, bool]]
    labels: dict[str, str]
    user: str
    readable_paths: list[Path] = field(default_factory=list)


# ----------------------------------------------------------------------------- pure helpers


def parse_extra_mounts(value: str) -> list[tuple[str, str, bool]]:
    """``[domino] docker_extra_mounts``: ``/host/path:/container/path[:ro|rw]`` items, comma-separated.

    Returns (source, target, read_only); read-only unless ``:rw`` is given.
    """
    mounts = []
    for index, item in enumerate(part.strip() for part in value.split(",")):
        if not item:
            continue
        parts = item.split(":")
        mode = "ro"
        if len(parts) == 3:
            mode = parts.pop()
        if len(parts) != 2 or mode not in ("ro", "rw") or not all(p.startswith("/") for p in parts):
            raise AirflowException(
                f"[domino] docker_extra_mounts item {index + 1} ({item!r}): expected "
                "/host/path:/container/path[:ro|rw] with absolute paths"
            )
        mounts.append((parts[0], parts[1], mode == "ro"))
    return mounts


def resource_limits(task: Mapping[str, Any], piece: Mapping[str, Any]) -> dict[str, Any]:
    """Engine limits: the task's ``cpu``/``memory``/``gpu`` over the piece's ``container_resources``
    (limits, else requests; millicores and MiB) -> ``nano_cpus``, ``mem_limit`` (bytes), ``gpus``."""
    limits: dict[str, Any] = {}
    piece_limits = {**(piece.get("requests") or {}), **(piece.get("limits") or {})}
    if task.get("cpu") is not None:
        limits["nano_cpus"] = cpu_millicores(task["cpu"]) * 1_000_000
    elif piece_limits.get("cpu") is not None:
        limits["nano_cpus"] = int(piece_limits["cpu"]) * 1_000_000
    if task.get("memory") is not None:
        limits["mem_limit"] = memory_bytes(str(task["memory"]))
    elif piece_limits.get("memory") is not None:
        limits["mem_limit"] = int(piece_limits["memory"]) * 2**20
    gpus = max(int(task.get("gpu") or 0), 1 if piece.get("use_gpu") else 0)
    if gpus:
        limits["gpus"] = gpus
    return limits


def _dns_part(text: str, size: int) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9_.-]", "-", text.lower()))[:size].strip("-.")


def container_name(context: Mapping[str, Any]) -> str:
    """Deterministic per try, so a retry removes a container its crashed predecessor left."""
    key = "\0".join(str(context.get(k, "")) for k in ("dag_id", "run_id", "task_id", "map_index"))
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    task = _dns_part(str(context.get("task_id") or ""), 40) or "task"
    return f"domino-{task}-{digest}-try{context.get('try_number', 1)}"


def container_kwargs(spec: DockerRunSpec) -> dict[str, Any]:
    """Keyword arguments of ``DockerClient.containers.create`` for one piece run (no secret in them)."""
    from docker.types import DeviceRequest, Mount

    mounts = [
        Mount(f"{INJECTED_SDK_DIR}/{SDK_PACKAGE}", str(spec.sdk_dir), type="bind", read_only=True),
        Mount(IMAGE_REPOSITORY_DIR, str(spec.repository_dir), type="bind", read_only=True),
        Mount(RUN_DIR, str(spec.private_dir), type="bind", read_only=False),
    ]
    if spec.run_folder is not None:
        mounts.append(Mount(str(spec.run_folder), str(spec.run_folder), type="bind", read_only=True))
    mounts.append(Mount(str(spec.results_path), str(spec.results_path), type="bind", read_only=False))
    mounts += [Mount(str(path), str(path), type="bind", read_only=True) for path in spec.readable_paths]
    mounts += [Mount(target, source, type="bind", read_only=ro) for source, target, ro in spec.extra_mounts]
    unique: dict[str, Any] = {}
    for mount in mounts:  # one mount per target: the first (most specific to the run) wins
        unique.setdefault(mount["Target"], mount)
    mounts = list(unique.values())
    kwargs: dict[str, Any] = {
        "image": spec.image,
        "name": spec.name,
        "command": ["python", "-m", RUNTIME_MODULE, "--request", REQUEST_FILE, "--result", RESULT_FILE],
        "entrypoint": [],
        "environment": {**runtime_env(), "HOME": "/tmp"},
        "working_dir": RUN_DIR,
        "user": spec.user,
        "mounts": mounts,
        "network_mode": spec.network_mode,
        "labels": spec.labels,
        "detach": True,
        "stdin_open": False,
        "tty": False,
    }
    if "nano_cpus" in spec.limits:
        kwargs["nano_cpus"] = spec.limits["nano_cpus"]
    if "mem_limit" in spec.limits:
        kwargs["mem_limit"] = spec.limits["mem_limit"]
        kwargs["memswap_limit"] = spec.limits["mem_limit"]  # no swap beyond the limit
    if spec.limits.get("gpus"):
        kwargs["device_requests"] = [DeviceRequest(count=int(spec.limits["gpus"]), capabilities=[["gpu"]])]
    return kwargs


def _readable_paths(context: Mapping[str, Any]) -> list[Path]:
    """The folders pieces may read (``allowed_paths`` of the run context, i.e. ``[domino]
    allowed_input_paths``), mounted read-only at their own paths so the same input paths work."""
    paths = []
    for entry in context.get("allowed_paths") or []:
        path = Path(os.path.realpath(str(entry)))
        if path.is_dir() and path != Path("/"):
            paths.append(path)
    return paths


# ----------------------------------------------------------------------------- the engine


def engine_url() -> str:
    return config.get("docker_url") or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def connect() -> Any:
    """A DockerClient of the configured engine, or a task error saying which engine does not answer."""
    from docker.client import DockerClient
    from docker.errors import DockerException

    url = engine_url()
    try:
        client = DockerClient(base_url=url, timeout=120)
        client.ping()
    except (DockerException, OSError) as exc:
        raise AirflowException(f"No Docker engine answers at {url} ([domino] docker_url, DOCKER_HOST): {exc}") from None
    return client


def ensure_image(client: Any, image: str, log: Callable[[str], None]) -> None:
    """The image is present, or pulled with ``[domino] docker_registry_conn_id``'s credentials."""
    from docker.errors import DockerException, ImageNotFound

    try:
        client.images.get(image)
        return
    except ImageNotFound:
        pass
    conn_id = config.get("docker_registry_conn_id")
    if not conn_id:
        raise AirflowException(
            f"Image {image} is not on the Docker engine at {engine_url()} and no registry is configured to pull "
            "it from ([domino] docker_registry_conn_id); build it with `domino-pieces build-images`"
        )
    from airflow.providers.docker.hooks.docker import DockerHook

    log(f"Pulling {image} (registry connection {conn_id!r})")
    try:
        api = DockerHook(docker_conn_id=conn_id, base_url=engine_url()).api_client  # logs in to the registry
        repository, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "latest")
        for event in api.pull(repository, tag=tag, stream=True, decode=True):
            if "error" in event:
                raise AirflowException(str(event["error"]))
        client.images.get(image)
    except (DockerException, AirflowException, OSError) as exc:
        raise AirflowException(
            f"Image {image} is not on the Docker engine at {engine_url()} and could not be pulled with the "
            f"registry connection {conn_id!r} ([domino] docker_registry_conn_id): {exc}; build it with "
            "`domino-pieces build-images` (and push it)"
        ) from None


def _diagnose(image: str, piece: str, exit_code: int, tail: list[str]) -> str | None:
    """Plain words for images that cannot run the runtime at all."""
    text = "\n".join(tail)
    if "No module named 'pydantic'" in text or 'No module named "pydantic"' in text:
        return (
            f"Piece {piece} cannot run in image {image}: the image's Python has no pydantic, which the SDK "
            "runtime needs; add pydantic>=2 to the dependency group's requirements and rebuild the image"
        )
    if f"No module named {SDK_PACKAGE}" in text or f"No module named '{SDK_PACKAGE}'" in text:
        return f"Piece {piece}: the injected SDK runtime could not be imported in image {image}"
    if exit_code in (126, 127) and "python" in text:
        return f"Piece {piece} cannot run in image {image}: it has no usable `python` on its PATH"
    return None


def _start_error(image: str, piece: str, exc: Exception) -> str:
    text = str(exc)
    if "executable file not found" in text or ("no such file or directory" in text.lower() and "python" in text):
        return (
            f"Piece {piece} cannot run in image {image}: it has no `python` on its PATH "
            "(the docker runner needs an image with Python 3 and pydantic)"
        )
    if "capabilities: [[gpu]]" in text:
        return f"Piece {piece} asks for a GPU, but the Docker engine at {engine_url()} has no GPU runtime: {text}"
    return f"Piece {piece}: the container could not start: {text}"


def _remove(container: Any) -> None:
    from docker.errors import DockerException

    with contextlib.suppress(DockerException):
        container.remove(force=True)


def run(piece: LocatedPiece, *, log_line: Callable[[str], None], **kwargs: Any) -> RunOutcome:
    """Run ``piece`` in its image (see :func:`_run`); a refusal is also the task log's last line."""
    try:
        return _run(piece, log_line=log_line, **kwargs)
    except AirflowException as exc:
        log_line(f"ERROR: {exc}")
        raise


def _run(
    piece: LocatedPiece,
    *,
    inputs: dict[str, Any],
    secrets: dict[str, Any],
    results_path: Path,
    context: dict[str, Any],
    log_line: Callable[[str], None],
    timeout_s: float | None,
    resources: Mapping[str, Any],
    run_folder: Path | None,
    on_container: Callable[[Any], None] | None = None,
) -> RunOutcome:
    """Run ``piece`` in its image; the container is removed afterwards whatever happens."""
    from docker.errors import APIError, DockerException

    from airflow_domino_plugin.repositories.runtime_env import SDK_PACKAGE_DIR

    if not piece.image:
        raise AirflowException(
            f"Piece {piece.name} of {piece.repository} {piece.version} has no image (dependency group "
            f"{piece.group or '?'!r} names no source_image); build it with `domino-pieces build-images`"
        )
    client = connect()
    try:
        ensure_image(client, piece.image, log_line)
        network_mode = config.get("docker_network_mode") or "none"
        with tempfile.TemporaryDirectory(prefix="domino-docker-") as private:
            os.chmod(private, 0o700)
            descriptor = os.open(Path(private) / "request.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                json.dump(
                    {"piece_dir": f"{IMAGE_REPOSITORY_DIR}/pieces/{piece.name}", "piece_name": piece.name,
                     "inputs": inputs, "secrets": secrets, "results_path": str(results_path), "context": context},
                    handle,
                )  # fmt: skip
            spec = DockerRunSpec(
                image=piece.image,
                name=container_name(context),
                sdk_dir=SDK_PACKAGE_DIR,
                repository_dir=piece.piece_dir.parent.parent,
                private_dir=Path(private),
                results_path=results_path,
                run_folder=run_folder,
                network_mode=network_mode,
                limits=resource_limits(resources, piece.container_resources),
                extra_mounts=parse_extra_mounts(config.get("docker_extra_mounts")),
                labels={
                    f"{LABEL_PREFIX}dag": str(context.get("dag_id")),
                    f"{LABEL_PREFIX}run": str(context.get("run_id")),
                    f"{LABEL_PREFIX}task": str(context.get("task_id")),
                    f"{LABEL_PREFIX}piece": piece.name,
                },
                user=f"{os.getuid()}:{os.getgid()}",
                readable_paths=_readable_paths(context),
            )
            with contextlib.suppress(DockerException):  # left by a crashed attempt of this very try
                client.containers.get(spec.name).remove(force=True)
            container = client.containers.create(**container_kwargs(spec))
            if on_container:
                on_container(container)
            log_line(f"Container {container.short_id} ({spec.name}) from {piece.image}, network {network_mode}")
            timed_out = threading.Event()

            def _kill() -> None:
                timed_out.set()
                with contextlib.suppress(DockerException):
                    container.kill()

            timer = threading.Timer(timeout_s, _kill) if timeout_s else None
            started = time.monotonic()
            tail: list[str] = []
            try:
                try:
                    container.start()
                except APIError as exc:
                    raise AirflowException(_start_error(piece.image, piece.name, exc)) from None
                if timer:
                    timer.start()
                pending = b""
                for chunk in container.logs(stream=True, follow=True, stdout=True, stderr=True):
                    pending += chunk
                    *lines, pending = pending.split(b"\n")
                    for raw in lines:
                        line = raw.decode("utf-8", errors="replace")
                        tail = [*tail[-30:], line]
                        log_line(line)
                if pending:
                    line = pending.decode("utf-8", errors="replace")
                    tail.append(line)
                    log_line(line)
                exit_code = int(container.wait(timeout=60).get("StatusCode", -1))
                state = container.client.api.inspect_container(container.id).get("State") or {}
            finally:
                if timer:
                    timer.cancel()
                _remove(container)
            duration = time.monotonic() - started
            result = read_result(Path(private) / "result.json")
        if not timed_out.is_set() and exit_code != 0:
            if state.get("OOMKilled"):
                limit = spec.limits.get("mem_limit", 0) // 2**20
                raise AirflowException(
                    f"Piece {piece.name} ran out of memory (container limit {limit} MiB) and was killed"
                )
            diagnosis = _diagnose(piece.image, piece.name, exit_code, tail)
            if diagnosis and not result:
                raise AirflowException(diagnosis)
        return RunOutcome(exit_code, result, timed_out.is_set(), duration)
    finally:
        client.close()
