"""domino-pieces: create → compile → run, build-images and release."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from airflow_domino_sdk.cli import main as cli_main

REPO_ROOT = Path(__file__).resolve().parents[3]
Cli = Callable[..., tuple[int, str, str]]


def test_create_compile_run_round_trip(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("create", "repository", "my_pieces", "--dir", str(tmp_path), "--registry", "acme")
    assert code == 0, out
    repo = tmp_path / "my_pieces"
    assert (repo / "pieces" / "ExamplePiece" / "piece.py").is_file()

    code, out, err = cli("create", "piece", "Greet", "--repo", str(repo))
    assert code == 0, err
    assert (repo / "pieces" / "GreetPiece" / "test_greet_piece.py").is_file()

    code, out, err = cli("compile", str(repo))
    assert code == 0, err
    assert "Compiled 2 piece(s) in 1 dependency group(s)" in out
    deps = json.loads((repo / ".domino" / "dependencies_map.json").read_text())
    assert deps["group0"]["source_image"] == "acme/my_pieces:0.1.0-group0"

    (tmp_path / "in.json").write_text(json.dumps({"message": "hey", "repeat": 2}))
    code, out, err = cli("run", "GreetPiece", "--input", str(tmp_path / "in.json"), "--repo", str(repo))
    assert code == 0, err
    assert json.loads(out) == {"message": "hey hey"}
    display = repo / "dry_run_results" / "GreetPiece" / "result.md"
    assert f"Display result (md): {display}" in err
    assert display.read_text().startswith("# GreetPiece")

    # The scaffolded tests pass as generated.
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout


def test_console_script_module_runs() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "airflow_domino_sdk.cli.main", "--help"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    for command in ("create", "compile", "run", "build-images", "release"):
        assert command in proc.stdout


def test_create_rejects_bad_names_and_existing(cli: Cli, tmp_path: Path) -> None:
    assert cli("create", "repository", "bad name!", "--dir", str(tmp_path))[0] == 1
    assert cli("create", "repository", "ok", "--dir", str(tmp_path))[0] == 0
    assert cli("create", "repository", "ok", "--dir", str(tmp_path))[0] == 1
    assert cli("create", "piece", "lower", "--repo", str(tmp_path / "ok"))[0] == 1
    code, _, err = cli("create", "piece", "ExamplePiece", "--repo", str(tmp_path / "ok"))
    assert code == 1
    assert "already exists" in err


def test_compile_lists_all_errors(cli: Cli, fixture_repo_copy: Path) -> None:
    (fixture_repo_copy / "pieces" / "AddPiece" / "models.py").unlink()
    (fixture_repo_copy / "dependencies" / "requirements_slugify.txt").unlink()
    code, _out, err = cli("compile", str(fixture_repo_copy))
    assert code == 1
    assert "ERROR   pieces/AddPiece/models.py: missing file" in err
    assert "ERROR   pieces/SlugifyPiece/metadata.json: dependency.requirements_file: file" in err
    assert "2 error(s); nothing written" in err
    assert not (fixture_repo_copy / ".domino").exists()


def test_run_reports_input_error_with_exit_2(cli: Cli, fixture_repo_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text(json.dumps({"a": "x"}))
    code, out, err = cli("run", "AddPiece", "--input", str(tmp_path / "in.json"), "--repo", str(fixture_repo_copy))
    assert code == 2
    assert out == ""
    assert "Piece AddPiece: invalid input" in err
    assert "a: Input should be a valid integer" in err


def test_run_with_secrets_and_piece_folder(cli: Cli, fixture_repo_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text(json.dumps({"name": "Lin"}))
    (tmp_path / "secrets.json").write_text(json.dumps({"GREETING_API_TOKEN": "abcd-efgh"}))
    piece = fixture_repo_copy / "pieces" / "SecretGreetingPiece"
    code, out, err = cli(
        "run", str(piece), "--input", str(tmp_path / "in.json"), "--secrets", str(tmp_path / "secrets.json")
    )
    assert code == 0, err
    assert json.loads(out) == {"greeting": "Hello, Lin!", "token_length": 9}
    assert "abcd-efgh" not in out + err


def test_build_images_without_engine(cli: Cli, fixture_repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_main, "docker_client", lambda: (None, "no Docker engine reachable (test)"))
    cert = fixture_repo_copy.parent / "proxy-ca.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    code, out, _ = cli(
        "build-images", str(fixture_repo_copy), "--ca-bundle", str(cert), "--pip-index-url", "https://pypi.example/simple",
        "--network", "host",
    )  # fmt: skip
    assert code == 0
    assert "Not building: no Docker engine reachable (test)." in out
    contexts = fixture_repo_copy / "build" / "images"
    assert sorted(p.name for p in contexts.iterdir()) == ["group0", "group1"]
    dockerfile = (contexts / "group1" / "Dockerfile").read_text()
    assert "FROM python:3.11-slim AS build" in dockerfile
    # the build settings reach the install step only; the final stage copies just the virtualenv
    install = next(line for line in dockerfile.splitlines() if line.startswith("RUN "))
    assert "PIP_CERT=/tmp/_domino_build/ca.crt" in install
    assert "PIP_INDEX_URL='https://pypi.example/simple'" in install
    final = dockerfile[dockerfile.rindex("FROM ") :]
    assert "COPY --from=build /opt/venv /opt/venv" in final
    assert "_domino_build" not in final
    assert "PIP_" not in final
    assert "COPY pieces /home/domino/pieces_repository/pieces" in final
    requirements = (contexts / "group1" / "_domino_build" / "requirements.txt").read_text()
    assert requirements.splitlines()[:2] == ["pydantic>=2,<3", "python-slugify>=8"]
    assert (contexts / "group1" / "_domino_build" / "ca.crt").read_text() == cert.read_text()
    assert not list(contexts.rglob("airflow_domino_sdk"))  # the SDK is injected at run time
    assert (contexts / "group1" / ".domino" / "compiled_metadata.json").is_file()
    assert f"docker build --network host -t example-org/domino_style_pieces:0.1.0-group0 {contexts / 'group0'}" in out


def test_build_images_refuses_missing_files_and_stale_shipped_maps(cli: Cli, fixture_repo_copy: Path) -> None:
    code, _, err = cli("build-images", str(fixture_repo_copy), "--ca-bundle", "/nonexistent/ca.pem", "--no-build")
    assert code == 1
    assert "ERROR --ca-bundle: /nonexistent/ca.pem is not a file" in err
    code, _, err = cli("build-images", str(fixture_repo_copy), "--registry", "http://bad host", "--no-build")
    assert code == 1
    assert "'http://bad host' is not a registry URL" in err
    code, _, err = cli("build-images", str(fixture_repo_copy), "--group", "group7", "--no-build")
    assert code == 1
    assert "ERROR --group: no dependency group group7 (groups: group0, group1)" in err
    # a shipped .domino map with other groups: an install would record other images than the build tags
    (fixture_repo_copy / ".domino").mkdir(exist_ok=True)
    (fixture_repo_copy / ".domino" / "compiled_metadata.json").write_text("{}")
    (fixture_repo_copy / ".domino" / "dependencies_map.json").write_text('{"group0": {"pieces": ["AddPiece"]}}')
    code, _, err = cli("build-images", str(fixture_repo_copy), "--no-build")
    assert code == 1
    assert ".domino/dependencies_map.json is stale" in err
    assert "run `domino-pieces compile` first" in err


def git(repo: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_repo(cli: Cli, fixture_repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (fixture_repo_copy / ".gitignore").write_text("__pycache__/\ndry_run_results/\nbuild/\n")
    assert cli("compile", str(fixture_repo_copy))[0] == 0
    git(fixture_repo_copy, "init", "-q", "-b", "main")
    git(fixture_repo_copy, "add", "-A")
    git(fixture_repo_copy, "commit", "-q", "-m", "pieces")
    for key, value in (("GIT_COMMITTER_NAME", "t"), ("GIT_COMMITTER_EMAIL", "t@example.com")):
        monkeypatch.setenv(key, value)
    return fixture_repo_copy


def test_release_creates_tag(cli: Cli, git_repo: Path) -> None:
    code, out, err = cli("release", str(git_repo))
    assert code == 0, err
    assert "Tagged 0.1.0" in out
    assert git(git_repo, "tag", "--list").split() == ["0.1.0"]
    assert git(git_repo, "cat-file", "-t", "0.1.0").strip() == "tag"  # annotated
    code, _, err = cli("release", str(git_repo))
    assert code == 1
    assert "tag 0.1.0 already exists" in err


def test_release_refuses_dirty_tree(cli: Cli, git_repo: Path) -> None:
    (git_repo / "notes.txt").write_text("wip")
    code, _, err = cli("release", str(git_repo))
    assert code == 1
    assert "uncommitted changes" in err
    assert "notes.txt" in err
    assert git(git_repo, "tag", "--list") == ""


def test_release_refuses_stale_compiled_metadata(cli: Cli, git_repo: Path) -> None:
    models = git_repo / "pieces" / "AddPiece" / "models.py"
    models.write_text(models.read_text().replace('description="First number."', 'description="The first number."'))
    git(git_repo, "commit", "-q", "-am", "docs")
    code, _, err = cli("release", str(git_repo))
    assert code == 1
    assert ".domino/compiled_metadata.json out of date" in err


def test_release_refuses_compile_errors(cli: Cli, git_repo: Path) -> None:
    (git_repo / "pieces" / "AddPiece" / "models.py").unlink()
    code, _, err = cli("release", str(git_repo))
    assert code == 1
    assert "pieces/AddPiece/models.py" in err
