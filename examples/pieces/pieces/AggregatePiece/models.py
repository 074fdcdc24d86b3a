"""Models of AggregatePiece."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator


class AggFunction(StrEnum):
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    FIRST = "first"
    LAST = "last"


class Aggregation(BaseModel):
    """One computed column of the result."""

    function: AggFunction = Field(
        default=AggFunction.COUNT,
        title="Function",
        description=(
            "`count`: rows (no column) or non-empty values; `sum`/`mean`: numbers, empty cells skipped; "
            "`min`/`max`: numbers or text; `first`/`last`: first/last non-empty value in row order."
        ),
    )
    column: str = Field(default="", title="Column", description="Input column; only `count` may leave it empty.")
    output_name: str = Field(
        default="", title="Output name", description="Name of the result column; default `<function>_<column>`."
    )

    @model_validator(mode="after")
    def _column_needed(self) -> "Aggregation":
        if not self.column and self.function is not AggFunction.COUNT:
            raise ValueError(f"function {self.function.value!r} needs a column")
        return self

    @property
    def name(self) -> str:
        if self.output_name:
            return self.output_name
        return f"{self.function.value}_{self.column}" if self.column else self.function.value


class InputModel(BaseModel):
    """AggregatePiece input."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="The table to summarise.", json_schema_extra={"from_upstream": "always"}
    )
    group_by: list[str] = Field(
        default=[], title="Group by", description="One result row per distinct combination; empty: one row overall."
    )
    aggregations: list[Aggregation] = Field(
        default=[Aggregation()], min_length=1, title="Aggregations", description="Columns to compute per group."
    )
    round_digits: int | None = Field(
        default=None,
        ge=0,
        le=12,
        title="Round to",
        description="Round decimal results to this many digits; empty keeps full precision.",
    )

    @model_validator(mode="after")
    def _unique_names(self) -> "InputModel":
        names = [*self.group_by, *(a.name for a in self.aggregations)]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"result column names must be unique; repeated: {duplicates} (set output_name)")
        return self


class OutputModel(BaseModel):
    """AggregatePiece output."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="One row per group (group columns, then aggregations), in order of first appearance."
    )
    row_count: int = Field(title="Row count", description="Number of groups.")
