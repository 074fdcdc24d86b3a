"""Driving runs: trigger (once Airflow has the deployed revision), cancel, pause, clear a task.

Each action is a call of Airflow's REST API as the acting user (``airflow_adapter.AirflowApi``),
so Airflow checks that user's role and writes the audit-log row itself. The session's own
transaction is ended before the call (Airflow's route has its own session) and its cached rows
expired after it, so what is read back is what Airflow wrote.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.db.models import WorkflowRevision
from airflow_domino_plugin.services import airflow_dags
from airflow_domino_plugin.services import workflows as workflows_service
from airflow_domino_plugin.services.dag_versions import latest_marker
from airflow_domino_plugin.services.errors import Conflict, InvalidInput, Issue, NotFound, refused_by_airflow
from airflow_domino_plugin.services.runs.queries import Run, get_dag_run, get_run
from airflow_domino_plugin.workflows.document import Workflow as WorkflowDocument
from airflow_domino_plugin.workflows.params import validate_run_params

# How long a trigger waits for Airflow to load a just-saved revision before refusing (409).
STALE_DAG_WAIT_S = 10.0


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
    airflow: airflow_adapter.AirflowApi,
    note: str = "",
) -> Run:
    """Start a run now with ``params`` overriding the deployed revision's defaults.

    The deployed revision is the last one saved valid; drafts saved after it do not run.
    """
    workflow = workflows_service.get_workflow(session, workflow_id)
    revision = workflows_service.deployed_revisions(session, [workflow]).get(workflow_id)
    if revision is None:
        raise Conflict(
            f"Workflow {workflow_id!r} has only draft revisions, so it has no DAG and cannot run; "
            "fix its problems and save a valid revision first."
        )
    document = WorkflowDocument.model_validate(revision.document)
    issues = validate_run_params(document.params, params, base=("params",))
    if issues:
        raise InvalidInput(
            f"The run parameters have {len(issues)} problem{'s' if len(issues) > 1 else ''}.",
            [Issue(path=i.path, pointer=i.pointer, message=i.message, code=i.code) for i in issues],
        )
    _wait_for_current_revision(session, workflow_id, revision)
    session.commit()  # Airflow's route writes in its own session
    try:
        run_id = airflow.trigger_dag_run(workflow_id, conf=dict(params), note=note)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has not loaded workflow {workflow_id!r} yet; try again in a few seconds.") from exc
    except airflow_adapter.RunAlreadyExists as exc:
        raise Conflict("A run with the same id was started at the same moment; try again.") from exc
    except ValueError as exc:  # Airflow's own parameter validation, or a DAG that refuses manual runs
        raise InvalidInput(str(exc), [Issue(path="params", message=str(exc))]) from exc
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"start a run of workflow {workflow_id!r}") from exc
    session.expire_all()
    return get_run(session, workflow_id, run_id)


def cancel(session: Session, workflow_id: str, run_id: str, *, airflow: airflow_adapter.AirflowApi) -> Run:
    """Mark the run failed and stop its unfinished tasks (Airflow's "mark failed")."""
    dag_run = get_dag_run(session, workflow_id, run_id)
    if dag_run.state not in ("queued", "running"):
        raise Conflict(
            f"Run {run_id!r} has already ended ({dag_run.state}); only queued or running runs can be cancelled."
        )
    session.commit()  # Airflow's route writes in its own session
    try:
        airflow.mark_run_failed(workflow_id, run_id)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has no DAG for run {run_id!r}.") from exc
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"cancel run {run_id!r}") from exc
    session.expire_all()
    return get_run(session, workflow_id, run_id)


def set_paused(session: Session, workflow_id: str, paused: bool, *, airflow: airflow_adapter.AirflowApi) -> bool:
    workflows_service.get_workflow(session, workflow_id)
    session.commit()  # Airflow's route writes in its own session
    try:
        return airflow.set_paused(workflow_id, paused)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has not loaded workflow {workflow_id!r} yet; try again in a few seconds.") from exc
    except airflow_adapter.AirflowRefused as exc:
        action = "pause" if paused else "unpause"
        raise refused_by_airflow(exc.status, exc.detail, f"{action} workflow {workflow_id!r}") from exc


def clear_task(
    session: Session,
    workflow_id: str,
    run_id: str,
    task_id: str,
    *,
    airflow: airflow_adapter.AirflowApi,
    downstream: bool = True,
) -> list[str]:
    """Clear a task (and its downstream tasks) of a run so the scheduler runs it again."""
    get_dag_run(session, workflow_id, run_id)
    if not any(ti.task_id == task_id for ti in airflow_adapter.task_instances(session, workflow_id, run_id)):
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no task {task_id!r}.")
    session.commit()  # Airflow's route writes in its own session
    try:
        cleared = airflow.clear_tasks(workflow_id, run_id, task_id, downstream=downstream)
    except airflow_adapter.DagNotLoaded as exc:
        raise Conflict(f"Airflow has no DAG for run {run_id!r}.") from exc
    except airflow_adapter.UnknownTask as exc:
        raise NotFound(f"Run {run_id!r} of workflow {workflow_id!r} has no task {task_id!r}.") from exc
    except airflow_adapter.AirflowRefused as exc:
        raise refused_by_airflow(exc.status, exc.detail, f"clear task {task_id!r} of run {run_id!r}") from exc
    session.expire_all()
    return cleared
