"""Models of SortTopNPiece."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class SortOrder(StrEnum):
    asc = "asc"
    desc = "desc"


class SortKey(BaseModel):
    """One sort column."""

    column: str = Field(title="Column", min_length=1, description="Column to sort by.")
    order: SortOrder = Field(default=SortOrder.asc, title="Order", description="`asc` or `desc`.")


class InputModel(BaseModel):
    """SortTopNPiece input."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="The table to sort.", json_schema_extra={"from_upstream": "always"}
    )
    sort_by: list[SortKey] = Field(
        default=[],
        title="Sort by",
        description="Most significant first. Numbers (also numeric text) sort before text; nulls always last.",
    )
    top_n: int | None = Field(default=None, ge=1, title="Top N", description="Keep the first N rows; empty keeps all.")


class OutputModel(BaseModel):
    """SortTopNPiece output."""

    rows: list[dict[str, Any]] = Field(title="Rows", description="Sorted (and cut) rows.")
    row_count: int = Field(title="Row count", description="Number of rows returned.")
