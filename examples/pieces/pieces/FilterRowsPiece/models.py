"""Models of FilterRowsPiece."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Operator(StrEnum):
    eq = "=="
    ne = "!="
    gt = ">"
    ge = ">="
    lt = "<"
    le = "<="
    contains = "contains"
    startswith = "startswith"
    in_ = "in"
    is_empty = "is_empty"


class Combine(StrEnum):
    all = "all"
    any = "any"


class Condition(BaseModel):
    """One test on one column of a row."""

    column: str = Field(title="Column", min_length=1, description="Column to test.")
    operator: Operator = Field(
        default=Operator.eq,
        title="Operator",
        description=(
            "Numbers compare as numbers (also when the value was typed as text), other values as text. "
            "`contains`: substring or list item; `in`: the cell is one of `value` (a list or comma-separated "
            "text); `is_empty`: null, blank text, or an empty list/object (`value` is ignored)."
        ),
    )
    value: Any = Field(default=None, title="Value", description="What the cell is compared with.")
    negate: bool = Field(default=False, title="Negate", description="Keep the rows that do NOT match.")
    case_sensitive: bool = Field(default=True, title="Case sensitive", description="For text comparisons.")


class InputModel(BaseModel):
    """FilterRowsPiece input."""

    rows: list[dict[str, Any]] = Field(
        title="Rows", description="The table to filter.", json_schema_extra={"from_upstream": "always"}
    )
    conditions: list[Condition] = Field(
        default=[], title="Conditions", description="Row tests; no conditions keeps every row."
    )
    combine: Combine = Field(
        default=Combine.all,
        title="Combine",
        description="`all`: a row must pass every condition; `any`: one is enough.",
        json_schema_extra={"from_upstream": "never"},
    )


class OutputModel(BaseModel):
    """FilterRowsPiece output."""

    rows: list[dict[str, Any]] = Field(title="Rows", description="The rows that passed, in their original order.")
    row_count: int = Field(title="Row count", description="Number of rows kept.")
    removed_count: int = Field(title="Removed", description="Number of rows dropped.")
