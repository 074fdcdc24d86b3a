"""The piece runtime as runners use it: a subprocess with a request file and a result file."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk.runtime import (
    EXIT_BAD_INPUT,
    EXIT_BAD_OUTPUT,
    EXIT_OK,
    EXIT_PIECE_FAILED,
    EXIT_RUNTIME_ERROR,
    end_delimiter,
    read_result_file,
    start_delimiter,
    write_request_file,
)

REPO_ROOT = Path(__file__).resolve().parents[3]


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for child interpreters: the plugin importable, nothing else changed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


SECRET = "tok-VERY-secret-42"

MODELS = """
from pydantic import BaseModel

class InputModel(BaseModel):
    mode: str = "ok"
    n: int = 1

class OutputModel(BaseModel):
    doubled: int

class SecretsModel(BaseModel):
    TOKEN: str
"""

PIECE = """
import base64
from domino.base_piece import BasePiece
from .models import InputModel, OutputModel, SecretsModel

class ModePiece(BasePiece):
    def piece_function(self, input_data: InputModel, secrets_data: SecretsModel):
        self.logger.info("mode=%s token=%s", input_data.mode, secrets_data.TOKEN)
        print("plain print line")
        if input_data.mode == "raise":
            raise ValueError(f"cannot talk to service with {secrets_data.TOKEN}")
        if input_data.mode == "bad-output":
            return {"doubled": "not a number"}
        if input_data.mode == "b64":
            self.display_result = {"file_type": "txt", "base64_content": base64.b64encode(b"hello").decode()}
        return {"doubled": input_data.n * 2}
"""


@pytest.fixture
def run_runtime(tmp_path: Path, make_piece: Callable[..., Path]) -> Callable[..., tuple[int, str, dict[str, Any]]]:
    piece_dir = make_piece("ModePiece", MODELS, PIECE)

    def run(inputs: dict[str, Any], secrets: dict[str, Any] | None = None, **request: Any) -> tuple[int, str, dict]:
        req = {
            "piece_dir": str(piece_dir),
            "piece_name": "ModePiece",
            "inputs": inputs,
            "secrets": {"TOKEN": SECRET} if secrets is None else secrets,
            "results_path": str(tmp_path / "results"),
            "context": {"dag_id": "wf", "run_id": "r1", "task_id": "t1", "logical_date": "2025-01-01T00:00:00Z"},
        }
        req.update(request)
        req_file = write_request_file(tmp_path / "request.json", req)
        result_file = tmp_path / "result.json"
        result_file.unlink(missing_ok=True)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "airflow_domino_sdk.runtime",
                "--request",
                str(req_file),
                "--result",
                str(result_file),
            ],
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        stdout = proc.stdout + proc.stderr
        assert SECRET not in stdout
        result = json.loads(result_file.read_text()) if result_file.exists() else {}
        assert SECRET not in json.dumps(result)
        return proc.returncode, proc.stdout, result

    return run


def test_request_file_is_private(tmp_path: Path) -> None:
    path = write_request_file(tmp_path / "r.json", {"piece_dir": "x", "results_path": "y"})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_success(run_runtime: Callable[..., tuple[int, str, dict]], tmp_path: Path) -> None:
    code, out, result = run_runtime({"n": 21})
    assert code == EXIT_OK
    assert result == {"outputs": {"doubled": 42}, "display_result": None}
    lines = out.splitlines()
    start, end = lines.index(start_delimiter("ModePiece")), lines.index(end_delimiter("ModePiece"))
    inside = "\n".join(lines[start + 1 : end])
    assert "mode=ok token=***" in inside
    assert "plain print line" in inside
    assert read_result_file(tmp_path / "result.json").outputs == {"doubled": 42}


def test_base64_display_result_written_to_results(
    run_runtime: Callable[..., tuple[int, str, dict]], tmp_path: Path
) -> None:
    code, _, result = run_runtime({"mode": "b64"})
    assert code == EXIT_OK
    display = result["display_result"]
    assert "base64_content" not in display
    assert display["relative_path"] == "display_result.txt"
    assert Path(display["file_path"]).read_text() == "hello"
    assert Path(display["file_path"]).parent == (tmp_path / "results").resolve()


def test_bad_input_exit_2(run_runtime: Callable[..., tuple[int, str, dict]]) -> None:
    code, out, result = run_runtime({"n": "lots"})
    assert code == EXIT_BAD_INPUT
    assert result["error"]["type"] == "input"
    assert result["error"]["errors"] == [
        {"path": "n", "message": "Input should be a valid integer, unable to parse string as an integer (got 'lots')"}
    ]
    assert out.rstrip().splitlines()[-2:] == [
        "ERROR (input, exit 2): Piece ModePiece: invalid input",
        result_line(result),
    ]


def result_line(result: dict[str, Any]) -> str:
    err = result["error"]["errors"][0]
    return f"  - {err['path']}: {err['message']}"


def test_missing_secret_exit_2_without_value(run_runtime: Callable[..., tuple[int, str, dict]]) -> None:
    code, _, result = run_runtime({}, secrets={})
    assert code == EXIT_BAD_INPUT
    assert result["error"]["errors"] == [{"path": "secrets.TOKEN", "message": "Field required"}]


def test_piece_raises_exit_3_traceback_last(run_runtime: Callable[..., tuple[int, str, dict]]) -> None:
    code, out, result = run_runtime({"mode": "raise"})
    assert code == EXIT_PIECE_FAILED
    assert result["error"]["type"] == "execution"
    assert "cannot talk to service with ***" in result["error"]["message"]
    end = out.index(end_delimiter("ModePiece"))
    tail = out[end:]
    assert "Traceback (most recent call last)" in tail
    assert 'piece.py", line' in tail
    assert tail.rstrip().endswith("Piece ModePiece: raised ValueError: cannot talk to service with ***")


def test_bad_output_exit_4(run_runtime: Callable[..., tuple[int, str, dict]]) -> None:
    code, _, result = run_runtime({"mode": "bad-output"})
    assert code == EXIT_BAD_OUTPUT
    assert result["error"]["type"] == "output"
    assert result["error"]["errors"][0]["path"] == "doubled"


def test_unloadable_piece_exit_1(run_runtime: Callable[..., tuple[int, str, dict]], tmp_path: Path) -> None:
    code, _out, result = run_runtime({}, piece_dir=str(tmp_path / "nowhere" / "ModePiece"))
    assert code == EXIT_RUNTIME_ERROR
    assert result["error"]["type"] == "load"


def test_malformed_request_exit_1(tmp_path: Path) -> None:
    req = tmp_path / "req.json"
    req.write_text('{"inputs": {}}')
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "airflow_domino_sdk.runtime",
            "--request",
            str(req),
            "--result",
            str(tmp_path / "out.json"),
        ],
        env=subprocess_env(),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == EXIT_RUNTIME_ERROR
    assert "piece_dir: Field required" in proc.stdout
    assert json.loads((tmp_path / "out.json").read_text())["error"]["type"] == "request"


def test_usage_error_is_not_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "airflow_domino_sdk.runtime"], env=subprocess_env(), capture_output=True
    )
    assert proc.returncode == EXIT_RUNTIME_ERROR


def test_secrets_from_environment_and_stdin(tmp_path: Path, make_piece: Callable[..., Path]) -> None:
    piece_dir = make_piece("ModePiece", MODELS, PIECE)
    request = {"piece_dir": str(piece_dir), "inputs": {"n": 2}, "results_path": str(tmp_path / "res")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "airflow_domino_sdk.runtime",
            "--request",
            "-",
            "--result",
            str(tmp_path / "o.json"),
        ],
        input=json.dumps(request),
        env=subprocess_env(DOMINO_PIECE_SECRETS=json.dumps({"TOKEN": SECRET})),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == EXIT_OK, proc.stdout
    assert SECRET not in proc.stdout
    assert json.loads((tmp_path / "o.json").read_text())["outputs"] == {"doubled": 4}


def test_domino_fixture_piece_with_dependency(tmp_path: Path, domino_repo: Path) -> None:
    req = write_request_file(
        tmp_path / "r.json",
        {
            "piece_dir": str(domino_repo / "pieces" / "SlugifyPiece"),
            "inputs": {"text": "Ä b"},
            "results_path": str(tmp_path),
        },
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "airflow_domino_sdk.runtime",
            "--request",
            str(req),
            "--result",
            str(tmp_path / "o.json"),
        ],
        env=subprocess_env(),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout
    assert json.loads((tmp_path / "o.json").read_text())["outputs"] == {"slug": "a-b"}
