"""``python -m airflow_domino_plugin.repositories install``: progress on stdout, clear failures, --if-missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from airflow_domino_plugin.db.models import Piece, Repository, metadata
from tests.unit.repositories.helpers import DOMINO_REPO, copy_repo

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def cli_env(tmp_path: Path) -> tuple[dict[str, str], sa.Engine, Path]:
    url = f"sqlite:///{tmp_path / 'airflow.db'}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    root = tmp_path / "repositories"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "_AIRFLOW"))}
    env.update(
        AIRFLOW_HOME=str(tmp_path / "airflow"),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=url,
        AIRFLOW__DOMINO__REPOSITORIES_PATH=str(root),
        PYTHONPATH=str(REPO_ROOT),
    )
    return env, engine, root


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airflow_domino_plugin.repositories", "install", *args],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_cli_installs_with_progress_and_is_idempotent_with_if_missing(
    cli_env: tuple[dict[str, str], sa.Engine, Path], tmp_path: Path
) -> None:
    env, engine, root = cli_env
    repo = copy_repo(DOMINO_REPO, tmp_path / "repo")
    shutil.rmtree(repo / "pieces" / "SlugifyPiece")  # one dependency group only: one small virtualenv to build
    (repo / "dependencies" / "requirements_slugify.txt").unlink()

    first = _cli(env, str(repo), "--user", "ops")
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == f"[  5%] Fetching {repo}"
    assert "[ 25%] Validating the repository" in lines
    # built while validating: the pieces' models are compiled in the group's own environment
    creating = "[ 30%] Creating a virtualenv for domino_style_pieces 0.1.0 (group0)"
    assert any(line.startswith(creating) for line in lines), lines
    pieces = len([p for p in (repo / "pieces").iterdir() if p.name.endswith("Piece")])
    assert f"[100%] Installed domino_style_pieces 0.1.0 with {pieces} pieces" in lines
    assert lines[-1].startswith("Installed domino_style_pieces 0.1.0: AddPiece, BarsPiece, CollectPiece")
    with engine.connect() as connection:
        row = connection.execute(sa.select(Repository.installed_by, Repository.path)).one()
        assert row == ("ops", str(root / "domino_style_pieces" / "0.1.0"))
        assert connection.scalar(sa.select(sa.func.count()).select_from(Piece)) == pieces
    assert (root / "_venvs").is_dir()

    again = _cli(env, str(repo))
    assert again.returncode == 1
    assert "domino_style_pieces 0.1.0 is already installed" in again.stdout
    quiet = _cli(env, str(repo), "--if-missing")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "already installed" in quiet.stdout


def test_cli_failure_names_the_problems(cli_env: tuple[dict[str, str], sa.Engine, Path], tmp_path: Path) -> None:
    env, engine, root = cli_env
    repo = copy_repo(DOMINO_REPO, tmp_path / "repo")
    metadata_file = repo / "pieces" / "AddPiece" / "metadata.json"
    metadata_file.write_text(metadata_file.read_text().replace('"name": "AddPiece"', '"name": "SumPiece"'))

    result = _cli(env, str(repo))

    assert result.returncode == 1
    assert result.stderr.startswith("Install failed: The repository has 1 problem(s): pieces/AddPiece/metadata.json")
    assert "  pieces/AddPiece/metadata.json: name: 'SumPiece' must equal the folder name 'AddPiece'" in result.stderr
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(Repository)) == 0
    assert not (root / "domino_style_pieces").exists()


def test_cli_git_source_needs_a_reachable_url(cli_env: tuple[dict[str, str], sa.Engine, Path], tmp_path: Path) -> None:
    env, _engine, _root = cli_env
    result = _cli(env, f"file://{tmp_path / 'none.git'}", "--type", "git", "--version", "1.0.0")
    assert result.returncode == 1
    assert result.stderr.startswith("Install failed: git clone failed:")
