"""What the workflow service asks of Airflow itself: re-parse now, DAG ids, DAG state, deletion.

Runs inside the API server, where Airflow's ORM session is allowed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from airflow_domino_plugin.dag_factory.bundle import BUNDLE_NAME, LOADER_FILE
from airflow_domino_plugin.services.dag_versions import latest_marker

log = logging.getLogger(__name__)


def request_reparse(session: Session) -> None:
    """Ask the DAG processor to parse the loader file next, instead of in up to 30 s.

    Measured on Airflow 3.3.2: a changed DAG becomes visible in ~1.1 s this way. Call it *after*
    committing the change: a request still pending then is consumed after that commit, so its
    parse sees the change; one inserted before the commit could be parsed too early and lost.
    """
    from airflow.models.dagbag import DagPriorityParsingRequest

    pending = session.scalar(
        select(func.count())
        .select_from(DagPriorityParsingRequest)
        .where(
            DagPriorityParsingRequest.bundle_name == BUNDLE_NAME,
            DagPriorityParsingRequest.relative_fileloc == LOADER_FILE,
        )
    )
    if pending:
        return
    session.add(DagPriorityParsingRequest(bundle_name=BUNDLE_NAME, relative_fileloc=LOADER_FILE))
    try:
        session.commit()
    except IntegrityError:  # inserted concurrently by another save: one pending request is enough
        session.rollback()


FOLLOW_UP_DELAYS_S = (2.0, 4.0, 8.0, 16.0)


def watch_until_parsed(workflow_id: str, revision_id: int | None) -> None:
    """Ask again, in the background, until Airflow has the DAG of ``revision_id`` (None: no DAG).

    Airflow's DAG processor drops a re-parse request that arrives while the same file is being
    parsed (measured on 3.3.2: a save landing during the previous save's parse stayed invisible
    until the periodic parse 30 s later). A short watcher closes that gap for every save.
    """

    def watch() -> None:
        from airflow import settings
        from sqlalchemy.orm import sessionmaker

        for delay in FOLLOW_UP_DELAYS_S:
            time.sleep(delay)
            try:
                with sessionmaker(bind=settings.engine)() as session:
                    exists, marker = latest_marker(session, workflow_id)
                    if revision_id is None and not exists:
                        return
                    if revision_id is not None and exists and (marker is None or marker.revision_id == revision_id):
                        return
                    request_reparse(session)
            except Exception:  # a best-effort nudge; the periodic parse still comes
                log.debug("re-parse follow-up for %s failed", workflow_id, exc_info=True)
                return

    threading.Thread(target=watch, name=f"domino-reparse-{workflow_id}", daemon=True).start()


def foreign_dag_ids(session: Session, candidates: set[str]) -> set[str]:
    """Which of ``candidates`` are DAGs Airflow already has from another bundle (not ours)."""
    from airflow.models.dag import DagModel

    if not candidates:
        return set()
    return set(
        session.scalars(
            select(DagModel.dag_id).where(DagModel.dag_id.in_(candidates), DagModel.bundle_name != BUNDLE_NAME)
        )
    )


def delete_dag(session: Session, dag_id: str) -> None:
    """Remove the DAG and its history from Airflow, if Airflow has it."""
    from airflow.api.common.delete_dag import delete_dag as airflow_delete_dag
    from airflow.exceptions import DagNotFound

    with contextlib.suppress(DagNotFound):
        airflow_delete_dag(dag_id, session=session)


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
    """Airflow's view of each workflow's DAG, in two queries for a whole page."""
    from airflow.models.dag import DagModel, DagTag
    from airflow.models.dagrun import DagRun

    from airflow_domino_plugin.dag_factory.builder import BUILD_ERROR_TAG

    if not dag_ids:
        return {}
    models = {m.dag_id: m for m in session.scalars(select(DagModel).where(DagModel.dag_id.in_(dag_ids)))}
    broken = set(
        session.scalars(select(DagTag.dag_id).where(DagTag.dag_id.in_(dag_ids), DagTag.name == BUILD_ERROR_TAG))
    )
    latest = (
        select(DagRun.dag_id, func.max(DagRun.id).label("run_pk"))
        .where(DagRun.dag_id.in_(dag_ids))
        .group_by(DagRun.dag_id)
        .subquery()
    )
    runs = {run.dag_id: run for run in session.scalars(select(DagRun).join(latest, DagRun.id == latest.c.run_pk))}
    states: dict[str, DagState] = {}
    for dag_id in dag_ids:
        model = models.get(dag_id)
        run = runs.get(dag_id)
        states[dag_id] = DagState(
            exists=model is not None and not model.is_stale,
            is_paused=model.is_paused if model else None,
            has_import_error=bool(model and model.has_import_errors),
            build_error=dag_id in broken,
            next_run=model.next_dagrun_create_after if model else None,
            last_run_state=str(run.state) if run and run.state else None,
            last_run_at=(run.start_date or run.run_after) if run else None,
        )
    return states
