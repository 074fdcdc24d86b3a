"""Runs of a workflow, read and driven through Airflow inside the API server.

Triggering, cancelling, pausing and clearing use the same Airflow code paths as ``/api/v2``
(through :mod:`airflow_domino_plugin.airflow_adapter`) and write Airflow's audit log with the
acting user; reads join Airflow's runs, task instances and XComs with the plugin's revisions.

Which revision a run ran: :mod:`.dag_versions`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.airflow_adapter import DagRunInfo, TaskInstanceInfo
from airflow_domino_plugin.db.models import WorkflowRevision
from airflow_domino_plugin.services import airflow_dags
from airflow_domino_plugin.services import workflows as workflows_service
from airflow_domino_plugin.services.dag_versions import RevisionMarker, latest_marker, version_markers
from airflow_domino_plugin.services.errors import Conflict, InvalidInput, Issue, NotFound
from airflow_domino_plugin.services.paging import Page
from airflow_domino_plugin.workflows.bindings import upstream_tasks
from airflow_domino_plugin.workflows.document import Workflow as WorkflowDocument
from airflow_domino_plugin.workflows.flow import items_task_id
from airflow_domino_plugin.workflows.params import resolve_run_params, validate_run_params

RUN_STATES = ("queued", "running", "success", "failed")
FINISHED_TASK_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed", "up_for_retry"})
# How long a trigger waits for Airflow to load a just-saved revision before refusing (409).
STALE_DAG_WAIT_S = 10.0


def _revisions_for(
    session: Session, workflow_id: str, markers: Iterable[RevisionMarker]
) -> dict[RevisionMarker, WorkflowRevision]:
    markers = set(markers)
    ids = {m.revision_id for m in markers if m.revision_id is not None}
    numbers = {m.number for m in markers if m.revision_id is None and m.number is not None}
    by_id: dict[int | None, WorkflowRevision] = {}
    by_number: dict[int, WorkflowRevision] = {}
    if ids:
        for revision in session.scalars(
            select(WorkflowRevision).where(WorkflowRevision.id.in_(ids), WorkflowRevision.workflow_id == workflow_id)
        ):
            by_id[revision.id] = revision
    if numbers:
        for revision in session.scalars(
            select(WorkflowRevision).where(
                WorkflowRevision.number.in_(numbers), WorkflowRevision.workflow_id == workflow_id
            )
        ):
            by_number[revision.number] = revision
    out: dict[RevisionMarker, WorkflowRevision] = {}
    for marker in markers:
        found = by_id.get(marker.revision_id)
        if found is None and marker.revision_id is None and marker.number is not None:
            found = by_number.get(marker.number)
        if found is not None:
            out[marker] = found
    return out


# ------------------------------------------------------------------ runs


@dataclass
class Run:
    run_id: str
    workflow_id: str
    state: str | None
    run_type: str
    logical_date: datetime | None
    queued_at: datetime | None
    start_date: datetime | None
    end_date: datetime | None
    params: dict[str, Any]
    note: str
    revision: WorkflowRevision | None
    triggered_by: str | None


@dataclass
class TaskState:
    task_id: str
    label: str
    piece: dict[str, str] | None
    state: str | None
    try_number: int
    max_tries: int
    start_date: datetime | None
    end_date: datetime | None
    duration_s: float | None
    has_display_result: bool
    # A for-each task's instances (Airflow map indexes), in item order; empty for other tasks.
    map_instances: list[MapInstance] = field(default_factory=list)


@dataclass
class MapInstance:
    map_index: int
    state: str | None
    try_number: int
    start_date: datetime | None
    end_date: datetime | None
    duration_s: float | None


# The state a for-each task shows, from its instances' states: the first of these present wins.
_MAPPED_STATE_ORDER = ("failed", "upstream_failed", "up_for_retry", "running", "deferred", "queued", "scheduled")


def _mapped_state(instances: list[MapInstance]) -> str | None:
    states = {instance.state for instance in instances}
    for state in _MAPPED_STATE_ORDER:
        if state in states:
            return state
    if "success" in states:
        return "success"
    return next(iter(states)) if len(states) == 1 else None


@dataclass
class RunDetail:
    run: Run
    tasks: list[TaskState] = field(default_factory=list)


def _effective_params(revision: WorkflowRevision | None, conf: dict[str, Any] | None) -> dict[str, Any]:
    conf = dict(conf or {})
    if revision is None:
        return conf
    try:
        document = WorkflowDocument.model_validate(revision.document)
    except Exception:
        return conf
    values = resolve_run_params(document.params, conf)
    return values


def _runs_out(session: Session, workflow_id: str, dag_runs: list[DagRunInfo]) -> list[Run]:
    markers = version_markers(session, [r.dag_version_id for r in dag_runs])
    revisions = _revisions_for(session, workflow_id, markers.values())
    out = []
    for dag_run in dag_runs:
        marker = markers.get(dag_run.dag_version_id) if dag_run.dag_version_id else None
        revision = revisions.get(marker) if marker else None
        out.append(
            Run(
                run_id=dag_run.run_id,
                workflow_id=workflow_id,
                state=dag_run.state,
                run_type=dag_run.run_type,
                logical_date=dag_run.logical_date,
                queued_at=dag_run.queued_at,
                start_date=dag_run.start_date,
                end_date=dag_run.end_date,
                params=_effective_params(revision, dag_run.conf),
                note=dag_run.note,
                revision=revision,
                triggered_by=dag_run.triggering_user_name,
            )
        )
    return out


def _get_dag_run(session: Session, workflow_id: str, run_id: str) -> DagRunInfo:
    workflows_service.get_workflow(session, workflow_id)
    dag_run = airflow_adapter.dag_run(session, workflow_id, run_id)
    if dag_run is None:
        raise NotFound(f"Workflow {workflow_id!r} has no run {run_id!r}.")
    return dag_run


def list_runs(session: Session, workflow_id: str, *, state: str = "", limit: int = 50, offset: int = 0) -> Page[Run]:
    """Runs of the workflow, newest first."""
    workflows_service.get_workflow(session, workflow_id)
    dag_runs, total = airflow_adapter.dag_runs(session, workflow_id, state=state, limit=limit, offset=offset)
    return Page(items=_runs_out(session, workflow_id, dag_runs), total=total)


def get_run(session: Session, workflow_id: str, run_id: str) -> Run:
    return _runs_out(session, workflow_id, [_get_dag_run(session, workflow_id, run_id)])[0]


def topological_task_ids(document: dict[str, Any]) -> list[str]:
    """Task ids of a workflow document, every task after its upstreams, otherwise in document order."""
    tasks = [t for t in document.get("tasks") or [] if isinstance(t, dict) and isinstance(t.get("id"), str)]
    order = [t["id"] for t in tasks]
    upstream: dict[str, set[str]] = {}
    for task in tasks:
        deps = set(task.get("depends_on") or [])
        with contextlib.suppress(Exception):  # a malformed stored document must not break the read
            deps |= set(upstream_tasks(task.get("inputs") or {}))
        upstream[task["id"]] = {d for d in deps if d in upstream or d in order}
    return _kahn(order, upstream)


def _kahn(order: list[str], upstream: dict[str, set[str]]) -> list[str]:
    done: list[str] = []
    placed: set[str] = set()
    remaining = list(order)
    while remaining:
        ready = [t for t in remaining if upstream[t] <= placed]
        if not ready:  # a cycle (cannot be saved, but be safe): keep the rest in document order
            ready = remaining
        for task_id in ready:
            done.append(task_id)
            placed.add(task_id)
        remaining = [t for t in remaining if t not in placed]
    return done


@dataclass
class _TaskMeta:
    task_id: str
    label: str
    piece: dict[str, str] | None


def _task_metas(session: Session, dag_run: DagRunInfo, revision: WorkflowRevision | None) -> list[_TaskMeta]:
    """Every task of the run's DAG in topological order, described by its revision when known."""
    if revision is None:
        tasks = airflow_adapter.dag_tasks(session, dag_run.dag_version_id) if dag_run.dag_version_id else None
        if not tasks:
            return []
        labels = {t.task_id: t.label for t in tasks}
        order = _kahn(list(labels), {t.task_id: set(t.upstream_task_ids) for t in tasks})
        return [_TaskMeta(t, labels[t], None) for t in order]
    by_id = {t["id"]: t for t in revision.document.get("tasks") or [] if isinstance(t, dict) and "id" in t}
    metas = []
    for task_id in topological_task_ids(revision.document):
        task = by_id[task_id]
        piece = task.get("piece") if isinstance(task.get("piece"), dict) else None
        label = task.get("label") or (piece or {}).get("name") or task_id
        metas.append(
            _TaskMeta(
                task_id,
                str(label),
                {k: str(piece.get(k, "")) for k in ("repository", "version", "name")} if piece else None,
            )
        )
    return metas


def get_run_detail(session: Session, workflow_id: str, run_id: str) -> RunDetail:
    dag_run = _get_dag_run(session, workflow_id, run_id)
    run = _runs_out(session, workflow_id, [dag_run])[0]
    tis: dict[str, TaskInstanceInfo] = {}
    instances: dict[str, list[MapInstance]] = {}
    for row in airflow_adapter.task_instances(session, workflow_id, run_id):
        if row.map_index == -1:
            tis[row.task_id] = row
        else:
            instances.setdefault(row.task_id, []).append(
                MapInstance(row.map_index, row.state, row.try_number, row.start_date, row.end_date, row.duration)
            )
    with_display = airflow_adapter.xcom_task_ids(session, workflow_id, run_id, "display_result")
    metas = _task_metas(session, dag_run, run.revision)
    known = {m.task_id for m in metas}
    # A for-each task's items task is part of that task, not a node of the workflow.
    hidden = {items_task_id(task_id) for task_id in known}
    extra = (set(tis) | set(instances)) - known - hidden
    metas += [_TaskMeta(task_id, task_id, None) for task_id in sorted(extra)]
    tasks = []
    for meta in metas:
        ti = tis.get(meta.task_id)
        mapped = instances.get(meta.task_id, [])
        tasks.append(
            TaskState(
                task_id=meta.task_id,
                label=meta.label,
                piece=meta.piece,
                state=_mapped_state(mapped) if mapped else ti.state if ti else None,
                try_number=ti.try_number if ti else 0,
                max_tries=ti.max_tries if ti else 0,
                start_date=ti.start_date if ti else None,
                end_date=ti.end_date if ti else None,
                duration_s=ti.duration if ti else None,
                has_display_result=meta.task_id in with_display,
                map_instances=mapped,
            )
        )
    return RunDetail(run=run, tasks=tasks)


# ------------------------------------------------------------------ actions


def _wait_for_current_revision(session: Session, workflow_id: str, current: WorkflowRevision) -> None:
    """Refuse (409) to trigger while Airflow still runs an older revision than the current one.

    A save asks for an immediate re-parse (~1 s); wait that out instead of running stale code.
    """
    deadline = time.monotonic() + STALE_DAG_WAIT_S
    asked = False
    while True:
        exists, marker = latest_marker(session, workflow_id)
        if exists and (marker is None or marker.revision_id in (None, current.id)):
            # No marker: a placeholder DAG (build error) or a version from before markers: run it.
            return
        if time.monotonic() >= deadline:
            break
        if not asked:
            airflow_dags.request_reparse(session)
            asked = True
        session.rollback()
        time.sleep(0.5)
    if not exists:
        raise Conflict(
            f"Airflow has not loaded workflow {workflow_id!r} yet; try again in a few seconds.",
            current_revision_id=current.id,
        )
    raise Conflict(
        f"Airflow has not loaded revision {current.number} of workflow {workflow_id!r} yet "
        f"(it still has revision {marker.number if marker else '?'}); try again in a few seconds.",
        current_revision_id=current.id,
    )


def trigger(
    session: Session,
    workflow_id: str,
    *,
    params: dict[str, Any],
    note: str = "",
    user_name: str = "",
    user_id: str | None = None,
) -> Run:
    """Start a run now with ``params`` overriding the current revision's defaults."""
    workflow = workflows_service.get_workflow(session, workflow_id)
    revision = workflows_service.current_revision(session, workflow)
    document = WorkflowDocument.model_validate(revision.document)
    issues = validate_run_params(document.params, params, base=("params",))
    if issues:
        raise InvalidInput(
            f"The run parameters have {len(issues)} problem{'s' if len(issues) > 1 else ''}.",
            [Issue(path=i.path, pointer=i.pointer, message=i.message, code=i.code) for i in issues],
        )
    _wait_for_current_revision(session, workflow_id, revision)
    try:
        dag_run = airflow_adapter.trigger_dag_run(
            session, workflow_id, conf=dict(params), user_name=user_name or None, note=note, user_id=user_id
        )
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has not loaded workflow {workflow_id!r} yet; try again in a few seconds.") from exc
    except airflow_adapter.RunAlreadyExists as exc:
        raise Conflict("A run with the same id was started at the same moment; try again.") from exc
    except ValueError as exc:  # Airflow's own parameter validation, or a DAG that refuses manual runs
        raise InvalidInput(str(exc), [Issue(path="params", message=str(exc))]) from exc
    airflow_adapter.record_action(
        session,
        "trigger_dag_run",
        user_name=user_name,
        dag_id=workflow_id,
        run_id=dag_run.run_id,
        extra={"revision": revision.number, "params": sorted(params)},  # names only: values may be sensitive
    )
    session.commit()
    return get_run(session, workflow_id, dag_run.run_id)


def cancel(session: Session, workflow_id: str, run_id: str, *, user_name: str | None = None) -> Run:
    """Mark the run failed and stop its unfinished tasks (Airflow's "mark failed")."""
    dag_run = _get_dag_run(session, workflow_id, run_id)
    if dag_run.state not in ("queued", "running"):
        raise Conflict(
            f"Run {run_id!r} has already ended ({dag_run.state}); only queued or running runs can be cancelled."
        )
    try:
        airflow_adapter.mark_run_failed(session, workflow_id, run_id)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has no DAG for run {run_id!r}.") from exc
    airflow_adapter.record_action(
        session, "patch_dag_run", user_name=user_name, dag_id=workflow_id, run_id=run_id, extra={"state": "failed"}
    )
    session.commit()
    return get_run(session, workflow_id, run_id)


def set_paused(session: Session, workflow_id: str, paused: bool, *, user_name: str | None = None) -> bool:
    workflows_service.get_workflow(session, workflow_id)
    try:
        is_paused = airflow_adapter.set_paused(session, workflow_id, paused)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has not loaded workflow {workflow_id!r} yet; try again in a few seconds.") from exc
    airflow_adapter.record_action(
        session, "patch_dag", user_name=user_name, dag_id=workflow_id, extra={"is_paused": paused}
    )
    session.commit()
    return is_paused


def clear_task(
    session: Session,
    workflow_id: str,
    run_id: str,
    task_id: str,
    *,
    downstream: bool = True,
    user_name: str | None = None,
) -> list[str]:
    """Clear a task (and its downstream tasks) of a run so the scheduler runs it again."""
    _get_dag_run(session, workflow_id, run_id)
    try:
        cleared = airflow_adapter.clear_tasks(session, workflow_id, run_id, task_id, downstream=downstream)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has no DAG for run {run_id!r}.") from exc
    except airflow_adapter.UnknownTask as exc:
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no task {task_id!r}.") from exc
    airflow_adapter.record_action(
        session,
        "post_clear_task_instances",
        user_name=user_name,
        dag_id=workflow_id,
        run_id=run_id,
        task_id=task_id,
        extra={"task_ids": cleared, "include_downstream": downstream, "dry_run": False},
    )
    session.commit()
    return cleared


# ------------------------------------------------------------------ task data


def _task_instance(
    session: Session, workflow_id: str, run_id: str, task_id: str, map_index: int = -1
) -> TaskInstanceInfo:
    """The task instance; ``map_index`` ≥ 0 picks one instance of a for-each task."""
    _get_dag_run(session, workflow_id, run_id)
    ti = airflow_adapter.task_instance(session, workflow_id, run_id, task_id, map_index)
    if ti is None:
        instance = f" instance {map_index}" if map_index >= 0 else ""
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no task {task_id!r}{instance}.")
    return ti


def xcom_value(session: Session, workflow_id: str, run_id: str, task_id: str, key: str, map_index: int = -1) -> Any:
    """The XCom ``key`` of a task (None when absent); the task must exist."""
    _task_instance(session, workflow_id, run_id, task_id, map_index)
    return airflow_adapter.xcom_value(session, workflow_id, run_id, task_id, key, map_index)


@dataclass
class ReportTask:
    task_id: str
    label: str
    state: str | None
    outputs: Any
    display_result: dict[str, Any] | None


@dataclass
class Report:
    run: Run
    tasks: list[ReportTask]


def report(session: Session, workflow_id: str, run_id: str) -> Report:
    """Every task's outputs and display result, in topological order."""
    detail = get_run_detail(session, workflow_id, run_id)
    values = airflow_adapter.xcom_values(session, workflow_id, run_id, ("return_value", "display_result"))
    tasks = []
    for task in detail.tasks:
        display = values.get((task.task_id, "display_result"))
        tasks.append(
            ReportTask(
                task_id=task.task_id,
                label=task.label,
                state=task.state,
                outputs=values.get((task.task_id, "return_value")),
                display_result=display if isinstance(display, dict) else None,
            )
        )
    return Report(run=detail.run, tasks=tasks)


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


def _without_source_header(records: list[Any]) -> list[Any]:
    """Drop Airflow's "Log message source details" group: it changes as the task ends."""
    out, skipping = [], False
    for record in records:
        event = str(getattr(record, "event", ""))
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
    try_number: int | None = None,
    offset: int = 0,
    map_index: int = -1,
) -> LogChunk:
    """Log records of one try from ``offset`` on, through Airflow's task log reader.

    ``next_offset`` counts records read so far; pass it back to get only what was written since.
    """
    ti = _task_instance(session, workflow_id, run_id, task_id, map_index)
    number = ti.try_number if try_number is None else try_number
    if number == 0 or number > ti.try_number:
        if try_number is not None and number > ti.try_number:
            raise NotFound(f"Task {task_id!r} has no try {number} (it is at try {ti.try_number}).")
        return LogChunk([], offset, ti.state in FINISHED_TASK_STATES, number)
    # An earlier try has ended for good; the current one when the task instance says so.
    complete = number != ti.try_number or ti.state in FINISHED_TASK_STATES
    try:
        read = airflow_adapter.read_task_log(
            session, workflow_id, run_id, task_id, try_number=number, offset=offset, map_index=map_index
        )
    except airflow_adapter.TryNotFound as exc:
        raise NotFound(f"Task {task_id!r} has no record of try {number}.") from exc
    except airflow_adapter.LogsUnreadable as exc:
        raise Conflict(str(exc)) from exc
    except airflow_adapter.UnknownTask as exc:  # deleted between the two reads
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no task {task_id!r}.") from exc
    records = _without_source_header(read.records)
    records = [r for r in records if not str(getattr(r, "event", "")).startswith("::endgroup::")]
    if read.log_pos is not None:
        next_offset = read.log_pos
    else:  # a handler without positions: everything came back, slice it here
        next_offset = len(records)
        records = records[offset:]
    return LogChunk([render_log_record(r) for r in records], max(next_offset, offset), complete, number)
