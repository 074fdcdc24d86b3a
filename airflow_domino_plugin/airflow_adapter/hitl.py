"""Human-in-the-loop requests (``hitl_detail``): read as plain records, answered the way ``/api/v2`` answers them.

A response runs the function behind Airflow's ``PATCH .../taskInstances/{task}/{map}/hitlDetails``
route, so its checks (assigned users through the auth manager, options, a second answer refused)
and its resume of the waiting task are Airflow's own. The auth manager user is the caller's.

One exception to "Airflow's own": on Airflow 3.3 the route resumes a parked (``awaiting_input``)
task at once. When the answer comes within seconds of the park, the parked try's worker may not
have exited yet; its exit report then reaches the scheduler after the resumed try was queued
(same try number), and the scheduler fails the resumed try as "killed externally". So an answer
that comes within ``[domino] hitl_resume_delay`` of the park is stored, the task stays parked
with its response deadline moved to the end of that delay, and Airflow's awaiting-input sweep
resumes it with the stored answer (the sweep's "a response landed before the deadline" path).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.airflow_adapter._compat import supported_kwargs
from airflow_domino_plugin.airflow_adapter._rows import task_instance_row
from airflow_domino_plugin.airflow_adapter.audit import record_action
from airflow_domino_plugin.airflow_adapter.errors import AdapterError

WAITING_STATES = ("deferred", "awaiting_input")
"""Task-instance states of a step waiting for its answer (``awaiting_input`` from Airflow 3.3)."""


class HitlRefused(AdapterError):
    """Airflow refused the response; ``status`` is the HTTP status its route answers (400, 403, 404, 409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class HitlRequest:
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    task_state: str | None
    subject: str
    body: str | None
    options: list[str]
    multiple: bool
    defaults: list[str] | None
    params: dict[str, Any]  # serialized Params: {name: {"value", "schema", "description", ...}}
    assigned_users: list[dict[str, str]]
    created_at: datetime | None
    timeout_at: datetime | None
    responded_at: datetime | None
    responded_by: dict[str, str] | None
    chosen_options: list[str] | None
    params_input: dict[str, Any]


def _state(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _request(detail: Any, ti: Any) -> HitlRequest:
    users = getattr(detail, "assigned_users", None) or []
    responded_by = getattr(detail, "responded_by_user", None)
    return HitlRequest(
        dag_id=ti.dag_id,
        run_id=ti.run_id,
        task_id=ti.task_id,
        map_index=ti.map_index,
        task_state=_state(ti.state),
        subject=detail.subject,
        body=detail.body,
        options=list(detail.options or []),
        multiple=bool(detail.multiple),
        defaults=list(detail.defaults) if detail.defaults is not None else None,
        params=dict(detail.params or {}),
        assigned_users=[{"id": str(u["id"]), "name": str(u["name"])} for u in users],
        created_at=getattr(detail, "created_at", None),
        timeout_at=getattr(ti, "trigger_timeout", None),
        responded_at=detail.responded_at,
        responded_by=dict(responded_by) if responded_by else None,
        chosen_options=list(detail.chosen_options) if detail.chosen_options is not None else None,
        params_input=dict(detail.params_input or {}),
    )


def hitl_requests(
    session: Session,
    *,
    dag_ids: Iterable[str] | None = None,
    run_id: str | None = None,
    waiting_only: bool = False,
    limit: int = 500,
) -> list[HitlRequest]:
    """Requests of the latest tries, oldest first; ``waiting_only``: unanswered ones whose task still waits."""
    from airflow.models.hitl import HITLDetail
    from airflow.models.taskinstance import TaskInstance

    statement = select(HITLDetail, TaskInstance).join(TaskInstance, TaskInstance.id == HITLDetail.ti_id)
    if dag_ids is not None:
        statement = statement.where(TaskInstance.dag_id.in_(list(dag_ids)))
    if run_id is not None:
        statement = statement.where(TaskInstance.run_id == run_id)
    if waiting_only:
        statement = statement.where(HITLDetail.responded_at.is_(None), TaskInstance.state.in_(WAITING_STATES))
    statement = statement.order_by(HITLDetail.created_at, TaskInstance.task_id, TaskInstance.map_index).limit(limit)
    return [_request(detail, ti) for detail, ti in session.execute(statement).all()]


def respond(
    session: Session,
    user: Any,
    *,
    dag_id: str,
    run_id: str,
    task_id: str,
    map_index: int,
    chosen_options: list[str],
    params_input: Mapping[str, Any],
    user_name: str | None,
) -> HitlRequest:
    """Answer a waiting request as ``user`` (Airflow's route: checks, stores, resumes the task)."""
    from airflow.api_fastapi.core_api.datamodels.hitl import UpdateHITLDetailPayload
    from airflow.api_fastapi.core_api.routes.public.hitl import update_hitl_detail

    payload = UpdateHITLDetailPayload(chosen_options=chosen_options, params_input=dict(params_input))
    parked = _parked_task(session, dag_id=dag_id, run_id=run_id, task_id=task_id, map_index=map_index)
    try:
        update_hitl_detail(
            **supported_kwargs(
                update_hitl_detail,
                dag_id=dag_id,
                dag_run_id=run_id,
                task_id=task_id,
                update_hitl_detail_payload=payload,
                user=user,
                session=session,
                map_index=map_index,
            )
        )
    except Exception as exc:  # the route's HTTPException (FastAPI is not imported below the web layer)
        status = getattr(exc, "status_code", None)
        if not isinstance(status, int):
            raise
        session.rollback()
        raise HitlRefused(status, str(getattr(exc, "detail", exc))) from exc
    if parked is not None:
        _hold_resume(session, parked)
    record_action(
        session,
        "update_hitl_detail",
        user_name=user_name,
        dag_id=dag_id,
        run_id=run_id,
        task_id=task_id,
        extra={"map_index": map_index, "chosen_options": chosen_options},
    )
    session.commit()
    found = [r for r in hitl_requests(session, dag_ids=[dag_id], run_id=run_id) if r.task_id == task_id]
    return next(r for r in found if r.map_index == map_index)


@dataclass(frozen=True)
class _Parked:
    """A task parked in ``awaiting_input`` as it was before the answer (what a held resume restores)."""

    ti: Any
    next_method: str | None
    next_kwargs: Any
    scheduled_dttm: datetime | None
    resume_at: datetime


def _parked_task(session: Session, *, dag_id: str, run_id: str, task_id: str, map_index: int) -> _Parked | None:
    """The task, if it parked in ``awaiting_input`` less than ``hitl_resume_delay`` ago (else ``None``)."""

    from airflow_domino_plugin import config

    delay = timedelta(seconds=float(config.get("hitl_resume_delay") or 0))
    ti = task_instance_row(session, dag_id, run_id, task_id, map_index)
    if ti is None or _state(ti.state) != "awaiting_input" or delay <= timedelta(0):
        return None
    parked_at = ti.updated_at  # the park transition is the task's last update while it waits
    if parked_at is None or parked_at + delay <= datetime.now(UTC):
        return None
    return _Parked(
        ti=ti,
        next_method=ti.next_method,
        next_kwargs=ti.next_kwargs,
        scheduled_dttm=ti.scheduled_dttm,
        resume_at=parked_at + delay,
    )


def _hold_resume(session: Session, parked: _Parked) -> None:
    """Undo the route's immediate resume (same transaction); the sweep resumes at ``resume_at``."""
    from airflow.utils.state import TaskInstanceState

    ti = parked.ti
    if _state(ti.state) != "scheduled":  # the route did not resume it (e.g. refused): nothing to hold
        return
    ti.state = TaskInstanceState.AWAITING_INPUT
    ti.next_method = parked.next_method
    ti.next_kwargs = parked.next_kwargs
    ti.scheduled_dttm = parked.scheduled_dttm
    ti.trigger_timeout = parked.resume_at
    session.flush()
