"""Extracting downloaded archives without letting them write outside the target folder."""

from __future__ import annotations

import tarfile
from pathlib import Path, PurePosixPath

from airflow_domino_plugin.repositories.errors import InstallError


def unsafe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return path.is_absolute() or ".." in path.parts or name.startswith("\\")


def extract_tarball(archive: Path, target: Path) -> Path:
    """Extract a GitHub-style tarball (one top folder) and return that folder."""
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        bad = [m.name for m in members if unsafe_member(m.name) or m.issym() or m.islnk() or m.isdev()]
        if bad:
            raise InstallError(f"The archive contains unsafe entries (absolute paths, '..' or links): {bad[:5]}")
        tar.extractall(target, filter="data")
    tops = {PurePosixPath(m.name).parts[0] for m in members if m.name}
    if len(tops) == 1:
        return target / tops.pop()
    return target
