"""Models of ReadTablePiece."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class TableFormat(StrEnum):
    auto = "auto"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


class InputModel(BaseModel):
    """ReadTablePiece input."""

    source: str = Field(
        title="Source",
        description=(
            "A local file path or an http(s) URL. Local files must be in the run's results folder (relative "
            "paths are read from there, e.g. `other_task/table.csv`) or a folder of `[domino] allowed_input_paths`."
        ),
        examples=["/data/sales.csv", "https://example.org/orders.json"],
    )
    format: TableFormat = Field(
        default=TableFormat.auto,
        title="Format",
        description=(
            "`csv`, `json` (an array of objects, or an object holding one, see `records_path`) or `jsonl` "
            "(one object per line). `auto` decides from the file extension, then the Content-Type."
        ),
    )
    delimiter: str = Field(
        default=",", min_length=1, max_length=1, title="CSV delimiter", description="E.g. `,`, `;` or a tab."
    )
    encoding: str = Field(default="utf-8", title="Encoding", description="Text encoding of local files and URLs.")
    infer_types: bool = Field(
        default=True,
        title="Infer types",
        description=(
            "CSV only: turn cells that look like integers or decimals into numbers and empty cells into null, "
            "so that filters, sums and charts work. Off: every cell stays a string."
        ),
    )
    records_path: str = Field(
        default="",
        title="Records path",
        description="JSON only: dot-separated path to the array inside the document, e.g. `data.items`.",
    )
    max_rows: int | None = Field(
        default=None, ge=1, title="Max rows", description="Keep only the first N rows; empty keeps all."
    )
    timeout_seconds: float = Field(default=30, gt=0, le=600, title="Timeout (s)", description="For URLs.")


class OutputModel(BaseModel):
    """ReadTablePiece output."""

    rows: list[dict[str, Any]] = Field(title="Rows", description="One object per row.")
    columns: list[str] = Field(title="Columns", description="Column names in order of first appearance.")
    row_count: int = Field(title="Row count", description="Number of rows returned.")
