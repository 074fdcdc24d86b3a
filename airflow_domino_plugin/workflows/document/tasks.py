"""A task: what it runs (piece, workflow or approval), its inputs, secrets, policy and flow."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from airflow_domino_plugin.workflows.document._base import _FORBID, _INPUT_VALUE_MARKER, Runner
from airflow_domino_plugin.workflows.document.flow import Branch, ForEach, TriggerRuleName
from airflow_domino_plugin.workflows.document.resources import Resources
from airflow_domino_plugin.workflows.document.secrets import SecretSource
from airflow_domino_plugin.workflows.document.steps import Approval, AssetRef, SubWorkflowRef
from airflow_domino_plugin.workflows.fields import (
    NonEmptyText,
    NonNegativeInt,
    PositiveInt,
    SecretName,
    Shallow,
    StrictText,
    TaskId,
)


class TaskDefaults(BaseModel):
    """Execution settings every task inherits unless it sets its own."""

    model_config = _FORBID

    retries: NonNegativeInt = Field(default=0, description="How many times a failed task is retried.")
    retry_delay_s: NonNegativeInt = Field(default=300, description="Seconds to wait between retries.")
    timeout_s: PositiveInt | None = Field(default=None, description="Seconds after which a task is failed.")
    runner: Runner | None = Field(
        default=None, description="Where pieces run; null means the `[domino] default_runner` setting."
    )


class PieceRef(BaseModel):
    """Which piece a task runs, pinned to an installed repository version."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"repository": "examples", "version": "1.0.0", "name": "HttpRequestPiece"}]},
    )

    repository: NonEmptyText = Field(description="Name of the installed pieces repository.")
    version: NonEmptyText = Field(description="Installed version (tag) of that repository.")
    name: NonEmptyText = Field(description="Piece name, e.g. `HttpRequestPiece`.")


TASK_KINDS: tuple[str, ...] = ("piece", "workflow", "approval")
"""The fields of which a task sets exactly one: what the task runs."""


class Task(BaseModel):
    """One node of the graph: one Airflow task running a piece or another workflow."""

    model_config = _FORBID

    id: TaskId = Field(description="Task id, unique in the workflow; becomes the Airflow task_id.")
    label: StrictText | None = Field(default=None, description="Name shown on the node; defaults to the piece name.")
    piece: PieceRef | None = Field(
        default=None, description="The piece this task runs (exactly one of `piece`, `workflow` and `approval`)."
    )
    workflow: SubWorkflowRef | None = Field(
        default=None,
        description="Run another saved workflow instead of a piece; `inputs` are its run parameters.",
    )
    approval: Approval | None = Field(
        default=None,
        description="Wait for a person to approve or to answer instead of running a piece; "
        "`inputs` are values the body shows.",
    )
    inputs: Annotated[dict[str, Any], Shallow] = Field(
        default_factory=dict,
        description="Input values by input name. Any JSON value; a binding object "
        '(`{"$upstream": {"task", "output"}}` or `{"$param": name}`) may replace a value at any depth.',
        json_schema_extra={"additionalProperties": {_INPUT_VALUE_MARKER: True}},
        examples=[{"url": "https://example.org/orders.json", "region": {"$param": "region"}}],
    )
    secrets: dict[SecretName, SecretSource] = Field(
        default_factory=dict,
        description="Where each secret of the piece comes from; never the secret value itself.",
        examples=[{"API_KEY": {"variable": "domino_examples_api_key"}}],
    )
    depends_on: list[TaskId] = Field(default_factory=list, description="Ids of the tasks that must finish first.")
    retries: NonNegativeInt | None = Field(default=None, description="Overrides `defaults.retries`.")
    retry_delay_s: NonNegativeInt | None = Field(default=None, description="Overrides `defaults.retry_delay_s`.")
    timeout_s: PositiveInt | None = Field(default=None, description="Overrides `defaults.timeout_s`.")
    runner: Runner | None = Field(default=None, description="Overrides `defaults.runner`.")
    resources: Resources | None = None
    trigger_rule: TriggerRuleName = Field(
        default="all_success",
        description="When the task runs, given its upstream tasks' states (Airflow trigger rule); "
        "e.g. `none_failed_min_one_success` for a join after a branch.",
    )
    for_each: ForEach | None = Field(default=None, description="Run the task once per item of an upstream list.")
    branch: Branch | None = Field(default=None, description="Choose which direct downstream tasks run.")
    outlets: list[AssetRef] = Field(
        default_factory=list,
        description="Assets this task updates when it succeeds (Airflow outlets); workflows can be scheduled on them.",
        examples=[["s3://bucket/sales.csv"]],
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Task:
        given = [kind for kind in TASK_KINDS if getattr(self, kind, None) is not None]
        if len(given) != 1:
            raise ValueError(
                f"A task sets exactly one of {', '.join(f'`{k}`' for k in TASK_KINDS)}; "
                + (f"got {' and '.join(f'`{k}`' for k in given)}." if given else "got none.")
            )
        return self

    @property
    def kind(self) -> str:
        """What the task runs: one of :data:`TASK_KINDS`."""
        return next(kind for kind in TASK_KINDS if getattr(self, kind, None) is not None)

    @property
    def display_name(self) -> str:
        if self.label:
            return self.label
        if self.piece is not None:
            return self.piece.name
        if self.workflow is not None:
            return f"Run {self.workflow.id}"
        if self.approval is not None:
            return self.approval.title
        return self.id
