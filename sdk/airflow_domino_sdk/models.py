"""Pydantic models shared by pieces, the runtime and the tooling (pydantic is the only dependency)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DISPLAY_RESULT_EXTENSIONS",
    "DisplayResult",
    "DisplayResultFileType",
    "OutputModifierItemType",
    "OutputModifierModel",
    "RunContext",
]


class RunContext(BaseModel):
    """Where a piece runs: the Airflow identifiers of the task instance (defaults = dry run)."""

    model_config = ConfigDict(extra="allow")

    dag_id: str = "dry_run_dag"
    run_id: str = "dry_run"
    task_id: str = "dry_run_task"
    logical_date: datetime | None = None
    try_number: int = 1


class DisplayResultFileType(StrEnum):
    """File types the GUI can render as a task's display result."""

    txt = "txt"
    json = "json"
    md = "md"
    html = "html"
    csv = "csv"
    png = "png"
    jpeg = "jpeg"
    gif = "gif"
    bmp = "bmp"
    tiff = "tiff"
    svg = "svg"
    pdf = "pdf"
    plotly_json = "plotly_json"


#: File-name suffix used when a ``base64_content`` display result is written to disk.
DISPLAY_RESULT_EXTENSIONS: dict[DisplayResultFileType, str] = {
    t: (".plotly.json" if t is DisplayResultFileType.plotly_json else f".{t.value}") for t in DisplayResultFileType
}


class DisplayResult(BaseModel):
    """``self.display_result``: a file (``file_path``) or inline ``base64_content`` plus its type."""

    model_config = ConfigDict(extra="forbid")

    file_type: DisplayResultFileType
    file_path: str | None = None
    base64_content: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _aliases(cls, data: Any) -> Any:
        # "jpg" is the name most people type; accept it rather than fail the task.
        if isinstance(data, dict) and data.get("file_type") == "jpg":
            data = {**data, "file_type": "jpeg"}
        if isinstance(data, dict) and data.get("file_path") is not None:
            data = {**data, "file_path": str(data["file_path"])}
        return data

    @model_validator(mode="after")
    def _one_source(self) -> DisplayResult:
        if not self.file_path and not self.base64_content:
            raise ValueError("display_result needs 'file_path' or 'base64_content'")
        return self


class OutputModifierItemType(StrEnum):
    """Types a user may give to an output added at design time (see :class:`OutputModifierModel`)."""

    string = "string"
    integer = "integer"
    float = "float"
    boolean = "boolean"
    array = "array"


class OutputModifierModel(BaseModel):
    """One user-defined output: pieces take ``list[OutputModifierModel]`` inputs to add outputs.

    Same fields, order and defaults as Domino's shipped ``domino.models.OutputModifierModel``
    (``name`` required, ``type`` ``string``, ``description`` ``""``); pieces using it declare
    ``OutputModel`` with ``extra="allow"`` and return the declared keys, which the runtime checks.
    """

    name: str = Field(
        description="Name of the output argument.",
        json_schema_extra={"from_upstream": "never"},
    )
    type: OutputModifierItemType = Field(
        default=OutputModifierItemType.string,
        description="Type of the output argument.",
        json_schema_extra={"from_upstream": "never"},
    )
    description: str = Field(
        default="",
        description="Description of the output argument.",
        json_schema_extra={"from_upstream": "never"},
    )
