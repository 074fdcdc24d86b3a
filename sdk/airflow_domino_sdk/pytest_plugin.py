"""Pytest plugin for pieces repositories: ``pytest -p airflow_domino_sdk.pytest_plugin``.

Loading it makes ``from domino.testing import piece_dry_run`` work (original Domino tests run
unmodified) and provides fixtures:

- ``piece_results_path``: a fresh results folder per test;
- ``piece_runner``: ``piece_runner(piece, input_data, secrets_data=None)`` → ``PieceRunResult``
  using that folder.

``pytest`` is imported inside the hook so that nothing in ``sdk/`` imports a third-party package at
module level.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from airflow_domino_sdk.compat import enable_domino_compat
from airflow_domino_sdk.testing import PieceRunResult, run_piece

enable_domino_compat()

PLUGIN_NAME = "airflow-domino-plugin-piece-fixtures"


def _make_fixtures() -> object:
    import pytest

    class PieceFixtures:
        @pytest.fixture
        def piece_results_path(self, tmp_path: Path) -> Path:
            folder = tmp_path / "results"
            folder.mkdir()
            return folder

        @pytest.fixture
        def piece_runner(self, piece_results_path: Path) -> Callable[..., PieceRunResult]:
            def runner(
                piece: Any, input_data: dict[str, Any], secrets_data: dict[str, Any] | None = None
            ) -> PieceRunResult:
                return run_piece(piece, input_data, secrets_data, results_path=piece_results_path)

            return runner

    return PieceFixtures()


def pytest_configure(config: Any) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(_make_fixtures(), PLUGIN_NAME)
