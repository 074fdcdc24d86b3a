"""Operators for a workflow's control flow: the list a for-each maps over, and branching piece tasks.

Both compile to Airflow's own mechanisms: a for-each is dynamic task mapping over the list the
items task returns, a branch is the standard provider's ``BranchMixIn`` (skipped paths are
Airflow skips, joins use trigger rules). Imported only by DAGs that use them.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.branch import BranchMixIn
from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException

from airflow_domino_plugin.operators.inputs import choose_branch, upstream_output
from airflow_domino_plugin.operators.piece import PieceOperator


class ForEachItemsOperator(BaseOperator):
    """Returns one list output of an upstream task, for Airflow to map the for-each task over.

    Mapping needs a task whose whole ``return_value`` is the list; a piece returns all its
    outputs as one object, so this task picks the one output and checks it is a list.
    """

    ui_color = "#fff4d6"

    def __init__(self, *, source_task: str, output: str, source_mapped: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source_task = source_task
        self.source_output = output
        self.source_mapped = source_mapped

    def execute(self, context: Any) -> list[Any]:
        items = upstream_output(context["ti"], self.source_task, self.source_output, mapped=self.source_mapped)
        if not isinstance(items, list):
            message = (
                f"Output {self.source_output!r} of task {self.source_task!r} is {type(items).__name__}, not a list; "
                "a for-each needs a list"
            )
            self.log.error("%s", message)
            raise AirflowException(message)
        self.log.info("%d item(s) from output %r of task %r", len(items), self.source_output, self.source_task)
        return items


class BranchPieceOperator(PieceOperator, BranchMixIn):
    """Runs its piece, then follows the first branch rule that holds; other direct downstreams are skipped."""

    ui_color = "#f3e8fb"

    def execute(self, context: Any) -> Any:
        outputs = self.run_piece(context)
        chosen = choose_branch(self, context, outputs)
        # Skipping ends the task by an exception, before Airflow would push the return value.
        context["ti"].xcom_push(key="return_value", value=outputs)
        self.do_branch(context, chosen)
        return outputs
