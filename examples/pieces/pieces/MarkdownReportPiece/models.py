"""Models of MarkdownReportPiece."""

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator

DEFAULT_TEMPLATE = "{table}\n"


class InputModel(BaseModel):
    """MarkdownReportPiece input."""

    title: str = Field(
        default="Report", title="Title", description="Level-1 heading (placeholders allowed); empty: no heading."
    )
    template: str = Field(
        default=DEFAULT_TEMPLATE,
        title="Template",
        description=(
            "Markdown with `{name}` placeholders filled from `values`, with format specs (`{total:.2f}`) and "
            "keys/indexes (`{totals[EU]}`, `{rows[0]}`). `{table}` is the rendered table (appended at the end "
            "when the template does not place it) and `{row_count}` its number of rows. Write `{{` and `}}` "
            "for literal braces."
        ),
        json_schema_extra={"widget": "codeeditor-markdown"},
    )
    values: dict[str, Any] = Field(
        default={},
        title="Values",
        description="Placeholder values; each field can be bound to an upstream output.",
    )
    table_rows: list[dict[str, Any]] = Field(
        default=[], title="Table rows", description="Rows rendered as a Markdown table; empty: no table."
    )
    table_columns: list[str] = Field(
        default=[], title="Table columns", description="Columns to show, in this order; empty: all."
    )
    max_table_rows: int = Field(
        default=50, ge=1, le=10000, title="Max table rows", description="Longer tables are cut (and say so)."
    )
    decimals: int = Field(
        default=2, ge=0, le=12, title="Decimals", description="Decimal numbers in the table are shown with this many."
    )
    file_name: str = Field(
        default="report.md",
        title="File name",
        description="Name of the Markdown file in the results folder.",
        json_schema_extra={"from_upstream": "never"},
    )

    @field_validator("file_name")
    @classmethod
    def _plain_md_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+\.md", value) or value.startswith("."):
            raise ValueError("must be a plain file name ending in .md (letters, digits, _ - .)")
        return value


class OutputModel(BaseModel):
    """MarkdownReportPiece output."""

    markdown: str = Field(title="Markdown", description="The rendered report.")
    report_path: str = Field(title="Report path", description="Path of the Markdown file in the results folder.")
