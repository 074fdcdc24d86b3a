"""Control flow of a task: trigger rules, for-each over an upstream list, branches."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from airflow_domino_plugin.workflows.document._base import _FORBID, _INPUT_VALUE_MARKER
from airflow_domino_plugin.workflows.fields import (
    NonEmptyText,
    PositiveInt,
    Shallow,
    TaskId,
)

TriggerRuleName = Literal[
    "all_success",
    "all_failed",
    "all_done",
    "all_done_min_one_success",
    "one_success",
    "one_failed",
    "one_done",
    "none_failed",
    "none_failed_min_one_success",
    "none_skipped",
    "all_skipped",
    "always",
]

TRIGGER_RULES: tuple[str, ...] = get_args(TriggerRuleName)
"""Airflow trigger rules a task may choose (Airflow's ``TriggerRule`` values, setup/teardown ones left out)."""

BranchOp = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in", "contains", "truthy", "falsy"]
UNARY_BRANCH_OPS = frozenset({"truthy", "falsy"})


class UpstreamRef(BaseModel):
    """The ``{"task", "output"}`` part of an ``$upstream`` binding."""

    model_config = _FORBID

    task: TaskId = Field(description="Id of the upstream task.")
    output: NonEmptyText = Field(description="Name of one of its outputs.")


class UpstreamItems(BaseModel):
    """``{"$upstream": {"task", "output"}}``: the list a for-each maps over."""

    model_config = _FORBID

    upstream: UpstreamRef = Field(alias="$upstream")


class ForEach(BaseModel):
    """Run the task once per item of an upstream list output (Airflow dynamic task mapping).

    Each item is given to the input named ``input``; tasks downstream that bind an output of
    this task receive the list of the instances' values, in item order.
    """

    model_config = _FORBID

    items: UpstreamItems = Field(description="An upstream output holding a list; one task instance per item.")
    input: NonEmptyText = Field(description="The input of the piece that receives the item.")
    max_parallel: PositiveInt | None = Field(
        default=None, description="Most instances of this task running at once in one run (null: no limit)."
    )


class BranchRule(BaseModel):
    """``value op operand`` → run the tasks in ``then``; the first rule that holds wins."""

    model_config = _FORBID

    value: Annotated[Any, Shallow] = Field(
        description="A binding: `$upstream` (an output of this task or of an ancestor) or `$param`.",
        json_schema_extra={_INPUT_VALUE_MARKER: True},
    )
    op: BranchOp = Field(description="Comparison; `truthy` and `falsy` take no operand.")
    operand: Annotated[Any, Shallow] = Field(default=None, description="The literal value compared against.")
    then: list[TaskId] = Field(min_length=1, description="Direct downstream tasks that run when the rule holds.")


class Branch(BaseModel):
    """After the piece runs, choose which direct downstream tasks run; the others are skipped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)

    when: list[BranchRule] = Field(min_length=1, description="Rules tried in order; the first that holds wins.")
    else_: list[TaskId] = Field(
        default_factory=list, alias="else", description="Tasks that run when no rule holds (empty: skip all)."
    )
