"""``domino-pieces release``: tag the repository's VERSION once it compiles and git is clean."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from airflow_domino_sdk.repository import COMPILED_METADATA_FILE, DEPENDENCIES_MAP_FILE, CompileResult

__all__ = ["ReleaseError", "release"]


class ReleaseError(Exception):
    """Why the release was refused."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def _stale_compiled_files(result: CompileResult) -> list[str]:
    repo = Path(result.repo_dir)
    stale = []
    for name, data in (
        (COMPILED_METADATA_FILE, result.compiled_metadata),
        (DEPENDENCIES_MAP_FILE, result.dependencies_map),
    ):
        path = repo / name
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = None
        if current != json.loads(json.dumps(data)):
            stale.append(name)
    return stale


def release(result: CompileResult, *, push: bool = False, remote: str = "origin") -> str:
    """Create (and optionally push) the annotated git tag ``VERSION``; returns the tag name."""
    if not result.ok:
        raise ReleaseError(f"compile reports {len(result.errors)} error(s); fix them first")
    repo = Path(result.repo_dir)
    stale = _stale_compiled_files(result)
    if stale:
        raise ReleaseError(f"{', '.join(stale)} out of date: run 'domino-pieces compile' and commit the result")
    top = _git(repo, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise ReleaseError(f"{repo} is not inside a git repository")
    status = _git(repo, "status", "--porcelain", "--", ".")
    if status.returncode != 0:
        raise ReleaseError(f"git status failed: {status.stderr.strip()}")
    if status.stdout.strip():
        raise ReleaseError("uncommitted changes; commit or stash them first:\n" + status.stdout.rstrip())
    if _git(repo, "rev-parse", "--verify", "HEAD").returncode != 0:
        raise ReleaseError("the repository has no commit yet")
    tag = str(result.config["VERSION"])
    if _git(repo, "rev-parse", "-q", "--verify", f"refs/tags/{tag}").returncode == 0:
        raise ReleaseError(f"tag {tag} already exists; bump VERSION in config.toml")
    made = _git(repo, "tag", "-a", tag, "-m", f"Release {tag}")
    if made.returncode != 0:
        raise ReleaseError(f"git tag failed: {made.stderr.strip()}")
    if push:
        pushed = _git(repo, "push", remote, f"refs/tags/{tag}")
        if pushed.returncode != 0:
            raise ReleaseError(f"tag {tag} created but git push failed: {pushed.stderr.strip()}")
    return tag
