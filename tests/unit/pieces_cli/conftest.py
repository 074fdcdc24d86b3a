"""Helpers for the domino-pieces CLI tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from airflow_domino_sdk.cli.main import main

FIXTURE_REPO = Path(__file__).resolve().parents[2] / "fixtures" / "domino_style_repo"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``cli("compile", "repo")`` → (exit code, stdout, stderr), run in-process."""

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def fixture_repo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "domino_style_repo"
    shutil.copytree(FIXTURE_REPO, target, ignore=shutil.ignore_patterns("__pycache__", ".domino"))
    return target
