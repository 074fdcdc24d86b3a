"""Repository snapshots in results storage: published at install, fetched once per machine under a lock."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from airflow_domino_plugin.repositories import snapshots
from tests.unit.repositories.helpers import DOMINO_REPO, copy_repo


@pytest.fixture
def storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "shared-storage"
    monkeypatch.setenv("AIRFLOW__DOMINO__STORAGE_URL", f"file://{folder}")
    return folder


def _fetch(root: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    folder = snapshots.ensure_local(Path(root), "domino_style_pieces", "0.1.0", "7:2026", lambda _m: None)
    queue.put(str(folder))


def test_a_published_version_is_fetched_once_by_concurrent_tasks(tmp_path: Path, storage: Path) -> None:
    installed = copy_repo(DOMINO_REPO, tmp_path / "api-machine" / "domino_style_pieces" / "0.1.0")
    uri = snapshots.publish(installed, "domino_style_pieces", "0.1.0")
    assert uri == f"file://{storage}/_repositories/domino_style_pieces/0.1.0.tar.gz"
    assert (storage / "_repositories" / "domino_style_pieces" / "0.1.0.tar.gz").is_file()

    worker_root = tmp_path / "worker-machine"
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    processes = [multiprocessing.Process(target=_fetch, args=(str(worker_root), queue)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    folders = {queue.get(timeout=5) for _ in processes}

    fetched = worker_root / "domino_style_pieces" / "0.1.0"
    assert folders == {str(fetched)}
    assert (fetched / "pieces" / "AddPiece" / "piece.py").read_text() == (
        installed / "pieces" / "AddPiece" / "piece.py"
    ).read_text()
    journal = (worker_root / snapshots.JOURNAL).read_text().splitlines()
    assert len(journal) == 1, journal  # four tasks, one fetch
    assert not list(fetched.parent.glob(".fetch-*"))


def test_a_reinstalled_version_replaces_the_fetched_folder(tmp_path: Path, storage: Path) -> None:
    installed = copy_repo(DOMINO_REPO, tmp_path / "api" / "domino_style_pieces" / "0.1.0")
    snapshots.publish(installed, "domino_style_pieces", "0.1.0")
    root = tmp_path / "worker"
    first = snapshots.ensure_local(root, "domino_style_pieces", "0.1.0", "1:a", lambda _m: None)
    assert snapshots.ensure_local(root, "domino_style_pieces", "0.1.0", "1:a", lambda _m: None) == first

    (installed / "pieces" / "AddPiece" / "piece.py").write_text("# the reinstalled version\n")
    snapshots.publish(installed, "domino_style_pieces", "0.1.0")
    again = snapshots.ensure_local(root, "domino_style_pieces", "0.1.0", "2:b", lambda _m: None)

    assert (again / "pieces" / "AddPiece" / "piece.py").read_text() == "# the reinstalled version\n"
    assert len((root / snapshots.JOURNAL).read_text().splitlines()) == 2


def test_a_missing_snapshot_names_the_uri_and_the_setting(tmp_path: Path, storage: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"_repositories/absent/1\.0\.tar\.gz does not exist.*storage_url"):
        snapshots.ensure_local(tmp_path / "worker", "absent", "1.0", "1:a", lambda _m: None)
    assert not (tmp_path / "worker" / "absent" / "1.0").exists()
    assert not list((tmp_path / "worker" / "absent").glob(".fetch-*"))


def test_remove_deletes_the_snapshot(tmp_path: Path, storage: Path) -> None:
    installed = copy_repo(DOMINO_REPO, tmp_path / "api" / "domino_style_pieces" / "0.1.0")
    snapshots.publish(installed, "domino_style_pieces", "0.1.0")
    snapshots.remove("domino_style_pieces", "0.1.0")
    snapshots.remove("domino_style_pieces", "0.1.0")  # twice: nothing to remove is fine
    assert not (storage / "_repositories" / "domino_style_pieces" / "0.1.0.tar.gz").exists()
