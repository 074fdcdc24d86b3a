"""The SDK, the runtime and the author CLI work in a virtualenv holding only pydantic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def pydantic_only_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with pydantic (the main venv's version) and its own dependencies, nothing else."""
    venv = tmp_path_factory.mktemp("pydantic_only_venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", f"pydantic=={pydantic.VERSION}"],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return python


def run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PYTHONPATH"] = str(REPO_ROOT / "sdk")
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_sdk_runtime_and_cli_with_only_pydantic(pydantic_only_python: Path, tmp_path: Path, domino_repo: Path) -> None:
    probe = run(
        pydantic_only_python,
        "-c",
        "import importlib.util as u, airflow_domino_sdk, airflow_domino_sdk.runtime, "
        "airflow_domino_sdk.repository, airflow_domino_sdk.cli.main\n"
        "print([m for m in ('airflow', 'click', 'slugify', 'pytest') if u.find_spec(m)])",
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "[]"

    request = tmp_path / "request.json"
    request.write_text(
        json.dumps(
            {
                "piece_dir": str(domino_repo / "pieces" / "MarkdownReportPiece"),
                "inputs": {"title": "T", "items": ["x"]},
                "results_path": str(tmp_path / "results"),
            }
        )
    )
    proc = run(
        pydantic_only_python,
        "-m",
        "airflow_domino_sdk.runtime",
        "--request",
        str(request),
        "--result",
        str(tmp_path / "result.json"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["outputs"]["item_count"] == 1
    assert result["display_result"]["relative_path"] == "report.md"

    compiled = run(pydantic_only_python, "-m", "airflow_domino_sdk.cli.main", "compile", ".", cwd=domino_repo)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert (domino_repo / ".domino" / "dependencies_map.json").is_file()
