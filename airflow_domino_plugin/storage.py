"""Results storage: ``<storage_url>/<dag_id>/<run_id>/<task_id>/`` for each task's files.

A local ``file://`` storage is used in place (pieces write straight into it); remote storage
(S3, GCS, …) gets the files uploaded after the piece ends. XCom only ever holds URIs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from airflow_domino_plugin import config


def _safe(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.+=-]", "_", part)


def task_results_uri(dag_id: str, run_id: str, task_id: str) -> str:
    base = config.get("storage_url").rstrip("/")
    return f"{base}/{_safe(dag_id)}/{_safe(run_id)}/{_safe(task_id)}"


def run_folder(dag_id: str, run_id: str) -> Path | None:
    """The local folder holding every task's results of one run (None for remote storage)."""
    base = config.get("storage_url").rstrip("/")
    return local_path(f"{base}/{_safe(dag_id)}/{_safe(run_id)}")


def allowed_input_paths(dag_id: str, run_id: str) -> list[str]:
    """Folders a piece may read paths from (``airflow_domino_sdk.paths``): the run's folder and the allow-list."""
    roots = [p.strip() for p in config.get("allowed_input_paths").split(",") if p.strip()]
    folder = run_folder(dag_id, run_id)
    return [str(folder), *roots] if folder is not None else roots


def local_path(uri: str) -> Path | None:
    """The local folder behind a ``file://`` (or plain path) URI; None for remote storage."""
    if uri.startswith("file://"):
        return Path(uri.removeprefix("file://"))
    if "://" not in uri:
        return Path(uri)
    return None


def storage_path(uri: str) -> Any:
    from airflow.sdk import ObjectStoragePath

    conn_id = config.get("storage_conn_id") or None
    return ObjectStoragePath(uri, conn_id=conn_id)


def upload_folder(local: Path, uri: str) -> list[str]:
    """Copy every file below ``local`` to ``uri``; returns the relative names uploaded."""
    target = storage_path(uri)
    uploaded = []
    for file in sorted(p for p in local.rglob("*") if p.is_file()):
        relative = file.relative_to(local).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        with file.open("rb") as source, destination.open("wb") as sink:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
        uploaded.append(relative)
    return uploaded
