"""The editor's layout (node positions, viewport): kept with the document, ignored by runs."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    Field,
    Strict,
)

from airflow_domino_plugin.workflows.document._base import _UI
from airflow_domino_plugin.workflows.fields import (
    Number,
)


class NodePosition(BaseModel):
    """Where the editor draws a task; extra keys are kept for the editor's own use."""

    model_config = _UI

    x: Number
    y: Number


class Viewport(BaseModel):
    """The editor's pan and zoom; extra keys are kept."""

    model_config = _UI

    x: Number = 0
    y: Number = 0
    zoom: Annotated[float, Strict(), Field(gt=0)] = 1


class UiState(BaseModel):
    """Editor layout; has no effect on runs. Node keys must be task ids."""

    model_config = _UI

    nodes: dict[str, NodePosition] = Field(default_factory=dict, description="Node position by task id.")
    viewport: Viewport | None = None
