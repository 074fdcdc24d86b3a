"""Models of JoinTablesPiece."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator


class JoinKind(StrEnum):
    inner = "inner"
    left = "left"
    right = "right"
    outer = "outer"


class InputModel(BaseModel):
    """JoinTablesPiece input."""

    left_rows: list[dict[str, Any]] = Field(
        title="Left rows", description="The left table.", json_schema_extra={"from_upstream": "always"}
    )
    right_rows: list[dict[str, Any]] = Field(
        title="Right rows", description="The right table.", json_schema_extra={"from_upstream": "always"}
    )
    left_on: list[str] = Field(min_length=1, title="Left keys", description="Key columns of the left table.")
    right_on: list[str] = Field(
        default=[], title="Right keys", description="Key columns of the right table, in the same order; empty: same."
    )
    kind: JoinKind = Field(
        default=JoinKind.inner,
        title="Join kind",
        description=(
            "`inner`: matched rows only; `left`/`right`: every row of that side, matched or not; "
            "`outer`: every row of both. Unmatched cells are null."
        ),
    )
    right_suffix: str = Field(
        default="_right",
        min_length=1,
        title="Right suffix",
        description="Appended to right-table columns whose name the left table already uses.",
    )

    @model_validator(mode="after")
    def _same_key_count(self) -> "InputModel":
        if self.right_on and len(self.right_on) != len(self.left_on):
            raise ValueError(f"right_on has {len(self.right_on)} column(s), left_on {len(self.left_on)}")
        return self


class OutputModel(BaseModel):
    """JoinTablesPiece output."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="Joined rows: left order first, then unmatched right rows (right/outer joins)."
    )
    row_count: int = Field(title="Row count", description="Number of joined rows.")
