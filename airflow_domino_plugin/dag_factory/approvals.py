"""An approval/input task of the document -> the standard provider's Human-in-the-loop operator."""

from __future__ import annotations

from typing import Any

from airflow.sdk import DAG, BaseOperator

from airflow_domino_plugin.operators.approval import (
    DominoApprovalOperator,
    DominoHumanInputOperator,
    step_kwargs,
)
from airflow_domino_plugin.workflows.document import Task


def approval_operator(task: Task, *, dag: DAG, mapped_upstreams: list[str], outlets: list[Any]) -> BaseOperator:
    """The step's operator; it is not retried (a retry would ask again) and has no execution timeout."""
    approval = task.approval
    assert approval is not None
    operator_class = DominoApprovalOperator if approval.kind == "approval" else DominoHumanInputOperator
    return operator_class(
        task_id=task.id,
        task_display_name=task.display_name,
        dag=dag,
        approval=approval.model_dump(mode="json"),
        inputs=task.inputs,
        mapped_upstreams=mapped_upstreams,
        trigger_rule=task.trigger_rule,
        outlets=outlets,
        retries=0,
        **step_kwargs(approval),
    )
