"""MarkdownReportPiece: fill a Markdown template from values and render rows as a table."""

import string
from _string import formatter_field_name_split  # what string.Formatter itself uses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel


class _SafeFormatter(string.Formatter):
    """str.format without attribute access: `{x.__class__}` could reach interpreter internals."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        first, rest = formatter_field_name_split(field_name)
        if isinstance(first, int) or first == "":
            raise ValueError(f"placeholder {{{field_name}}} needs a name")
        if first not in kwargs:
            raise ValueError(f"placeholder {{{field_name}}} has no value; known: {sorted(kwargs)}")
        obj = kwargs[first]
        for is_attr, key in rest:
            if is_attr:
                raise ValueError(f"placeholder {{{field_name}}}: attribute access is not allowed, use [key]")
            try:
                obj = obj[key]
            except (KeyError, IndexError, TypeError):
                raise ValueError(f"placeholder {{{field_name}}}: no item {key!r}") from None
        return obj, first


def _cell(value: Any, decimals: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.{decimals}f}"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def markdown_table(rows: list[dict[str, Any]], columns: list[str], decimals: int) -> str:
    if not rows:
        return ""
    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    numeric = {c for c in columns if any(isinstance(r.get(c), int | float) for r in rows)}
    lines = [
        "| " + " | ".join(_cell(c, decimals) for c in columns) + " |",
        "|" + "|".join("---:" if c in numeric else "---" for c in columns) + "|",
    ]
    lines += ["| " + " | ".join(_cell(row.get(c), decimals) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


class MarkdownReportPiece(BasePiece):
    """Writes a Markdown report and shows it as the task's result."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        rows = input_data.table_rows
        shown = rows[: input_data.max_table_rows]
        table = markdown_table(shown, input_data.table_columns, input_data.decimals)
        if len(rows) > len(shown):
            table += f"\n\n_Showing {len(shown)} of {len(rows)} rows._"
        context = {"row_count": len(rows), **input_data.values, "table": table}
        formatter = _SafeFormatter()
        template = input_data.template
        used = {name for _, name, _, _ in formatter.parse(template) if name is not None}
        if table and not any(name == "table" or name.startswith(("table[", "table.")) for name in used):
            template = template.rstrip("\n") + "\n\n{table}\n"
        body = formatter.vformat(template, (), context)
        parts = [f"# {formatter.vformat(input_data.title, (), context)}"] if input_data.title else []
        markdown = "\n\n".join(p for p in [*parts, body.strip("\n")] if p) + "\n"
        path = Path(self.results_path) / input_data.file_name
        path.write_text(markdown, encoding="utf-8")
        self.logger.info("wrote %s (%d characters, %d table row(s))", path.name, len(markdown), len(shown))
        self.display_result = {"file_type": "md", "file_path": str(path)}
        return OutputModel(markdown=markdown, report_path=str(path))
