"""The local default runner: the piece's virtualenv runs the SDK runtime in a child process.

Inputs and secrets travel in a private request file (mode 0600 in a 0700 folder), never in argv
or the environment; the piece's output is streamed into the task log line by line. The child
gets the allow-listed environment of :mod:`airflow_domino_sdk.sandbox_env` (no ``AIRFLOW__*``,
no cloud credentials, a fresh HOME and TMPDIR), its own PID namespace where the kernel allows it
(``[domino] process_isolation``: no other process's environment is readable) and the task's
``resources`` as far as a local process can be limited (:func:`plan_limits`); the task log says
what was applied and what not.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow.sdk.exceptions import AirflowException
from airflow_domino_sdk.sandbox_env import SandboxEnvError, check_extra_names, isolation_prefix, sandbox_environ

from airflow_domino_plugin.execution.pieces import LocatedPiece
from airflow_domino_plugin.execution.runners.outcome import RunOutcome, read_result
from airflow_domino_plugin.execution.runners.quantities import cpu_millicores, memory_bytes
from airflow_domino_plugin.repositories.runtime_env import ensure_environment, sdk_path

#: Grace (s) between the soft CPU-time limit (SIGXCPU) and the hard one (SIGKILL).
CPU_LIMIT_GRACE_S = 5


@dataclass
class Limits:
    """What the child process is limited to, and in words what was and was not applied."""

    memory_bytes: int | None = None
    cpu_seconds: int | None = None
    cpus: list[int] | None = None
    applied: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)

    def apply_in_child(self) -> None:
        """Run between fork and exec (``preexec_fn``): only system calls, no locks."""
        if self.memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_DATA, (self.memory_bytes, self.memory_bytes))
        if self.cpu_seconds is not None:
            hard = self.cpu_seconds + CPU_LIMIT_GRACE_S
            resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, hard))
        if self.cpus is not None:
            os.sched_setaffinity(0, self.cpus)

    def describe(self) -> list[str]:
        lines = [f"Resource limits applied: {'; '.join(self.applied)}"] if self.applied else []
        if self.not_applied:
            lines.append(f"Not applied by the subprocess runner: {'; '.join(self.not_applied)}")
        return lines


def plan_limits(resources: Mapping[str, Any] | None, timeout_s: float | None) -> Limits:
    """The task's ``resources`` and timeout as OS limits for a local process.

    - ``memory``: RLIMIT_DATA (heap and private writable mappings) — an allocation beyond it fails
      with MemoryError; it is not a resident-memory limit (that needs a container's cgroup).
    - ``cpu``: the number of whole CPUs the process may run on (CPU affinity, ceil of the cores);
      a fraction of a CPU (CPU shares) cannot be enforced for a local process.
    - timeout: RLIMIT_CPU of ``timeout_s`` times the usable CPUs, a backstop that bounds a piece even if
      this runner (the task) dies; the wall-clock timeout stays the runner's own kill.
    - ``gpu``: cannot be reserved for a local process.
    """
    resources = resources or {}
    limits = Limits()
    memory = resources.get("memory")
    if memory is not None:
        limits.memory_bytes = memory_bytes(str(memory))
        limits.applied.append(f"memory {memory} (RLIMIT_DATA {limits.memory_bytes} bytes)")
    available = sorted(os.sched_getaffinity(0))
    usable = len(available)
    cpu = resources.get("cpu")
    if cpu is not None:
        millicores = cpu_millicores(cpu)
        wanted = max(1, math.ceil(millicores / 1000))
        if wanted < len(available):
            start = os.getpid() % len(available)  # spread concurrent tasks over the CPUs
            limits.cpus = sorted(available[(start + i) % len(available)] for i in range(wanted))
            usable = wanted
            limits.applied.append(f"cpu {cpu} (runs on CPU {', '.join(map(str, limits.cpus))})")
        else:
            limits.applied.append(f"cpu {cpu} (all {len(available)} CPUs of this worker are allowed)")
        if millicores % 1000:
            limits.not_applied.append(
                f"cpu {cpu} as a share: a local process gets whole CPUs ({wanted}), not {millicores} millicores"
            )
    if timeout_s:
        limits.cpu_seconds = max(1, math.ceil(timeout_s * usable))
        limits.applied.append(f"CPU time {limits.cpu_seconds}s (RLIMIT_CPU: timeout {timeout_s:g}s x {usable} CPU)")
    gpu = int(resources.get("gpu") or 0)
    if gpu:
        limits.not_applied.append(
            f"gpu {gpu}: a local process cannot reserve GPUs (use the docker or kubernetes runner)"
        )
    for key in sorted(set(resources) - {"cpu", "memory", "gpu"}):
        if resources[key]:
            limits.not_applied.append(f"{key} (Kubernetes only)")
    return limits


def piece_environment(
    private: Path, repositories_root: Path, extra_names: Iterable[str] | None = None
) -> dict[str, str]:
    """The child's allow-listed environment, with HOME and TMPDIR inside the run's private folder."""
    if extra_names is None:
        from airflow_domino_plugin import config

        try:
            extra_names = check_extra_names(config.get("piece_env_allowlist").split(","))
        except SandboxEnvError as exc:
            raise AirflowException(f"[domino] piece_env_allowlist: {exc}") from exc
    home, tmp = private / "home", private / "tmp"
    home.mkdir(mode=0o700, exist_ok=True)
    tmp.mkdir(mode=0o700, exist_ok=True)
    return sandbox_environ(home=home, tmpdir=tmp, pythonpath=[sdk_path(repositories_root)], extra_names=extra_names)


def run(
    piece: LocatedPiece,
    *,
    inputs: dict[str, Any],
    secrets: dict[str, Any],
    results_path: Path,
    context: dict[str, Any],
    log_line: Callable[[str], None],
    timeout_s: float | None,
    repositories_root: Path,
    resources: Mapping[str, Any] | None = None,
    extra_env_names: Iterable[str] | None = None,
) -> RunOutcome:
    python = ensure_environment(repositories_root, piece.requirements, log_line, f"{piece.repository} {piece.version}")
    limits = plan_limits(resources, timeout_s)
    for line in limits.describe():
        log_line(line)
    prefix = _isolation(log_line)
    with tempfile.TemporaryDirectory(prefix="domino-run-") as private:
        os.chmod(private, 0o700)
        request_file, result_file = Path(private) / "request.json", Path(private) / "result.json"
        descriptor = os.open(request_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(
                {"piece_dir": str(piece.piece_dir), "piece_name": piece.name, "inputs": inputs, "secrets": secrets,
                 "results_path": str(results_path), "context": context},
                handle,
            )  # fmt: skip
        env = piece_environment(Path(private), repositories_root, extra_env_names)
        started = time.monotonic()
        cpu_before = _children_cpu_seconds()
        process = subprocess.Popen(
            [*prefix, str(python), "-m", "airflow_domino_sdk.runtime", "--request", str(request_file),
             "--result", str(result_file)],
            cwd=private,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=limits.apply_in_child if (limits.memory_bytes or limits.cpu_seconds or limits.cpus) else None,
        )  # fmt: skip
        timed_out = threading.Event()

        def _kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, _kill) if timeout_s else None
        if timer:
            timer.start()
        try:
            assert process.stdout is not None
            for raw in process.stdout:
                log_line(raw.decode("utf-8", errors="replace").rstrip("\n"))
            exit_code = process.wait()
        finally:
            if timer:
                timer.cancel()
            if process.poll() is None:  # the task itself was killed or timed out by Airflow
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        result = read_result(result_file)
        cpu_used = _children_cpu_seconds_since(cpu_before)
        cpu_limited = (
            limits.cpu_seconds
            if limits.cpu_seconds is not None and exit_code != 0 and cpu_used >= limits.cpu_seconds - 0.5
            else None
        )
        return RunOutcome(exit_code, result, timed_out.is_set(), time.monotonic() - started, cpu_limited)


def _isolation(log_line: Callable[[str], None]) -> list[str]:
    """The ``[domino] process_isolation`` command prefix; the task log says when there is none."""
    from airflow_domino_plugin import config

    try:
        prefix, why_not = isolation_prefix(config.get("process_isolation"))
    except SandboxEnvError as exc:
        raise AirflowException(f"[domino] process_isolation: {exc}") from exc
    if not prefix:
        log_line(f"No process isolation ({why_not}): the piece can see this machine's other processes")
    return prefix


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children_cpu_seconds_since(before: float) -> float:
    return _children_cpu_seconds() - before
