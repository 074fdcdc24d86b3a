"""SleepPiece: wait a fixed time, e.g. to let an external system catch up or to test timeouts."""

import time

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel


class SleepPiece(BasePiece):
    """Waits for a number of seconds."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        self.logger.info("sleeping %.3g second(s)", input_data.seconds)
        time.sleep(input_data.seconds)
        # The requested value, not a measurement: outputs stay deterministic.
        return OutputModel(slept_seconds=input_data.seconds)
