"""Installed repository versions as snapshots in results storage, for workers on other machines.

An install archives the version folder to ``<storage_url>/_repositories/<name>/<version>.tar.gz``.
A worker whose own ``repositories_path`` lacks that folder (another machine than the API server)
fetches and unpacks the snapshot on first use, and builds the piece's virtualenv, under an
exclusive ``fcntl`` lock in its ``repositories_path``: concurrent tasks on one machine do it once,
the others wait and reuse it. Storage must therefore be shared by every machine (S3, GCS, a
shared mount); a machine-local ``file://`` storage only serves workers on that machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from airflow_domino_plugin import config
from airflow_domino_plugin.repositories.staging import staged_folder

log = logging.getLogger(__name__)

MARKER = ".domino-snapshot.json"  # in a fetched folder: which installation it was unpacked from
JOURNAL = "_snapshots.log"  # one line per fetch on this machine, for operators (and tests)


def snapshot_uri(name: str, version: str, storage_url: str = "") -> str:
    base = (storage_url or config.get("storage_url")).rstrip("/")
    return f"{base}/_repositories/{name}/{version}.tar.gz"


def _path(uri: str) -> Any:
    from airflow_domino_plugin.storage import storage_path

    return storage_path(uri)


def publish(folder: Path, name: str, version: str, storage_url: str = "") -> str:
    """Archive ``folder`` (an installed version) to its snapshot URI; returns the URI."""
    uri = snapshot_uri(name, version, storage_url)
    with tempfile.TemporaryDirectory(prefix="domino-snapshot-") as scratch:
        archive = Path(scratch) / "snapshot.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            for path in sorted(folder.rglob("*")):
                if "__pycache__" in path.parts or path.name == MARKER:
                    continue
                tar.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
        target = _path(uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.parent / f".{target.name}.{os.getpid()}.partial"
        with archive.open("rb") as source, partial.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        partial.rename(target)  # readers never see a half-written archive (atomic on a file system)
    return uri


def remove(name: str, version: str, storage_url: str = "") -> None:
    """Delete a version's snapshot (best effort: a missing one is fine)."""
    with contextlib.suppress(FileNotFoundError, OSError):
        _path(snapshot_uri(name, version, storage_url)).unlink()


@contextlib.contextmanager
def machine_lock(root: Path, key: str) -> Iterator[None]:
    """An exclusive lock shared by every process on this machine that uses ``root``."""
    locks = root / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{key}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current(folder: Path, installation: str) -> bool:
    if not folder.is_dir():
        return False
    marker = folder / MARKER
    if not marker.exists():
        return True  # installed on this machine by the installer itself
    try:
        return str(json.loads(marker.read_text()).get("installation")) == installation
    except (OSError, ValueError):
        return False


def ensure_local(root: Path, name: str, version: str, installation: str, say: Callable[[str], None]) -> Path:
    """The local folder of ``name`` ``version``, fetched from its snapshot when this machine lacks it.

    ``installation`` identifies the installed row (its install time): a folder fetched for an
    earlier installation of the same name and version (deleted, then installed again) is replaced.
    """
    folder = root / name / version
    if _current(folder, installation):
        return folder
    with machine_lock(root, f"repository-{name}-{version}"):
        if _current(folder, installation):  # another task on this machine fetched it meanwhile
            return folder
        uri = snapshot_uri(name, version)
        say(f"{name} {version} is not on this machine; fetching its snapshot {uri}")
        with staged_folder(folder, prefix=f".fetch-{version}-") as unpacking:
            source = _path(uri)
            if not source.exists():
                raise FileNotFoundError(
                    f"{name} {version} is not on this machine and its snapshot {uri} does not exist "
                    "(is [domino] storage_url shared object storage, the same for every machine?)"
                )
            archive = unpacking / ".snapshot.tar.gz"
            with source.open("rb") as remote, archive.open("wb") as local:
                shutil.copyfileobj(remote, local, 1 << 20)
            with tarfile.open(archive) as tar:
                tar.extractall(unpacking, filter="data")  # refuses absolute paths, links out, devices
            archive.unlink()
            (unpacking / MARKER).write_text(json.dumps({"installation": installation, "snapshot": uri}))
        with (root / JOURNAL).open("a") as journal:
            journal.write(f"{name} {version} {installation} fetched by pid {os.getpid()}\n")
        say(f"Unpacked {name} {version} into {folder}")
    return folder


def ensure_environment_once(root: Path, requirements: str, label: str, say: Callable[[str], None]) -> Path:
    """Build (or reuse) the virtualenv for ``requirements`` under a machine lock: one build per machine."""
    from airflow_domino_plugin.repositories.runtime_env import ensure_environment

    key = hashlib.sha256(requirements.encode()).hexdigest()[:16]
    with machine_lock(root, f"environment-{key}"):
        return ensure_environment(root, requirements, say, label)
