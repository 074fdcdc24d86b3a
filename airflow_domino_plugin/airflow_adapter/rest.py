"""Airflow's public REST API (``/api/v2``), called in-process as the user whose request is being served.

Run actions a user takes on a workflow's DAG (trigger, mark failed, pause, clear, delete) and its
task logs go through Airflow's own routes rather than the functions behind them: the routes are
the API Airflow keeps stable between releases, and calling them as the user means Airflow itself
checks that user's permissions and writes its audit log row (``action_logging``), exactly as when
the user clicks in Airflow's UI.

The request never leaves the process: it is handed to the API server's own ASGI application
(``airflow.api_fastapi.main:app``, which both the uvicorn and the gunicorn server run) with the
caller's ``Authorization`` and ``Cookie`` headers, in a private event loop of the calling worker
thread, so it neither needs the server's address nor waits for a slot of the server's own thread
pool (which the calling request is holding).
"""

from __future__ import annotations

import asyncio
import functools
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from airflow_domino_plugin.airflow_adapter.errors import (
    AdapterError,
    DagNotLoaded,
    LogsUnreadable,
    RunAlreadyExists,
    TryNotFound,
    UnknownTask,
)

FORWARDED_HEADERS = ("authorization", "cookie")
"""What carries the caller's identity to Airflow: a bearer token, or the UI's token cookie."""


@dataclass(frozen=True)
class Caller:
    """The credentials of the request being served; the web layer builds it (``auth.caller``)."""

    headers: tuple[tuple[str, str], ...] = ()


class AirflowRefused(AdapterError):
    """Airflow's route answered with an error; ``status`` is its HTTP status, ``detail`` its reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _api_server_app() -> Any:
    main = sys.modules.get("airflow.api_fastapi.main")
    app = getattr(main, "app", None)
    if app is None:
        raise AdapterError("Airflow's REST API is called in-process, so only inside Airflow's API server.")
    return app


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text or response.reason_phrase
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, list):  # FastAPI's validation errors: [{"loc": [...], "msg": ...}, ...]
        return "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
    return str(detail)


async def _send(app: Any, request: httpx.Request) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.send(request)
        await response.aread()
        return response


def call(
    caller: Caller,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: dict[str, Any] | None = None,
    ok: tuple[int, ...] = (200,),
) -> httpx.Response:
    """``method`` ``/api/v2{path}`` as ``caller``; raises :class:`AirflowRefused` unless the status is in ``ok``.

    Call it from a worker thread (the services run in FastAPI's thread pool), after committing
    the caller's own writes: Airflow's route runs in its own database session, and on SQLite a
    transaction still open here would lock it out.
    """
    app = _api_server_app()
    root = str(getattr(app, "root_path", "") or "").rstrip("/")
    headers = {name: value for name, value in caller.headers if name.lower() in FORWARDED_HEADERS}
    headers["accept"] = "application/json"
    request = httpx.Request(
        method,
        f"http://airflow-api-server{root}/api/v2{path}",
        json=json,
        params={k: v for k, v in (params or {}).items() if v is not None},
        headers=headers,
    )
    response = asyncio.run(_send(app, request))
    if response.status_code not in ok:
        raise AirflowRefused(response.status_code, _detail(response))
    return response


def _quote(value: str) -> str:
    return quote(value, safe="")


@functools.cache
def _clear_body_fields() -> frozenset[str]:
    """What Airflow's clear route accepts (``run_on_latest_version`` is newer than 3.1's first releases)."""
    from airflow.api_fastapi.core_api.datamodels.task_instances import ClearTaskInstancesBody

    return frozenset(ClearTaskInstancesBody.model_fields)


def _log_record(record: Any) -> Any:
    """A log record from the route's JSON: its ``timestamp`` back to a datetime, as the reader gives it."""
    if isinstance(record, dict) and isinstance(record.get("timestamp"), str):
        try:
            return {**record, "timestamp": datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00"))}
        except ValueError:
            return record
    return record


@dataclass(frozen=True)
class AirflowApi:
    """The routes the plugin drives a workflow's DAG through, as typed calls made as ``caller``.

    Errors: :class:`DagNotLoaded` (Airflow has no such DAG or run), :class:`UnknownTask`,
    :class:`RunAlreadyExists`, ``ValueError`` (Airflow refused the input, e.g. a run's
    parameters), otherwise :class:`AirflowRefused` with the route's status (403 when the
    caller's Airflow role does not allow it, 409 for a conflicting state).
    """

    caller: Caller

    def _dag(self, dag_id: str) -> str:
        return f"/dags/{_quote(dag_id)}"

    def _run(self, dag_id: str, run_id: str) -> str:
        return f"{self._dag(dag_id)}/dagRuns/{_quote(run_id)}"

    def trigger_dag_run(self, dag_id: str, *, conf: dict[str, Any], note: str = "") -> str:
        """``POST /dags/{id}/dagRuns`` (a manual run now); returns the new run's id."""

        body: dict[str, Any] = {"logical_date": None, "conf": dict(conf)}
        if note:
            body["note"] = note
        try:
            response = call(self.caller, "POST", f"{self._dag(dag_id)}/dagRuns", json=body)
        except AirflowRefused as exc:
            if exc.status == 404:
                raise DagNotLoaded(dag_id) from exc
            if exc.status == 409:
                raise RunAlreadyExists(dag_id) from exc
            if exc.status in (400, 422):
                raise ValueError(exc.detail) from exc
            raise
        return str(response.json()["dag_run_id"])

    def mark_run_failed(self, dag_id: str, run_id: str) -> None:
        """``PATCH /dags/{id}/dagRuns/{run}`` to ``failed``: Airflow stops the run's unfinished tasks."""

        try:
            call(self.caller, "PATCH", self._run(dag_id, run_id), json={"state": "failed"})
        except AirflowRefused as exc:
            if exc.status == 404:
                raise DagNotLoaded(f"{dag_id}/{run_id}") from exc
            raise

    def set_paused(self, dag_id: str, paused: bool) -> bool:
        """``PATCH /dags/{id}``; returns the DAG's paused state after it."""

        try:
            response = call(self.caller, "PATCH", self._dag(dag_id), json={"is_paused": paused})
        except AirflowRefused as exc:
            if exc.status == 404:
                raise DagNotLoaded(dag_id) from exc
            raise
        return bool(response.json()["is_paused"])

    def clear_tasks(self, dag_id: str, run_id: str, task_id: str, *, downstream: bool = True) -> list[str]:
        """``POST /dags/{id}/clearTaskInstances`` for one task of one run (and its downstream tasks).

        Whatever their state; the run goes back to queued and keeps the DAG version it ran.
        Returns the cleared task ids.
        """

        body: dict[str, Any] = {
            "dry_run": False,
            "dag_run_id": run_id,
            "task_ids": [task_id],
            "include_downstream": downstream,
            "only_failed": False,
            "reset_dag_runs": True,
        }
        if "run_on_latest_version" in _clear_body_fields():
            body["run_on_latest_version"] = False
        try:
            response = call(self.caller, "POST", f"{self._dag(dag_id)}/clearTaskInstances", json=body)
        except AirflowRefused as exc:
            if exc.status == 404:
                raise DagNotLoaded(f"{dag_id}/{run_id}") from exc
            if exc.status == 400 and task_id in exc.detail:
                raise UnknownTask(task_id) from exc
            raise
        cleared = {str(ti["task_id"]) for ti in response.json().get("task_instances", [])}
        if task_id not in cleared:
            raise UnknownTask(task_id)
        return sorted(cleared)

    def delete_dag(self, dag_id: str) -> bool:
        """``DELETE /dags/{id}`` (the DAG and its runs); False when Airflow has no such DAG."""
        try:
            call(self.caller, "DELETE", self._dag(dag_id), ok=(204,))
        except AirflowRefused as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def task_log(self, dag_id: str, run_id: str, task_id: str, *, try_number: int, map_index: int = -1) -> list[Any]:
        """``GET .../taskInstances/{task}/logs/{try}``: every structured record of that try (dicts).

        The whole log each time, not from a continuation token: the readers of Airflow 3.1 and
        3.2 mishandle a position (3.1 ignores it, 3.2 raises on it), and the caller keeps its own
        count of records seen.
        """

        path = f"{self._run(dag_id, run_id)}/taskInstances/{_quote(task_id)}/logs/{int(try_number)}"
        try:
            response = call(self.caller, "GET", path, params={"map_index": map_index})
        except AirflowRefused as exc:
            if exc.status == 404:
                raise TryNotFound(f"{task_id} try {try_number}") from exc
            if exc.status == 400:
                raise LogsUnreadable(f"Airflow cannot read this task's log back: {exc.detail}") from exc
            raise
        content = response.json().get("content") or []
        return [_log_record(r) if isinstance(r, dict) else {"event": str(r)} for r in content]

    def set_variable(self, key: str, value: str, *, description: str) -> None:
        """``PATCH /variables/{key}``, or ``POST /variables`` when it does not exist yet.

        Airflow's audit row masks the value (its variable routes log ``"val": "***"``).
        """
        body = {"key": key, "value": value, "description": description}
        try:
            call(self.caller, "PATCH", f"/variables/{_quote(key)}", json=body)
        except AirflowRefused as exc:
            if exc.status != 404:
                raise
            call(self.caller, "POST", "/variables", json=body, ok=(201,))

    def delete_variable(self, key: str) -> bool:
        """``DELETE /variables/{key}``; False when there was no such variable."""
        try:
            call(self.caller, "DELETE", f"/variables/{_quote(key)}", ok=(204,))
        except AirflowRefused as exc:
            if exc.status == 404:
                return False
            raise
        return True
