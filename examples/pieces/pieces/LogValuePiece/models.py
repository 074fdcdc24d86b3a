"""Models of LogValuePiece."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class LogLevel(StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class InputModel(BaseModel):
    """LogValuePiece input."""

    value: Any = Field(
        default=None,
        title="Value",
        description="Any JSON value, typically an upstream output to inspect.",
        json_schema_extra={"widget": "codeeditor-json"},
    )
    label: str = Field(default="value", title="Label", description="Printed before the value.")
    level: LogLevel = Field(default=LogLevel.INFO, title="Level", description="Log level of the line.")
    max_chars: int = Field(
        default=10000, ge=100, le=1_000_000, title="Max characters", description="Longer values are cut in the log."
    )
    show_as_result: bool = Field(
        default=True,
        title="Show as result",
        description="Also save the value as JSON and show it as the task's result.",
        json_schema_extra={"from_upstream": "never"},
    )


class OutputModel(BaseModel):
    """LogValuePiece output."""

    value: Any = Field(title="Value", description="The input value, unchanged.")
