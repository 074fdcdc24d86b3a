"""A task's log as lines a person reads, from Airflow's structured log records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.services.errors import Conflict, NotFound, refused_by_airflow
from airflow_domino_plugin.services.runs.queries import FINISHED_TASK_STATES, get_task_instance

# ------------------------------------------------------------------ logs


@dataclass
class LogChunk:
    lines: list[str]
    next_offset: int
    complete: bool
    try_number: int


_SKIP_KEYS = {"timestamp", "event", "level", "logger", "error_detail", "chan", "filename", "lineno", "sources"}
# Bound to every record of a task's log by Airflow: the same on each line, so left out.
_CONTEXT_KEYS = {"dag_id", "run_id", "task_id", "try_number", "ti_id", "map_index"}


def _format_traceback(details: Any) -> list[str]:
    lines: list[str] = []
    for exc in details if isinstance(details, list) else []:
        if not isinstance(exc, dict):
            continue
        if lines:
            lines.append(
                "The above exception was the direct cause of the following exception:"
                if exc.get("is_cause")
                else "During handling of the above exception, another exception occurred:"
            )
        lines.append("Traceback (most recent call last):")
        for frame in exc.get("frames") or []:
            if isinstance(frame, dict):
                lines.append(f'  File "{frame.get("filename")}", line {frame.get("lineno")}, in {frame.get("name")}')
        lines.append(f"{exc.get('exc_type', 'Exception')}: {exc.get('exc_value', '')}")
    return lines


def render_log_record(record: Any) -> str:
    """One structured log record as readable text: ``timestamp LEVEL event key=value``, then any traceback."""
    data: dict[str, Any] = record.model_dump() if hasattr(record, "model_dump") else dict(record)
    timestamp = data.get("timestamp")
    if isinstance(timestamp, datetime):
        stamp = timestamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    else:
        stamp = str(timestamp or "")
    level = str(data.get("level") or "").upper()
    event = str(data.get("event", ""))
    if event.startswith("::group::"):  # Airflow's foldable sections (Pre Execute, Post Execute)
        event = "▸ " + event.removeprefix("::group::")
    extras = " ".join(
        f"{k}={v}" for k, v in data.items() if k not in _SKIP_KEYS and k not in _CONTEXT_KEYS and v is not None
    )
    text = " ".join(part for part in (stamp, level, event, extras) if part)
    trace = _format_traceback(data.get("error_detail"))
    return "\n".join([text, *trace]) if trace else text


def _event(record: Any) -> str:
    return str(record.get("event", "") if isinstance(record, dict) else getattr(record, "event", ""))


def _without_source_header(records: list[Any]) -> list[Any]:
    """Drop Airflow's "Log message source details" group: it changes as the task ends."""
    out, skipping = [], False
    for record in records:
        event = _event(record)
        if event.startswith("::group::Log message source details"):
            skipping = True
            continue
        if skipping:
            if event.startswith("::endgroup::"):
                skipping = False
            continue
        out.append(record)
    return out


def task_log(
    session: Session,
    workflow_id: str,
    run_id: str,
    task_id: str,
    *,
    airflow: airflow_adapter.AirflowApi,
    try_number: int | None = None,
    offset: int = 0,
    map_index: int = -1,
) -> LogChunk:
    """Log records of one try from ``offset`` on, through Airflow's logs route as the reader.

    ``next_offset`` counts records read so far; pass it back to get only what was written since.
    """
    ti = get_task_instance(session, workflow_id, run_id, task_id, map_index)
    return log_of(
        session,
        workflow_id,
        run_id,
        ti,
        try_number=try_number,
        offset=offset,
        what=f"workflow {workflow_id!r}",
        airflow=airflow,
    )


def log_of(
    session: Session,
    dag_id: str,
    run_id: str,
    ti: airflow_adapter.TaskInstanceInfo,
    *,
    try_number: int | None = None,
    offset: int = 0,
    what: str = "",
    airflow: airflow_adapter.AirflowApi | None = None,
) -> LogChunk:
    """:func:`task_log` for a task instance already found, of any DAG.

    Without ``airflow`` (node tests: their DAG is authorised on its workflow, which Airflow's
    route does not know) the log is read with Airflow's task log reader directly.
    """
    task_id, map_index = ti.task_id, ti.map_index
    number = ti.try_number if try_number is None else try_number
    if number == 0 or number > ti.try_number:
        if try_number is not None and number > ti.try_number:
            raise NotFound(f"Task {task_id!r} has no try {number} (it is at try {ti.try_number}).")
        return LogChunk([], offset, ti.state in FINISHED_TASK_STATES, number)
    # An earlier try has ended for good; the current one when the task instance says so.
    complete = number != ti.try_number or ti.state in FINISHED_TASK_STATES
    try:
        if airflow is not None:
            session.commit()  # the route reads in its own session
            read = airflow_adapter.LogRead(
                airflow.task_log(dag_id, run_id, task_id, try_number=number, map_index=map_index), None
            )
        else:
            read = airflow_adapter.read_task_log(
                session, dag_id, run_id, task_id, try_number=number, offset=offset, map_index=map_index
            )
    except airflow_adapter.TryNotFound as exc:
        raise NotFound(f"Task {task_id!r} has no record of try {number}.") from exc
    except airflow_adapter.LogsUnreadable as exc:
        raise Conflict(str(exc)) from exc
    except airflow_adapter.UnknownTask as exc:  # deleted between the two reads
        raise NotFound(f"Run {run_id!r} of {what or dag_id!r} has no task {task_id!r}.") from exc
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"give the log of task {task_id!r}") from exc
    records = _without_source_header(read.records)
    records = [r for r in records if not _event(r).startswith("::endgroup::")]
    if read.log_pos is not None:
        next_offset = read.log_pos
    else:  # the whole log came back (the route, or a handler without positions): slice it here
        next_offset = len(records)
        records = records[offset:]
    return LogChunk([render_log_record(r) for r in records], max(next_offset, offset), complete, number)
