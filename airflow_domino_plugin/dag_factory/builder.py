"""One stored revision -> one Airflow DAG (or a placeholder DAG saying why it cannot be built)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import DAG, BaseOperator, Param

from airflow_domino_plugin.dag_factory.operators import BuildErrorOperator
from airflow_domino_plugin.dag_factory.piece_operator import PieceOperator
from airflow_domino_plugin.dag_factory.store import StoredRevision
from airflow_domino_plugin.workflows.bindings import upstream_tasks
from airflow_domino_plugin.workflows.document import Workflow
from airflow_domino_plugin.workflows.params import airflow_param_kwargs

DOMINO_TAG = "domino"
BUILD_ERROR_TAG = "domino-build-error"

# Machine-readable marker of the revision a DAG was built from, kept in the DAG's
# ``default_args`` (serialized with the DAG, ignored by operators: no operator takes these
# arguments). Every run points at the DAG version it was created with, so the API reads the
# revision of any run, scheduled or manual, from the serialized DAG of that version.
REVISION_ID_ARG = "domino_revision_id"
REVISION_NUMBER_ARG = "domino_revision_number"


def piece_operator_class(runner: str) -> type[BaseOperator]:
    """The runner's own operator for ``kubernetes``/``docker`` tasks, imported only when a DAG has one."""
    if runner == "kubernetes":
        from airflow_domino_plugin.execution.runners.kubernetes import KubernetesPieceOperator

        return KubernetesPieceOperator
    if runner == "docker":
        from airflow_domino_plugin.execution.runners.docker import DockerPieceOperator

        return DockerPieceOperator
    return PieceOperator


def _schedule(workflow: Workflow) -> Any:
    schedule = workflow.schedule
    if schedule is None or schedule in ("@once", "@continuous") or workflow.timezone == "UTC":
        return schedule
    from airflow.timetables.trigger import CronTriggerTimetable

    return CronTriggerTimetable(schedule, timezone=workflow.timezone)


def _doc(workflow: Workflow, stored: StoredRevision, ui_url: str) -> str:
    lines = [f"# {workflow.name}", ""]
    if workflow.description:
        lines += [workflow.description, ""]
    lines.append(
        f"Built by airflow-domino-plugin from revision {stored.number} of workflow `{workflow.id}`. "
        f"[Open it in the Domino editor]({ui_url}/workflows/{workflow.id})."
    )
    return "\n".join(lines)


def build_dag(stored: StoredRevision, *, ui_url: str = "/domino/ui", default_runner: str = "subprocess") -> DAG:
    workflow = Workflow.model_validate(stored.document)
    if workflow.id != stored.workflow_id:
        raise ValueError(f"document id {workflow.id!r} differs from the stored workflow id {stored.workflow_id!r}")
    dag = DAG(
        dag_id=workflow.id,
        description=workflow.name,
        doc_md=_doc(workflow, stored, ui_url),
        schedule=_schedule(workflow),
        start_date=workflow.start_date,
        end_date=workflow.end_date,
        catchup=workflow.catchup,
        max_active_runs=workflow.max_active_runs or 16,
        tags=[DOMINO_TAG, *workflow.tags],
        params={name: Param(**airflow_param_kwargs(param)) for name, param in workflow.params.items()},
        default_args={REVISION_ID_ARG: stored.revision_id, REVISION_NUMBER_ARG: stored.number},
    )
    operators: dict[str, BaseOperator] = {}
    for task in workflow.tasks:
        policy = workflow.task_policy(task)
        runner = policy.runner or default_runner
        operators[task.id] = piece_operator_class(runner)(
            task_id=task.id,
            task_display_name=task.label or task.piece.name,
            dag=dag,
            piece=task.piece.model_dump(),
            inputs=task.inputs,
            secrets={name: source.model_dump(exclude_none=True) for name, source in task.secrets.items()},
            runner=runner,
            resources=task.resources.model_dump(exclude_none=True) if task.resources else {},
            retries=policy.retries,
            retry_delay=timedelta(seconds=policy.retry_delay_s),
            timeout_s=policy.timeout_s,
            workflow_id=workflow.id,
            revision_id=stored.revision_id,
        )
    for task in workflow.tasks:
        for upstream in dict.fromkeys([*task.depends_on, *upstream_tasks(task.inputs)]):
            operators[upstream] >> operators[task.id]
    return dag


def build_placeholder(workflow_id: str, error: str) -> DAG:
    """A DAG that keeps a broken workflow visible; its only task fails with ``error``."""
    dag = DAG(
        dag_id=workflow_id,
        description=f"Cannot be built: {error[:200]}",
        doc_md=f"# Build error\n\nThis Domino workflow could not be built into a DAG:\n\n```\n{error}\n```",
        schedule=None,
        tags=[DOMINO_TAG, BUILD_ERROR_TAG],
    )
    BuildErrorOperator(task_id="build_error", message=error, dag=dag)
    return dag
