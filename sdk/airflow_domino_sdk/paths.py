"""Paths that workflow editors give to pieces, kept inside the folders the administrator allows.

A piece that opens a path taken from its inputs would otherwise read any file the worker can
(``/etc/passwd``, ``airflow.cfg``, the metadata database) for anyone who may edit a workflow. Use
:func:`input_path` for every such path::

    from airflow_domino_sdk.paths import input_path

    text = input_path(self, input_data.source).read_text()

When Airflow runs the piece, the runtime passes the allowed folders in the run context
(``allowed_paths``: the run's folder in results storage, so files of upstream tasks can be read,
plus ``[domino] allowed_input_paths``); the piece's own ``results_path`` is always allowed.
Relative paths are read from the run's folder. Symlinks are resolved before the check, so a link
inside an allowed folder cannot point outside it. A dry run (``run_piece``, ``domino-pieces run``)
with no ``allowed_paths`` in its context reads any path, as the author's own machine is not shared.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["PathNotAllowed", "allowed_roots", "input_path"]

ALLOWED_PATHS_KEY = "allowed_paths"
RUN_FOLDER_KEY = "run_folder"


class PathNotAllowed(PermissionError):
    """The path lies outside every folder this piece may read."""


def _context_value(piece: Any, key: str) -> Any:
    context = getattr(piece, "context", None)
    if context is None:
        return None
    extra = getattr(context, "model_extra", None) or {}
    return extra.get(key, getattr(context, key, None))


def allowed_roots(piece: Any) -> list[Path] | None:
    """The folders ``piece`` may read (resolved), or None when nothing restricts it (a dry run)."""
    configured = _context_value(piece, ALLOWED_PATHS_KEY)
    if configured is None and getattr(piece, "deploy_mode", "dry_run") == "dry_run":
        return None
    roots = [str(p) for p in (configured or []) if str(p).strip()]
    results_path = getattr(piece, "results_path", None)
    if results_path:
        roots.append(str(results_path))
    return [Path(os.path.realpath(Path(root).expanduser())) for root in dict.fromkeys(roots)]


def input_path(piece: Any, path: str | os.PathLike[str]) -> Path:
    """``path`` resolved, if ``piece`` may read it; :class:`PathNotAllowed` naming the allowed folders otherwise."""
    roots = allowed_roots(piece)
    candidate = Path(path).expanduser()
    if roots is None:
        return candidate
    if not candidate.is_absolute():
        base = _context_value(piece, RUN_FOLDER_KEY) or getattr(piece, "results_path", None) or os.getcwd()
        candidate = Path(base) / candidate
    resolved = Path(os.path.realpath(candidate))
    if any(resolved == root or resolved.is_relative_to(root) for root in roots):
        return resolved
    folders = ", ".join(str(root) for root in roots) or "(none)"
    raise PathNotAllowed(
        f"{os.fspath(path)!r} is outside the folders pieces may read ({folders}): the run's results folder and "
        "[domino] allowed_input_paths. Ask an administrator to add its folder to [domino] allowed_input_paths."
    )
