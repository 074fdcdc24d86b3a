"""Reading current workflow revisions for the factory, with a last-good snapshot on disk.

Airflow 3 forbids its ORM session during parsing, so the factory reads through
:func:`~airflow_domino_plugin.db.engine.read_engine`: one query for all current revisions (or just
one workflow inside a task).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Integer, String, column, select, table

from airflow_domino_plugin.db.engine import read_engine

log = logging.getLogger(__name__)


class StoreUnavailable(RuntimeError):
    """Neither the database nor a snapshot could provide the workflows."""


@dataclass(frozen=True)
class StoredRevision:
    workflow_id: str
    revision_id: int
    number: int
    document: dict[str, Any]
    # Who created the workflow (the owner Domino's list shows); the DAG's owner in Airflow. Empty: Airflow's default.
    owner: str = ""
    # Whether the workflow has asked for node tests (``domino_workflows.node_tests_since`` is set):
    # only then does it get a node-test DAG. Default False, so older snapshots still load.
    node_tests: bool = False


# The columns the factory reads, as plain Core tables (``db.models`` declares them for the API
# server). Not the ORM models: importing them and configuring their mappers (which makes Airflow
# import all of its own models) cost a task process ~150-200 ms of its DAG parse, for one query.
_workflows = table(
    "domino_workflows",
    column("id", String),
    column("created_by", String),
    column("deployed_revision_id", Integer),
    column("node_tests_since"),
)
_revisions = table(
    "domino_workflow_revisions",
    column("id", Integer),
    column("workflow_id", String),
    column("number", Integer),
    column("document", JSON),
)


def read_from_database(url: str, workflow_id: str | None = None) -> list[StoredRevision]:
    if not url:
        raise StoreUnavailable("[domino] sql_alchemy_conn is not set, so the DAG factory cannot read workflows")
    statement = (
        select(
            _revisions.c.workflow_id,
            _revisions.c.id,
            _revisions.c.number,
            _revisions.c.document,
            _workflows.c.created_by,
            _workflows.c.node_tests_since.is_not(None),
        )
        # The deployed revision, not the current one: drafts are never built into DAGs.
        .join(_workflows, _workflows.c.deployed_revision_id == _revisions.c.id)
        .order_by(_revisions.c.workflow_id)
    )
    if workflow_id is not None:
        statement = statement.where(_workflows.c.id == workflow_id)
    with read_engine(url).connect() as connection:
        return [
            StoredRevision(wid, revision_id, number, document, owner or "", bool(node_tests))
            for wid, revision_id, number, document, owner, node_tests in connection.execute(statement)
        ]


def write_snapshot(path: Path, revisions: list[StoredRevision]) -> None:
    """Atomically replace the snapshot, skipping the write when nothing changed."""
    payload = json.dumps([r.__dict__ for r in revisions], sort_keys=True, separators=(",", ":"), default=str).encode()
    digest = hashlib.sha256(payload).hexdigest()
    marker = path.with_suffix(path.suffix + ".sha256")
    if marker.exists() and marker.read_text() == digest and path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".snapshot-") as handle:
        handle.write(payload)
    os.replace(handle.name, path)
    marker.write_text(digest)


def read_snapshot(path: Path) -> list[StoredRevision]:
    return [StoredRevision(**item) for item in json.loads(path.read_text())]


def load_revisions(url: str, snapshot: Path, workflow_id: str | None = None) -> tuple[list[StoredRevision], str]:
    """Current revisions and where they came from (``database`` or ``snapshot``)."""
    try:
        revisions = read_from_database(url, workflow_id)
    except Exception as exc:
        if not snapshot.exists():
            raise StoreUnavailable(
                f"Cannot read workflows from the database ({exc}) and there is no snapshot at {snapshot}"
            ) from exc
        log.warning("Cannot read workflows from the database (%s); using the snapshot at %s", exc, snapshot)
        revisions = read_snapshot(snapshot)
        if workflow_id is not None:
            revisions = [r for r in revisions if r.workflow_id == workflow_id]
        return revisions, "snapshot"
    if workflow_id is None:
        try:
            write_snapshot(snapshot, revisions)
        except OSError as exc:  # a read-only disk must not stop DAGs from loading
            log.warning("Could not write the workflows snapshot at %s: %s", snapshot, exc)
    return revisions, "database"
