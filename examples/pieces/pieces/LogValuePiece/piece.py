"""LogValuePiece: print a value to the task log and pass it through (a probe between two tasks)."""

import json
import logging
from pathlib import Path

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel


class LogValuePiece(BasePiece):
    """Logs a value with a label and outputs it unchanged."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        text = json.dumps(input_data.value, indent=2, ensure_ascii=False, default=str)
        shown = text if len(text) <= input_data.max_chars else f"{text[: input_data.max_chars]}... ({len(text)} chars)"
        self.logger.log(logging.getLevelNamesMapping()[input_data.level.value], "%s: %s", input_data.label, shown)
        if input_data.show_as_result:
            path = Path(self.results_path) / "value.json"
            path.write_text(text + "\n", encoding="utf-8")
            self.display_result = {"file_type": "json", "file_path": str(path)}
        return OutputModel(value=input_data.value)
