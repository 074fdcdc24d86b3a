"""Installing from a folder and from a real git repository (file:// URL): rows, files, versions side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Piece, Repository
from airflow_domino_plugin.repositories import installer
from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.report import upgrade_report
from airflow_domino_plugin.repositories.sources import GitSource, LocalSource, make_source
from tests.unit.repositories.conftest import DOMINO_REPO, Steps, counts, git, make_tagged_git_repo

FIXTURE_PIECES = sorted(p.name for p in (DOMINO_REPO / "pieces").iterdir() if p.name.endswith("Piece"))


@pytest.fixture(scope="module")
def tagged_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tagged_git_repo(tmp_path_factory.mktemp("git") / "domino_style_pieces")


def _install(session: Session, source, ref: str, root: Path, progress: Steps) -> installer.Installed:  # type: ignore[no-untyped-def]
    return installer.install(
        session, source, ref, root=root, installed_by="tester", progress=progress, build_runtimes=False
    )


def _schemas(session: Session, version: str) -> dict[str, dict]:
    repository = session.scalar(sa.select(Repository).where(Repository.version == version))
    assert repository is not None
    return {
        p.name: {"input_schema": p.input_schema, "output_schema": p.output_schema, "secrets_schema": p.secrets_schema}
        for p in repository.pieces
    }


def test_local_folder_install_writes_rows_and_files(session: Session, root: Path, progress: Steps) -> None:
    installed = _install(session, make_source("local", str(DOMINO_REPO)), "", root, progress)

    assert (installed.name, installed.version) == ("domino_style_pieces", "0.1.0")
    assert sorted(installed.pieces) == FIXTURE_PIECES
    repository = session.get(Repository, installed.repository_id)
    assert repository is not None
    assert repository.source_type == "local"
    assert repository.source_url == str(DOMINO_REPO)
    assert repository.installed_by == "tester"
    assert repository.label == "Domino-style test pieces"
    assert repository.registry_name == "example-org"
    assert Path(repository.path) == root / "domino_style_pieces" / "0.1.0"
    assert (root / "domino_style_pieces" / "0.1.0" / "pieces" / "AddPiece" / "piece.py").is_file()
    assert (root / "domino_style_pieces" / "0.1.0" / "dependencies" / "requirements_slugify.txt").is_file()
    assert not list((root / "domino_style_pieces" / "0.1.0").rglob("__pycache__"))
    add = session.scalar(sa.select(Piece).where(Piece.name == "AddPiece"))
    assert add is not None
    assert add.description == "Adds two numbers."
    assert add.tags == ["Math"]
    assert add.style["node_label"] == "Add"
    assert add.container_resources["limits"] == {"cpu": 500, "memory": 512}
    assert set(add.input_schema["properties"]) == {"a", "b"}
    assert add.output_schema["properties"]["total"]["type"] == "integer"
    slugify = session.scalar(sa.select(Piece).where(Piece.name == "SlugifyPiece"))
    assert slugify is not None
    assert slugify.dependency["requirements_file"] == "requirements_slugify.txt"
    greeting = session.scalar(sa.select(Piece).where(Piece.name == "SecretGreetingPiece"))
    assert greeting is not None
    assert greeting.secrets_schema["properties"]
    groups = {g: spec["pieces"] for g, spec in repository.dependencies_map.items()}
    assert any("SlugifyPiece" in pieces for pieces in groups.values())
    # progress: monotonic percentages, ends at 100, names each step
    percents = [p for p, _m in progress]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert progress.messages[0].startswith("Fetching ")
    assert "Validating the repository" in progress.messages
    assert progress.messages[-1] == f"Installed domino_style_pieces 0.1.0 with {len(FIXTURE_PIECES)} pieces"
    assert not list(root.glob(".staging-*"))


def test_git_versions_lists_the_tags_newest_first(tagged_repo: Path) -> None:
    assert GitSource(f"file://{tagged_repo}").versions() == ["0.2.0", "0.1.0"]


def test_git_versions_side_by_side_and_upgrade_report(
    session: Session, root: Path, progress: Steps, tagged_repo: Path
) -> None:
    url = f"file://{tagged_repo}"
    first = _install(session, GitSource(url), "0.1.0", root, progress)
    second = _install(session, GitSource(url), "0.2.0", root, progress)

    assert (first.version, second.version) == ("0.1.0", "0.2.0")
    assert counts(session) == (2, len(FIXTURE_PIECES) * 2)  # one piece added, one removed
    old_dir, new_dir = root / "domino_style_pieces" / "0.1.0", root / "domino_style_pieces" / "0.2.0"
    assert (old_dir / "pieces" / "FailPiece").is_dir()
    assert not (old_dir / "pieces" / "MultiplyPiece").exists()
    assert (new_dir / "pieces" / "MultiplyPiece" / "piece.py").is_file()
    assert not (new_dir / "pieces" / "FailPiece").exists()
    assert not (new_dir / ".git").exists()
    assert "float" in (new_dir / "pieces" / "AddPiece" / "models.py").read_text()
    assert "float" not in (old_dir / "pieces" / "AddPiece" / "models.py").read_text()

    old_row = session.get(Repository, first.repository_id)
    new_row = session.get(Repository, second.repository_id)
    assert old_row is not None
    assert new_row is not None
    assert (old_row.source_type, old_row.source_url, old_row.source_ref) == ("git", url, "0.1.0")
    tag_commits = {tag: git("rev-list", "-n", "1", tag, cwd=tagged_repo).strip() for tag in ("0.1.0", "0.2.0")}
    assert old_row.commit_sha == tag_commits["0.1.0"]
    assert new_row.commit_sha == tag_commits["0.2.0"]
    assert old_row.commit_sha != new_row.commit_sha

    report = upgrade_report(_schemas(session, "0.1.0"), _schemas(session, "0.2.0"))
    assert report["pieces_added"] == ["MultiplyPiece"]
    assert report["pieces_removed"] == ["FailPiece"]
    assert report["breaking"] is True
    changed = {c["piece"]: c for c in report["pieces_changed"]}
    assert set(changed) == {"AddPiece"}
    inputs = changed["AddPiece"]["inputs"]
    assert inputs["added"] == ["c"]
    assert inputs["removed"] == ["b"]
    assert inputs["retyped"] == [{"name": "a", "from": "integer", "to": "number"}]
    assert changed["AddPiece"]["outputs"]["added"] == ["doubled"]
    assert changed["AddPiece"]["outputs"]["removed"] == []

    # the reverse direction is reported symmetrically
    back = upgrade_report(_schemas(session, "0.2.0"), _schemas(session, "0.1.0"))
    assert back["pieces_added"] == ["FailPiece"]
    assert back["pieces_removed"] == ["MultiplyPiece"]
    back_inputs = back["pieces_changed"][0]["inputs"]
    assert (back_inputs["added"], back_inputs["removed"]) == (["b"], ["c"])


def test_upgrade_report_without_changes_is_not_breaking() -> None:
    schema = {"properties": {"a": {"type": "integer"}}, "required": ["a"]}
    same = {"P": {"input_schema": schema, "output_schema": schema, "secrets_schema": {}}}
    assert upgrade_report(same, same) == {
        "pieces_added": [], "pieces_removed": [], "pieces_changed": [], "breaking": False
    }  # fmt: skip
    optional = {"properties": {"a": {"type": "integer"}, "n": {"type": "string"}}, "required": ["a"]}
    added = {"P": {"input_schema": optional, "output_schema": schema, "secrets_schema": {}}}
    report = upgrade_report(same, added)
    assert report["pieces_changed"][0]["inputs"]["added"] == ["n"]
    assert report["breaking"] is False
    required = {**optional, "required": ["a", "n"]}
    report = upgrade_report(same, {"P": {"input_schema": required, "output_schema": schema, "secrets_schema": {}}})
    assert report["pieces_changed"][0]["inputs"]["newly_required"] == ["n"]
    assert report["breaking"] is True


def test_git_default_branch_without_a_tag(session: Session, root: Path, progress: Steps, tagged_repo: Path) -> None:
    installed = _install(session, GitSource(f"file://{tagged_repo}"), "", root, progress)
    assert installed.version == "0.2.0"  # the branch head holds VERSION 0.2.0


def test_tag_that_differs_from_version_is_noted(
    session: Session, root: Path, progress: Steps, tagged_repo: Path, tmp_path: Path
) -> None:
    git("tag", "release-candidate", "0.1.0", cwd=tagged_repo)
    try:
        installed = _install(session, GitSource(f"file://{tagged_repo}"), "release-candidate", root, progress)
    finally:
        git("tag", "-d", "release-candidate", cwd=tagged_repo)
    assert installed.version == "0.1.0"
    assert any("tag release-candidate holds VERSION 0.1.0" in m for m in progress.messages)


def test_local_source_lists_its_config_version() -> None:
    assert LocalSource(str(DOMINO_REPO)).versions() == ["0.1.0"]


def test_unknown_git_tag_is_refused(session: Session, root: Path, progress: Steps, tagged_repo: Path) -> None:
    with pytest.raises(InstallError) as caught:
        _install(session, GitSource(f"file://{tagged_repo}"), "9.9.9", root, progress)
    assert "git clone failed" in caught.value.message
    assert "9.9.9" in caught.value.message
    assert counts(session) == (0, 0)


def test_compiled_files_are_not_required_but_are_kept_when_shipped(
    session: Session, root: Path, progress: Steps
) -> None:
    installed = _install(session, LocalSource(str(DOMINO_REPO)), "", root, progress)
    folder = root / installed.name / installed.version
    assert not (folder / ".domino").exists()  # compiled at install; nothing written into the installed copy
    assert json.loads((folder / "pieces" / "AddPiece" / "metadata.json").read_text())["name"] == "AddPiece"
