"""A repository in the original Domino style installs from its shipped .domino files and runs in its virtualenv;
virtualenvs are built per dependency group, reused across versions and rebuilt when requirements change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.repositories import installer
from airflow_domino_plugin.repositories.sources import LocalSource
from tests.unit.repositories.conftest import DOMINO_REPO, THIRD_PARTY_REPO, Steps, copy_repo

REPO_ROOT = Path(__file__).resolve().parents[3]
SHIPPED = json.loads((THIRD_PARTY_REPO / ".domino" / "compiled_metadata.json").read_text())
SHIPPED_MAP = json.loads((THIRD_PARTY_REPO / ".domino" / "dependencies_map.json").read_text())


@pytest.fixture(scope="module")
def venv_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repositories root for the module, so virtualenvs built by one test are there for the next."""
    return tmp_path_factory.mktemp("venvs") / "repositories"


def _venvs(root: Path) -> set[str]:
    folder = root / "_venvs"
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")} if folder.exists() else set()


def test_shipped_metadata_is_stored_without_compiling(
    session: Session, root: Path, progress: Steps, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow_domino_sdk import repository as sdk_repository

    def no_compile(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the installer compiled a repository that ships .domino/compiled_metadata.json")

    monkeypatch.setattr(sdk_repository, "compile_repository", no_compile)
    installed = installer.install(
        session, LocalSource(str(THIRD_PARTY_REPO)), "", root=root, installed_by="t", progress=progress,
        build_runtimes=False,
    )  # fmt: skip

    assert (installed.name, installed.version) == ("third_party_domino_pieces", "1.4.0")
    assert sorted(installed.pieces) == sorted(SHIPPED)
    repository = session.get(Repository, installed.repository_id)
    assert repository is not None
    assert repository.dependencies_map == SHIPPED_MAP
    assert repository.label == "Third-party style pieces"
    for piece in session.scalars(sa.select(Piece)):
        shipped = SHIPPED[piece.name]
        assert piece.input_schema == shipped["input_schema"]
        assert piece.output_schema == shipped["output_schema"]
        assert piece.secrets_schema == (shipped["secrets_schema"] or {})
        assert piece.dependency == shipped["dependency"]
        assert piece.container_resources == shipped["container_resources"]
        assert piece.style == shipped["style"]
        assert piece.tags == shipped["tags"]
        assert piece.description == shipped["description"]
        # compiling here would have recorded the local path, not the URL the authors compiled with
        assert (
            piece.source_url
            == f"https://github.com/example-org/third_party_domino_pieces/tree/main/pieces/{piece.name}"
        )
    echo = SHIPPED["EchoOutputsPiece"]["input_schema"]
    assert "OutputModifierModel" in echo["$defs"]  # the domino.models import resolved at compile time


def test_third_party_piece_tests_pass_with_the_sdk_pytest_plugin(tmp_path: Path) -> None:
    """The fixture's own tests import ``domino.testing`` — as public repositories' tests do."""
    repo = copy_repo(THIRD_PARTY_REPO, tmp_path / "repo")
    (repo / "conftest.py").unlink()  # an unmodified repository has none
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "airflow_domino_sdk.pytest_plugin", "-p", "no:cacheprovider",
         "-q", "pieces"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout


def test_third_party_piece_runs_in_its_virtualenv(venv_root: Path, tmp_path: Path, session: Session) -> None:
    """Install with runtimes, then run pieces exactly as the local runner does (fresh venv, only the SDK shim)."""
    from airflow_domino_plugin.execution.pieces import LocatedPiece
    from airflow_domino_plugin.execution.runners import subprocess_runner

    progress = Steps()
    installed = installer.install(
        session, LocalSource(str(THIRD_PARTY_REPO)), "", root=venv_root, installed_by="t", progress=progress
    )
    assert any(m.startswith("Creating a virtualenv for third_party_domino_pieces 1.4.0 (group1)")
               for m in progress.messages)  # fmt: skip
    assert any("text-unidecode==1.3" in m for m in progress.messages)
    repository = session.get(Repository, installed.repository_id)
    assert repository is not None

    def run(name: str, inputs: dict) -> tuple[subprocess_runner.RunOutcome, list[str]]:
        piece = session.scalar(sa.select(Piece).where(Piece.name == name))
        assert piece is not None
        requirements_file = piece.dependency.get("requirements_file")
        folder = Path(repository.path)
        located = LocatedPiece(
            repository=repository.name, version=repository.version, name=name, piece_dir=folder / "pieces" / name,
            requirements=(folder / "dependencies" / requirements_file).read_text() if requirements_file else "",
            dependency=piece.dependency, group="", image="", output_schema=piece.output_schema,
        )  # fmt: skip
        lines: list[str] = []
        outcome = subprocess_runner.run(
            located, inputs=inputs, secrets={}, results_path=tmp_path / name, context={"task_id": name},
            log_line=lines.append, timeout_s=120, repositories_root=venv_root,
        )  # fmt: skip
        return outcome, lines

    outcome, lines = run("TransliteratePiece", {"text": "Crème brûlée"})
    assert outcome.failure("TransliteratePiece", 120) is None, lines
    assert outcome.result["outputs"] == {"ascii_text": "Creme brulee"}
    assert any("Reusing the environment" in line for line in lines), lines  # the venv built at install
    assert any("Transliterated 12 characters" in line for line in lines), lines

    outcome, lines = run("EchoOutputsPiece", {"values": {"name": "Ada"}})
    assert outcome.failure("EchoOutputsPiece", 120) is None, lines
    assert outcome.result["outputs"] == {"name": "Ada"}

    outcome, lines = run("WordCountPiece", {"text": 3})
    assert outcome.exit_code == 2, lines  # inputs validated by the piece's own model
    assert "text" in outcome.result["error"]["message"] + json.dumps(outcome.result["error"].get("errors"))

    # the piece's environment has no Airflow and no top-level domino package
    python = Path(venv_root) / "_venvs"
    for venv in python.iterdir():
        if venv.name.startswith("."):
            continue
        probe = subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import importlib.util as u; print(u.find_spec('airflow'), "
             "u.find_spec('domino'))"],
            capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]},
        )  # fmt: skip
        assert probe.stdout.strip() == "None None"


def test_virtualenvs_are_reused_across_versions_and_rebuilt_for_new_requirements(
    venv_root: Path, tmp_path: Path, session: Session
) -> None:
    def install(repo: Path) -> Steps:
        progress = Steps()
        installer.install(session, LocalSource(str(repo)), "", root=venv_root, installed_by="t", progress=progress)
        return progress

    before = _venvs(venv_root)
    first = install(copy_repo(DOMINO_REPO, tmp_path / "v1", version="0.1.0"))
    after_first = _venvs(venv_root)
    created = [m for m in first.messages if m.startswith("Creating a virtualenv")]
    reused = [m for m in first.messages if m.startswith("Reusing the environment")]
    assert len(after_first - before) == len(created), first.messages
    assert len(created) + len(reused) == 2  # two dependency groups: base environment and python-slugify
    assert any(m.startswith("Creating a virtualenv for domino_style_pieces 0.1.0 (group1)") for m in created)
    if before:  # the previous test built the base environment (no requirements): reused, not rebuilt
        assert reused == ["Reusing the environment for domino_style_pieces 0.1.0 (group0)"]

    second = install(copy_repo(DOMINO_REPO, tmp_path / "v2", version="0.2.0"))
    assert _venvs(venv_root) == after_first  # same requirements: nothing built
    assert "Reusing the environment for domino_style_pieces 0.2.0 (group0)" in second.messages
    assert "Reusing the environment for domino_style_pieces 0.2.0 (group1)" in second.messages
    assert not any(m.startswith("Creating a virtualenv") for m in second.messages)

    changed = copy_repo(DOMINO_REPO, tmp_path / "v3", version="0.3.0")
    (changed / "dependencies" / "requirements_slugify.txt").write_text("python-slugify>=8\ntext-unidecode>=1.3\n")
    third = install(changed)
    new = _venvs(venv_root) - after_first
    assert len(new) == 1, third.messages
    assert "Creating a virtualenv for domino_style_pieces 0.3.0 (group1)" in third.messages
    assert "Reusing the environment for domino_style_pieces 0.3.0 (group0)" in third.messages
    (venv,) = new
    ready = (venv_root / "_venvs" / venv / ".ready").read_text()
    assert "text-unidecode" in ready
    check = subprocess.run(
        [str(venv_root / "_venvs" / venv / "bin" / "python"), "-c", "import slugify, text_unidecode"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert not list((venv_root / "_venvs").glob(".building-*"))
