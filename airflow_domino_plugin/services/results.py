"""Result files of a task: its display result and anything else in its results folder.

Files are read through ``storage.storage_path`` so local folders, S3 and GCS all work.
Paths come from people and from pieces (a piece names its own display file), so every path is
checked to stay inside the task's results folder. The run's secret values are masked out of the
bytes served (``services.run_secrets``).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from airflow_domino_plugin import storage
from airflow_domino_plugin.execution.masking import Masker
from airflow_domino_plugin.services import runs
from airflow_domino_plugin.services.errors import InvalidInput, Issue, NotFound
from airflow_domino_plugin.services.run_secrets import masker_for_run

CONTENT_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "plotly_json": "application/json",
}
# Types a browser would run scripts in: served with ``Content-Security-Policy: sandbox``.
ACTIVE_CONTENT_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml")
CHUNK = 1 << 16


@dataclass
class ResultFile:
    file_type: str
    relative_path: str
    content_type: str
    path: Any  # an ObjectStoragePath
    masker: Masker = field(default_factory=lambda: Masker([]))

    @property
    def masked(self) -> bool:
        """Whether bytes may be replaced while served (so the stored size is not the served size)."""
        return bool(self.masker)

    @property
    def sandboxed(self) -> bool:
        return self.content_type.split(";")[0] in ACTIVE_CONTENT_TYPES

    def size(self) -> int | None:
        try:
            return int(self.path.stat().st_size)
        except (OSError, AttributeError, KeyError, TypeError):
            return None

    def chunks(self) -> Iterator[bytes]:
        with self.path.open("rb") as handle:
            yield from self.masker.chunks(iter(lambda: handle.read(CHUNK), b""))


def safe_relative_path(path: str) -> str:
    """``path`` as a relative POSIX path that cannot leave its folder; InvalidInput otherwise."""
    parts = path.replace("\\", "/").split("/")
    if not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\x00" in path:
        raise InvalidInput(
            "The file path must be relative to the task's results folder, without '..' or empty parts.",
            [Issue(path="path", message=f"{path!r} is not a plain relative path", code="invalid_path")],
        )
    return "/".join(parts)


def _results_uri(session: Session, workflow_id: str, run_id: str, task_id: str) -> str:
    uri = runs.xcom_value(session, workflow_id, run_id, task_id, "results_uri")
    if not isinstance(uri, str) or not uri:
        # Written by the task when it runs; compute it the same way for tasks that did not get that far.
        uri = storage.task_results_uri(workflow_id, run_id, task_id)
    return uri.rstrip("/")


def _open(uri: str, relative: str, file_type: str, content_type: str, masker: Masker) -> ResultFile:
    path = storage.storage_path(f"{uri}/{relative}")
    try:
        exists = path.is_file()
    except OSError:
        exists = False
    if not exists:
        raise NotFound(f"The result file {relative!r} does not exist (any more).")
    return ResultFile(file_type=file_type, relative_path=relative, content_type=content_type, path=path, masker=masker)


def display_result(session: Session, workflow_id: str, run_id: str, task_id: str) -> ResultFile:
    """The file a task chose to display, with its content type."""
    display = runs.xcom_value(session, workflow_id, run_id, task_id, "display_result")
    if not isinstance(display, dict):
        raise NotFound(f"Task {task_id!r} of run {run_id!r} has no display result.")
    uri = _results_uri(session, workflow_id, run_id, task_id)
    return display_file(display, uri, masker_for_run(session, workflow_id, run_id))


def display_file(display: dict[str, Any], results_uri: str, masker: Masker) -> ResultFile:
    """The display result an XCom ``display_result`` names, inside the task's ``results_uri``."""
    file_type = str(display.get("file_type") or "")
    relative = display.get("relative_path") or str(display.get("uri") or "").rsplit("/", 1)[-1]
    relative = safe_relative_path(str(relative))
    content_type = CONTENT_TYPES.get(file_type) or _guess(relative)
    return _open(results_uri.rstrip("/"), relative, file_type, content_type, masker)


def _guess(relative: str) -> str:
    guessed, _ = mimetypes.guess_type(relative)
    if guessed is None:
        return "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/json",):
        return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed
    return guessed


def results_folder(session: Session, workflow_id: str, run_id: str, task_id: str) -> str:
    """The task's results folder as its piece saw it (a local path, or the storage URI).

    The GUI maps file references in a Markdown result that start with it to the files endpoint.
    """
    uri = _results_uri(session, workflow_id, run_id, task_id)
    local = storage.local_path(uri)
    return str(local) if local is not None else uri


def task_file(session: Session, workflow_id: str, run_id: str, task_id: str, path: str) -> ResultFile:
    """Any file of the task's results folder."""
    relative = safe_relative_path(path)
    runs.xcom_value(session, workflow_id, run_id, task_id, "results_uri")  # 404 for an unknown run/task
    uri = _results_uri(session, workflow_id, run_id, task_id)
    return folder_file(uri, relative, masker_for_run(session, workflow_id, run_id))


def folder_file(results_uri: str, path: str, masker: Masker) -> ResultFile:
    """Any file under a task's ``results_uri`` (the path checked to stay inside it)."""
    relative = safe_relative_path(path)
    extension = relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
    return _open(results_uri.rstrip("/"), relative, extension, _guess(relative), masker)
