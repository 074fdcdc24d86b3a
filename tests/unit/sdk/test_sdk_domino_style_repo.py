"""The fixture repository's own piece tests (written for the original Domino) pass unmodified."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_domino_piece_tests_pass_with_pytest_plugin(domino_repo: Path) -> None:
    (domino_repo / "conftest.py").unlink()  # an unmodified Domino repository has none
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "airflow_domino_sdk.pytest_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            "pieces",
        ],
        cwd=domino_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 passed" in proc.stdout


def test_plugin_fixtures(tmp_path: Path, domino_repo: Path) -> None:
    test_file = tmp_path / "test_uses_fixtures.py"
    test_file.write_text(
        "from pathlib import Path\n"
        f"PIECE = Path({str(domino_repo / 'pieces' / 'MarkdownReportPiece')!r})\n"
        "def test_it(piece_runner, piece_results_path):\n"
        "    result = piece_runner(PIECE, {'as_svg_badge': True})\n"
        "    assert result.results_path == piece_results_path\n"
        "    assert result.display_result['file_type'] == 'svg'\n"
        "    assert Path(result.display_result['file_path']).read_text().startswith('<svg')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    cmd = [sys.executable, "-m", "pytest", "-p", "airflow_domino_sdk.pytest_plugin", "-p", "no:cacheprovider"]
    proc = subprocess.run([*cmd, "-q", str(test_file)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
