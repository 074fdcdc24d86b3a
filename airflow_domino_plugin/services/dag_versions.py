"""Which workflow revision each of Airflow's DAG versions was built from.

Which revision a run ran: the DAG factory puts the revision id and number into the DAG's
``default_args`` (``builder.REVISION_ID_ARG``). Every run, manual or scheduled, points at the DAG
version it was created with (``dag_run.created_dag_version_id``), and a version that has task
instances is never rewritten, so the serialized DAG of that version names the revision for good.
DAG versions written before the marker existed fall back to the revision number in the DAG's
``doc_md``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.dag_factory.builder import REVISION_ID_ARG, REVISION_NUMBER_ARG


@dataclass(frozen=True)
class RevisionMarker:
    revision_id: int | None
    number: int | None


_DOC_MARKER = re.compile(r"from revision (\d+) of workflow `([^`]+)`")
_marker_cache: dict[tuple[str, str], RevisionMarker] = {}
_marker_lock = threading.Lock()


def marker_from_fields(default_args: dict[str, Any], doc_md: str) -> RevisionMarker:
    """The revision a DAG version's ``default_args`` (or, for old versions, ``doc_md``) names."""
    if REVISION_ID_ARG in default_args:
        revision_id = default_args.get(REVISION_ID_ARG)
        number = default_args.get(REVISION_NUMBER_ARG)
        return RevisionMarker(
            revision_id if isinstance(revision_id, int) else None, number if isinstance(number, int) else None
        )
    match = _DOC_MARKER.search(doc_md)
    return RevisionMarker(None, int(match.group(1)) if match else None)


def marker_from_serialized(data: dict[str, Any] | None) -> RevisionMarker:
    """The revision a serialized DAG (``serialized_dag.data``) was built from, if it says."""
    return marker_from_fields(*airflow_adapter.serialized_dag_fields(data))


def version_markers(session: Session, version_ids: Iterable[UUID | None]) -> dict[UUID, RevisionMarker]:
    """The revision marker of each DAG version; cached per (version, content hash)."""
    wanted = {v for v in version_ids if v is not None}
    if not wanted:
        return {}
    hashes = airflow_adapter.dag_version_hashes(session, wanted)
    out: dict[UUID, RevisionMarker] = {}
    missing = []
    for version_id, dag_hash in hashes.items():
        cached = _marker_cache.get((str(version_id), dag_hash))
        if cached is None:
            missing.append(version_id)
        else:
            out[version_id] = cached
    for version_id, definition in airflow_adapter.dag_version_definitions(session, missing).items():
        marker = marker_from_fields(definition.default_args, definition.doc_md)
        with _marker_lock:
            if len(_marker_cache) > 10_000:
                _marker_cache.clear()
            _marker_cache[(str(version_id), definition.dag_hash)] = marker
        out[version_id] = marker
    return out


def latest_marker(session: Session, workflow_id: str) -> tuple[bool, RevisionMarker | None]:
    """(DAG known to Airflow, marker of its latest version)."""
    latest = airflow_adapter.latest_dag_version(session, workflow_id)
    if latest is None:
        return False, None
    return True, version_markers(session, [latest]).get(latest)
