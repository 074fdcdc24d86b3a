"""Models of PlotlyChartPiece."""

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator


class ChartType(StrEnum):
    bar = "bar"
    line = "line"
    scatter = "scatter"
    pie = "pie"


class PlotlyJs(StrEnum):
    cdn = "cdn"
    inline = "inline"


class InputModel(BaseModel):
    """PlotlyChartPiece input."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="The table to plot.", json_schema_extra={"from_upstream": "always"}
    )
    x_column: str = Field(title="X column", min_length=1, description="Categories, x values, or pie labels.")
    y_columns: list[str] = Field(
        min_length=1, title="Y columns", description="One trace per column (a pie uses the first one)."
    )
    chart_type: ChartType = Field(default=ChartType.bar, title="Chart type", description="bar, line, scatter or pie.")
    title: str = Field(default="", title="Title", description="Chart title.")
    x_label: str = Field(default="", title="X label", description="Default: the x column name.")
    y_label: str = Field(default="", title="Y label", description="Default: the y column name when there is one.")
    include_plotlyjs: PlotlyJs = Field(
        default=PlotlyJs.cdn,
        title="plotly.js in the HTML",
        description="`cdn`: small file, needs internet to view; `inline`: about 4 MB, works offline.",
        json_schema_extra={"from_upstream": "never"},
    )
    file_name: str = Field(
        default="chart.html",
        title="File name",
        description="Name of the HTML file in the results folder (the figure JSON is saved next to it).",
        json_schema_extra={"from_upstream": "never"},
    )

    @field_validator("file_name")
    @classmethod
    def _plain_html_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+\.html", value) or value.startswith("."):
            raise ValueError("must be a plain file name ending in .html (letters, digits, _ - .)")
        return value


class OutputModel(BaseModel):
    """PlotlyChartPiece output."""

    figure_path: str = Field(title="HTML path", description="Standalone interactive HTML page of the chart.")
    figure_json_path: str = Field(title="Figure JSON path", description="The Plotly figure as JSON.")
