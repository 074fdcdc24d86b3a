"""Models of PlotChartPiece."""

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator


class ChartType(StrEnum):
    bar = "bar"
    line = "line"
    scatter = "scatter"


class InputModel(BaseModel):
    """PlotChartPiece input."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="The table to plot.", json_schema_extra={"from_upstream": "always"}
    )
    x_column: str = Field(title="X column", min_length=1, description="Categories (bar) or x values.")
    y_columns: list[str] = Field(
        min_length=1, title="Y columns", description="One series per column; several give grouped bars."
    )
    chart_type: ChartType = Field(default=ChartType.bar, title="Chart type", description="bar, line or scatter.")
    title: str = Field(default="", title="Title", description="Chart title.")
    x_label: str = Field(default="", title="X label", description="Default: the x column name.")
    y_label: str = Field(default="", title="Y label", description="Default: the y column name when there is one.")
    width_inches: float = Field(default=8, ge=2, le=30, title="Width (in)", description="Figure width.")
    height_inches: float = Field(default=4.5, ge=2, le=30, title="Height (in)", description="Figure height.")
    dpi: int = Field(default=100, ge=50, le=300, title="DPI", description="Pixels per inch.")
    file_name: str = Field(
        default="chart.png",
        title="File name",
        description="Name of the PNG in the task's results folder.",
        json_schema_extra={"from_upstream": "never"},
    )

    @field_validator("file_name")
    @classmethod
    def _plain_png_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+\.png", value) or value.startswith("."):
            raise ValueError("must be a plain file name ending in .png (letters, digits, _ - .)")
        return value


class OutputModel(BaseModel):
    """PlotChartPiece output."""

    image_path: str = Field(title="Image path", description="Path of the PNG written to the results folder.")
