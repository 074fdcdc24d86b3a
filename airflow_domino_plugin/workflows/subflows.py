"""Workflows that run or wait for other workflows: sub-workflow tasks and data-aware schedules.

Shared by validation (what a sub-workflow task takes and returns, cycles between workflows),
the DAG builder (the assets a workflow's final tasks update) and the operator (which child
tasks' outputs to read). Free of Airflow imports.

- A sub-workflow task (``"workflow": {"id": ...}``) takes the child's run parameters as its
  ``inputs`` and returns the outputs of the child's *final* tasks (those no other task waits
  for), named ``<task id>.<output>``.
- Every final task of a workflow updates its *completion asset*
  ``x-domino://workflows/<workflow>/tasks/<task>``; ``schedule_on.workflows`` schedules on all of
  a workflow's completion assets, so it runs once every final task has succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from airflow_domino_plugin.workflows.catalog import PieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.document import Task, Workflow
from airflow_domino_plugin.workflows.flow import direct_downstreams
from airflow_domino_plugin.workflows.params import param_json_schema

COMPLETION_ASSET_SCHEME = "x-domino"
#: conf key of a child run naming the run and task that started it.
PARENT_CONF_KEY = "__domino_parent"


def final_tasks(workflow: Workflow) -> list[Task]:
    """Tasks no other task waits for, in document order."""
    downstreams = direct_downstreams(workflow.tasks)
    return [task for task in workflow.tasks if not downstreams.get(task.id)]


def completion_asset_uri(workflow_id: str, task_id: str) -> str:
    return f"{COMPLETION_ASSET_SCHEME}://workflows/{workflow_id}/tasks/{task_id}"


def completion_assets(workflow: Workflow) -> dict[str, str]:
    """Final task id -> the URI of the completion asset it updates."""
    return {task.id: completion_asset_uri(workflow.id, task.id) for task in final_tasks(workflow)}


def output_name(task_id: str, output: str) -> str:
    """How a sub-workflow task names an output of one of the child's final tasks."""
    return f"{task_id}.{output}"


def referenced_workflows(document: Any) -> set[str]:
    """Ids of the workflows a raw document runs (sub-workflow tasks) or waits for (``schedule_on``)."""
    found: set[str] = set()
    if not isinstance(document, Mapping):
        return found
    for task in document.get("tasks") or []:
        ref = task.get("workflow") if isinstance(task, Mapping) else None
        if isinstance(ref, Mapping) and isinstance(ref.get("id"), str):
            found.add(ref["id"])
    schedule_on = document.get("schedule_on")
    if isinstance(schedule_on, Mapping):
        found.update(w for w in schedule_on.get("workflows") or [] if isinstance(w, str))
    return found


def sub_workflow_ids(workflow: Workflow) -> list[str]:
    return [task.workflow.id for task in workflow.tasks if task.workflow is not None]


def awaited_workflow_ids(workflow: Workflow) -> list[str]:
    """The workflows whose completion ``workflow`` is scheduled on (``schedule_on.workflows``)."""
    return list(workflow.schedule_on.workflows) if workflow.schedule_on is not None else []


def find_cycle(
    root: Workflow, lookup: Mapping[str, Workflow], edges: Callable[[Workflow], list[str]] | None = None
) -> list[str] | None:
    """A chain of sub-workflow calls from ``root`` back to itself (``[root, ..., root]``), or None.

    ``root`` is the document being saved; the others are read from ``lookup`` (deployed revisions).
    ``edges``: which workflows one leads to (default: the ones it runs as sub-workflows;
    :func:`awaited_workflow_ids` finds chains of data-aware schedules instead).
    """
    follow = edges or sub_workflow_ids

    def calls(workflow_id: str) -> list[str]:
        if workflow_id == root.id:
            return follow(root)
        found = lookup.get(workflow_id)
        return follow(found) if found is not None else []

    stack: list[tuple[str, list[str]]] = [(root.id, [root.id])]
    visited: set[str] = set()
    while stack:
        node, path = stack.pop()
        for child in calls(node):
            if child == root.id:
                return [*path, child]
            if child not in visited:
                visited.add(child)
                stack.append((child, [*path, child]))
    return None


def sub_workflow_spec(
    workflow_id: str, lookup: Mapping[str, Workflow], catalog: PieceCatalog, _seen: frozenset[str] = frozenset()
) -> PieceSpec | None:
    """What a task running ``workflow_id`` takes (its params) and returns (its final tasks' outputs).

    ``None`` when the workflow is not deployed. Outputs of final tasks whose pieces are unknown
    are left out; a cycle yields no outputs (it is reported by :func:`find_cycle`).
    """
    child = lookup.get(workflow_id)
    if child is None:
        return None
    properties: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    if workflow_id not in _seen:
        for task in final_tasks(child):
            outputs = _task_output_schema(task, lookup, catalog, _seen | {workflow_id})
            if outputs is None:
                continue
            definitions.update({k: v for k, v in (outputs.get("$defs") or {}).items() if k not in definitions})
            for name, schema in (outputs.get("properties") or {}).items():
                properties[output_name(task.id, name)] = (
                    {"type": "array", "items": schema} if task.for_each is not None else schema
                )
    output_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if definitions:
        output_schema["$defs"] = definitions
    input_schema = {
        "type": "object",
        "properties": {name: param_json_schema(param) for name, param in child.params.items()},
        "required": [name for name, param in child.params.items() if not param.has_default],
        "additionalProperties": False,
    }
    return PieceSpec(
        repository="",
        version="",
        name=f"workflow {workflow_id}",
        input_schema=input_schema,
        output_schema=output_schema,
    )


def _task_output_schema(
    task: Task, lookup: Mapping[str, Workflow], catalog: PieceCatalog, seen: frozenset[str]
) -> Mapping[str, Any] | None:
    if task.piece is not None:
        spec = catalog.get_piece(task.piece.repository, task.piece.version, task.piece.name)
        return spec.output_schema if spec is not None else None
    if task.workflow is not None:
        sub = sub_workflow_spec(task.workflow.id, lookup, catalog, seen)
        return sub.output_schema if sub is not None else None
    if task.approval is not None:
        from airflow_domino_plugin.workflows.approvals import approval_spec

        return approval_spec(task.approval).output_schema
    return None
