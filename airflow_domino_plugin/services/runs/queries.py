"""Reading runs: a workflow's runs, one run's tasks (with for-each instances), outputs and the run report.

Reads join Airflow's runs, task instances and XComs (through :mod:`airflow_domino_plugin.airflow_adapter`)
with the plugin's revisions; which revision a run ran comes from :mod:`..dag_versions`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.airflow_adapter import DagRunInfo, TaskInstanceInfo
from airflow_domino_plugin.db.models import WorkflowRevision
from airflow_domino_plugin.services import workflows as workflows_service
from airflow_domino_plugin.services.dag_versions import RevisionMarker, version_markers
from airflow_domino_plugin.services.errors import NotFound
from airflow_domino_plugin.services.paging import Page
from airflow_domino_plugin.workflows.bindings import upstream_tasks
from airflow_domino_plugin.workflows.document import Workflow as WorkflowDocument
from airflow_domino_plugin.workflows.flow import items_task_id
from airflow_domino_plugin.workflows.params import resolve_run_params
from airflow_domino_plugin.workflows.subflows import PARENT_CONF_KEY

RUN_STATES = ("queued", "running", "success", "failed")
FINISHED_TASK_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed", "up_for_retry"})


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
    # A task running another workflow: {"workflow_id", "run_id"} of the run it started.
    child_run: dict[str, str] | None = None


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
    # A run started by another workflow's task: {"workflow_id", "run_id", "task_id"} of that task.
    parent_run: dict[str, str] | None = None


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


def runs_out(session: Session, workflow_id: str, dag_runs: list[DagRunInfo]) -> list[Run]:
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


def get_dag_run(session: Session, workflow_id: str, run_id: str) -> DagRunInfo:
    workflows_service.get_workflow(session, workflow_id)
    dag_run = airflow_adapter.dag_run(session, workflow_id, run_id)
    if dag_run is None:
        raise NotFound(f"Workflow {workflow_id!r} has no run {run_id!r}.")
    return dag_run


def list_runs(session: Session, workflow_id: str, *, state: str = "", limit: int = 50, offset: int = 0) -> Page[Run]:
    """Runs of the workflow, newest first."""
    workflows_service.get_workflow(session, workflow_id)
    dag_runs, total = airflow_adapter.dag_runs(session, workflow_id, state=state, limit=limit, offset=offset)
    return Page(items=runs_out(session, workflow_id, dag_runs), total=total)


def get_run(session: Session, workflow_id: str, run_id: str) -> Run:
    return runs_out(session, workflow_id, [get_dag_run(session, workflow_id, run_id)])[0]


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
    child_workflow: str | None = None


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
        child = task.get("workflow") if isinstance(task.get("workflow"), dict) else None
        label = task.get("label") or (piece or {}).get("name") or (f"Run {child.get('id')}" if child else task_id)
        metas.append(
            _TaskMeta(
                task_id,
                str(label),
                {k: str(piece.get(k, "")) for k in ("repository", "version", "name")} if piece else None,
                str(child["id"]) if child and isinstance(child.get("id"), str) else None,
            )
        )
    return metas


def get_run_detail(session: Session, workflow_id: str, run_id: str) -> RunDetail:
    dag_run = get_dag_run(session, workflow_id, run_id)
    run = runs_out(session, workflow_id, [dag_run])[0]
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
                child_run=_child_run(session, workflow_id, run_id, meta) if ti else None,
            )
        )
    return RunDetail(run=run, tasks=tasks, parent_run=_parent_run(dag_run.conf))


def _child_run(session: Session, workflow_id: str, run_id: str, meta: _TaskMeta) -> dict[str, str] | None:
    """The run a sub-workflow task started (the standard provider's ``trigger_run_id`` XCom)."""
    if meta.child_workflow is None:
        return None
    child_run_id = airflow_adapter.xcom_value(session, workflow_id, run_id, meta.task_id, "trigger_run_id", -1)
    return {"workflow_id": meta.child_workflow, "run_id": child_run_id} if isinstance(child_run_id, str) else None


def _parent_run(conf: dict[str, Any] | None) -> dict[str, str] | None:
    parent = (conf or {}).get(PARENT_CONF_KEY)
    if not isinstance(parent, dict) or not all(isinstance(parent.get(k), str) for k in ("dag_id", "run_id", "task_id")):
        return None
    return {"workflow_id": parent["dag_id"], "run_id": parent["run_id"], "task_id": parent["task_id"]}


# ------------------------------------------------------------------ task data


def get_task_instance(
    session: Session, workflow_id: str, run_id: str, task_id: str, map_index: int = -1
) -> TaskInstanceInfo:
    """The task instance; ``map_index`` ≥ 0 picks one instance of a for-each task."""
    get_dag_run(session, workflow_id, run_id)
    ti = airflow_adapter.task_instance(session, workflow_id, run_id, task_id, map_index)
    if ti is None:
        instance = f" instance {map_index}" if map_index >= 0 else ""
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no task {task_id!r}{instance}.")
    return ti


def xcom_value(session: Session, workflow_id: str, run_id: str, task_id: str, key: str, map_index: int = -1) -> Any:
    """The XCom ``key`` of a task (None when absent); the task must exist."""
    get_task_instance(session, workflow_id, run_id, task_id, map_index)
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
