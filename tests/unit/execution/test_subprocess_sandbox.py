"""The subprocess runner starts pieces with the allow-listed environment and the task's resources as OS
limits, and says in the task log what it applied and what a local process cannot be limited to."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin.execution.pieces import LocatedPiece
from airflow_domino_plugin.execution.runners import subprocess_runner
from airflow_domino_plugin.execution.runners.outcome import RunOutcome
from airflow_domino_plugin.execution.runners.subprocess_runner import Limits, plan_limits
from tests.unit.repositories.test_sandboxed_compile import (  # noqa: F401  (secret_holder: a fixture)
    CANARIES,
    PROBE_REPO,
    assert_sees_no_secret,
    secret_holder,
    shared_repositories_root,
)


@pytest.fixture(scope="module")
def repositories_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_repositories_root(tmp_path_factory)  # the compile tests' virtualenvs, when they ran


def _piece(name: str) -> LocatedPiece:
    return LocatedPiece(
        repository="sandbox_probe_pieces", version="0.1.0", name=name, piece_dir=PROBE_REPO / "pieces" / name,
        requirements="", dependency={}, group="group0", image="", output_schema={},
    )  # fmt: skip


def _run(root: Path, tmp_path: Path, name: str, inputs: dict[str, Any], **kwargs: Any) -> tuple[RunOutcome, list[str]]:
    lines: list[str] = []
    results = tmp_path / "results"
    results.mkdir(exist_ok=True)
    outcome = subprocess_runner.run(
        _piece(name), inputs=inputs, secrets={}, results_path=results,
        context={"dag_id": "d", "run_id": "r", "task_id": "t"}, log_line=lines.append,
        repositories_root=root, extra_env_names=(), **{"timeout_s": None, **kwargs},
    )  # fmt: skip
    return outcome, lines


def test_a_piece_run_sees_no_secret_of_the_worker(
    repositories_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    secret_holder: int,  # noqa: F811
) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    outcome, lines = _run(repositories_root, tmp_path, "SnoopPiece", {})
    assert outcome.exit_code == 0, lines
    seen = json.loads(outcome.result["outputs"]["seen"])
    assert_sees_no_secret(seen)
    assert Path(seen["executable"]).is_relative_to(repositories_root / "_venvs")
    assert seen["environ"]["PYTHONPATH"] == str(repositories_root / "_sdk")
    assert seen["environ"]["TMPDIR"].startswith(str(Path(seen["environ"]["HOME"]).parent))
    assert not Path(seen["environ"]["HOME"]).exists()  # inside the run's private folder, removed afterwards
    assert not any(line.startswith("Resource limits applied") for line in lines)  # none asked, none applied


def test_without_process_isolation_other_processes_are_readable(
    repositories_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    secret_holder: int,  # noqa: F811
) -> None:
    """What [domino] process_isolation = off gives up (and what the tests above would catch)."""
    monkeypatch.setenv("AIRFLOW__DOMINO__PROCESS_ISOLATION", "off")
    outcome, _ = _run(repositories_root, tmp_path, "SnoopPiece", {})
    stolen = json.loads(outcome.result["outputs"]["seen"])["other_processes"]
    assert stolen[f"{secret_holder}:AWS_SECRET_ACCESS_KEY"] == CANARIES["AWS_SECRET_ACCESS_KEY"]
    monkeypatch.setenv("AIRFLOW__DOMINO__PROCESS_ISOLATION", "sometimes")
    with pytest.raises(AirflowException, match=r"\[domino\] process_isolation: 'sometimes' is not one of auto"):
        _run(repositories_root, tmp_path, "SnoopPiece", {})


def test_memory_limit_fails_an_allocation_beyond_it(repositories_root: Path, tmp_path: Path) -> None:
    fine, _ = _run(repositories_root, tmp_path, "HogPiece", {"allocate_mib": 200})
    assert fine.exit_code == 0
    assert fine.result["outputs"]["allocated_mib"] == 200

    limited, lines = _run(repositories_root, tmp_path, "HogPiece", {"allocate_mib": 200}, resources={"memory": "96Mi"})
    assert "Resource limits applied: memory 96Mi (RLIMIT_DATA 100663296 bytes)" in lines
    assert limited.exit_code == 3  # the piece raised
    assert "MemoryError" in json.dumps(limited.result), limited.result
    small, _ = _run(repositories_root, tmp_path, "HogPiece", {"allocate_mib": 10}, resources={"memory": "96Mi"})
    assert small.exit_code == 0


def test_cpu_is_whole_cpus_and_the_log_says_what_was_not_applied(repositories_root: Path, tmp_path: Path) -> None:
    outcome, lines = _run(
        repositories_root, tmp_path, "HogPiece", {}, timeout_s=60.0,
        resources={"cpu": "500m", "gpu": 1, "node_selector": {"pool": "gpu"}},
    )  # fmt: skip
    assert outcome.exit_code == 0, lines
    cpus = len(os.sched_getaffinity(0))
    applied = next(line for line in lines if line.startswith("Resource limits applied:"))
    not_applied = next(line for line in lines if line.startswith("Not applied by the subprocess runner:"))
    if cpus > 1:
        assert len(outcome.result["outputs"]["cpus"]) == 1
        assert "cpu 500m (runs on CPU " in applied
    assert "CPU time 60s (RLIMIT_CPU: timeout 60s x 1 CPU)" in applied or cpus == 1
    assert "cpu 500m as a share: a local process gets whole CPUs (1), not 500 millicores" in not_applied
    assert "gpu 1: a local process cannot reserve GPUs (use the docker or kubernetes runner)" in not_applied
    assert "node_selector (Kubernetes only)" in not_applied


def test_cpu_time_limit_kills_a_spinning_process() -> None:
    """RLIMIT_CPU is the backstop that holds even when the runner (the task) is gone."""
    limits = Limits(cpu_seconds=1)

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    started = cpu()
    proc = subprocess.run(
        [sys.executable, "-c", "while True: pass"], preexec_fn=limits.apply_in_child, timeout=30, check=False
    )
    assert proc.returncode == -signal.SIGXCPU
    assert 0.5 < cpu() - started < 10  # about the 1 s limit (the kernel checks it at its tick)
    outcome = RunOutcome(-signal.SIGXCPU, {}, False, 1.2, cpu_limited=1)
    assert outcome.failure("HogPiece", 60) == "Piece HogPiece used up its CPU-time limit (1s) and was killed"


def test_plan_limits_scales_cpu_time_with_the_cpus_allowed() -> None:
    cpus = len(os.sched_getaffinity(0))
    assert plan_limits({}, 10).cpu_seconds == 10 * cpus
    assert plan_limits({"cpu": 1}, 10).cpu_seconds == 10
    assert plan_limits({}, None).cpu_seconds is None
    assert plan_limits({"memory": "1Gi"}, None).memory_bytes == 2**30
