"""What the loader file calls: every stored workflow as a DAG, or only the one a task needs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from airflow.sdk import DAG, get_parsing_context

from airflow_domino_plugin import config
from airflow_domino_plugin.dag_factory.node_test import (
    build_node_test_dag,
    node_test_dag_id,
    workflow_of_node_test_dag,
)
from airflow_domino_plugin.dag_factory.store import StoredRevision, load_revisions

if TYPE_CHECKING:
    from airflow_domino_plugin.workflows.document import Workflow

log = logging.getLogger(__name__)


def _ui_url() -> str:
    from airflow.configuration import conf

    base = (conf.get("api", "base_url", fallback="") or "").rstrip("/")
    return f"{base}/domino/ui"


def _documents(revisions: list[StoredRevision]) -> dict[str, Workflow]:
    """The deployed workflows that parse, by id (what ``schedule_on`` waits for)."""
    from airflow_domino_plugin.workflows.document import Workflow

    found: dict[str, Workflow] = {}
    for stored in revisions:
        try:
            found[stored.workflow_id] = Workflow.model_validate(stored.document)
        except ValueError:
            continue
    return found


def load_dags() -> dict[str, DAG]:
    """DAGs keyed by dag_id, for the loader file's ``globals()``.

    Raises when neither the database nor a snapshot can be read: an import error in Airflow is
    better than an empty set of DAGs, which Airflow would take as "every workflow was deleted".
    """
    wanted = get_parsing_context().dag_id
    tested = workflow_of_node_test_dag(wanted)  # inside a node-test task: only that DAG is needed
    revisions, source = load_revisions(
        config.get("sql_alchemy_conn"), Path(config.get("snapshot_path")), workflow_id=tested or wanted
    )
    ui_url = _ui_url()
    if tested is not None:
        return {
            node_test_dag_id(s.workflow_id): build_node_test_dag(s.workflow_id, ui_url=ui_url)
            for s in revisions
            if s.node_tests
        }
    # Imported here: a node-test task's parse (above) needs neither the builder nor the document models.
    from airflow_domino_plugin.dag_factory.builder import build_dag, build_placeholder

    default_runner = config.get("default_runner")
    dags: dict[str, DAG] = {}
    others = None if wanted else _documents(revisions)
    for stored in revisions:
        try:
            dags[stored.workflow_id] = build_dag(stored, ui_url=ui_url, default_runner=default_runner, others=others)
        except Exception as exc:
            log.warning("Workflow %s (revision %s) cannot be built: %s", stored.workflow_id, stored.number, exc)
            dags[stored.workflow_id] = build_placeholder(stored.workflow_id, f"{type(exc).__name__}: {exc}")
    if source == "snapshot":
        log.warning("Built %d workflow DAGs from the snapshot (database unavailable)", len(dags))
    found = {f"domino_{dag_id}": dag for dag_id, dag in dags.items()}
    if wanted is None:  # a workflow that has asked for node tests also gets its node-test DAG (one task)
        for stored in revisions:
            if stored.node_tests:
                found[node_test_dag_id(stored.workflow_id)] = build_node_test_dag(stored.workflow_id, ui_url=ui_url)
    return found
