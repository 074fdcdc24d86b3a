"""Control flow of a workflow: for-each and branch semantics shared by validation, the DAG builder and runs.

Kept free of Airflow imports: validation checks the same edges and rules the builder compiles
and the operator evaluates, so what is accepted is what runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airflow_domino_plugin.workflows.bindings import upstream_tasks
from airflow_domino_plugin.workflows.document import UNARY_BRANCH_OPS, Task

ITEMS_SUFFIX = "__items"


def items_task_id(task_id: str) -> str:
    """The Airflow task that hands a for-each task its list (mapping needs a whole ``return_value``)."""
    return f"{task_id}{ITEMS_SUFFIX}"


def task_upstreams(task: Task) -> list[str]:
    """Every task this one directly waits for: ``depends_on``, bound tasks, the for-each list's task."""
    ids = [*task.depends_on, *upstream_tasks(task.inputs)]
    if task.for_each is not None:
        ids.append(task.for_each.items.upstream.task)
    return list(dict.fromkeys(ids))


def direct_downstreams(tasks: Sequence[Task]) -> dict[str, list[str]]:
    """Task id -> the tasks that directly wait for it (the only ones a branch may choose between)."""
    downstream: dict[str, list[str]] = {task.id: [] for task in tasks}
    for task in tasks:
        for upstream in task_upstreams(task):
            downstream.setdefault(upstream, []).append(task.id)
    return downstream


def operand_error(op: str, operand: Any, given: bool) -> str | None:
    """Why ``operand`` does not suit ``op``, or None."""
    if op in UNARY_BRANCH_OPS:
        return f"`{op}` takes no operand; remove it" if given else None
    if op in ("gt", "ge", "lt", "le") and (isinstance(operand, bool) or not isinstance(operand, (int, float, str))):
        return f"`{op}` compares with a number or a string, got {type(operand).__name__}"
    if op in ("in", "not_in") and not isinstance(operand, list):
        return f"`{op}` expects a list operand, got {type(operand).__name__}"
    return None


def rule_holds(op: str, value: Any, operand: Any) -> bool:
    """Evaluate one branch rule; raises ``TypeError`` when the value cannot be compared so."""
    if op == "eq":
        return bool(value == operand)
    if op == "ne":
        return bool(value != operand)
    if op in ("gt", "ge", "lt", "le"):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, str))
            or (isinstance(value, str) != isinstance(operand, str))
        ):
            raise TypeError(f"cannot compare {type(value).__name__} {value!r} with {operand!r}")
        return {"gt": value > operand, "ge": value >= operand, "lt": value < operand, "le": value <= operand}[op]
    if op == "in":
        return value in operand
    if op == "not_in":
        return value not in operand
    if op == "contains":
        if isinstance(value, str):
            if not isinstance(operand, str):
                raise TypeError(f"a string can only contain a string, got {operand!r}")
            return operand in value
        if isinstance(value, list):
            return operand in value
        if isinstance(value, Mapping):
            return operand in value
        raise TypeError(f"`contains` needs a string, list or object value, got {type(value).__name__}")
    if op == "truthy":
        return bool(value)
    if op == "falsy":
        return not value
    raise ValueError(f"unknown branch op {op!r}")
