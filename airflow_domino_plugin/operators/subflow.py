"""A task that runs another workflow: the standard provider's ``TriggerDagRunOperator``, deferred until done.

``execute`` resolves the task's inputs (the child's run parameters, bindings included) into the
child run's ``conf`` and triggers it; the child run's ``conf`` also names the parent run and task
(:data:`~airflow_domino_plugin.workflows.subflows.PARENT_CONF_KEY`), which the run page links.
The task then defers to the triggerer (``DagStateTrigger``) until the child run ends, and
``execute_complete`` fails the task if the child failed, else reads the outputs of the child's
final tasks from the child run's XCom (through the Task SDK) and returns them as this task's
outputs, named ``<child task>.<output>``.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk.exceptions import AirflowException
from sqlalchemy import select

from airflow_domino_plugin import config
from airflow_domino_plugin.db.engine import read_engine
from airflow_domino_plugin.db.models import Workflow as WorkflowRow
from airflow_domino_plugin.db.models import WorkflowRevision
from airflow_domino_plugin.operators.inputs import upstream_output
from airflow_domino_plugin.workflows.bindings import resolve_bindings
from airflow_domino_plugin.workflows.document import Workflow
from airflow_domino_plugin.workflows.subflows import PARENT_CONF_KEY, final_tasks, output_name

FINAL_TASKS_KEY = "domino_child_final_tasks"


def deployed_final_tasks(workflow_id: str) -> list[dict[str, Any]]:
    """The final tasks of a workflow's deployed revision: ``[{"task": id, "mapped": bool}]``."""
    statement = (
        select(WorkflowRevision.document)
        .join(WorkflowRow, WorkflowRow.deployed_revision_id == WorkflowRevision.id)
        .where(WorkflowRow.id == workflow_id)
    )
    with read_engine(config.get("sql_alchemy_conn")).connect() as connection:
        document = connection.execute(statement).scalar_one_or_none()
    if document is None:
        raise AirflowException(f"Workflow {workflow_id!r} is not deployed, so it cannot be run as a sub-workflow")
    child = Workflow.model_validate(document)
    return [{"task": task.id, "mapped": task.for_each is not None} for task in final_tasks(child)]


class SubWorkflowOperator(TriggerDagRunOperator):
    """Runs workflow ``trigger_dag_id`` with ``inputs`` as its parameters and returns its final outputs."""

    ui_color = "#fdf0e6"

    def __init__(
        self,
        *,
        child_workflow: str,
        inputs: dict[str, Any] | None = None,
        poll_interval_s: int = 5,
        mapped_upstreams: list[str] | None = None,
        workflow_id: str = "",
        revision_id: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            trigger_dag_id=child_workflow,
            wait_for_completion=True,
            deferrable=True,
            poke_interval=poll_interval_s,
            openlineage_inject_parent_info=False,
            **kwargs,
        )
        self.child_workflow = child_workflow
        self.inputs = dict(inputs or {})
        self.mapped_upstreams = list(mapped_upstreams or [])
        self.workflow_id = workflow_id
        self.revision_id = revision_id

    def execute(self, context: Any) -> Any:
        ti = context["ti"]
        pulled: dict[str, Any] = {}
        mapped = set(self.mapped_upstreams)

        def upstream(task_id: str, output: str) -> Any:
            return upstream_output(ti, task_id, output, mapped=task_id in mapped, cache=pulled)

        params = context.get("params") or {}
        resolved = resolve_bindings(self.inputs, upstream=upstream, param=lambda name: params[name])
        finals = deployed_final_tasks(self.child_workflow)
        ti.xcom_push(key=FINAL_TASKS_KEY, value=finals)
        self.conf = {
            **resolved,
            PARENT_CONF_KEY: {"dag_id": ti.dag_id, "run_id": ti.run_id, "task_id": ti.task_id},
        }
        self.trigger_run_id = None  # a new run id on every try (a retry must not collide with the last run)
        self.log.info(
            "Running workflow %s with parameters: %s", self.child_workflow, ", ".join(sorted(resolved)) or "none"
        )
        return super().execute(context)

    def execute_complete(self, context: Any, event: Any) -> dict[str, Any]:
        super().execute_complete(context, event)  # raises when the child run failed
        _, data = event
        run_id = data["run_ids"][0]
        ti = context["ti"]
        finals = ti.xcom_pull(task_ids=ti.task_id, key=FINAL_TASKS_KEY) or []
        outputs: dict[str, Any] = {}
        for final in finals:
            values = ti.xcom_pull(dag_id=self.child_workflow, run_id=run_id, task_ids=final["task"], key="return_value")
            if final.get("mapped"):
                instances = values if isinstance(values, list) else [] if values is None else [values]
                names = {name for item in instances if isinstance(item, dict) for name in item}
                for name in names:
                    outputs[output_name(final["task"], name)] = [
                        item.get(name) if isinstance(item, dict) else None for item in instances
                    ]
            elif isinstance(values, dict):
                for name, value in values.items():
                    outputs[output_name(final["task"], name)] = value
        self.log.info(
            "Workflow %s run %s finished; outputs: %s", self.child_workflow, run_id, ", ".join(outputs) or "none"
        )
        return outputs
