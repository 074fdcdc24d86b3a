"""Helpers for the SDK tests: the Domino-style fixture repository and throw-away piece folders."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURE_REPO = REPO_ROOT / "tests" / "fixtures" / "domino_style_repo"


@pytest.fixture
def python() -> str:
    return sys.executable


@pytest.fixture
def domino_repo(tmp_path: Path) -> Path:
    """A private copy of the fixture repository (tests may break it)."""
    target = tmp_path / "domino_style_repo"
    shutil.copytree(FIXTURE_REPO, target, ignore=shutil.ignore_patterns("__pycache__", ".domino", ".pytest_cache"))
    return target


@pytest.fixture
def make_piece(tmp_path: Path) -> Callable[..., Path]:
    """Write ``pieces/<name>/{models,piece}.py`` below tmp_path and return the piece folder."""

    def make(name: str, models: str, piece: str, root: Path | None = None) -> Path:
        folder = (root or tmp_path / "repo") / "pieces" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "models.py").write_text(textwrap.dedent(models))
        (folder / "piece.py").write_text(textwrap.dedent(piece))
        return folder

    return make
