"""The local default runner: the piece's virtualenv runs the SDK runtime in a child process.

Inputs and secrets travel in a private request file (mode 0600 in a 0700 folder), never in argv
or the environment; the piece's output is streamed into the task log line by line.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airflow_domino_plugin.execution.pieces import LocatedPiece
from airflow_domino_plugin.repositories.runtime_env import ensure_environment, sdk_path

EXIT_MEANING = {
    1: "the piece runtime failed (the piece could not be loaded or its result not written)",
    2: "the piece refused its inputs or secrets",
    3: "the piece raised an exception",
    4: "the piece returned outputs that do not match its output model",
}


@dataclass
class RunOutcome:
    exit_code: int
    result: dict[str, Any]
    timed_out: bool
    duration_s: float

    def failure(self, piece: str, timeout_s: float | None) -> str | None:
        if self.timed_out:
            return f"Piece {piece} timed out after {timeout_s:.0f}s and was killed"
        if self.exit_code == 0:
            return None
        if self.exit_code < 0:
            try:
                name = signal.Signals(-self.exit_code).name
            except ValueError:
                name = str(-self.exit_code)
            return f"Piece {piece} was killed by signal {name}"
        error = self.result.get("error") or {}
        meaning = EXIT_MEANING.get(self.exit_code, f"the piece runtime exited with code {self.exit_code}")
        detail = error.get("message") or ""
        return f"Piece {piece} failed: {meaning}" + (f": {detail}" if detail else "")


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
) -> RunOutcome:
    python = ensure_environment(repositories_root, piece.requirements, log_line, f"{piece.repository} {piece.version}")
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
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AIRFLOW", "_AIRFLOW")) and key not in ("PYTHONPATH", "PYTHONHOME")
        }
        env["PYTHONPATH"] = str(sdk_path(repositories_root))
        env["PYTHONUNBUFFERED"] = "1"
        started = time.monotonic()
        process = subprocess.Popen(
            [str(python), "-m", "airflow_domino_sdk.runtime", "--request", str(request_file),
             "--result", str(result_file)],
            cwd=private,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
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
        result: dict[str, Any] = {}
        if result_file.exists():
            with contextlib.suppress(ValueError):
                result = json.loads(result_file.read_text())
        return RunOutcome(exit_code, result, timed_out.is_set(), time.monotonic() - started)
