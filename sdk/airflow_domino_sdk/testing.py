"""Run pieces in-process for tests and the author CLI: no Airflow, no container.

``run_piece`` goes through the same validation and display-result handling as the runtime, so a
piece that passes here behaves the same in a task.
"""

from __future__ import annotations

import inspect
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow_domino_sdk.base_piece import BasePiece
from airflow_domino_sdk.compat import enable_domino_compat
from airflow_domino_sdk.execution import execute_piece
from airflow_domino_sdk.loader import LoadedPiece, load_piece, piece_from_class
from airflow_domino_sdk.models import RunContext
from airflow_domino_sdk.piece_logging import capture_output, secret_values

__all__ = ["PieceRunResult", "enable_domino_compat", "find_repository", "piece_dry_run", "run_piece"]

_SDK_DIR = Path(__file__).resolve().parent


@dataclass
class PieceRunResult:
    """Outcome of :func:`run_piece`."""

    outputs: dict[str, Any]
    display_result: dict[str, Any] | None
    results_path: Path
    logs: list[str] = field(default_factory=list)


def _resolve(piece: str | os.PathLike[str] | type[BasePiece] | LoadedPiece) -> LoadedPiece:
    if isinstance(piece, LoadedPiece):
        return piece
    if isinstance(piece, type) and issubclass(piece, BasePiece):
        return piece_from_class(piece)
    return load_piece(Path(piece))


def run_piece(
    piece: str | os.PathLike[str] | type[BasePiece] | LoadedPiece,
    input_data: dict[str, Any] | None,
    secrets_data: dict[str, Any] | None = None,
    results_path: str | os.PathLike[str] | None = None,
    context: RunContext | dict[str, Any] | None = None,
) -> PieceRunResult:
    """Validate, run and check a piece (a piece folder or a ``BasePiece`` subclass).

    Raises ``PieceInputError`` / ``PieceExecutionError`` / ``PieceOutputError`` like the runtime.
    Output printed by the piece (log lines, ``print``) is shown and collected in ``.logs``,
    with secret values masked. Enables the ``domino`` import path for this process.
    """
    enable_domino_compat()
    loaded = _resolve(piece)
    folder = Path(results_path) if results_path else Path(tempfile.mkdtemp(prefix=f"{loaded.name}_results_"))
    folder.mkdir(parents=True, exist_ok=True)
    ctx = RunContext.model_validate(context) if isinstance(context, dict) else context
    logs: list[str] = []
    with capture_output(secret_values(secrets_data or {}), logs):
        outcome = execute_piece(loaded, input_data, secrets_data, results_path=folder, context=ctx)
    return PieceRunResult(
        outputs=outcome.outputs, display_result=outcome.display_result, results_path=folder, logs=logs
    )


def find_repository(piece_name: str, start: str | os.PathLike[str]) -> Path | None:
    """Walk up from ``start`` to the folder that holds ``pieces/<piece_name>``."""
    here = Path(start).resolve()
    for folder in [here, *here.parents]:
        if (folder / "pieces" / piece_name).is_dir():
            return folder
    return None


def _caller_file() -> str | None:
    """File of the first frame outside the SDK and the ``domino`` shim: the piece's test."""
    for frame_info in inspect.stack()[1:]:
        path = Path(frame_info.filename).resolve()
        if not path.is_relative_to(_SDK_DIR):
            return str(path)
    return None


def piece_dry_run(
    piece_name: str,
    input_data: dict[str, Any],
    repository_folder_path: str | None = None,
    secrets_data: dict[str, Any] | None = None,
    results_path: str | None = None,
) -> dict[str, Any]:
    """Domino's ``domino.testing.piece_dry_run``: run a piece of the repository, return its outputs.

    Without ``repository_folder_path`` the repository is the one containing the calling test file
    (falling back to the working directory, as Domino did).
    """
    repo: Path | None = Path(repository_folder_path) if repository_folder_path else None
    if repo is None:
        caller = _caller_file()
        repo = find_repository(piece_name, Path(caller).parent) if caller else None
    if repo is None:
        repo = find_repository(piece_name, Path.cwd()) or Path.cwd()
    result = run_piece(repo / "pieces" / piece_name, input_data, secrets_data, results_path)
    return result.outputs
