"""The operator of a placeholder DAG, for a workflow that cannot be built."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException


class BuildErrorOperator(BaseOperator):
    """The single task of a placeholder DAG: fails with the reason the workflow could not be built.

    A workflow that cannot be built must stay visible in Airflow (not vanish), and running it
    must say why it cannot run.
    """

    ui_color = "#f8d7da"

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def execute(self, context: Any) -> None:
        raise AirflowException(f"This workflow could not be built into a DAG: {self.message}")
