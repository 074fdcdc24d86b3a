"""PlotlyChartPiece: an interactive Plotly chart shown in the GUI and saved as a standalone HTML page."""

from pathlib import Path
from typing import Any

import plotly.graph_objects as go  # graph_objects, not express: no pandas needed
from airflow_domino_sdk import BasePiece

from .models import ChartType, InputModel, OutputModel


def _number(value: Any, column: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"column {column!r}: {value!r} is not a number") from None


class PlotlyChartPiece(BasePiece):
    """Builds an interactive chart of table columns."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        rows = input_data.rows
        if not rows:
            raise ValueError("no rows to plot")
        known = {key for row in rows for key in row}
        unknown = sorted({input_data.x_column, *input_data.y_columns} - known)
        if unknown:
            raise ValueError(f"unknown column(s) {unknown}; the rows have {sorted(known)}")
        xs = [row.get(input_data.x_column) for row in rows]
        series = {c: [_number(row.get(c), c) for row in rows] for c in input_data.y_columns}
        figure = go.Figure()
        kind = input_data.chart_type
        if kind is ChartType.pie:
            column = input_data.y_columns[0]
            figure.add_trace(go.Pie(labels=[str(x) for x in xs], values=series[column], name=column))
        for column, ys in series.items() if kind is not ChartType.pie else ():
            if kind is ChartType.bar:
                figure.add_trace(go.Bar(x=[str(x) for x in xs], y=ys, name=column))
            else:
                mode = "lines+markers" if kind is ChartType.line else "markers"
                figure.add_trace(go.Scatter(x=xs, y=ys, mode=mode, name=column))
        figure.update_layout(
            title=input_data.title or None,
            xaxis_title=input_data.x_label or input_data.x_column,
            yaxis_title=input_data.y_label or (input_data.y_columns[0] if len(series) == 1 else None),
            barmode="group",
            template="plotly_white",
        )
        html_path = Path(self.results_path) / input_data.file_name
        json_path = html_path.with_suffix(".plotly.json")
        figure.write_html(html_path, include_plotlyjs=input_data.include_plotlyjs.value, full_html=True)
        json_path.write_text(figure.to_json(), encoding="utf-8")
        self.logger.info("%s chart, %d trace(s) -> %s", kind.value, len(figure.data), html_path.name)
        self.display_result = {"file_type": "plotly_json", "file_path": str(json_path)}
        return OutputModel(figure_path=str(html_path), figure_json_path=str(json_path))
