"""PlotChartPiece: a static bar/line/scatter chart rendered to PNG with matplotlib."""

import math
from pathlib import Path
from typing import Any

from airflow_domino_sdk import BasePiece
from matplotlib.figure import Figure  # the OO API: no pyplot global state, no GUI backend needed

from .models import ChartType, InputModel, OutputModel


def _number(value: Any, column: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan  # a gap in the series
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"column {column!r}: {value!r} is not a number") from None


class PlotChartPiece(BasePiece):
    """Draws a chart of table columns and shows it as the task's result."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        rows = input_data.rows
        if not rows:
            raise ValueError("no rows to plot")
        known = {key for row in rows for key in row}
        unknown = sorted({input_data.x_column, *input_data.y_columns} - known)
        if unknown:
            raise ValueError(f"unknown column(s) {unknown}; the rows have {sorted(known)}")
        xs = [row.get(input_data.x_column) for row in rows]
        numeric_x = all(isinstance(x, int | float) and not isinstance(x, bool) for x in xs)
        figure = Figure(figsize=(input_data.width_inches, input_data.height_inches), dpi=input_data.dpi)
        axes = figure.add_subplot()
        series = {c: [_number(row.get(c), c) for row in rows] for c in input_data.y_columns}
        if input_data.chart_type is ChartType.bar:
            positions = list(range(len(xs)))
            width = 0.8 / len(series)
            for i, (column, ys) in enumerate(series.items()):
                offset = (i - (len(series) - 1) / 2) * width
                axes.bar(
                    [p + offset for p in positions], [0 if math.isnan(y) else y for y in ys], width=width, label=column
                )
            axes.set_xticks(positions, [str(x) for x in xs], rotation=45 if len(xs) > 8 else 0)
        else:
            x_values: list[Any] = xs if numeric_x else [str(x) for x in xs]
            for column, ys in series.items():
                if input_data.chart_type is ChartType.line:
                    axes.plot(x_values, ys, marker="o", label=column)
                else:
                    axes.scatter(x_values, ys, label=column)
        axes.set_xlabel(input_data.x_label or input_data.x_column)
        axes.set_ylabel(input_data.y_label or (input_data.y_columns[0] if len(series) == 1 else ""))
        if input_data.title:
            axes.set_title(input_data.title)
        if len(series) > 1:
            axes.legend()
        axes.grid(axis="y", alpha=0.3)
        figure.tight_layout()
        path = Path(self.results_path) / input_data.file_name
        figure.savefig(path, format="png", metadata={"Software": None})
        self.logger.info(
            "%s chart of %d point(s) x %d series -> %s", input_data.chart_type.value, len(xs), len(series), path.name
        )
        self.display_result = {"file_type": "png", "file_path": str(path)}
        return OutputModel(image_path=str(path))
