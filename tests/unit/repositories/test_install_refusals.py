"""Malformed repositories are refused with a message naming the problem, and leave no rows and no files."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from airflow_domino_plugin.repositories import installer
from airflow_domino_plugin.repositories.archive import extract_tarball
from airflow_domino_plugin.repositories.errors import InstallError
from airflow_domino_plugin.repositories.sources import GitSource, LocalSource, make_source
from tests.unit.repositories.conftest import (
    DOMINO_REPO,
    THIRD_PARTY_REPO,
    Steps,
    assert_nothing_left,
    copy_repo,
    counts,
    git,
)

NAME, VERSION = "domino_style_pieces", "0.1.0"


def _install(session: Session, source, root: Path, progress: Steps, ref: str = "") -> installer.Installed:  # type: ignore[no-untyped-def]
    return installer.install(
        session, source, ref, root=root, installed_by="tester", progress=progress, build_runtimes=False
    )


def _edit_json(path: Path, change: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


# ------------------------------------------------------------------------- broken source repositories


def _no_config(repo: Path) -> None:
    (repo / "config.toml").unlink()


def _no_version(repo: Path) -> None:
    config = repo / "config.toml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if not line.startswith("VERSION")))


def _bad_version(repo: Path) -> None:
    config = repo / "config.toml"
    config.write_text(config.read_text().replace('VERSION = "0.1.0"', 'VERSION = "../../0.1.0"'))


def _models_syntax_error(repo: Path) -> None:
    models = repo / "pieces" / "AddPiece" / "models.py"
    models.write_text(models.read_text() + "\ndef broken(:\n")


def _metadata_name_mismatch(repo: Path) -> None:
    _edit_json(repo / "pieces" / "AddPiece" / "metadata.json", lambda m: m.update(name="SubtractPiece"))


def _requirements_missing(repo: Path) -> None:
    (repo / "dependencies" / "requirements_slugify.txt").unlink()


def _requirements_outside(repo: Path) -> None:
    _edit_json(
        repo / "pieces" / "SlugifyPiece" / "metadata.json",
        lambda m: m.update(dependency={"requirements_file": "../config.toml"}),
    )


def _piece_without_input_model(repo: Path) -> None:
    models = repo / "pieces" / "AddPiece" / "models.py"
    models.write_text(models.read_text().replace("class InputModel", "class SomethingElse"))


def _no_pieces(repo: Path) -> None:
    shutil.rmtree(repo / "pieces")


BROKEN = {
    "missing config.toml": (_no_config, ["config.toml", "missing file"]),
    "missing VERSION": (_no_version, ["config.toml", "repository.VERSION", "required"]),
    "unsafe VERSION": (_bad_version, ["config.toml", "repository.VERSION", "'../../0.1.0' is not valid"]),
    "models.py syntax error": (
        _models_syntax_error,
        ["pieces/AddPiece/models.py", "syntax error in models.py line 16"],
    ),
    "metadata name mismatch": (
        _metadata_name_mismatch,
        ["pieces/AddPiece/metadata.json", "name", "'SubtractPiece' must equal the folder name 'AddPiece'"],
    ),
    "requirements file missing": (
        _requirements_missing,
        [
            "pieces/SlugifyPiece/metadata.json",
            "dependency.requirements_file",
            "dependencies/requirements_slugify.txt does not exist",
        ],
    ),
    "requirements file outside dependencies/": (
        _requirements_outside,
        ["pieces/SlugifyPiece/metadata.json", "dependency.requirements_file", "must be a file name in dependencies/"],
    ),
    "InputModel missing": (_piece_without_input_model, ["pieces/AddPiece/models.py", "InputModel", "not defined"]),
    "no pieces folder": (_no_pieces, ["pieces", "missing folder"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_repository_is_refused_and_leaves_nothing(
    case: str, session: Session, root: Path, progress: Steps, tmp_path: Path
) -> None:
    breaker, expected = BROKEN[case]
    repo = copy_repo(DOMINO_REPO, tmp_path / "repo")
    breaker(repo)

    with pytest.raises(InstallError) as caught:
        _install(session, LocalSource(str(repo)), root, progress)

    for fragment in expected:
        assert fragment in caught.value.message, (fragment, caught.value.message)
    assert_nothing_left(session, root, NAME, VERSION)


def test_problems_list_every_error_with_file_and_field(session: Session, root: Path, progress: Steps, tmp_path: Path):
    repo = copy_repo(DOMINO_REPO, tmp_path / "repo")
    _models_syntax_error(repo)
    _metadata_name_mismatch(repo)
    _requirements_missing(repo)

    with pytest.raises(InstallError) as caught:
        _install(session, LocalSource(str(repo)), root, progress)

    where = {(p["file"], p["field"]) for p in caught.value.problems}
    assert ("pieces/AddPiece/metadata.json", "name") in where
    assert ("pieces/SlugifyPiece/metadata.json", "dependency.requirements_file") in where
    assert any(p["file"] == "pieces/AddPiece/models.py" for p in caught.value.problems)
    assert "3 problem(s)" in caught.value.message
    assert_nothing_left(session, root, NAME, VERSION)


# -------------------------------------------------------------------- broken shipped .domino metadata


def _shipped_unsafe_piece_name(repo: Path) -> None:
    def change(compiled: dict) -> None:
        compiled["../../EvilPiece"] = compiled.pop("WordCountPiece")

    _edit_json(repo / ".domino" / "compiled_metadata.json", change)


def _shipped_unsafe_requirements(repo: Path) -> None:
    _edit_json(
        repo / ".domino" / "compiled_metadata.json",
        lambda c: c["TransliteratePiece"]["dependency"].update(requirements_file="../../config.toml"),
    )


def _shipped_missing_requirements(repo: Path) -> None:
    (repo / "dependencies" / "requirements_0.txt").unlink()


def _shipped_unsafe_dependencies_map(repo: Path) -> None:
    _edit_json(
        repo / ".domino" / "dependencies_map.json",
        lambda d: d["group1"]["dependency"].update(requirements_file="../../../etc/passwd"),
    )


def _shipped_name_mismatch(repo: Path) -> None:
    _edit_json(repo / ".domino" / "compiled_metadata.json", lambda c: c["WordCountPiece"].update(name="OtherPiece"))


def _shipped_piece_folder_missing(repo: Path) -> None:
    shutil.rmtree(repo / "pieces" / "EchoOutputsPiece")


def _shipped_not_json(repo: Path) -> None:
    (repo / ".domino" / "compiled_metadata.json").write_text("{not json")


def _shipped_schema_not_object(repo: Path) -> None:
    _edit_json(repo / ".domino" / "compiled_metadata.json", lambda c: c["WordCountPiece"].update(input_schema="x"))


SHIPPED = {
    "unsafe piece name": (
        _shipped_unsafe_piece_name,
        [".domino/compiled_metadata.json", "../../EvilPiece", "unsafe piece name"],
    ),
    "requirements_file with ..": (
        _shipped_unsafe_requirements,
        ["dependencies/../../config.toml", "TransliteratePiece.dependency", "missing or unsafe requirements file"],
    ),
    "requirements file missing": (
        _shipped_missing_requirements,
        ["dependencies/requirements_0.txt", "TransliteratePiece.dependency", "missing or unsafe requirements file"],
    ),
    "dependencies_map requirements_file with ..": (
        _shipped_unsafe_dependencies_map,
        [".domino/dependencies_map.json", "group1", "unsafe requirements file"],
    ),
    "metadata name differs from its key": (
        _shipped_name_mismatch,
        [".domino/compiled_metadata.json", "WordCountPiece.name", "'OtherPiece'"],
    ),
    "piece folder missing": (_shipped_piece_folder_missing, ["pieces/EchoOutputsPiece/piece.py", "missing file"]),
    "not JSON": (_shipped_not_json, [".domino/compiled_metadata.json", "not valid JSON"]),
    "schema not an object": (
        _shipped_schema_not_object,
        [".domino/compiled_metadata.json", "WordCountPiece.input_schema", "expected a JSON schema object"],
    ),
}


@pytest.mark.parametrize("case", list(SHIPPED))
def test_broken_shipped_metadata_is_refused_and_leaves_nothing(
    case: str, session: Session, root: Path, progress: Steps, tmp_path: Path
) -> None:
    breaker, expected = SHIPPED[case]
    repo = copy_repo(THIRD_PARTY_REPO, tmp_path / "repo")
    breaker(repo)

    with pytest.raises(InstallError) as caught:
        _install(session, LocalSource(str(repo)), root, progress)

    for fragment in expected:
        assert fragment in caught.value.message, (fragment, caught.value.message)
    assert_nothing_left(session, root, "third_party_domino_pieces", "1.4.0")


# --------------------------------------------------------------------------- clashes and bad sources


def test_same_name_and_version_twice_is_refused(session: Session, root: Path, progress: Steps) -> None:
    first = _install(session, LocalSource(str(DOMINO_REPO)), root, progress)
    installed_dir = root / NAME / VERSION
    before = sorted(p.relative_to(installed_dir) for p in installed_dir.rglob("*"))

    with pytest.raises(installer.AlreadyInstalled) as caught:
        _install(session, LocalSource(str(DOMINO_REPO)), root, progress)

    assert caught.value.message == (
        f"{NAME} {VERSION} is already installed (id {first.repository_id}); delete it first or install another version"
    )
    assert counts(session) == (1, len(first.pieces))
    assert sorted(p.relative_to(installed_dir) for p in installed_dir.rglob("*")) == before  # untouched
    assert not list(root.glob(".staging-*"))


def test_unreachable_git_url_is_refused(session: Session, root: Path, progress: Steps, tmp_path: Path) -> None:
    url = f"file://{tmp_path / 'no-such-repo.git'}"
    with pytest.raises(InstallError) as caught:
        _install(session, GitSource(url), root, progress, ref="0.1.0")
    assert caught.value.message.startswith("git clone failed:")
    assert "no-such-repo.git" in caught.value.message
    assert_nothing_left(session, root)
    with pytest.raises(InstallError, match=r"git ls-remote failed: .*no-such-repo\.git"):
        GitSource(url).versions()


def test_missing_local_folder_is_refused(session: Session, root: Path, progress: Steps, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(InstallError) as caught:
        _install(session, make_source("local", str(missing)), root, progress)
    assert caught.value.message == f"source_url: the folder {missing} does not exist or is not a folder"
    assert_nothing_left(session, root)


def test_unknown_source_type_is_refused() -> None:
    with pytest.raises(InstallError, match="source_type: expected one of local, git, github; got 'svn'"):
        make_source("svn", "x")


def test_failure_after_the_files_moved_removes_them(
    session: Session, root: Path, progress: Steps, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A late failure (preparing the runtimes, after the compile built the environments) removes the
    already materialised version folder too."""

    def failing_sdk_path(*_args: object, **_kwargs: object) -> Path:
        assert (root / NAME / VERSION / "pieces").is_dir()  # the files were in place when it failed
        raise InstallError("Could not prepare the runtimes of domino_style_pieces 0.1.0: boom")

    monkeypatch.setattr(installer, "sdk_path", failing_sdk_path)
    with pytest.raises(InstallError, match="boom"):
        installer.install(session, LocalSource(str(DOMINO_REPO)), "", root=root, installed_by="t", progress=progress)
    assert_nothing_left(session, root, NAME, VERSION)
    assert not (root / NAME).exists()


def test_failed_install_keeps_other_versions(session: Session, root: Path, progress: Steps, tmp_path: Path) -> None:
    _install(session, LocalSource(str(DOMINO_REPO)), root, progress)
    repo = copy_repo(DOMINO_REPO, tmp_path / "repo", version="0.1.1")
    _models_syntax_error(repo)
    with pytest.raises(InstallError):
        _install(session, LocalSource(str(repo)), root, progress)
    assert counts(session)[0] == 1
    assert (root / NAME / "0.1.0" / "pieces").is_dir()
    assert not (root / NAME / "0.1.1").exists()


# ------------------------------------------------------------------------------------ unsafe archives


def _tarball(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


UNSAFE = {
    "parent": [_file("top/config.toml"), _file("top/../evil")],
    "dotdot at the start": [_file("../evil")],
    "absolute": [_file("top/config.toml"), _file("/tmp/evil-absolute")],
    "symlink": [_file("top/config.toml"), _link("top/pieces", "/etc", tarfile.SYMTYPE)],
    "hard link": [_file("top/config.toml"), _link("top/passwd", "/etc/passwd", tarfile.LNKTYPE)],
    "backslash absolute": [_file("\\evil")],
}


@pytest.mark.parametrize("case", list(UNSAFE))
def test_unsafe_archive_entries_are_refused_before_extracting(case: str, tmp_path: Path) -> None:
    archive = _tarball(tmp_path / "a.tar.gz", UNSAFE[case])
    target = tmp_path / "out"
    with pytest.raises(InstallError) as caught:
        extract_tarball(archive, target)
    assert "unsafe entries" in caught.value.message
    bad_name = UNSAFE[case][-1][0].name
    assert repr(bad_name) in caught.value.message  # names the entry
    assert not target.exists() or not any(target.rglob("*"))
    assert not (tmp_path / "evil").exists()


def test_safe_archive_extracts_into_its_top_folder(tmp_path: Path) -> None:
    archive = _tarball(
        tmp_path / "a.tar.gz", [_file("org-repo-abc123/config.toml", b"[repository]\n"), _file("org-repo-abc123/a/b")]
    )
    top = extract_tarball(archive, tmp_path / "out")
    assert top == tmp_path / "out" / "org-repo-abc123"
    assert (top / "config.toml").read_text() == "[repository]\n"


def test_git_repository_with_an_escaping_symlink_is_refused(
    session: Session, root: Path, progress: Steps, tmp_path: Path
) -> None:
    repo = copy_repo(DOMINO_REPO, tmp_path / "repo")
    (repo / "dependencies" / "requirements_slugify.txt").unlink()
    (repo / "dependencies" / "requirements_slugify.txt").symlink_to("/etc/hostname")
    git("init", "--quiet", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "--quiet", "-m", "links", cwd=repo)
    with pytest.raises(InstallError) as caught:
        _install(session, GitSource(f"file://{repo}"), root, progress)
    assert "dependencies/requirements_slugify.txt" in caught.value.message
    assert "link" in caught.value.message
    assert_nothing_left(session, root, NAME, VERSION)
