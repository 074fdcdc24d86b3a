"""Collect the example repository's own piece tests as part of the plugin's test run.

``pyproject.toml`` sets ``testpaths = ["tests"]``, so a plain ``pytest`` never looks into
``examples/pieces``. Instead of copying or re-wrapping those tests, the placeholder module
``test_pieces.py`` next to this file is collected as the list of piece test files, each collected
as an ordinary pytest module (fixtures, parametrisation and node ids such as
``examples/pieces/pieces/SortTopNPiece/test_sort_top_n_piece.py::test_errors`` included).

When ``examples/pieces`` is itself among the paths pytest was asked to collect (``pytest .``,
``pytest examples``) pytest finds those files on its own, so nothing is added here and every
piece test still runs exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
PIECES_REPO = REPO_ROOT / "examples" / "pieces"
PLACEHOLDER = Path(__file__).with_name("test_pieces.py")


def piece_test_files() -> list[Path]:
    return sorted(PIECES_REPO.glob("pieces/*Piece/test_*.py"))


def _collected_directly(config: pytest.Config) -> bool:
    """True when pytest's own collection already covers ``examples/pieces``."""
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::", 1)[0]).resolve()
        if path == PIECES_REPO or PIECES_REPO in path.parents or path in PIECES_REPO.parents:
            return True
    return False


class PieceTestFiles(pytest.File):
    """Yields one pytest module per ``pieces/<Name>Piece/test_*.py`` of the example repository."""

    def collect(self) -> Iterator[pytest.Module]:
        if _collected_directly(self.config):
            return
        for path in piece_test_files():
            yield pytest.Module.from_parent(self, path=path)


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if module_path == PLACEHOLDER:
        return PieceTestFiles.from_parent(parent, path=module_path)
    return None
