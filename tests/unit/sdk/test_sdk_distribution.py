"""The SDK as its own distribution: a wheel with the ``domino`` shim that installs with only pydantic, and
whose ``domino-pieces test`` runs a Domino-layout repository's tests in a cached environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from airflow_domino_sdk.cli import testenv

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURE_REPO = REPO_ROOT / "tests" / "fixtures" / "domino_style_repo"
# pydantic and what it needs, plus what `python -m venv` puts into every virtualenv.
PYDANTIC_CLOSURE = {"pydantic", "pydantic-core", "annotated-types", "typing-extensions", "typing-inspection"}
VENV_BASE = {"pip", "setuptools"}


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="module")
def sdk_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from sdk/ (a copy, so the build leaves nothing in the working tree)."""
    work = tmp_path_factory.mktemp("sdk_build")
    source = work / "sdk"
    shutil.copytree(REPO_ROOT / "sdk", source, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    built = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", source)
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("airflow_domino_sdk-*.whl")
    return wheel


@pytest.fixture(scope="module")
def sdk_venv(sdk_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv into which only the SDK wheel was installed (its dependencies from the index)."""
    venv = tmp_path_factory.mktemp("sdk_only_venv")
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", sdk_wheel)
    assert installed.returncode == 0, installed.stderr
    return venv


def test_wheel_ships_the_domino_shim_and_the_type_marker_and_nothing_stray(sdk_wheel: Path) -> None:
    names = set(zipfile.ZipFile(sdk_wheel).namelist())
    shim = {
        f"airflow_domino_sdk/{p.relative_to(REPO_ROOT / 'sdk' / 'airflow_domino_sdk').as_posix()}"
        for p in (REPO_ROOT / "sdk" / "airflow_domino_sdk" / "compat_path").rglob("*.py")
    }
    assert shim, "the compat_path shim has no files"
    assert shim <= names
    assert "airflow_domino_sdk/py.typed" in names
    assert "airflow_domino_sdk/cli/testenv.py" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert not [n for n in names if n.startswith("airflow_domino_plugin/")]


def test_the_sdk_installs_with_only_pydantic_and_its_command_works(sdk_venv: Path) -> None:
    listed = _run(sdk_venv / "bin" / "python", "-m", "pip", "list", "--format", "json")
    names = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}
    assert names - VENV_BASE == PYDANTIC_CLOSURE | {"airflow-domino-sdk"}
    helped = _run(sdk_venv / "bin" / "domino-pieces", "--help")
    assert helped.returncode == 0, helped.stderr
    for command in ("create", "compile", "run", "build-images", "release", "test"):
        assert command in helped.stdout


def test_domino_pieces_test_runs_the_repository_tests_and_reuses_its_environment(
    sdk_venv: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "domino_style_repo"
    shutil.copytree(FIXTURE_REPO, repo, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    cache = tmp_path / "cache"
    cli = sdk_venv / "bin" / "domino-pieces"
    command = [cli, "test", repo, "--cache-dir", cache, "--", "-v", "-p", "no:cacheprovider"]

    first = _run(*command, cwd=tmp_path)
    out = first.stdout + first.stderr
    assert first.returncode == 0, out
    assert "Creating a test environment" in out
    assert "dependencies/requirements_slugify.txt" in out
    # Original Domino tests (`from domino.testing import piece_dry_run`) ran unmodified, with the
    # repository's own requirement (python-slugify) installed only in the test environment.
    assert "test_slugify_piece.py::test_slugify_piece PASSED" in out
    assert "test_add_piece.py::test_add_piece PASSED" in out
    assert " failed" not in out
    [env] = (cache / "test-envs").iterdir()
    assert _run(sdk_venv / "bin" / "python", "-c", "import slugify").returncode != 0

    test_file = repo / "pieces" / "SlugifyPiece" / "test_slugify_piece.py"
    test_file.write_text(test_file.read_text().replace('"hello-world-airflow"', '"not-the-slug"'))
    second = _run(*command, cwd=tmp_path)
    out = second.stdout + second.stderr
    assert second.returncode == 1, out
    assert f"Reusing the test environment {env}" in out
    assert "Creating a test environment" not in out
    assert "test_slugify_piece.py::test_slugify_piece FAILED" in out
    assert [p.name for p in (cache / "test-envs").iterdir()] == [env.name]


def test_the_environment_key_follows_the_requirements_content(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "dependencies").mkdir(parents=True)
    (repo / "dependencies" / "requirements_0.txt").write_text("python-slugify>=8\n")
    first = testenv.environment_key(repo)
    assert testenv.environment_key(repo) == first
    (repo / "dependencies" / "requirements_0.txt").write_text("python-slugify>=9\n")
    second = testenv.environment_key(repo)
    assert second != first
    (repo / "dependencies" / "Dockerfile_1").write_text("FROM python:3.11\n")  # not installed into the env
    assert testenv.environment_key(repo) == second
    (repo / "dependencies" / "requirements_1.txt").write_text("text-unidecode==1.3\n")
    assert testenv.environment_key(repo) != second


def test_pytest_gets_the_plugin_and_the_default_paths_unless_paths_are_given(tmp_path: Path) -> None:
    (tmp_path / "pieces").mkdir()
    python = Path("/venv/bin/python")
    default = testenv.pytest_command(python, tmp_path, ["-x"])
    assert default == [str(python), "-m", "pytest", "-p", "airflow_domino_sdk.pytest_plugin",
                       f"--rootdir={tmp_path}", "pieces", "-x"]  # fmt: skip
    (tmp_path / "tests").mkdir()
    assert testenv.pytest_command(python, tmp_path, [])[-2:] == ["pieces", "tests"]
    (tmp_path / "pieces" / "AddPiece").mkdir()
    chosen = testenv.pytest_command(python, tmp_path, ["pieces/AddPiece", "-k", "add"])
    assert chosen[-3:] == ["pieces/AddPiece", "-k", "add"]
    assert "tests" not in chosen
