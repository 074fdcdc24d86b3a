"""A task that runs another workflow: the standard provider's ``TriggerDagRunOperator``, deferred until done.

``execute`` resolves the task's inputs (the child's run parameters, bindings included) into the
child run's ``conf`` and triggers it; the child run's ``conf`` also names the parent run and task
(:data:`~airflow_domino_plugin.workflows.subflows.PARENT_CONF_KEY`), which the run page links.
The task then defers to the triggerer (``DagStateTrigger``) until the child run ends, and
``execute_complete`` fails the task if the child failed, else reads the outputs of the child's
final tasks from the child run's XCom (through the Task SDK) and returns them as this task's
outputs, named ``<child task>.<output>``.

Each try of the task starts its own child run, with an id made from the parent run, the task and
the try (:func:`child_run_id`), so a later try can find the run of the try before it. That is what
makes the task safe against an Airflow 3.3 scheduler race (apache/airflow#72716): when the child run
ends within moments of the deferral, the resumed task can reach the scheduler before the worker's
report of the deferring exit, and the scheduler then fails it as "state mismatch" although the
child run is fine. The task therefore gets one retry more than the workflow asks for (after
:data:`RACE_RETRY_DELAY` when it asks for none), and a retry first looks at the previous try's child
run: finished well, its outputs are returned without running the child again; still running, the
task waits for it; failed, the child runs again only within the retries the workflow asked for.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from airflow.providers.common.compat.sdk import AirflowException, AirflowFailException
from airflow.providers.standard.operators.trigger_dagrun import XCOM_RUN_ID, TriggerDagRunOperator
from airflow.providers.standard.triggers.external_task import DagStateTrigger
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
RACE_RETRY_DELAY = timedelta(seconds=5)
"""The delay of the extra retry of a task whose workflow asks for no retries (see the module's docstring)."""
MAX_RUN_ID = 250  # Airflow's dag_run.run_id column


def child_run_id(parent_run_id: str, task_id: str, try_number: int) -> str:
    """The id of the child run one try of a sub-workflow task starts: the same for the same try."""
    run_id = f"{parent_run_id}__{task_id}__try{try_number}"
    if len(run_id) <= MAX_RUN_ID:
        return run_id
    digest = hashlib.sha256(f"{parent_run_id}\0{task_id}".encode()).hexdigest()[:16]
    return f"domino__{digest}__try{try_number}"


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
        retries: int = 0,
        retry_delay: timedelta | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            trigger_dag_id=child_workflow,
            wait_for_completion=True,
            deferrable=True,
            poke_interval=poll_interval_s,
            openlineage_inject_parent_info=False,
            retries=retries + 1,  # the extra try re-attaches to the child run (see the module's docstring)
            retry_delay=retry_delay if retries and retry_delay is not None else RACE_RETRY_DELAY,
            **kwargs,
        )
        self.asked_retries = retries
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
        if self._tries_before(ti):
            previous = child_run_id(ti.run_id, ti.task_id, ti.try_number - 1)
            attached = self._attach(context, previous)
            if attached is not None:
                return attached
        self.conf = {
            **resolved,
            PARENT_CONF_KEY: {"dag_id": ti.dag_id, "run_id": ti.run_id, "task_id": ti.task_id},
        }
        self.trigger_run_id = child_run_id(ti.run_id, ti.task_id, ti.try_number)
        self.log.info(
            "Running workflow %s with parameters: %s", self.child_workflow, ", ".join(sorted(resolved)) or "none"
        )
        return super().execute(context)

    def _tries_before(self, ti: Any) -> int:
        """How many tries of this task ran before this one since it was last cleared.

        A clear sets ``max_tries`` to the last try plus ``retries``; Airflow's task runner finds the
        first try of the cycle the same way (``max_tries - retries + 1``).
        """
        return max(int(ti.try_number) - (int(ti.max_tries) - int(self.retries or 0) + 1), 0)

    def _attach(self, context: Any, previous: str) -> dict[str, Any] | None:
        """Carry on with the previous try's child run; None when the child must run again."""
        ti = context["ti"]
        try:
            state = ti.get_dagrun_state(dag_id=self.child_workflow, run_id=previous)
        except Exception:  # no such run: the previous try failed before it started one
            if self._tries_before(ti) > self.asked_retries:
                raise AirflowFailException(
                    f"Try {ti.try_number - 1} failed before it started a run of {self.child_workflow}: see its log"
                ) from None
            return None
        ti.xcom_push(key=XCOM_RUN_ID, value=previous)  # the run page links the child run from it
        if state in self.allowed_states:
            self.log.info("Run %s of the previous try succeeded: using its outputs", previous)
            return self._outputs(ti, previous)
        if state in self.failed_states:
            if self._tries_before(ti) > self.asked_retries:
                raise AirflowFailException(f"{self.child_workflow} run {previous} failed (state {state})")
            self.log.info("Run %s of workflow %s failed: running it again (a retry)", previous, self.child_workflow)
            return None
        self.log.info("Waiting for run %s of workflow %s, started by the previous try", previous, self.child_workflow)
        self.defer(
            trigger=DagStateTrigger(
                dag_id=self.child_workflow,
                states=[*self.allowed_states, *self.failed_states],
                execution_dates=None,
                run_ids=[previous],
                poll_interval=self.poke_interval,
            ),
            method_name="execute_complete",
        )
        return None  # not reached: defer raises

    def execute_complete(self, context: Any, event: Any) -> dict[str, Any]:
        ti = context["ti"]
        _, data = event
        run_id = data["run_ids"][0]
        if data.get(run_id) in self.failed_states and self._tries_before(ti) >= self.asked_retries:
            # No retry left that the workflow asked for: fail now, not after the extra try.
            raise AirflowFailException(f"{self.child_workflow} run {run_id} failed (state {data.get(run_id)})")
        super().execute_complete(context, event)  # raises when the child run failed
        return self._outputs(ti, run_id)

    def _outputs(self, ti: Any, run_id: str) -> dict[str, Any]:
        """The outputs of the child run's final tasks, named ``<task>.<output>``."""
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
