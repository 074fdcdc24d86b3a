"""Pieces SDK: what piece authors import. Needs only pydantic (no Airflow), because it runs inside
piece virtualenvs and images.

    from airflow_domino_plugin.sdk import BasePiece
    from airflow_domino_plugin.sdk.testing import run_piece
"""

from airflow_domino_plugin.sdk.base_piece import BasePiece
from airflow_domino_plugin.sdk.errors import (
    FieldError,
    PieceError,
    PieceExecutionError,
    PieceInputError,
    PieceLoadError,
    PieceOutputError,
)
from airflow_domino_plugin.sdk.models import (
    DisplayResult,
    DisplayResultFileType,
    OutputModifierItemType,
    OutputModifierModel,
    RunContext,
)
from airflow_domino_plugin.sdk.testing import PieceRunResult, run_piece

__all__ = [
    "BasePiece",
    "DisplayResult",
    "DisplayResultFileType",
    "FieldError",
    "OutputModifierItemType",
    "OutputModifierModel",
    "PieceError",
    "PieceExecutionError",
    "PieceInputError",
    "PieceLoadError",
    "PieceOutputError",
    "PieceRunResult",
    "RunContext",
    "run_piece",
]
