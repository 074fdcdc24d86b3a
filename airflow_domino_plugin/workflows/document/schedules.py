"""Data-aware schedules: run when other workflows complete or assets are updated."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from airflow_domino_plugin.workflows.document.steps import AssetRef
from airflow_domino_plugin.workflows.fields import (
    WorkflowId,
)


class ScheduleOn(BaseModel):
    """Run when assets are updated or other workflows complete (Airflow asset scheduling).

    ``workflows``: the run starts after every final task of each named workflow succeeded.
    ``assets``: outlets declared by tasks (of any workflow). ``match`` says whether all of them
    or any one must have been updated since this workflow's last run.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"workflows": ["fetch_orders"], "assets": [], "match": "all"}]}
    )

    workflows: list[WorkflowId] = Field(
        default_factory=list, description="Run after each of these workflows completes."
    )
    assets: list[AssetRef] = Field(default_factory=list, description="Run when these assets are updated.")
    match: Literal["all", "any"] = Field(
        default="all",
        description="`all`: every listed workflow/asset updated since the last run; `any`: one is enough.",
    )
