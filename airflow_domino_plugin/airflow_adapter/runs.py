"""DAG runs, task instances and XComs: read as plain records, driven the way ``/api/v2`` drives them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from airflow_domino_plugin.airflow_adapter._compat import supported_kwargs
from airflow_domino_plugin.airflow_adapter._rows import task_instance_row
from airflow_domino_plugin.airflow_adapter.errors import DagNotLoaded, RunAlreadyExists


def _text(value: Any) -> str | None:
    """An Airflow enum (state, run type) as its string value."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class DagRunInfo:
    dag_id: str
    run_id: str
    state: str | None
    run_type: str
    logical_date: datetime | None
    run_after: datetime | None
    queued_at: datetime | None
    start_date: datetime | None
    end_date: datetime | None
    conf: dict[str, Any]
    note: str
    dag_version_id: UUID | None  # the DAG version the run was created with
    triggering_user_name: str | None


def _run_info(row: Any) -> DagRunInfo:
    return DagRunInfo(
        dag_id=row.dag_id,
        run_id=row.run_id,
        state=_text(row.state),
        run_type=_text(row.run_type) or "",
        logical_date=row.logical_date,
        run_after=row.run_after,
        queued_at=row.queued_at,
        start_date=row.start_date,
        end_date=row.end_date,
        conf=dict(row.conf or {}),
        note=row.note or "",
        dag_version_id=row.created_dag_version_id,
        triggering_user_name=getattr(row, "triggering_user_name", None),
    )


def _dag_run_row(session: Session, dag_id: str, run_id: str) -> Any:
    from airflow.models.dagrun import DagRun

    return session.scalar(select(DagRun).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id))


def dag_run(session: Session, dag_id: str, run_id: str) -> DagRunInfo | None:
    row = _dag_run_row(session, dag_id, run_id)
    return _run_info(row) if row is not None else None


def dag_runs(
    session: Session, dag_id: str, *, state: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[DagRunInfo], int]:
    """Runs of a DAG, newest first, and how many there are in all."""
    from airflow.models.dagrun import DagRun

    statement = select(DagRun).where(DagRun.dag_id == dag_id)
    if state:
        statement = statement.where(DagRun.state == state)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.scalars(statement.order_by(DagRun.run_after.desc(), DagRun.id.desc()).limit(limit).offset(offset))
    return [_run_info(row) for row in rows], total


def latest_dag_runs(session: Session, dag_ids: Iterable[str]) -> dict[str, DagRunInfo]:
    """The most recently created run of each DAG, in one query."""
    from airflow.models.dagrun import DagRun

    wanted = list(dag_ids)
    if not wanted:
        return {}
    latest = (
        select(DagRun.dag_id, func.max(DagRun.id).label("run_pk"))
        .where(DagRun.dag_id.in_(wanted))
        .group_by(DagRun.dag_id)
        .subquery()
    )
    return {
        row.dag_id: _run_info(row) for row in session.scalars(select(DagRun).join(latest, DagRun.id == latest.c.run_pk))
    }


def trigger_dag_run(
    session: Session,
    dag_id: str,
    *,
    conf: dict[str, Any],
    user_name: str | None,
    note: str = "",
    user_id: str | None = None,
) -> DagRunInfo:
    """Start a manual run, as ``POST /api/v2/dags/{id}/dagRuns`` does; the caller commits.

    Raises ``DagNotLoaded``, ``RunAlreadyExists``, or ``ValueError`` when Airflow rejects the
    parameters (or the DAG refuses manual runs).
    """
    from airflow.api.common.trigger_dag import trigger_dag
    from airflow.exceptions import DagNotFound, DagRunAlreadyExists
    from airflow.utils.types import DagRunTriggeredByType

    try:
        row = trigger_dag(
            dag_id,
            triggered_by=DagRunTriggeredByType.REST_API,
            conf=dict(conf),
            session=session,
            **supported_kwargs(trigger_dag, triggering_user_name=user_name or None),
        )
    except DagNotFound as exc:
        raise DagNotLoaded(dag_id) from exc
    except DagRunAlreadyExists as exc:
        raise RunAlreadyExists(dag_id) from exc
    if row is None:
        raise DagNotLoaded(dag_id)
    if note:
        row.note = (note, user_id)
    session.flush()
    return _run_info(row)


@dataclass(frozen=True)
class TaskInstanceInfo:
    task_id: str
    map_index: int
    state: str | None
    try_number: int
    max_tries: int
    start_date: datetime | None
    end_date: datetime | None
    duration: float | None


def _ti_info(row: Any) -> TaskInstanceInfo:
    return TaskInstanceInfo(
        task_id=row.task_id,
        map_index=row.map_index,
        state=_text(row.state),
        try_number=row.try_number,
        max_tries=row.max_tries,
        start_date=row.start_date,
        end_date=row.end_date,
        duration=row.duration,
    )


def task_instances(session: Session, dag_id: str, run_id: str) -> list[TaskInstanceInfo]:
    """Every task instance of a run, by task id then map index."""
    from airflow.models.taskinstance import TaskInstance

    rows = session.scalars(
        select(TaskInstance)
        .where(TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)
        .order_by(TaskInstance.task_id, TaskInstance.map_index)
    )
    return [_ti_info(row) for row in rows]


def task_instance(
    session: Session, dag_id: str, run_id: str, task_id: str, map_index: int = -1
) -> TaskInstanceInfo | None:
    row = task_instance_row(session, dag_id, run_id, task_id, map_index)
    return _ti_info(row) if row is not None else None


def running_task_ids(session: Session, dag_id: str, *, limit: int = 5) -> list[str]:
    """Up to ``limit`` ids of the DAG's task instances in state running."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.state import TaskInstanceState

    return list(
        session.scalars(
            select(TaskInstance.task_id)
            .where(TaskInstance.dag_id == dag_id, TaskInstance.state == TaskInstanceState.RUNNING)
            .limit(limit)
        )
    )


def xcom_task_ids(session: Session, dag_id: str, run_id: str, key: str) -> set[str]:
    """Tasks of the run that pushed an XCom ``key``."""
    from airflow.models.xcom import XComModel

    return set(
        session.scalars(
            select(XComModel.task_id).where(
                XComModel.dag_id == dag_id, XComModel.run_id == run_id, XComModel.key == key
            )
        )
    )


def xcom_value(session: Session, dag_id: str, run_id: str, task_id: str, key: str, map_index: int = -1) -> Any:
    """One XCom value, deserialized (through the configured XCom backend); None when absent."""
    from airflow.models.xcom import XComModel

    row = session.scalars(
        XComModel.get_many(run_id=run_id, key=key, task_ids=task_id, dag_ids=dag_id, map_indexes=map_index, limit=1)
    ).first()
    if row is None:
        return None
    return XComModel.deserialize_value(row)


def xcom_values(session: Session, dag_id: str, run_id: str, keys: Iterable[str]) -> dict[tuple[str, str], Any]:
    """The unmapped XComs ``keys`` of every task of a run, by (task id, key)."""
    from airflow.models.xcom import XComModel

    rows = session.scalars(
        select(XComModel).where(
            XComModel.dag_id == dag_id,
            XComModel.run_id == run_id,
            XComModel.map_index == -1,
            XComModel.key.in_(list(keys)),
        )
    )
    return {(row.task_id, row.key): XComModel.deserialize_value(row) for row in rows}
