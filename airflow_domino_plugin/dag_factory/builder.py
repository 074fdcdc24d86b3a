"""One stored revision -> one Airflow DAG (or a placeholder DAG saying why it cannot be built)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from airflow.sdk import DAG, Asset, AssetAll, AssetAny, BaseOperator, Param

from airflow_domino_plugin.dag_factory.store import StoredRevision
from airflow_domino_plugin.operators.build_error import BuildErrorOperator
from airflow_domino_plugin.operators.piece import piece_operator_class
from airflow_domino_plugin.workflows.bindings import UpstreamBinding, find_bindings
from airflow_domino_plugin.workflows.document import Task, Workflow
from airflow_domino_plugin.workflows.flow import items_task_id, task_upstreams
from airflow_domino_plugin.workflows.params import airflow_param_kwargs
from airflow_domino_plugin.workflows.subflows import completion_asset_uri, completion_assets

DOMINO_TAG = "domino"
BUILD_ERROR_TAG = "domino-build-error"

# Machine-readable marker of the revision a DAG was built from, kept in the DAG's
# ``default_args`` (serialized with the DAG, ignored by operators: no operator takes these
# arguments). Every run points at the DAG version it was created with, so the API reads the
# revision of any run, scheduled or manual, from the serialized DAG of that version.
REVISION_ID_ARG = "domino_revision_id"
REVISION_NUMBER_ARG = "domino_revision_number"


def _schedule(workflow: Workflow, others: Mapping[str, Workflow] | None) -> Any:
    if workflow.schedule_on is not None:
        return _asset_schedule(workflow, others)
    schedule = workflow.schedule
    if schedule is None or schedule in ("@once", "@continuous") or workflow.timezone == "UTC":
        return schedule
    from airflow.timetables.trigger import CronTriggerTimetable

    return CronTriggerTimetable(schedule, timezone=workflow.timezone)


def _asset_schedule(workflow: Workflow, others: Mapping[str, Workflow] | None) -> Any:
    """``schedule_on`` as an Airflow asset condition: each awaited workflow is all its completion assets.

    ``others`` is every deployed workflow when the DAG processor builds all DAGs; inside a task
    (one DAG built, ``others`` None) the schedule plays no part, so awaited workflows are left out.
    """
    assert workflow.schedule_on is not None
    on = workflow.schedule_on
    parts: list[Any] = [Asset(name) for name in on.assets]
    for awaited in on.workflows:
        if others is None:
            continue
        other = others.get(awaited)
        if other is None:
            raise ValueError(f"schedule_on: workflow {awaited!r} is not deployed")
        parts.append(AssetAll(*(Asset(uri) for uri in completion_assets(other).values())))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return AssetAll(*parts) if on.match == "all" else AssetAny(*parts)


def _doc(workflow: Workflow, stored: StoredRevision, ui_url: str) -> str:
    lines = [f"# {workflow.name}", ""]
    if workflow.description:
        lines += [workflow.description, ""]
    lines.append(
        f"Built by airflow-domino-plugin from revision {stored.number} of workflow `{workflow.id}`. "
        f"[Open it in the Domino editor]({ui_url}/workflows/{workflow.id})."
    )
    return "\n".join(lines)


def build_dag(
    stored: StoredRevision,
    *,
    ui_url: str = "/domino/ui",
    default_runner: str = "subprocess",
    others: Mapping[str, Workflow] | None = None,
) -> DAG:
    """``others``: the other deployed workflows by id (to schedule on their completion), or None in a task."""
    # The loader has already validated every deployed document once (``others``); reuse it.
    known = others.get(stored.workflow_id) if others is not None else None
    workflow = known if known is not None else Workflow.model_validate(stored.document)
    if workflow.id != stored.workflow_id:
        raise ValueError(f"document id {workflow.id!r} differs from the stored workflow id {stored.workflow_id!r}")
    dag = DAG(
        dag_id=workflow.id,
        description=workflow.name,
        doc_md=_doc(workflow, stored, ui_url),
        schedule=_schedule(workflow, others),
        start_date=workflow.start_date,
        end_date=workflow.end_date,
        catchup=workflow.catchup,
        max_active_runs=workflow.max_active_runs or 16,
        tags=[DOMINO_TAG, *workflow.tags],
        params={name: Param(**airflow_param_kwargs(param)) for name, param in workflow.params.items()},
        default_args={
            REVISION_ID_ARG: stored.revision_id,
            REVISION_NUMBER_ARG: stored.number,
            # Airflow's Owner column shows who created the workflow, as Domino's list does (not "airflow").
            **({"owner": stored.owner} if stored.owner else {}),
        },
    )
    operators: dict[str, Any] = {}  # a BaseOperator, or the mapped operator of a for-each task
    entries: dict[str, BaseOperator] = {}  # where a task's upstream edges end: itself, or its items task
    mapped = {task.id for task in workflow.tasks if task.for_each is not None}
    # Each task's upstreams once (scanning inputs for bindings is the builder's own largest cost):
    # the edges below and the final tasks (what ``completion_assets`` finds: no task waits for them).
    upstreams = {task.id: task_upstreams(task) for task in workflow.tasks}
    waited_for = {upstream for ids in upstreams.values() for upstream in ids}
    finals = {t.id: completion_asset_uri(workflow.id, t.id) for t in workflow.tasks if t.id not in waited_for}
    for task in workflow.tasks:
        outlets = [Asset(name) for name in task.outlets]
        if task.id in finals:
            outlets.append(Asset(finals[task.id]))
        policy = workflow.task_policy(task)
        if task.workflow is not None:
            from airflow_domino_plugin.operators.subflow import SubWorkflowOperator

            operators[task.id] = entries[task.id] = SubWorkflowOperator(
                task_id=task.id,
                task_display_name=task.display_name,
                dag=dag,
                child_workflow=task.workflow.id,
                poll_interval_s=task.workflow.poll_interval_s,
                inputs=task.inputs,
                mapped_upstreams=sorted(_bound_tasks(task) & mapped),
                workflow_id=workflow.id,
                revision_id=stored.revision_id,
                retries=policy.retries,
                retry_delay=timedelta(seconds=policy.retry_delay_s),
                execution_timeout=timedelta(seconds=policy.timeout_s) if policy.timeout_s else None,
                trigger_rule=task.trigger_rule,
                outlets=outlets,
            )
            continue
        if task.approval is not None:
            from airflow_domino_plugin.dag_factory.approvals import approval_operator

            operators[task.id] = entries[task.id] = approval_operator(
                task, dag=dag, mapped_upstreams=sorted(_bound_tasks(task) & mapped), outlets=outlets
            )
            continue
        assert task.piece is not None
        runner = policy.runner or default_runner
        if (task.for_each or task.branch) and runner != "subprocess":
            raise ValueError(
                f"task {task.id!r}: for_each and branch run with the subprocess runner only, not {runner!r}"
            )
        operator_class = piece_operator_class(runner)
        flow: dict[str, Any] = {"mapped_upstreams": sorted(_bound_tasks(task) & mapped)}
        if task.branch is not None:
            from airflow_domino_plugin.operators.flow import BranchPieceOperator

            operator_class = BranchPieceOperator
            flow["branch"] = _compiled_branch(task, workflow)
        kwargs: dict[str, Any] = dict(
            task_id=task.id,
            task_display_name=task.display_name,
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
            trigger_rule=task.trigger_rule,
            outlets=outlets,
            **flow,
        )
        if task.for_each is None:
            operators[task.id] = entries[task.id] = operator_class(**kwargs)
            continue
        from airflow_domino_plugin.operators.flow import ForEachItemsOperator

        ref = task.for_each.items.upstream
        items = ForEachItemsOperator(
            task_id=items_task_id(task.id),
            task_display_name=f"{kwargs['task_display_name']} (items)",
            dag=dag,
            source_task=ref.task,
            output=ref.output,
            source_mapped=ref.task in mapped,
            trigger_rule=task.trigger_rule,  # the items task is where the task's upstream edges meet
        )
        kwargs.pop("trigger_rule")
        operators[task.id] = operator_class.partial(
            **kwargs,
            for_each_input=task.for_each.input,
            max_active_tis_per_dagrun=task.for_each.max_parallel,
        ).expand(for_each_item=items.output)
        entries[task.id] = items
    for task in workflow.tasks:
        for upstream in upstreams[task.id]:
            operators[upstream] >> entries[task.id]
    return dag


def _bound_tasks(task: Task) -> set[str]:
    """Tasks whose outputs this task reads at run time (inputs and branch rules)."""
    values: list[Any] = [task.inputs]
    if task.branch is not None:
        values += [rule.value for rule in task.branch.when]
    return {found.binding.task for found in find_bindings(values) if isinstance(found.binding, UpstreamBinding)}


def _compiled_branch(task: Task, workflow: Workflow) -> dict[str, Any]:
    """The branch rules with targets as Airflow task ids (a for-each target starts at its items task)."""
    assert task.branch is not None
    mapped = {t.id for t in workflow.tasks if t.for_each is not None}

    def ids(targets: list[str]) -> list[str]:
        return [items_task_id(t) if t in mapped else t for t in targets]

    return {
        "when": [
            {"value": rule.value, "op": rule.op, "operand": rule.operand, "then": ids(rule.then)}
            for rule in task.branch.when
        ],
        "else": ids(task.branch.else_),
    }


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
