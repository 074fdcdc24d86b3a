"""What the workflow service asks of Airflow itself: re-parse now, DAG ids, DAG state, deletion.

Runs inside the API server; Airflow is reached through :mod:`airflow_domino_plugin.airflow_adapter`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.dag_factory.bundle import BUNDLE_NAME, LOADER_FILE
from airflow_domino_plugin.db.models import Workflow
from airflow_domino_plugin.services.dag_versions import latest_marker

log = logging.getLogger(__name__)


def request_reparse(session: Session, *, user_name: str | None = None, dag_id: str | None = None) -> None:
    """Ask the DAG processor to parse the loader file next, instead of in up to 30 s.

    Measured on Airflow 3.3.2: a changed DAG becomes visible in ~1.1 s this way. Call it *after*
    committing the change: a request still pending then is consumed after that commit, so its
    parse sees the change; one inserted before the commit could be parsed too early and lost.
    With ``user_name`` (a user's save, not a background nudge) the request is audit-logged as
    Airflow's ``reparse_dag_file`` route logs it.
    """
    added = airflow_adapter.request_reparse(session, bundle_name=BUNDLE_NAME, relative_fileloc=LOADER_FILE)
    if user_name is not None:
        airflow_adapter.record_action(
            session,
            "reparse_dag_file",
            user_name=user_name,
            dag_id=dag_id,
            extra={"bundle_name": BUNDLE_NAME, "relative_fileloc": LOADER_FILE, "queued": added},
        )
        session.commit()


FOLLOW_UP_DELAYS_S = (2.0, 4.0, 8.0, 16.0)


def watch_until_parsed(workflow_id: str, revision_id: int) -> None:
    """Ask again, in the background, until Airflow has the DAG of ``revision_id``.

    Airflow's DAG processor drops a re-parse request that arrives while the same file is being
    parsed (measured on 3.3.2: a save landing during the previous save's parse stayed invisible
    until the periodic parse 30 s later). A short watcher closes that gap for every save.
    """

    def watch() -> None:
        for delay in FOLLOW_UP_DELAYS_S:
            time.sleep(delay)
            try:
                with airflow_adapter.metadata_session() as session:
                    exists, marker = latest_marker(session, workflow_id)
                    if exists and (marker is None or marker.revision_id == revision_id):
                        return
                    request_reparse(session)
            except Exception:  # a best-effort nudge; the periodic parse still comes
                log.debug("re-parse follow-up for %s failed", workflow_id, exc_info=True)
                return

    threading.Thread(target=watch, name=f"domino-reparse-{workflow_id}", daemon=True).start()


def watch_until_gone(workflow_id: str, dag_ids: tuple[str, ...]) -> None:
    """Delete, in the background, DAGs of a deleted workflow that a parse in flight wrote back.

    The DAG processor reads the stored workflows, then writes their DAGs: a parse that read the
    workflow before its deletion committed writes its DAGs (and the node-test DAG) again after it,
    and later parses only mark them stale (seen on PostgreSQL: the deleted workflow's node-test
    DAG back in ``/api/v2/dags``). Stops once the workflow exists again (saved anew, its DAGs are
    its own) or after two checks in a row found nothing.
    """

    def watch() -> None:
        quiet = 0
        for delay in FOLLOW_UP_DELAYS_S:
            time.sleep(delay)
            try:
                with airflow_adapter.metadata_session() as session:
                    if session.get(Workflow, workflow_id) is not None:
                        return
                    removed = [dag_id for dag_id in dag_ids if delete_dag(session, dag_id)]
                    session.commit()
            except Exception:  # best effort; a stale DAG is Airflow's normal state for a removed one
                log.debug("cleaning up the DAGs of deleted workflow %s failed", workflow_id, exc_info=True)
                return
            if removed:
                log.info("deleted workflow %s: removed DAGs a parse wrote back: %s", workflow_id, removed)
                quiet = 0
            else:
                quiet += 1
                if quiet == 2:
                    return

    threading.Thread(target=watch, name=f"domino-delete-{workflow_id}", daemon=True).start()


def foreign_dag_ids(session: Session, candidates: set[str]) -> set[str]:
    """Which of ``candidates`` are DAGs Airflow already has from another bundle (not ours)."""
    return airflow_adapter.foreign_dag_ids(session, candidates, bundle_name=BUNDLE_NAME)


def delete_dag(session: Session, dag_id: str) -> bool:
    """Remove the DAG and its history from Airflow; False when Airflow does not have it."""
    return airflow_adapter.delete_dag(session, dag_id)


@dataclass
class DagState:
    exists: bool
    is_paused: bool | None
    has_import_error: bool
    build_error: bool
    next_run: datetime | None
    last_run_state: str | None
    last_run_at: datetime | None


def dag_states(session: Session, dag_ids: list[str]) -> dict[str, DagState]:
    """Airflow's view of each workflow's DAG, in three queries for a whole page."""
    from airflow_domino_plugin.dag_factory.builder import BUILD_ERROR_TAG

    if not dag_ids:
        return {}
    infos = airflow_adapter.dag_infos(session, dag_ids)
    broken = airflow_adapter.dags_with_tag(session, dag_ids, BUILD_ERROR_TAG)
    runs = airflow_adapter.latest_dag_runs(session, dag_ids)
    states: dict[str, DagState] = {}
    for dag_id in dag_ids:
        info = infos.get(dag_id)
        run = runs.get(dag_id)
        states[dag_id] = DagState(
            exists=info is not None and info.active,
            is_paused=info.is_paused if info else None,
            has_import_error=bool(info and info.has_import_errors),
            build_error=dag_id in broken,
            next_run=info.next_run_create_after if info else None,
            last_run_state=run.state if run else None,
            last_run_at=(run.start_date or run.run_after) if run else None,
        )
    return states
