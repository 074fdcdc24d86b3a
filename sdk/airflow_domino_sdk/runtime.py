"""Piece runtime: what every runner executes inside the piece's environment.

    python -m airflow_domino_sdk.runtime --request REQUEST.json --result RESULT.json

Request (JSON object, written 0600 by the runner — it holds secrets)::

    {"piece_dir": ".../pieces/AddPiece", "piece_name": "AddPiece", "inputs": {...},
     "secrets": {...}, "results_path": "...", "context": {"dag_id": ..., "run_id": ...,
     "task_id": ..., "logical_date": ..., "try_number": 1}}

Secrets may instead (or additionally) come from the ``DOMINO_PIECE_SECRETS`` environment variable
(a JSON object), which suits Kubernetes secrets. Result on success::

    {"outputs": {...}, "display_result": {"file_type", "file_path", "relative_path"} | null}

and on failure ``{"error": {"type", "piece", "message", "errors": [{"path", "message"}]}}``.
Stdout carries the piece's own output between :func:`start_delimiter` / :func:`end_delimiter`;
on failure the error and traceback come last. Exit codes: see ``EXIT_*``. Secret values are masked
in everything printed or written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from airflow_domino_sdk.compat import enable_domino_compat
from airflow_domino_sdk.errors import (
    PieceError,
    PieceExecutionError,
    PieceInputError,
    PieceLoadError,
    PieceOutputError,
    field_errors_from_validation,
)
from airflow_domino_sdk.execution import execute_piece
from airflow_domino_sdk.loader import load_piece
from airflow_domino_sdk.models import RunContext
from airflow_domino_sdk.piece_logging import capture_output, redact, secret_values

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BAD_OUTPUT",
    "EXIT_OK",
    "EXIT_PIECE_FAILED",
    "EXIT_RUNTIME_ERROR",
    "IMAGE_REPOSITORY_DIR",
    "IMAGE_SDK_DIR",
    "SECRETS_ENV_VAR",
    "RuntimeRequest",
    "RuntimeResult",
    "end_delimiter",
    "main",
    "read_result_file",
    "start_delimiter",
    "write_request_file",
]

EXIT_OK = 0
EXIT_RUNTIME_ERROR = 1  # bad request file, piece cannot be loaded, cannot write result
EXIT_BAD_INPUT = 2  # inputs or secrets do not validate
EXIT_PIECE_FAILED = 3  # piece_function raised
EXIT_BAD_OUTPUT = 4  # return value or display result invalid

SECRETS_ENV_VAR = "DOMINO_PIECE_SECRETS"

#: Where images built by ``domino-pieces build-images`` hold the repository and the SDK; a runner
#: using such an image passes ``piece_dir = f"{IMAGE_REPOSITORY_DIR}/pieces/{name}"``.
IMAGE_REPOSITORY_DIR = "/home/domino/pieces_repository"
IMAGE_SDK_DIR = "/opt/domino/sdk"

_EXIT_CODES: dict[type[PieceError], int] = {
    PieceInputError: EXIT_BAD_INPUT,
    PieceExecutionError: EXIT_PIECE_FAILED,
    PieceOutputError: EXIT_BAD_OUTPUT,
    PieceLoadError: EXIT_RUNTIME_ERROR,
}


def start_delimiter(piece_name: str) -> str:
    return f"──── piece {piece_name} output start ────"


def end_delimiter(piece_name: str) -> str:
    return f"──── piece {piece_name} output end ────"


class RuntimeRequest(BaseModel):
    """The request file's content."""

    model_config = ConfigDict(extra="forbid")

    piece_dir: str
    piece_name: str | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, Any] = Field(default_factory=dict)
    results_path: str
    context: RunContext = Field(default_factory=RunContext)


class RuntimeResult(BaseModel):
    """The result file's content (``error`` set instead of outputs on failure)."""

    outputs: dict[str, Any] | None = None
    display_result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


def write_request_file(path: str | os.PathLike[str], request: RuntimeRequest | dict[str, Any]) -> Path:
    """Write a request file readable by its owner only (it contains secrets)."""
    data = request.model_dump(mode="json") if isinstance(request, RuntimeRequest) else request
    target = Path(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    return target


def read_result_file(path: str | os.PathLike[str]) -> RuntimeResult:
    return RuntimeResult.model_validate_json(Path(path).read_text(encoding="utf-8"))


def _write_result(path: Path, result: RuntimeResult) -> None:
    """Atomic write: a reader never sees half a result."""
    if result.error is not None:
        data: dict[str, Any] = {"error": result.error}
    else:
        data = {"outputs": result.outputs or {}, "display_result": result.display_result}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".result-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


class _ArgParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse exits 2, which is our "bad input" code; usage errors are runtime errors.
        self.print_usage(sys.stderr)
        self.exit(EXIT_RUNTIME_ERROR, f"{self.prog}: error: {message}\n")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _ArgParser(prog="python -m airflow_domino_sdk.runtime", description="Run one piece from a request file.")
    parser.add_argument("--request", required=True, help="request JSON file ('-' reads stdin)")
    parser.add_argument("--result", required=True, help="where to write the result JSON")
    parser.add_argument("--deploy-mode", default="airflow", help="value of the piece's self.deploy_mode")
    return parser.parse_args(argv)


def _load_request(source: str) -> RuntimeRequest:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    request = RuntimeRequest.model_validate_json(text)
    env_secrets = os.environ.get(SECRETS_ENV_VAR)
    if env_secrets:
        extra = json.loads(env_secrets)
        if not isinstance(extra, dict):
            raise ValueError(f"{SECRETS_ENV_VAR} must hold a JSON object")
        request.secrets = {**extra, **request.secrets}
    return request


def _fail_request(result_path: Path, message: str) -> int:
    print(f"ERROR: invalid piece runtime request: {message}", flush=True)
    error: dict[str, Any] = {"type": "request", "piece": None, "message": message, "errors": []}
    try:
        _write_result(result_path, RuntimeResult(error=error))
    except OSError as exc:
        print(f"ERROR: cannot write result file {result_path}: {exc}", flush=True)
    return EXIT_RUNTIME_ERROR


def run(argv: list[str] | None = None) -> int:
    """Run one piece as described by the request file; return the process exit code."""
    args = _parse_args(argv)
    result_path = Path(args.result)
    try:
        request = _load_request(args.request)
    except ValidationError as exc:
        details = "; ".join(str(e) for e in field_errors_from_validation(exc, show_values=False))
        return _fail_request(result_path, details)
    except (OSError, ValueError) as exc:
        return _fail_request(result_path, f"{type(exc).__name__}: {exc}")

    enable_domino_compat()
    name = request.piece_name or Path(request.piece_dir).name
    secrets = secret_values(request.secrets)
    error: PieceError | None = None
    result: RuntimeResult | None = None

    print(start_delimiter(name), flush=True)
    try:
        with capture_output(secrets):
            try:
                loaded = load_piece(request.piece_dir, name)
                outcome = execute_piece(
                    loaded,
                    request.inputs,
                    request.secrets,
                    results_path=request.results_path,
                    context=request.context,
                    deploy_mode=args.deploy_mode,
                )
                result = RuntimeResult(outputs=outcome.outputs, display_result=outcome.display_result)
            except PieceError as exc:
                error = exc
    finally:
        print(end_delimiter(name), flush=True)

    if error is None and result is not None:
        try:
            _write_result(result_path, result)
        except (OSError, ValueError) as exc:
            print(f"ERROR: cannot write result file {result_path}: {exc}", flush=True)
            return EXIT_RUNTIME_ERROR
        return EXIT_OK

    assert error is not None
    code = _EXIT_CODES.get(type(error), EXIT_RUNTIME_ERROR)
    error_dict = json.loads(redact(json.dumps(error.to_dict()), secrets))
    try:
        _write_result(result_path, RuntimeResult(error=error_dict))
    except OSError as exc:
        print(f"ERROR: cannot write result file {result_path}: {exc}", flush=True)
    # Traceback last, so it is the end of the task log.
    lines: list[str] = []
    cause = error.__cause__
    if cause is not None and isinstance(error, PieceExecutionError | PieceLoadError):
        lines.extend(traceback.format_exception(cause))
    lines.append(f"ERROR ({error.kind}, exit {code}): {error}\n")
    sys.stdout.write(redact("".join(lines), secrets))
    sys.stdout.flush()
    return code


def main(argv: list[str] | None = None) -> NoReturn:
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
