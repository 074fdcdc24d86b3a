"""DAGs as Airflow stores them: which exist, their versions' definitions, re-parsing, pausing, deletion."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def request_reparse(session: Session, *, bundle_name: str, relative_fileloc: str) -> bool:
    """Ask the DAG processor to parse one file next: what ``PUT /api/v2/parseDagFile/{token}`` does.

    The route adds a ``DagPriorityParsingRequest`` row; so does this, unless one for the same
    file is still pending (one is enough). Commits. True when a request was added.
    """
    from airflow.models.dagbag import DagPriorityParsingRequest

    pending = session.scalar(
        select(func.count())
        .select_from(DagPriorityParsingRequest)
        .where(
            DagPriorityParsingRequest.bundle_name == bundle_name,
            DagPriorityParsingRequest.relative_fileloc == relative_fileloc,
        )
    )
    if pending:
        return False
    session.add(DagPriorityParsingRequest(bundle_name=bundle_name, relative_fileloc=relative_fileloc))
    try:
        session.commit()
    except IntegrityError:  # inserted concurrently by another request: one pending is enough
        session.rollback()
        return False
    return True


def foreign_dag_ids(session: Session, candidates: set[str], *, bundle_name: str) -> set[str]:
    """Which of ``candidates`` Airflow already has from a bundle other than ``bundle_name``."""
    from airflow.models.dag import DagModel

    if not candidates:
        return set()
    return set(
        session.scalars(
            select(DagModel.dag_id).where(DagModel.dag_id.in_(candidates), DagModel.bundle_name != bundle_name)
        )
    )


def delete_dag(session: Session, dag_id: str) -> bool:
    """Remove the DAG and its history, as ``DELETE /api/v2/dags/{id}`` does; False when Airflow has no such DAG."""
    from airflow.api.common.delete_dag import delete_dag as airflow_delete_dag
    from airflow.exceptions import DagNotFound

    with contextlib.suppress(DagNotFound):
        airflow_delete_dag(dag_id, session=session)
        return True
    return False


@dataclass(frozen=True)
class DagInfo:
    dag_id: str
    active: bool  # known and not stale (its file still defines it)
    is_paused: bool
    has_import_errors: bool
    next_run_create_after: datetime | None


def dag_infos(session: Session, dag_ids: Iterable[str]) -> dict[str, DagInfo]:
    """Airflow's record of each DAG it knows, in one query."""
    from airflow.models.dag import DagModel

    wanted = list(dag_ids)
    if not wanted:
        return {}
    return {
        m.dag_id: DagInfo(
            dag_id=m.dag_id,
            active=not m.is_stale,
            is_paused=bool(m.is_paused),
            has_import_errors=bool(m.has_import_errors),
            next_run_create_after=m.next_dagrun_create_after,
        )
        for m in session.scalars(select(DagModel).where(DagModel.dag_id.in_(wanted)))
    }


def dags_with_tag(session: Session, dag_ids: Iterable[str], tag: str) -> set[str]:
    from airflow.models.dag import DagTag

    wanted = list(dag_ids)
    if not wanted:
        return set()
    return set(session.scalars(select(DagTag.dag_id).where(DagTag.dag_id.in_(wanted), DagTag.name == tag)))


def latest_dag_version(session: Session, dag_id: str) -> UUID | None:
    """The newest DAG version of an active DAG; None while Airflow has not (or no longer) loaded it."""
    from airflow.models.dag import DagModel
    from airflow.models.dag_version import DagVersion

    active = session.scalar(select(DagModel.dag_id).where(DagModel.dag_id == dag_id, ~DagModel.is_stale))
    if active is None:
        return None
    return session.scalar(
        select(DagVersion.id).where(DagVersion.dag_id == dag_id).order_by(DagVersion.version_number.desc()).limit(1)
    )


def dag_version_hashes(session: Session, version_ids: Iterable[UUID]) -> dict[UUID, str]:
    """The content hash of each DAG version's serialized DAG (cheap: no DAG JSON is loaded)."""
    from airflow.models.serialized_dag import SerializedDagModel

    wanted = set(version_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(SerializedDagModel.dag_version_id, SerializedDagModel.dag_hash).where(
            SerializedDagModel.dag_version_id.in_(wanted)
        )
    )
    return {version_id: dag_hash for version_id, dag_hash in rows}


@dataclass(frozen=True)
class DagVersionDefinition:
    """What the plugin reads back from a stored DAG version: its ``default_args`` and ``doc_md``."""

    dag_version_id: UUID
    dag_hash: str
    default_args: dict[str, Any] = field(default_factory=dict)
    doc_md: str = ""


def decode_serialized(value: Any) -> Any:
    """A value of Airflow's serialized-DAG JSON as plain data: ``{"__var": v, "__type": t}`` wrappers removed."""
    if isinstance(value, dict):
        if "__var" in value and set(value) <= {"__var", "__type"}:
            return decode_serialized(value["__var"])
        return {k: decode_serialized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_serialized(v) for v in value]
    return value


def serialized_dag_fields(data: dict[str, Any] | None) -> tuple[dict[str, Any], str]:
    """``default_args`` and ``doc_md`` of a serialized DAG (``serialized_dag.data``), decoded."""
    dag = (data or {}).get("dag") or {}
    default_args = decode_serialized(dag.get("default_args") or {})
    return (default_args if isinstance(default_args, dict) else {}), str(dag.get("doc_md") or "")


def _definition(version_id: UUID, dag_hash: str, data: dict[str, Any] | None) -> DagVersionDefinition:
    default_args, doc_md = serialized_dag_fields(data)
    return DagVersionDefinition(version_id, dag_hash, default_args, doc_md)


def dag_version_definitions(session: Session, version_ids: Iterable[UUID]) -> dict[UUID, DagVersionDefinition]:
    from airflow.models.serialized_dag import SerializedDagModel

    wanted = set(version_ids)
    if not wanted:
        return {}
    return {
        model.dag_version_id: _definition(model.dag_version_id, model.dag_hash, model.data)
        for model in session.scalars(select(SerializedDagModel).where(SerializedDagModel.dag_version_id.in_(wanted)))
    }


@dataclass(frozen=True)
class DagTask:
    task_id: str
    label: str
    upstream_task_ids: frozenset[str]


def dag_tasks(session: Session, dag_version_id: UUID) -> list[DagTask] | None:
    """The tasks of a stored DAG version (None when Airflow no longer has it)."""
    from airflow.models.dagbag import DBDagBag

    dag = DBDagBag().get_dag(dag_version_id, session)
    if dag is None:
        return None
    return [
        DagTask(task_id, str(getattr(task, "task_display_name", "") or task_id), frozenset(task.upstream_task_ids))
        for task_id, task in dag.task_dict.items()
    ]


def metadata_session(*, expire_on_commit: bool = True) -> Session:
    """A new session on Airflow's metadata database, for work outside a request (threads, the CLI).

    Use it as a context manager; not inside DAG parsing or tasks (Airflow 3 blocks the ORM there).
    """
    from airflow import settings
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(bind=settings.engine, expire_on_commit=expire_on_commit)()
