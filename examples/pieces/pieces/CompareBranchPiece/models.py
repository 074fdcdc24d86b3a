"""Models of CompareBranchPiece."""

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


class InputModel(BaseModel):
    """CompareBranchPiece input."""

    value: Any = Field(
        default=None, title="Value", description="What to test, usually an upstream output (a number, text, list...)."
    )
    operator: Operator = Field(
        default=Operator.ge,
        title="Operator",
        description=(
            "Numbers compare as numbers (also when typed as text), other values as text. `contains`: substring "
            "or list item; `in`: value is one of `other` (a list or comma-separated text); `is_empty`: null, "
            "blank text or an empty list/object (`other` is ignored)."
        ),
    )
    other: Any = Field(default=None, title="Compare with", description="The threshold or other value.")
    case_sensitive: bool = Field(default=True, title="Case sensitive", description="For text comparisons.")
    true_label: str = Field(
        default="true", title="Label if true", description="Output `branch` when the comparison holds."
    )
    false_label: str = Field(default="false", title="Label if false", description="Output `branch` when it does not.")


class OutputModel(BaseModel):
    """CompareBranchPiece output."""

    result: bool = Field(title="Result", description="Whether the comparison holds.")
    branch: str = Field(title="Branch", description="`true_label` or `false_label`.")
