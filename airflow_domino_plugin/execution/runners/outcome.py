"""What a local runner hands back: the runtime's result file, its exit code, and the failure in words.

Shared by the subprocess and docker runners, which both run the SDK runtime and read the same
``result.json`` it writes.
"""

from __future__ import annotations

import contextlib
import json
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXIT_MEANING = {
    1: "the piece runtime failed (the piece could not be loaded or its result not written)",
    2: "the piece refused its inputs or secrets",
    3: "the piece raised an exception",
    4: "the piece returned outputs that do not match its output model",
}


def read_result(result_file: Path) -> dict[str, Any]:
    """The runtime's result (``{}`` when it wrote none, or nothing readable: the exit code then tells)."""
    if result_file.exists():
        with contextlib.suppress(ValueError):
            value = json.loads(result_file.read_text())
            return value if isinstance(value, dict) else {}
    return {}


@dataclass
class RunOutcome:
    exit_code: int
    result: dict[str, Any]
    timed_out: bool
    duration_s: float
    #: The RLIMIT_CPU soft limit (s) when one was set and the piece reached it, else None.
    cpu_limited: int | None = None

    def failure(self, piece: str, timeout_s: float | None) -> str | None:
        if self.timed_out:
            return f"Piece {piece} timed out after {timeout_s:.0f}s and was killed"
        if self.exit_code == 0:
            return None
        if self.exit_code == -signal.SIGXCPU or (self.exit_code != 0 and self.cpu_limited):
            return f"Piece {piece} used up its CPU-time limit ({self.cpu_limited or '?'}s) and was killed"
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
