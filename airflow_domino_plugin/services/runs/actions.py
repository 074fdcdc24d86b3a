"""Driving runs: trigger (once Airflow has the deployed revision), cancel, pause, clear a task."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.orm import Session

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.db.models import WorkflowRevision
from airflow_domino_plugin.services import airflow_dags
from airflow_domino_plugin.services import workflows as workflows_service
from airflow_domino_plugin.services.dag_versions import latest_marker
from airflow_domino_plugin.services.errors import Conflict, InvalidInput, Issue, NotFound
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
    note: str = "",
    user_name: str = "",
    user_id: str | None = None,
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
    dag_run = get_dag_run(session, workflow_id, run_id)
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
    get_dag_run(session, workflow_id, run_id)
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
